"""The submission search table (schema 6): kept in step by triggers, filled by the migration."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop_app.store import SCHEMA_VERSION, Status, Store
from desktop_app.store import submissions as submissions_module
from desktop_app.store.database import register_functions
from desktop_app.store.migrations import STEPS, migrate, schema_version
from desktop_app.store.snapshots import take_snapshot
from tests.store.conftest import FakeClock, make_form, make_profile, queue
from tests.store.test_migrations import NOW, build_v1_database


@pytest.fixture(autouse=True, params=["few", "many"])
def matches(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test both ways: matches looked up by rowid (few) and tested row by row (many)."""
    if request.param == "many":
        monkeypatch.setattr(submissions_module, "_FEW_MATCHES", 0)


def haystack(store: Store, submission_id: str) -> str | None:
    row = store._conn.execute(
        "SELECT h.haystack FROM submissions u JOIN submission_search h"
        " ON h.submission_rowid = u.rowid WHERE u.id = ?",
        (submission_id,),
    ).fetchone()
    return None if row is None else str(row[0])


def search_rows(store: Store) -> int:
    return int(store._conn.execute("SELECT COUNT(*) FROM submission_search").fetchone()[0])


def found(store: Store, text: str) -> set[str]:
    listed = {record.id for record in store.submissions(limit=1000, text=text)}
    assert store.submission_count(text=text) == len(listed)
    return listed


def test_the_search_table_follows_inserts_outcomes_and_deletes(
    store: Store, clock: FakeClock
) -> None:
    first = queue(store, summary="Printer on FIRE")
    second, third = store.queue_submissions(
        make_form(), [{"summary": "VPN down"}, {"summary": "Badge lost"}], "acme"
    )
    assert search_rows(store) == 3
    assert haystack(store, first) == (
        f"{first} printer on fire acme   it-help it help"  # no ticket, no message yet
    )
    # An outcome: the ticket and the server's message become searchable.
    attempt = store.mark_sending(second)
    assert haystack(store, second) is not None and "sending" not in str(haystack(store, second))
    clock.advance(1)
    store.record_outcome(
        second,
        attempt,
        status=Status.ACCEPTED,
        http_status=201,
        outcome_kind="accepted",
        message="Created ticket #777 for Networking.",
        outcome_json="{}",
        duration_ms=5,
        ticket_id=777,
    )
    assert "#777 777 created ticket #777 for networking." in str(haystack(store, second))
    assert found(store, "#777") == {second}
    assert found(store, "networking") == {second}
    # A rejection's message, then a correction that clears it and changes the summary.
    attempt = store.mark_sending(third)
    store.record_outcome(
        third,
        attempt,
        status=Status.REJECTED,
        http_status=400,
        outcome_kind="rejected",
        message="Category is required.",
        outcome_json="{}",
        duration_ms=5,
    )
    assert found(store, "category") == {third}
    store.requeue_with_answers(third, {"summary": "Badge found"})
    assert found(store, "category") == set()
    assert found(store, "found") == {third}
    assert found(store, "lost") == set()
    # A delete takes its search row with it.
    with store._write() as (conn, _events):
        conn.execute("DELETE FROM submissions WHERE id = ?", (first,))
    assert search_rows(store) == 2
    assert found(store, "printer") == set()
    # And a new row reusing nothing stale.
    fourth = queue(store, summary="Printer again")
    assert found(store, "printer") == {fourth}
    assert search_rows(store) == 3


def test_words_are_matched_case_folded_beyond_ascii(store: Store) -> None:
    strasse = queue(store, summary="Straße gesperrt")
    queue(store, summary="Ärger mit dem Drucker")
    assert found(store, "STRASSE") == {strasse}  # the haystack is stored folded: ß is ss
    assert found(store, "straße") == {strasse}
    assert found(store, "GESPERRT straSSe") == {strasse}


def test_the_migration_fills_the_search_table_for_old_rows(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build_v1_database(data)
    with Store(data) as store:
        assert schema_version(store._conn) == SCHEMA_VERSION
        assert haystack(store, "old-1") == "old-1 old printer acme   it-help it help"
        assert found(store, "OLD printer") == {"old-1"}
        assert found(store, "help") == {"old-1"}  # the form's title


def test_a_v5_database_migrates_with_tickets_and_messages_searchable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    conn = sqlite3.connect(data / "deskforms.sqlite3", isolation_level=None)
    register_functions(conn)
    assert migrate(conn, "db", STEPS[:5]) == [1, 2, 3, 4, 5]
    snapshot = take_snapshot(make_form(title="Büro Anfrage"))
    conn.execute(
        "INSERT INTO profiles (name, profile_json, created, updated) VALUES (?, ?, ?, ?)",
        ("acme", make_profile().model_dump_json(), NOW, NOW),
    )
    conn.execute(
        "INSERT INTO form_snapshots VALUES (?, ?, ?, ?, ?)",
        (snapshot.hash, snapshot.form_id, snapshot.form_version, snapshot.json, NOW),
    )
    for sid, summary, ticket, message in (
        ("v5-a", "Printer jams", 1042, "Created ticket #1042."),
        ("v5-b", "Door stuck", None, None),
    ):
        conn.execute(
            "INSERT INTO submissions (id, profile, snapshot, answers_json, summary, status,"
            " created, updated, queued_at, ticket_id, last_message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sid,
                "acme",
                snapshot.hash,
                json.dumps({"summary": summary}),
                summary,
                "accepted" if ticket else "queued",
                NOW,
                NOW,
                NOW,
                ticket,
                message,
            ),
        )
    conn.close()
    with Store(data) as store:
        assert schema_version(store._conn) == SCHEMA_VERSION == 6
        assert search_rows(store) == 2
        assert found(store, "#1042") == {"v5-a"}
        assert found(store, "created") == {"v5-a"}
        assert found(store, "door") == {"v5-b"}
        assert found(store, "BÜRO anfrage") == {"v5-a", "v5-b"}
        # The triggers work on the migrated database.
        store.save_profile(make_profile())
        new = queue(store, summary="Door again")
        assert found(store, "door") == {"v5-b", new}


def test_a_search_table_out_of_line_with_the_rowids_is_rebuilt_at_open(tmp_path: Path) -> None:
    with Store(tmp_path, clock=FakeClock()) as store:
        store.save_profile(make_profile())
        ids = [queue(store, summary=f"Row {n}") for n in range(3)]
        # As a dump and reload outside DeskForms would leave it: the submissions renumbered.
        store._conn.execute("UPDATE submission_search SET submission_rowid = submission_rowid + 5")
        assert store.submissions(text="row") == []  # the drift, before the repair
    with Store(tmp_path) as store:
        assert found(store, "row") == set(ids)
        assert search_rows(store) == 3


def test_many_matches_filtered_and_paged_row_by_row(store: Store, clock: FakeClock) -> None:
    answers = [{"summary": f"Printer {n}" if n % 3 else f"Laptop {n}"} for n in range(60)]
    ids = store.queue_submissions(make_form(), answers, "acme")
    printers = {sid for n, sid in enumerate(ids) if n % 3}
    assert found(store, "printer") == printers
    assert store.submission_count(Status.QUEUED, "acme", text="printer") == len(printers)
    assert store.matching_submission_ids(ids, text="laptop") == set(ids) - printers
    listed = [r.id for r in store.submissions(limit=100, order="created", text="printer")]
    assert listed == [sid for sid in ids if sid in printers]
    page = store.submissions(limit=7, order="created", text="printer")
    rest = store.submissions(
        limit=100, order="created", text="printer", after=(page[-1].created, page[-1].id)
    )
    assert [r.id for r in page + rest] == listed
