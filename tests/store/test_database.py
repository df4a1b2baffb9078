"""Opening the database durably, and explicit transactions."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from desktop_app.store import Store, StoreError, open_database, transaction


def test_open_database_creates_folders_and_sets_durable_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "db.sqlite3"
    conn = open_database(path)
    try:
        assert path.exists()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.isolation_level is None
    finally:
        conn.close()


def test_a_transaction_commits_on_exit_and_rolls_back_on_error(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "db.sqlite3")
    other = open_database(tmp_path / "db.sqlite3")
    try:
        conn.execute("CREATE TABLE t (x INTEGER)")
        with transaction(conn):
            conn.execute("INSERT INTO t VALUES (1)")
        assert [row[0] for row in other.execute("SELECT x FROM t")] == [1]
        with pytest.raises(ZeroDivisionError), transaction(conn):
            conn.execute("INSERT INTO t VALUES (2)")
            _ = 1 / 0
        assert not conn.in_transaction
        assert [row[0] for row in other.execute("SELECT x FROM t")] == [1]
    finally:
        conn.close()
        other.close()


def test_transactions_do_not_nest(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "db.sqlite3")
    try:
        with (
            transaction(conn),
            pytest.raises(RuntimeError, match="do not nest"),
            transaction(conn),
        ):
            pass
    finally:
        conn.close()


def test_a_busy_database_is_a_one_line_store_error(tmp_path: Path) -> None:
    holder = open_database(tmp_path / "db.sqlite3")
    waiter = open_database(tmp_path / "db.sqlite3")
    waiter.execute("PRAGMA busy_timeout = 50")
    try:
        with (
            transaction(holder),
            pytest.raises(StoreError, match="another DeskForms"),
            transaction(waiter),
        ):
            pass
    finally:
        holder.close()
        waiter.close()


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "deskforms.sqlite3").write_bytes(b"this is a text file, not SQLite " * 100)
    with pytest.raises(StoreError) as caught:
        Store(data)
    message = str(caught.value)
    assert "is not a DeskForms database" in message
    assert "\n" not in message


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.close()
    store.close()
    assert store.closed
    with pytest.raises(StoreError, match="closed"):
        store.drafts()


def test_the_store_is_used_from_one_thread(tmp_path: Path) -> None:
    errors: list[BaseException] = []
    with Store(tmp_path) as store:

        def elsewhere() -> None:
            try:
                store.drafts()
            except BaseException as error:
                errors.append(error)

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert len(errors) == 1 and isinstance(errors[0], sqlite3.ProgrammingError)
