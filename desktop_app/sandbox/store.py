"""The sandbox's persisted state: tickets, uploaded files and idempotency records in one JSON file."""

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

logger = logging.getLogger(__name__)

FIRST_TICKET_ID = 1001
FIRST_ATTACHMENT_ID = 1
STATE_FILE = "sandbox.json"


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
    """Everything the sandbox persists."""

    format_version: int = 1
    next_ticket_id: int = FIRST_TICKET_ID
    next_attachment_id: int = FIRST_ATTACHMENT_ID
    tickets: list[dict[str, Any]] = Field(default_factory=list)
    attachments: dict[int, AttachmentRecord] = Field(default_factory=dict)
    idempotency: dict[str, IdempotencyRecord] = Field(default_factory=dict)


class SandboxStore:
    """Thread-safe access to the persisted state; every change is written before it is visible.

    Each change builds the next state, writes it (tmp file + os.replace, so a crash leaves the
    old or the new file, never half of one) and only then swaps it in.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / STATE_FILE
        self.attachments_dir = data_dir / "attachments"
        self.attachments_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._data = self._load()

    # -- reading -------------------------------------------------------------------------

    def tickets(self) -> list[dict[str, Any]]:
        """A copy of every received ticket, oldest first."""
        with self._lock:
            return copy.deepcopy(self._data.tickets)

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
            records = dict(self._data.idempotency)
            if idempotency is not None:
                key, fingerprint = idempotency
                records[key] = IdempotencyRecord(
                    fingerprint=fingerprint, status=200, body=wrap(created), created=utc_now()
                )
            self._commit(
                self._data.model_copy(
                    update={
                        "next_ticket_id": first_id + len(created),
                        "tickets": [*self._data.tickets, *created],
                        "idempotency": records,
                    }
                )
            )
            return copy.deepcopy(created)

    def add_attachment(self, name: str, content_type: str, content: bytes) -> AttachmentRecord:
        """Store an uploaded file and its record."""
        with self._lock:
            attachment_id = self._data.next_attachment_id
            _write_atomically(self.attachment_path(attachment_id), content)
            record = AttachmentRecord(
                id=attachment_id,
                name=name,
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                created=utc_now(),
            )
            self._commit(
                self._data.model_copy(
                    update={
                        "next_attachment_id": attachment_id + 1,
                        "attachments": {**self._data.attachments, attachment_id: record},
                    }
                )
            )
            return record

    def clear_tickets(self) -> None:
        """Forget received tickets and idempotency records; ticket ids keep counting up."""
        with self._lock:
            self._commit(self._data.model_copy(update={"tickets": [], "idempotency": {}}))

    def reset(self) -> None:
        """Back to a freshly seeded tenant: no tickets, no files, ids restart at 1001."""
        with self._lock:
            self._commit(StoreData())
            shutil.rmtree(self.attachments_dir, ignore_errors=True)
            self.attachments_dir.mkdir(parents=True, exist_ok=True)

    # -- persistence ---------------------------------------------------------------------

    def _commit(self, data: StoreData) -> None:
        _write_atomically(self.path, data.model_dump_json(indent=1).encode())
        self._data = data

    def _load(self) -> StoreData:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return StoreData()
        try:
            return StoreData.model_validate_json(raw)
        except ValidationError:
            # A sandbox must always start: keep the damaged file for inspection, begin afresh.
            aside = self.path.with_name(f"{STATE_FILE}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%S}")
            os.replace(self.path, aside)
            logger.warning("sandbox state %s is unreadable; moved to %s", self.path, aside)
            return StoreData()


def _write_atomically(path: Path, content: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    # No fsync: the sandbox guards against a crash mid-write, not against power loss.
    tmp.write_bytes(content)
    os.replace(tmp, path)
