"""Schema versions: forward migrations keep old data; a newer database is refused untouched."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop_app.store import SCHEMA_VERSION, DeliverySettings, Status, Store, StoreError
from desktop_app.store.migrations import (
    STEPS,
    V1_CORE_TABLES,
    migrate,
    schema_version,
    split_statements,
)
from desktop_app.store.snapshots import take_snapshot
from tests.store.conftest import make_form, make_profile

NOW = "2026-04-01T08:00:00.000000Z"


def build_v1_database(data_dir: Path) -> None:
    """A database as DeskForms with schema 1 left it: one profile, one queued submission."""
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "deskforms.sqlite3")
    conn.executescript(V1_CORE_TABLES)
    conn.execute("PRAGMA user_version = 1")
    snapshot = take_snapshot(make_form())
    with conn:
        conn.execute(
            "INSERT INTO profiles (name, profile_json, created, updated) VALUES (?, ?, ?, ?)",
            ("acme", make_profile().model_dump_json(), NOW, NOW),
        )
        conn.execute(
            "INSERT INTO form_snapshots VALUES (?, ?, ?, ?, ?)",
            (snapshot.hash, snapshot.form_id, snapshot.form_version, snapshot.json, NOW),
        )
        conn.execute(
            "INSERT INTO submissions (id, profile, snapshot, answers_json, summary, status,"
            " created, updated, queued_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                "old-1",
                "acme",
                snapshot.hash,
                json.dumps({"summary": "Old printer"}),
                "Old printer",
                "queued",
                NOW,
                NOW,
                NOW,
                NOW,
            ),
        )
    conn.close()


def test_schema_has_six_versions() -> None:
    assert SCHEMA_VERSION == len(STEPS) == 6


def test_a_new_database_gets_the_current_schema(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        assert schema_version(store._conn) == SCHEMA_VERSION
        tables = {row[0] for row in store._conn.execute("SELECT name FROM sqlite_master")}
    assert {"profiles", "form_snapshots", "drafts", "submissions", "attempts", "uploads"} <= tables
    assert {"attachments", "draft_attachments", "submission_attachments"} <= tables


def test_a_v1_database_is_migrated_with_its_data_intact(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build_v1_database(data)
    with Store(data) as store:
        assert schema_version(store._conn) == SCHEMA_VERSION
        record = store.profile("acme")
        assert record.profile == make_profile()
        assert record.settings == DeliverySettings(concurrency=4, batching=False)
        submission = store.submission("old-1")
        assert submission.status is Status.QUEUED
        assert submission.answers == {"summary": "Old printer"}
        assert submission.form == make_form()
        # The v2 addition works on the migrated data.
        sha = store.attachments.add_bytes(b"log", "log.txt").sha256
        store.save_draft(
            make_form(), {}, attachments={"files": [store.attachments.add_bytes(b"log", "log.txt")]}
        )
        store.record_upload(sha, "acme", 77)
        assert store.uploaded_id(sha, "acme") == 77
        assert [s.id for s in store.due_submissions()] == ["old-1"]
        # The v3 index serves the engine's per-profile query for the oldest due submissions.
        plan = " ".join(
            row[3]
            for row in store._conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM submissions u WHERE u.status IN"
                " ('queued', 'failed') AND u.next_attempt_at <= ? AND u.profile = ?"
                " ORDER BY u.queued_at, u.id LIMIT 1",
                ("9999", "acme"),
            )
        )
        assert "submissions_waiting" in plan and "TEMP B-TREE" not in plan
        assert [s.id for s in store.due_submissions(profile="acme")] == ["old-1"]
        # The v5 index: the forms that have submissions, and a count by form, without a scan.
        assert store.submission_forms() == [(make_form().id, make_form().title)]
        assert store.submission_count(form_id=make_form().id) == 1
        for query in (
            "SELECT 1 FROM form_snapshots s WHERE EXISTS"
            " (SELECT 1 FROM submissions u WHERE u.snapshot = s.hash)",
            "SELECT COUNT(*) FROM submissions u WHERE u.snapshot IN"
            " (SELECT hash FROM form_snapshots WHERE form_id = 'x')",
        ):
            plan = " ".join(row[3] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {query}"))
            assert "submissions_by_snapshot" in plan, plan


def test_a_database_from_a_newer_deskforms_is_refused_untouched(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "deskforms.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    with pytest.raises(StoreError) as caught:
        Store(tmp_path)
    assert str(caught.value) == (
        f"{path} was written by a newer DeskForms (schema 7); update DeskForms."
    )
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
    conn.close()


def test_a_failing_step_leaves_the_database_at_the_last_whole_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    broken = "CREATE TABLE half (x INTEGER);\nINSERT INTO nowhere VALUES (1);\n"
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        migrate(conn, "db", [V1_CORE_TABLES, broken])
    assert schema_version(conn) == 1
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "half" not in tables and "profiles" in tables
    conn.close()


def test_migrate_is_idempotent_and_runs_python_steps(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    calls: list[int] = []

    def step(connection: sqlite3.Connection) -> None:
        calls.append(1)
        connection.execute("CREATE TABLE extra (x INTEGER)")

    assert migrate(conn, "db", [V1_CORE_TABLES, step]) == [1, 2]
    assert migrate(conn, "db", [V1_CORE_TABLES, step]) == []
    assert calls == [1]
    conn.close()


def test_split_statements_keeps_each_statement_whole() -> None:
    script = "CREATE TABLE a (x TEXT DEFAULT ';');\n-- a comment\nCREATE TABLE b (y);\n"
    assert list(split_statements(script)) == [
        "CREATE TABLE a (x TEXT DEFAULT ';');",
        "-- a comment\nCREATE TABLE b (y);",
    ]
    with pytest.raises(ValueError, match="incomplete"):
        list(split_statements("CREATE TABLE c (z"))
