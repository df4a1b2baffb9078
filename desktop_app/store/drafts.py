"""Drafts in the store: autosaved answers to an exact form version, cheap enough per keystroke."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from desktop_app.core.events import DraftDeleted, DraftSaved
from desktop_app.core.form.model import Form
from desktop_app.store._base import Attachments, StoreBase, to_json
from desktop_app.store.errors import NotFound
from desktop_app.store.records import DraftRecord, from_text, to_text

_COLUMNS = (
    "d.id, d.snapshot, d.answers_json, d.summary, d.created, d.updated, d.replaces,"
    " s.form_id, s.form_version"
)
_FROM = "FROM drafts d JOIN form_snapshots s ON s.hash = d.snapshot"


class DraftStore(StoreBase):
    """Drafts: `save_draft`, `draft`, `drafts`, `draft_count`, `delete_draft`."""

    def save_draft(
        self,
        form: Form,
        answers: Mapping[str, Any],
        *,
        draft_id: str | None = None,
        attachments: Attachments | None = None,
        summary: str | None = None,
        replaces: str | None = None,
    ) -> str:
        """Create or update a draft and return its id (a new UUID4 when `draft_id` is None).

        `attachments` (field key -> stored files, in order) replaces the draft's files; None
        keeps them. `summary` defaults to the subject the answers would give. `replaces` names
        the submission the draft corrects (None keeps what the draft names): queueing the
        draft then replaces that submission. The form is serialized once per Form object:
        pass a new object (model_copy) after editing a form.
        """
        snapshot = self._snapshots.get(form)
        answers_json = to_json(dict(answers), "draft's answers")
        if summary is None:
            summary = self._summaries.summary(snapshot.hash, form, answers)
        if attachments is not None:
            self._check_attachments(form, attachments)
        draft_id = draft_id or str(uuid.uuid4())
        now = self._now()
        with self._write() as (conn, events):
            self._ensure_snapshot(conn, snapshot)
            conn.execute(
                "INSERT INTO drafts (id, snapshot, answers_json, summary, created, updated,"
                " replaces) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " snapshot = excluded.snapshot, answers_json = excluded.answers_json,"
                " summary = excluded.summary, updated = excluded.updated,"
                " replaces = COALESCE(excluded.replaces, drafts.replaces)",
                (draft_id, snapshot.hash, answers_json, summary, now, now, replaces),
            )
            if attachments is not None:
                self._replace_links(conn, "draft_attachments", "draft_id", draft_id, attachments)
            events.append(DraftSaved(draft_id))
        self._snapshot_committed(snapshot)
        return draft_id

    def draft(self, draft_id: str) -> DraftRecord:
        """The draft with this id; NotFound when it was deleted or queued."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} {_FROM} WHERE d.id = ?", (draft_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"Draft {draft_id} no longer exists; it was sent or deleted.")
        return self._draft(row)

    def drafts(
        self,
        limit: int = 100,
        offset: int = 0,
        *,
        oldest_first: bool = False,
        updated_since: datetime | None = None,
    ) -> list[DraftRecord]:
        """Drafts, most recently edited first (or least recently, with `oldest_first`).

        `updated_since` keeps only drafts edited after that moment (e.g. since a session began).
        """
        where, params = _since(updated_since)
        direction = "ASC" if oldest_first else "DESC"
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} {_FROM}{where} ORDER BY d.updated {direction}, d.id"
            " LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        return [self._draft(row) for row in rows]

    def draft_replacing(self, submission_id: str) -> str | None:
        """The newest draft that corrects this submission, if any (one copy per submission)."""
        row = self._conn.execute(
            "SELECT id FROM drafts WHERE replaces = ? ORDER BY updated DESC, id LIMIT 1",
            (submission_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    def draft_count(self, *, updated_since: datetime | None = None) -> int:
        """How many drafts there are (edited after `updated_since`, when given)."""
        where, params = _since(updated_since)
        query = f"SELECT COUNT(*) FROM drafts d{where}"
        return int(self._conn.execute(query, params).fetchone()[0])

    def delete_draft(self, draft_id: str) -> None:
        """Delete a draft (its stored files stay: submissions may share them)."""
        with self._write() as (conn, events):
            if conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,)).rowcount == 0:
                raise NotFound(f"Draft {draft_id} no longer exists.")
            events.append(DraftDeleted(draft_id))

    def _draft(self, row: sqlite3.Row) -> DraftRecord:
        return DraftRecord(
            id=row["id"],
            form_id=row["form_id"],
            form_version=row["form_version"],
            snapshot_hash=row["snapshot"],
            answers=json.loads(row["answers_json"]),
            summary=row["summary"],
            created=from_text(row["created"]),
            updated=from_text(row["updated"]),
            attachments=self._links("draft_attachments", "draft_id", row["id"]),
            _load_form=self._load_form,
            replaces=row["replaces"],
        )


def _since(moment: datetime | None) -> tuple[str, tuple[str, ...]]:
    # Timestamps are fixed-width UTC text, so a text comparison is a time comparison.
    return ("", ()) if moment is None else (" WHERE d.updated > ?", (to_text(moment),))
