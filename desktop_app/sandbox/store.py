"""The sandbox's persisted state: a JSON snapshot plus an append-only journal of changes since."""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import shutil
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from desktop_app.sandbox.journal import Journal, write_atomically

logger = logging.getLogger(__name__)

FIRST_TICKET_ID = 1001
FIRST_ATTACHMENT_ID = 1
STATE_FILE = "sandbox.json"
JOURNAL_FILE = "sandbox.journal.jsonl"
# The journal is folded into the snapshot once it outgrows both this and the snapshot, so
# compaction stays rare and its cost is linear in what was received.
COMPACT_MIN_BYTES = 16 * 1024 * 1024


def utc_now() -> str:
    """Current UTC time as DeskHero-style ISO 8601 with a Z suffix."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AttachmentRecord(BaseModel):
    """An uploaded file; its bytes live in `attachments/<id>.bin`."""

    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    created: str


class IdempotencyRecord(BaseModel):
    """The first successful response to a request carrying an Idempotency-Key."""

    fingerprint: str
    status: int
    body: Any
    created: str


class StoreData(BaseModel):
    """Everything the sandbox persists (the snapshot file's content)."""

    format_version: int = 1
    next_ticket_id: int = FIRST_TICKET_ID
    next_attachment_id: int = FIRST_ATTACHMENT_ID
    tickets: list[dict[str, Any]] = Field(default_factory=list)
    attachments: dict[int, AttachmentRecord] = Field(default_factory=dict)
    idempotency: dict[str, IdempotencyRecord] = Field(default_factory=dict)
    # The last journal entry this snapshot includes: replaying skips entries up to it, so a
    # crash between writing the snapshot and emptying the journal applies nothing twice.
    journal_seq: int = 0


class SandboxStore:
    """Thread-safe access to the persisted state; every change is on disk before it is visible.

    A change is one journal line (`sandbox.journal.jsonl`, written and fsynced), applied in
    memory only once written: received tickets cost one append each, whatever came before.
    Opening replays the journal onto the snapshot (`sandbox.json`) and folds it in; so do
    `compact()` (the server calls it when it stops), `clear_tickets()` and `reset()`. The
    snapshot is replaced atomically (tmp file + os.replace).
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / STATE_FILE
        self.attachments_dir = data_dir / "attachments"
        self.attachments_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._journal = Journal(data_dir / JOURNAL_FILE)
        self._snapshot_bytes = 0
        self._data = self._load()
        self.compact()

    @property
    def journal_path(self) -> Path:
        return self._journal.path

    # -- reading -------------------------------------------------------------------------

    def tickets(self) -> list[dict[str, Any]]:
        """A copy of every received ticket, oldest first."""
        with self._lock:
            return copy.deepcopy(self._data.tickets)

    def ticket_count(self) -> int:
        with self._lock:
            return len(self._data.tickets)

    def idempotency_record(self, key: str) -> IdempotencyRecord | None:
        with self._lock:
            return self._data.idempotency.get(key)

    def attachment(self, attachment_id: int) -> AttachmentRecord | None:
        with self._lock:
            return self._data.attachments.get(attachment_id)

    def attachment_path(self, attachment_id: int) -> Path:
        return self.attachments_dir / f"{attachment_id}.bin"

    # -- changing ------------------------------------------------------------------------

    def create_tickets(
        self,
        drafts: list[dict[str, Any]],
        finish: Callable[[dict[str, Any], int], dict[str, Any]],
        idempotency: tuple[str, str] | None = None,
        wrap: Callable[[list[dict[str, Any]]], Any] = lambda tickets: tickets,
    ) -> list[dict[str, Any]]:
        """Assign ids, finish and persist the tickets (and the idempotency record) together.

        `idempotency` is (key, fingerprint); the record stores `wrap(created)` as its body so a
        replay answers exactly what the first request got.
        """
        with self._lock:
            first_id = self._data.next_ticket_id
            created = [finish(draft, first_id + i) for i, draft in enumerate(drafts)]
            record: dict[str, Any] | None = None
            if idempotency is not None:
                key, fingerprint = idempotency
                record = {
                    "key": key,
                    "fingerprint": fingerprint,
                    "status": 200,
                    "body": wrap(created),
                    "created": utc_now(),
                }
            self._change(
                {
                    "op": "tickets",
                    "next_ticket_id": first_id + len(created),
                    "tickets": created,
                    "idempotency": record,
                }
            )
            return copy.deepcopy(created)

    def add_attachment(self, name: str, content_type: str, content: bytes) -> AttachmentRecord:
        """Store an uploaded file and its record."""
        with self._lock:
            attachment_id = self._data.next_attachment_id
            write_atomically(self.attachment_path(attachment_id), content)
            record = AttachmentRecord(
                id=attachment_id,
                name=name,
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                created=utc_now(),
            )
            self._change({"op": "attachment", "attachment": record.model_dump()})
            return record

    def clear_tickets(self) -> None:
        """Forget received tickets and idempotency records; ticket ids keep counting up."""
        with self._lock:
            self._replace(self._data.model_copy(update={"tickets": [], "idempotency": {}}))

    def reset(self) -> None:
        """Back to a freshly seeded tenant: no tickets, no files, ids restart at 1001."""
        with self._lock:
            # The sequence keeps counting, so the old journal can never be replayed onto this.
            self._replace(StoreData(journal_seq=self._data.journal_seq))
            shutil.rmtree(self.attachments_dir, ignore_errors=True)
            self.attachments_dir.mkdir(parents=True, exist_ok=True)

    def compact(self) -> None:
        """Fold the journal into the snapshot (at start and stop; cheap when it is empty)."""
        with self._lock:
            if self._journal.size or not self.path.exists():
                self._replace(self._data)

    def close(self) -> None:
        """Compact and let go of the journal; a later change opens it again."""
        with self._lock:
            self.compact()
            self._journal.close()

    # -- persistence ---------------------------------------------------------------------

    def _change(self, entry: dict[str, Any]) -> None:
        """Journal one change, then apply it in memory (a failed write changes nothing)."""
        entry = {"seq": self._data.journal_seq + 1, **entry}
        self._journal.append(entry)
        _apply(self._data, entry)
        if self._journal.size > max(COMPACT_MIN_BYTES, self._snapshot_bytes):
            self._replace(self._data)

    def _replace(self, data: StoreData) -> None:
        """Write `data` as the snapshot, then empty the journal it includes."""
        content = data.model_dump_json(indent=1).encode()
        write_atomically(self.path, content)
        self._data = data
        self._snapshot_bytes = len(content)
        self._journal.clear()

    def _load(self) -> StoreData:
        data = self._load_snapshot()
        if data is None:
            return StoreData()
        read = self._journal.read()
        applied = 0
        for entry in read.entries:
            if entry["seq"] <= data.journal_seq:
                continue  # already in the snapshot (a crash came before the journal was emptied)
            try:
                _apply(data, entry)
            except (KeyError, TypeError, ValueError):
                read.corrupt = True
                break
            applied += 1
        if read.corrupt:
            aside = self._move_aside(self._journal.path)
            logger.warning(
                "the sandbox journal %s has an unreadable line; kept the %d changes before it, moved the file to %s",
                self._journal.path,
                applied,
                aside,
            )
        elif read.torn:
            logger.info("dropped a half-written last line of %s", self._journal.path)
        return data

    def _load_snapshot(self) -> StoreData | None:
        """The snapshot; None when it was unreadable (moved aside with its journal)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return StoreData()
        try:
            data = StoreData.model_validate_json(raw)
        except ValidationError:
            # A sandbox must always start: keep the damaged files for inspection, begin afresh.
            # The journal only makes sense on top of its snapshot, so it goes aside too.
            aside = self._move_aside(self.path)
            if self._journal.path.exists():
                self._move_aside(self._journal.path)
            logger.warning("sandbox state %s is unreadable; moved to %s", self.path, aside)
            return None
        self._snapshot_bytes = len(raw)
        return data

    def _move_aside(self, path: Path) -> Path:
        aside = path.with_name(f"{path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")
        os.replace(path, aside)
        return aside


def _apply(data: StoreData, entry: dict[str, Any]) -> None:
    """Apply one journal entry to `data` in place (live, and when replaying at start).

    Everything is read and checked before anything changes: a bad entry changes nothing.
    """
    op, seq = entry["op"], int(entry["seq"])
    if op == "tickets":
        tickets, next_id = entry["tickets"], int(entry["next_ticket_id"])
        if not isinstance(tickets, list):
            raise ValueError("tickets must be a list")
        record: tuple[str, IdempotencyRecord] | None = None
        if entry["idempotency"] is not None:
            fields = dict(entry["idempotency"])
            key = str(fields.pop("key"))
            record = key, IdempotencyRecord.model_validate(fields)
        data.tickets.extend(tickets)
        data.next_ticket_id = next_id
        if record is not None:
            data.idempotency[record[0]] = record[1]
    elif op == "attachment":
        attachment = AttachmentRecord.model_validate(entry["attachment"])
        data.attachments[attachment.id] = attachment
        data.next_attachment_id = attachment.id + 1
    else:
        raise ValueError(f"unknown journal operation {op!r}")
    data.journal_seq = seq
