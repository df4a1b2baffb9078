"""Opening the SQLite database durably, and explicit write transactions on it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop_app.store.errors import StoreError

logger = logging.getLogger(__name__)

DEFAULT_DB_NAME = "deskforms.sqlite3"
BUSY_TIMEOUT_MS = 5000
# Python's case folding as an SQL function: SQLite folds ASCII only, and the triggers that keep
# the submission search table (migration 6) store every haystack folded by it, so every
# connection that may write submissions must have it (`open_database` registers it).
FOLD_FUNCTION = "deskforms_casefold"


def open_database(path: Path | str) -> sqlite3.Connection:
    """A connection to the database at `path` (created with its folders if missing).

    WAL journal, `synchronous=FULL` (a committed change survives a power cut), foreign keys on,
    a 5 s busy timeout, autocommit mode (every write goes through `transaction`), and the
    application's SQL functions (`register_functions`).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"Cannot create the data folder {path.parent}: {error.strerror or error}."
        ) from None
    try:
        # isolation_level=None: the sqlite3 module must not open transactions behind our back.
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise StoreError(f"Cannot open the database {path}: {error}.") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            # Some network file systems cannot share memory for WAL; rollback journal still works.
            logger.warning("SQLite kept journal_mode=%s for %s (WAL unavailable)", mode, path)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(
            f"{path} is not a DeskForms database ({error}); move it away or choose another data folder."
        ) from None
    conn.row_factory = sqlite3.Row
    register_functions(conn)
    return conn


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the schema's triggers call; without them a write to submissions fails."""
    conn.create_function(FOLD_FUNCTION, 1, casefold, deterministic=True)


def casefold(value: str | int | float | bytes | None) -> str | int | float | bytes | None:
    """`str.casefold` for text; anything else (NULL, numbers) unchanged."""
    return value.casefold() if isinstance(value, str) else value


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT: when the block exits normally the change is on disk.

    IMMEDIATE takes the write lock up front, so a read-then-write inside the block cannot be
    overtaken by another writer. An exception rolls everything back and propagates; SQLite
    failures of the environment (busy, disk full, read-only) become a one-line StoreError.
    """
    if conn.in_transaction:
        raise RuntimeError("transactions do not nest: one is already open on this connection")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise (_store_error(error) or error) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(error, sqlite3.OperationalError):
            translated = _store_error(error)
            if translated is not None:
                raise translated from None
        raise


def _store_error(error: sqlite3.OperationalError) -> StoreError | None:
    """The user's side of an environment failure; None for SQL mistakes (those are bugs)."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return StoreError(
            "The database is busy: another DeskForms may be using this data folder. Close it and try again."
        )
    if "full" in text:
        return StoreError("Could not save: the disk is full. Free some space and try again.")
    if "readonly" in text or "disk I/O" in text or "unable to open" in text:
        return StoreError(f"Could not save to the database ({text}); check the data folder.")
    return None
