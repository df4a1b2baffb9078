"""What every part of the Store shares: the connection, the clock, events, snapshots and links."""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.events import Event, EventBus
from desktop_app.core.form.loading import FormFileError, parse_form
from desktop_app.core.form.model import FieldType, Form
from desktop_app.store.attachments import AttachmentStore, StoredFile
from desktop_app.store.database import transaction
from desktop_app.store.errors import NotFound, StoreError
from desktop_app.store.records import AttachmentLink, to_text
from desktop_app.store.snapshots import Snapshot, SnapshotCache
from desktop_app.store.summaries import SummaryCache

Clock = Callable[[], datetime]
Attachments = Mapping[str, Sequence[StoredFile]]
FORM_CACHE_SIZE = 32


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_json(value: Any, what: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise StoreError(
            f"Cannot save the {what}: {error} (only JSON values can be stored)."
        ) from None


class StoreBase:
    """State and helpers shared by the profile, draft and submission parts of `Store`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        attachments: AttachmentStore,
        events: EventBus,
        clock: Clock,
    ) -> None:
        self._connection: sqlite3.Connection | None = conn
        self.attachments = attachments
        self.events = events
        self._clock = clock
        self._snapshots = SnapshotCache()
        self._summaries = SummaryCache()
        # Hashes known to be committed in form_snapshots: no need to send their JSON again.
        self._stored_snapshots: set[str] = set()
        self._forms: OrderedDict[str, Form] = OrderedDict()

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError("The store is closed.")
        return self._connection

    def _now(self) -> str:
        return to_text(self._clock())

    @contextmanager
    def _write(self) -> Iterator[tuple[sqlite3.Connection, list[Event]]]:
        """A write transaction; the events collected in it are published after COMMIT.

        So a subscriber that reads the database sees the new state, and nothing is announced
        for a change that was rolled back.
        """
        events: list[Event] = []
        with transaction(self._conn) as conn:
            yield conn, events
        for event in events:
            self.events.publish(event)

    def _ensure_snapshot(self, conn: sqlite3.Connection, snapshot: Snapshot) -> None:
        if snapshot.hash in self._stored_snapshots:
            return
        conn.execute(
            "INSERT OR IGNORE INTO form_snapshots (hash, form_id, form_version, form_json, created)"
            " VALUES (?, ?, ?, ?, ?)",
            (snapshot.hash, snapshot.form_id, snapshot.form_version, snapshot.json, self._now()),
        )

    def _snapshot_committed(self, snapshot: Snapshot) -> None:
        # Called after COMMIT only: a rolled-back insert must not be remembered as stored.
        self._stored_snapshots.add(snapshot.hash)

    def _load_form(self, snapshot_hash: str) -> Form:
        """The Form of a snapshot, parsed once and shared (callers must not modify it)."""
        form = self._forms.get(snapshot_hash)
        if form is not None:
            self._forms.move_to_end(snapshot_hash)
            return form
        row = self._conn.execute(
            "SELECT form_json FROM form_snapshots WHERE hash = ?", (snapshot_hash,)
        ).fetchone()
        if row is None:
            raise NotFound(f"Form snapshot {snapshot_hash[:12]} is missing from the database.")
        try:
            form = parse_form(row["form_json"], f"form snapshot {snapshot_hash[:12]}")
        except FormFileError as error:
            raise StoreError(f"A stored form can no longer be read: {error}") from None
        self._forms[snapshot_hash] = form
        if len(self._forms) > FORM_CACHE_SIZE:
            self._forms.popitem(last=False)
        return form

    def _check_attachments(self, form: Form, attachments: Attachments) -> None:
        for key, files in attachments.items():
            try:
                field = form.field(key)
            except KeyError:
                raise StoreError(
                    f"The form '{form.id}' has no field '{key}' to attach files to."
                ) from None
            if field.type is not FieldType.ATTACHMENTS:
                raise StoreError(f"Field '{key}' of form '{form.id}' does not take attachments.")
            for stored in files:
                # A submission must never depend on a file that is not in the data folder.
                self.attachments.require(stored.sha256)

    def _replace_links(
        self,
        conn: sqlite3.Connection,
        table: str,
        owner: str,
        owner_id: str,
        attachments: Attachments,
    ) -> None:
        # `table`/`owner` are our own constants (draft_attachments/draft_id, ...), never input.
        conn.execute(f"DELETE FROM {table} WHERE {owner} = ?", (owner_id,))
        now = self._now()
        for key, files in attachments.items():
            for position, stored in enumerate(files):
                conn.execute(
                    "INSERT OR IGNORE INTO attachments (sha256, size, mime, path, created)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (
                        stored.sha256,
                        stored.size,
                        stored.mime,
                        self.attachments.relative_path(stored.sha256),
                        now,
                    ),
                )
                conn.execute(
                    f"INSERT INTO {table} ({owner}, field_key, position, sha256, name, mime)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (owner_id, key, position, stored.sha256, stored.name, stored.mime),
                )

    def _links(self, table: str, owner: str, owner_id: str) -> tuple[AttachmentLink, ...]:
        rows = self._conn.execute(
            f"SELECT l.field_key, l.position, l.sha256, l.name, l.mime, a.size FROM {table} l"
            f" JOIN attachments a ON a.sha256 = l.sha256 WHERE l.{owner} = ?"
            " ORDER BY l.field_key, l.position",
            (owner_id,),
        ).fetchall()
        return tuple(
            AttachmentLink(
                field_key=row["field_key"],
                position=row["position"],
                sha256=row["sha256"],
                name=row["name"],
                size=row["size"],
                mime=row["mime"],
            )
            for row in rows
        )

    def _links_as_files(self, links: Sequence[AttachmentLink]) -> dict[str, list[StoredFile]]:
        files: dict[str, list[StoredFile]] = {}
        for link in links:
            files.setdefault(link.field_key, []).append(
                StoredFile(sha256=link.sha256, name=link.name, size=link.size, mime=link.mime)
            )
        return files
