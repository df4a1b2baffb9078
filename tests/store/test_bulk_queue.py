"""Queueing many filled copies of one form at once: one transaction, in order, all or none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.events import Event, EventBus, SubmissionChanged
from desktop_app.store import NotFound, Status, Store, StoredFile, StoreError
from tests.store.conftest import FakeClock, make_form, make_profile


@pytest.fixture
def seen() -> list[Event]:
    return []


@pytest.fixture
def bulk_store(tmp_path: Path, clock: FakeClock, seen: list[Event]) -> Iterator[Store]:
    bus = EventBus()
    bus.subscribe(seen.append)
    with Store(tmp_path / "data", events=bus, clock=clock) as store:
        store.save_profile(make_profile())
        seen.clear()
        yield store


def test_many_are_queued_in_the_order_given_and_announced_after_the_commit(
    bulk_store: Store, clock: FakeClock, seen: list[Event]
) -> None:
    answers = [{"summary": f"Printer {n}", "details": "It jams."} for n in range(5)]
    committed: list[int] = []
    bulk_store.events.subscribe(lambda _: committed.append(bulk_store.submission_count()))

    ids = bulk_store.queue_submissions(make_form(), answers, "acme")

    assert len(set(ids)) == 5 and all(len(i) == 36 for i in ids)
    # Subscribers read the database after the commit: every one sees all five.
    assert committed == [5] * 5
    assert seen == [SubmissionChanged(i, "queued", None) for i in ids]
    records = [bulk_store.submission(i) for i in ids]
    assert [r.summary for r in records] == [f"Printer {n}" for n in range(5)]
    assert {r.status for r in records} == {Status.QUEUED}
    assert {r.next_attempt_at for r in records} == {clock.now}
    assert [r.id for r in bulk_store.due_submissions(clock.now)] == ids
    assert [r.id for r in bulk_store.submissions(order="created")] == ids
    # One form version, stored once.
    assert bulk_store._conn.execute("SELECT COUNT(*) FROM form_snapshots").fetchone()[0] == 1
    assert records[0].form == make_form()


def test_files_and_summaries_go_with_their_own_submission(bulk_store: Store) -> None:
    photo = bulk_store.attachments.add_bytes(b"photo", "photo.jpg")
    files: list[dict[str, list[StoredFile]] | None] = [None, {"files": [photo]}]

    first, second = bulk_store.queue_submissions(
        make_form(),
        [{"summary": "a"}, {"summary": "b"}],
        "acme",
        attachments=files,
        summaries=["First", None],
    )

    assert bulk_store.submission(first).attachments == ()
    assert [link.name for link in bulk_store.submission(second).attachments] == ["photo.jpg"]
    assert bulk_store.submission(first).summary == "First"
    assert bulk_store.submission(second).summary == "b"


def test_nothing_is_queued_when_one_cannot_be(bulk_store: Store, seen: list[Event]) -> None:
    missing = StoredFile(sha256="0" * 64, name="gone.txt", size=1, mime="text/plain")

    with pytest.raises(StoreError):
        bulk_store.queue_submissions(
            make_form(),
            [{"summary": "ok"}, {"summary": "bad"}],
            "acme",
            attachments=[None, {"files": [missing]}],
        )
    with pytest.raises(NotFound, match="no tenant profile named 'nope'"):
        bulk_store.queue_submissions(make_form(), [{"summary": "ok"}], "nope")

    assert bulk_store.submission_count() == 0
    assert seen == []


def test_one_entry_per_answers_is_required(bulk_store: Store) -> None:
    with pytest.raises(ValueError, match="one attachments entry"):
        bulk_store.queue_submissions(make_form(), [{}, {}], "acme", attachments=[None])
    with pytest.raises(ValueError, match="one summary"):
        bulk_store.queue_submissions(make_form(), [{}], "acme", summaries=[])
    assert bulk_store.queue_submissions(make_form(), [], "acme") == []


def test_by_id_lookups_keep_the_order_and_report_a_missing_id(bulk_store: Store) -> None:
    ids = bulk_store.queue_submissions(
        make_form(), [{"summary": f"S{n}"} for n in range(3)], "acme"
    )
    bulk_store.cancel(ids[1])

    records = bulk_store.submissions_by_id([ids[2], ids[0], ids[1]])

    assert [r.id for r in records] == [ids[2], ids[0], ids[1]]
    assert [r.summary for r in records] == ["S2", "S0", "S1"]
    assert bulk_store.submission_states([*ids, "nope"]) == {
        ids[0]: (Status.QUEUED, "acme"),
        ids[1]: (Status.CANCELLED, "acme"),
        ids[2]: (Status.QUEUED, "acme"),
    }
    with pytest.raises(NotFound, match="nope"):
        bulk_store.submissions_by_id([ids[0], "nope"])
