"""The Store: one SQLite database and attachment folder per data directory, for the whole app."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from desktop_app.core.events import EventBus
from desktop_app.store._base import Clock, utc_now
from desktop_app.store.attachments import AttachmentStore
from desktop_app.store.database import DEFAULT_DB_NAME, open_database, transaction
from desktop_app.store.drafts import DraftStore
from desktop_app.store.migrations import migrate, rebuild_search_table, search_table_drifted
from desktop_app.store.profiles import ProfileStore
from desktop_app.store.transitions import TransitionStore


class Store(ProfileStore, DraftStore, TransitionStore):
    """Profiles, drafts, submissions, attempts and attachments in `<data_dir>`.

    Opening migrates the database to the current schema (or refuses a newer one). Every
    method that changes something commits before it returns and then publishes its events on
    `events`. Use one Store from one thread, the app's event-loop thread: the SQLite
    connection refuses other threads (check_same_thread), and calls are short (< 1 ms for
    state changes) so they need no executor. Call `recover_interrupted` once at start.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        events: EventBus | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DEFAULT_DB_NAME
        conn = open_database(self.path)
        try:
            migrate(conn, self.path)
            if search_table_drifted(conn):
                with transaction(conn):
                    rebuild_search_table(conn)
        except BaseException:
            conn.close()
            raise
        super().__init__(
            conn,
            AttachmentStore(self.data_dir),
            events if events is not None else EventBus(),
            clock or utc_now,
        )

    def close(self) -> None:
        """Close the database; harmless when already closed."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @property
    def closed(self) -> bool:
        return self._connection is None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
