"""The database schema as forward-only steps, versioned by `PRAGMA user_version`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from desktop_app.store.database import FOLD_FUNCTION, register_functions, transaction
from desktop_app.store.errors import StoreError

# Timestamps are UTC text of fixed width ('2026-05-01T09:30:00.000000Z'): they sort as text
# and stay readable in any SQLite browser.

V1_CORE_TABLES = """
CREATE TABLE profiles (
    name          TEXT PRIMARY KEY,
    profile_json  TEXT NOT NULL,              -- TenantProfile.model_dump_json()
    paused_reason TEXT,                       -- set when 403/404/unsupported version stop the queue
    created       TEXT NOT NULL,
    updated       TEXT NOT NULL
);

CREATE TABLE form_snapshots (
    hash         TEXT PRIMARY KEY,            -- sha256 of form_json
    form_id      TEXT NOT NULL,
    form_version INTEGER NOT NULL,
    form_json    TEXT NOT NULL,               -- dump_form(form): canonical, parse_form reads it
    created      TEXT NOT NULL
);

CREATE TABLE attachments (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    mime    TEXT NOT NULL,
    path    TEXT NOT NULL,                    -- relative to the data folder
    created TEXT NOT NULL
);

CREATE TABLE drafts (
    id           TEXT PRIMARY KEY,
    snapshot     TEXT NOT NULL REFERENCES form_snapshots(hash),
    answers_json TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL
);
CREATE INDEX drafts_by_updated ON drafts(updated);

CREATE TABLE draft_attachments (
    draft_id  TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    field_key TEXT NOT NULL,
    position  INTEGER NOT NULL,
    sha256    TEXT NOT NULL REFERENCES attachments(sha256),
    name      TEXT NOT NULL,
    mime      TEXT NOT NULL,
    PRIMARY KEY (draft_id, field_key, position)
);

CREATE TABLE submissions (
    id              TEXT PRIMARY KEY,         -- UUID4, also the Idempotency-Key
    profile         TEXT NOT NULL,            -- no foreign key: history outlives its profile
    snapshot        TEXT NOT NULL REFERENCES form_snapshots(hash),
    answers_json    TEXT NOT NULL,
    draft_id        TEXT,                     -- the draft it came from (deleted when queued)
    summary         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN
                        ('queued', 'sending', 'accepted', 'rejected', 'failed', 'uncertain', 'cancelled')),
    resolution      TEXT CHECK (resolution IN ('arrived', 'resent', 'discarded')),
    created         TEXT NOT NULL,
    updated         TEXT NOT NULL,
    queued_at       TEXT NOT NULL,
    next_attempt_at TEXT,                     -- set while queued or failed: when it is due
    attempt_count   INTEGER NOT NULL DEFAULT 0,
    ticket_id       INTEGER,
    ticket_json     TEXT,                     -- the ticket as DeskHero returned it
    messages_json   TEXT,                     -- per-ticket, per-field messages of a rejection
    last_message    TEXT
);
CREATE INDEX submissions_due ON submissions(status, next_attempt_at);
CREATE INDEX submissions_by_status ON submissions(status, updated);
CREATE INDEX submissions_by_profile ON submissions(profile, status);
CREATE INDEX submissions_by_updated ON submissions(updated);
CREATE INDEX submissions_by_created ON submissions(created);

CREATE TABLE submission_attachments (
    submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    field_key     TEXT NOT NULL,
    position      INTEGER NOT NULL,
    sha256        TEXT NOT NULL REFERENCES attachments(sha256),
    name          TEXT NOT NULL,
    mime          TEXT NOT NULL,
    PRIMARY KEY (submission_id, field_key, position)
);

CREATE TABLE attempts (
    id            INTEGER PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    started_at    TEXT NOT NULL,
    duration_ms   INTEGER,                    -- NULL while the attempt is in flight
    http_status   INTEGER,
    outcome_kind  TEXT,                       -- api.outcomes kind, or 'interrupted'
    message       TEXT,
    outcome_json  TEXT
);
CREATE INDEX attempts_by_submission ON attempts(submission_id, id);
"""

V2_DELIVERY_SETTINGS = """
ALTER TABLE profiles ADD COLUMN concurrency INTEGER NOT NULL DEFAULT 4 CHECK (concurrency >= 1);
ALTER TABLE profiles ADD COLUMN batching INTEGER NOT NULL DEFAULT 0 CHECK (batching IN (0, 1));
ALTER TABLE profiles ADD COLUMN ticket_uuid_property TEXT;

CREATE TABLE uploads (
    sha256        TEXT NOT NULL REFERENCES attachments(sha256),
    profile       TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL,           -- DeskHero's id of the uploaded file
    uploaded_at   TEXT NOT NULL,
    PRIMARY KEY (sha256, profile)
) WITHOUT ROWID;
"""

# The engine asks every round for the oldest due submissions of a profile: walking this
# (partial) index in order stops at the first few, where the status index made SQLite sort
# every waiting row (0.25 ms a round with 1000 queued, 2 ms with 5000).
V3_WAITING_INDEX = """
CREATE INDEX submissions_waiting ON submissions(profile, queued_at, id)
    WHERE status IN ('queued', 'failed');
"""

# A draft made to correct a rejected submission names it: queueing the draft replaces that
# submission in the same transaction, even when the draft is reopened after a restart.
V4_DRAFT_REPLACES = """
ALTER TABLE drafts ADD COLUMN replaces TEXT;
"""

# The results table's Form filter lists the forms that have submissions, and filters by one:
# both look submissions up by their form snapshot (a scan of every submission without it).
V5_SNAPSHOT_INDEX = """
CREATE INDEX submissions_by_snapshot ON submissions(snapshot);
"""


def _search_haystack(row: str) -> str:
    """What a text search looks in for the submission `row` (NEW, or an alias), case-folded.

    Its id, summary, profile, ticket ("#1042 1042"), last message, and its form's id and
    title, a space apart so that no word (searches split on whitespace) spans two fields.
    """
    return (
        f"{FOLD_FUNCTION}({row}.id || ' ' || {row}.summary || ' ' || {row}.profile || ' '"
        f" || COALESCE('#' || {row}.ticket_id || ' ' || {row}.ticket_id, '') || ' '"
        f" || COALESCE({row}.last_message, '') || ' ' || COALESCE((SELECT f.form_id || ' '"
        " || COALESCE(json_extract(f.form_json, '$.title'), '') FROM form_snapshots f"
        f" WHERE f.hash = {row}.snapshot), ''))"
    )


_SEARCH_FILL = (
    "INSERT INTO submission_search (submission_rowid, haystack)"
    f" SELECT u.rowid, {_search_haystack('u')} FROM submissions u"
)

# A text search over 100,000 submissions read every wide row (answers, ticket JSON: ~120 ms a
# count or a page); this narrow table holds one folded string per submission (~15 ms a scan).
# It is keyed by the submission's rowid: a page walks the time index, which holds the rowid,
# and tests it against the matches without reading the row (the id would cost ~40 ms more).
# VACUUM keeps rowids of these tables; `search_table_drifted` catches a reload that did not.
# Triggers keep it in step, on updates only of the columns it is built from.
V6_SEARCH_TABLE = f"""
CREATE TABLE submission_search (
    submission_rowid INTEGER PRIMARY KEY,     -- submissions.rowid
    haystack         TEXT NOT NULL
);

{_SEARCH_FILL};

CREATE TRIGGER submission_search_insert AFTER INSERT ON submissions BEGIN
    INSERT OR REPLACE INTO submission_search (submission_rowid, haystack)
        VALUES (NEW.rowid, {_search_haystack("NEW")});
END;

CREATE TRIGGER submission_search_delete AFTER DELETE ON submissions BEGIN
    DELETE FROM submission_search WHERE submission_rowid = OLD.rowid;
END;

CREATE TRIGGER submission_search_update
    AFTER UPDATE OF id, summary, profile, ticket_id, last_message, snapshot ON submissions
    WHEN OLD.id IS NOT NEW.id OR OLD.summary IS NOT NEW.summary
        OR OLD.profile IS NOT NEW.profile OR OLD.ticket_id IS NOT NEW.ticket_id
        OR OLD.last_message IS NOT NEW.last_message OR OLD.snapshot IS NOT NEW.snapshot
BEGIN
    INSERT OR REPLACE INTO submission_search (submission_rowid, haystack)
        VALUES (NEW.rowid, {_search_haystack("NEW")});
END;
"""


def _v6_search_table(conn: sqlite3.Connection) -> None:
    register_functions(conn)  # the fill and the triggers call it
    for statement in split_statements(V6_SEARCH_TABLE):
        conn.execute(statement)


def search_table_drifted(conn: sqlite3.Connection) -> bool:
    """Whether the search table no longer lines up with the submissions' rowids (cheap).

    Only a copy made row by row outside DeskForms (e.g. `.dump` and reload, which renumbers
    the submissions but not the search table) does that; the first and last rows show it.
    """
    if schema_version(conn) < 6:
        return False
    for end in ("MIN", "MAX"):
        row = conn.execute(
            f"SELECT u.id, h.haystack FROM submissions u LEFT JOIN submission_search h"
            f" ON h.submission_rowid = u.rowid WHERE u.rowid = (SELECT {end}(rowid) FROM submissions)"
        ).fetchone()
        if row is not None and (row[1] is None or not row[1].startswith(row[0].casefold())):
            return True
        if conn.execute(
            f"SELECT 1 FROM submission_search WHERE submission_rowid"
            f" {'<' if end == 'MIN' else '>'} (SELECT COALESCE({end}(rowid), 0) FROM submissions)"
            " LIMIT 1"
        ).fetchone():
            return True
    return False


def rebuild_search_table(conn: sqlite3.Connection) -> None:
    """Fill the search table afresh from the submissions (in the caller's transaction)."""
    register_functions(conn)
    conn.execute("DELETE FROM submission_search")
    conn.execute(_SEARCH_FILL)


Step = str | Callable[[sqlite3.Connection], None]

# Index i holds the step from version i to i + 1. Append only: a released step never changes.
STEPS: Sequence[Step] = (
    V1_CORE_TABLES,
    V2_DELIVERY_SETTINGS,
    V3_WAITING_INDEX,
    V4_DRAFT_REPLACES,
    V5_SNAPSHOT_INDEX,
    _v6_search_table,
)
SCHEMA_VERSION = len(STEPS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The version the database file says it has (0 for a new file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path | str, steps: Sequence[Step] = STEPS) -> list[int]:
    """Bring the database up to `len(steps)`; returns the versions applied.

    Each step runs in its own transaction together with its version bump, so a crash leaves
    the database at a whole version. A database newer than the code is refused untouched.
    """
    target = len(steps)
    applied: list[int] = []
    current = schema_version(conn)
    if current > target:
        raise _newer(path, current)
    while current < target:
        with transaction(conn):
            # Read again under the write lock: another process may have migrated meanwhile.
            current = schema_version(conn)
            if current > target:
                raise _newer(path, current)
            if current == target:
                break
            step = steps[current]
            if isinstance(step, str):
                for statement in split_statements(step):
                    conn.execute(statement)
            else:
                step(conn)
            current += 1
            # PRAGMA takes no parameters; `current` is an int we computed.
            conn.execute(f"PRAGMA user_version = {current}")
        applied.append(current)
    return applied


def _newer(path: Path | str, version: int) -> StoreError:
    return StoreError(
        f"{path} was written by a newer DeskForms (schema {version}); update DeskForms."
    )


def split_statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one at a time (execute() takes only one)."""
    # executescript() would commit the open transaction first, breaking one-step-one-commit.
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            buffer = ""
            if statement.rstrip(";").strip():
                yield statement
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()!r}")
