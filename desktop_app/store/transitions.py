"""Submission state changes: each one committed (and then announced) before what it describes.

queued/failed --mark_sending--> sending --record_outcome--> accepted|rejected|failed|uncertain
queued/failed --cancel--> cancelled            sending --recover_interrupted--> uncertain
uncertain --resolve_arrived--> accepted        uncertain|rejected --resolve_resend--> queued
rejected --requeue_with_answers--> queued      uncertain|rejected|failed --resolve_discard--> cancelled
rejected|failed --queue_submission(replaces=)--> cancelled (discarded), with its corrected copy queued
queued (held: no due time) --retry_now / release_held--> queued, due now
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.core.events import Event, SubmissionChanged
from desktop_app.store._base import Attachments, to_json
from desktop_app.store.errors import InvalidTransition, NotFound, ProfilePaused, StoreError
from desktop_app.store.records import Resolution, Status, to_text
from desktop_app.store.submissions import SubmissionStore

INTERRUPTED_MESSAGE = "The app stopped while this ticket was being sent; it may have arrived."
INTERRUPTED_KIND = "interrupted"
OUTCOME_STATUSES = (Status.ACCEPTED, Status.REJECTED, Status.FAILED, Status.UNCERTAIN)
_SENDABLE = (Status.QUEUED, Status.FAILED)
# What a corrected copy may replace: never an uncertain one, which may have arrived.
REPLACEABLE = (Status.REJECTED, Status.FAILED)
REPLACED_MESSAGE = "Replaced by a corrected ticket (submission {short})."


@dataclass(frozen=True)
class OutcomeUpdate:
    """What one attempt came to; `record_outcomes` applies several in one transaction."""

    submission_id: str
    attempt_id: int
    status: Status
    outcome_kind: str
    duration_ms: int
    http_status: int | None = None
    message: str | None = None
    outcome_json: str | None = None
    ticket_id: int | None = None
    ticket_json: str | None = None
    # Per-ticket, per-field messages (any JSON value), kept so the operator can fix answers.
    messages: Any = None
    # Required for `failed`: when to try again (backoff, Retry-After).
    next_attempt_at: datetime | None = None


class TransitionStore(SubmissionStore):
    """The guarded state changes of submissions."""

    def mark_sending(self, submission_id: str) -> int:
        """queued/failed -> sending, committed before the request leaves; returns the attempt id."""
        return self.mark_sending_many([submission_id])[submission_id]

    def mark_sending_many(self, submission_ids: Sequence[str]) -> dict[str, int]:
        """`mark_sending` for a batch in one transaction (all or none); attempt id per submission."""
        with self._write() as (conn, events):
            return self._mark_sending_in(conn, events, submission_ids)

    def record_outcomes_and_mark_sending(
        self, updates: Sequence[OutcomeUpdate], submission_ids: Sequence[str]
    ) -> dict[str, int]:
        """`record_outcomes(updates)` and `mark_sending_many(submission_ids)` in one transaction.

        The engine's round: the answers that came in and the requests about to leave share one
        wait for the disk. All or none; the outcomes' events are published before the sends'.
        """
        for update in updates:
            _check_outcome(update)
        with self._write() as (conn, events):
            self._record_outcomes_in(conn, events, updates)
            return self._mark_sending_in(conn, events, submission_ids)

    def _mark_sending_in(
        self, conn: sqlite3.Connection, events: list[Event], submission_ids: Sequence[str]
    ) -> dict[str, int]:
        now = self._now()
        attempts: dict[str, int] = {}
        for submission_id in submission_ids:
            row = conn.execute(
                "SELECT p.name, p.paused_reason FROM submissions u"
                " LEFT JOIN profiles p ON p.name = u.profile WHERE u.id = ?",
                (submission_id,),
            ).fetchone()
            if row is not None and row["paused_reason"] is not None:
                raise ProfilePaused(row["name"], row["paused_reason"])
            self._change(
                conn,
                events,
                submission_id,
                "send",
                _SENDABLE,
                Status.SENDING,
                {"next_attempt_at": None, "attempt_count": _Increment()},
            )
            cursor = conn.execute(
                "INSERT INTO attempts (submission_id, started_at) VALUES (?, ?)",
                (submission_id, now),
            )
            attempts[submission_id] = int(cursor.lastrowid or 0)
        return attempts

    def record_outcome(
        self,
        submission_id: str,
        attempt_id: int,
        *,
        status: Status | str,
        http_status: int | None,
        outcome_kind: str,
        message: str | None,
        outcome_json: str | None,
        duration_ms: int,
        ticket_id: int | None = None,
        ticket_json: str | None = None,
        messages: Any = None,
        next_attempt_at: datetime | None = None,
    ) -> None:
        """sending -> accepted | rejected | failed | uncertain, with the attempt's details."""
        self.record_outcomes(
            [
                OutcomeUpdate(
                    submission_id=submission_id,
                    attempt_id=attempt_id,
                    status=Status(status),
                    outcome_kind=outcome_kind,
                    duration_ms=duration_ms,
                    http_status=http_status,
                    message=message,
                    outcome_json=outcome_json,
                    ticket_id=ticket_id,
                    ticket_json=ticket_json,
                    messages=messages,
                    next_attempt_at=next_attempt_at,
                )
            ]
        )

    def record_outcomes(self, updates: Sequence[OutcomeUpdate]) -> None:
        """Several outcomes (e.g. of one batch request) in one transaction, all or none."""
        for update in updates:
            _check_outcome(update)
        with self._write() as (conn, events):
            self._record_outcomes_in(conn, events, updates)

    def _record_outcomes_in(
        self, conn: sqlite3.Connection, events: list[Event], updates: Sequence[OutcomeUpdate]
    ) -> None:
        for update in updates:
            changes: dict[str, Any] = {
                "last_message": update.message,
                "messages_json": None
                if update.messages is None
                else to_json(update.messages, "server messages"),
                "next_attempt_at": None
                if update.next_attempt_at is None
                else to_text(update.next_attempt_at),
            }
            if update.status is Status.ACCEPTED:
                changes["ticket_id"] = update.ticket_id
                changes["ticket_json"] = update.ticket_json
            # The status guard first: a wrong call is an InvalidTransition, not an attempt error.
            self._change(
                conn,
                events,
                update.submission_id,
                "record an outcome for",
                (Status.SENDING,),
                update.status,
                changes,
            )
            cursor = conn.execute(
                "UPDATE attempts SET duration_ms = ?, http_status = ?, outcome_kind = ?,"
                " message = ?, outcome_json = ? WHERE id = ? AND submission_id = ?"
                " AND outcome_kind IS NULL",
                (
                    update.duration_ms,
                    update.http_status,
                    update.outcome_kind,
                    update.message,
                    update.outcome_json,
                    update.attempt_id,
                    update.submission_id,
                ),
            )
            if cursor.rowcount != 1:
                raise StoreError(
                    f"Attempt {update.attempt_id} of submission {update.submission_id} is not"
                    " in flight; its outcome cannot be recorded."
                )

    def cancel(self, submission_id: str) -> None:
        """queued/failed -> cancelled: the operator withdraws it before it is sent."""
        with self._write() as (conn, events):
            self._change(
                conn,
                events,
                submission_id,
                "cancel",
                _SENDABLE,
                Status.CANCELLED,
                {"next_attempt_at": None},
            )

    def recover_interrupted(self) -> list[str]:
        """Every `sending` left by a stopped app -> uncertain (never re-sent by itself)."""
        with self._write() as (conn, events):
            ids = [
                row[0]
                for row in conn.execute("SELECT id FROM submissions WHERE status = 'sending'")
            ]
            for submission_id in ids:
                conn.execute(
                    "UPDATE attempts SET outcome_kind = ?, message = ?"
                    " WHERE submission_id = ? AND outcome_kind IS NULL",
                    (INTERRUPTED_KIND, INTERRUPTED_MESSAGE, submission_id),
                )
                self._change(
                    conn,
                    events,
                    submission_id,
                    "recover",
                    (Status.SENDING,),
                    Status.UNCERTAIN,
                    {"last_message": INTERRUPTED_MESSAGE},
                )
        return ids

    def resolve_arrived(self, submission_id: str, ticket_id: int) -> None:
        """uncertain -> accepted: the operator found the ticket in DeskHero."""
        if isinstance(ticket_id, bool) or not isinstance(ticket_id, int) or ticket_id < 1:
            raise ValueError("the ticket id must be a positive whole number")
        with self._write() as (conn, events):
            self._change(
                conn,
                events,
                submission_id,
                "mark as arrived",
                (Status.UNCERTAIN,),
                Status.ACCEPTED,
                {
                    "ticket_id": ticket_id,
                    "resolution": Resolution.ARRIVED.value,
                    "last_message": f"The operator confirmed it arrived as ticket #{ticket_id}.",
                },
            )

    def resolve_resend(self, submission_id: str) -> None:
        """uncertain/rejected -> queued: send again (with the same idempotency key)."""
        with self._write() as (conn, events):
            self._change(
                conn,
                events,
                submission_id,
                "send again",
                (Status.UNCERTAIN, Status.REJECTED),
                Status.QUEUED,
                self._requeued(),
            )

    def requeue_with_answers(
        self,
        submission_id: str,
        answers: Mapping[str, Any],
        *,
        attachments: Attachments | None = None,
        summary: str | None = None,
    ) -> None:
        """rejected -> queued with corrected answers (same form version, same idempotency key).

        `attachments` replaces the submission's files; None keeps them.
        """
        record = self.submission(submission_id)
        form = record.form
        answers_json = to_json(dict(answers), "answers")
        if summary is None:
            summary = self._summaries.summary(record.snapshot_hash, form, answers)
        if attachments is not None:
            self._check_attachments(form, attachments)
        with self._write() as (conn, events):
            changes = self._requeued()
            changes.update(answers_json=answers_json, summary=summary)
            self._change(
                conn,
                events,
                submission_id,
                "correct and resend",
                (Status.REJECTED,),
                Status.QUEUED,
                changes,
            )
            if attachments is not None:
                self._replace_links(
                    conn, "submission_attachments", "submission_id", submission_id, attachments
                )

    def resolve_discard(self, submission_id: str) -> None:
        """uncertain/rejected/failed -> cancelled: the operator gives it up."""
        with self._write() as (conn, events):
            self._change(
                conn,
                events,
                submission_id,
                "discard",
                (Status.UNCERTAIN, Status.REJECTED, Status.FAILED),
                Status.CANCELLED,
                {"resolution": Resolution.DISCARDED.value, "next_attempt_at": None},
            )

    def retry_now(self, submission_ids: Iterable[str]) -> list[str]:
        """Failed and held queued submissions become due now (other queued ones already are).

        All or none; returns the ids changed.
        """
        now = self._now()
        changed: list[str] = []
        with self._write() as (conn, events):
            for submission_id in submission_ids:
                previous = self._status(conn, submission_id)
                if previous is Status.QUEUED:
                    if self._release_in(conn, events, submission_id, now):
                        changed.append(submission_id)
                    continue
                self._change(
                    conn,
                    events,
                    submission_id,
                    "retry",
                    _SENDABLE,
                    Status.FAILED,
                    {"next_attempt_at": now},
                )
                changed.append(submission_id)
        return changed

    def retry_all_now(self, profile: str | None = None) -> list[str]:
        """Every failed submission (of a profile) due now, e.g. when the tenant is reachable again."""
        extra, params = ("AND profile = ?", (profile,)) if profile is not None else ("", ())
        ids = [
            row[0]
            for row in self._conn.execute(
                f"SELECT id FROM submissions WHERE status = 'failed' {extra}", params
            )
        ]
        return self.retry_now(ids)

    def release_held(self, profile: str | None = None) -> list[str]:
        """Every held queued submission (of a profile) due now, e.g. when autosend is turned on."""
        extra, params = ("AND profile = ?", (profile,)) if profile is not None else ("", ())
        now = self._now()
        with self._write() as (conn, events):
            ids = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM submissions WHERE status = 'queued'"
                    f" AND next_attempt_at IS NULL {extra} ORDER BY queued_at, id",
                    params,
                )
            ]
            for submission_id in ids:
                self._release_in(conn, events, submission_id, now)
        return ids

    def _release_in(
        self, conn: sqlite3.Connection, events: list[Event], submission_id: str, now: str
    ) -> bool:
        """Make one held queued submission due now; False when it was not held."""
        cursor = conn.execute(
            "UPDATE submissions SET next_attempt_at = ?, updated = ?"
            " WHERE id = ? AND status = 'queued' AND next_attempt_at IS NULL",
            (now, now, submission_id),
        )
        if cursor.rowcount != 1:
            return False
        events.append(SubmissionChanged(submission_id, Status.QUEUED.value, Status.QUEUED.value))
        return True

    def _replace_in(
        self, conn: sqlite3.Connection, events: list[Event], original: str, replacement: str
    ) -> None:
        self._change(
            conn,
            events,
            original,
            "replace",
            REPLACEABLE,
            Status.CANCELLED,
            {
                "resolution": Resolution.DISCARDED.value,
                "next_attempt_at": None,
                # The server's messages stay: the detail pane still shows what was wrong.
                "last_message": REPLACED_MESSAGE.format(short=replacement[:8]),
            },
        )

    def _requeued(self) -> dict[str, Any]:
        return {
            "resolution": Resolution.RESENT.value,
            "next_attempt_at": self._now(),
            "last_message": None,
            "messages_json": None,
        }

    def _status(self, conn: sqlite3.Connection, submission_id: str) -> Status:
        row = conn.execute(
            "SELECT status FROM submissions WHERE id = ?", (submission_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no submission {submission_id}.")
        return Status(row[0])

    def _change(
        self,
        conn: sqlite3.Connection,
        events: list[Event],
        submission_id: str,
        action: str,
        allowed: Sequence[Status],
        status: Status,
        changes: Mapping[str, Any],
    ) -> None:
        previous = self._status(conn, submission_id)
        if previous not in allowed:
            raise InvalidTransition(
                submission_id, previous.value, action, [s.value for s in allowed]
            )
        # Column names come from this module, never from input; values are parameters.
        sets = ["status = ?", "updated = ?"]
        params: list[Any] = [status.value, self._now()]
        for column, value in changes.items():
            if isinstance(value, _Increment):
                sets.append(f"{column} = {column} + 1")
            else:
                sets.append(f"{column} = ?")
                params.append(value)
        guard = ", ".join("?" for _ in allowed)
        cursor = conn.execute(
            f"UPDATE submissions SET {', '.join(sets)} WHERE id = ? AND status IN ({guard})",
            (*params, submission_id, *(s.value for s in allowed)),
        )
        if cursor.rowcount != 1:  # the guard is the source of truth, even if a check above erred
            raise InvalidTransition(
                submission_id, previous.value, action, [s.value for s in allowed]
            )
        events.append(SubmissionChanged(submission_id, status.value, previous.value))


class _Increment:
    """Marks a counter column to be incremented in SQL."""


def _check_outcome(update: OutcomeUpdate) -> None:
    if update.status not in OUTCOME_STATUSES:
        raise ValueError(
            f"an attempt ends accepted, rejected, failed or uncertain, not {update.status.value}"
        )
    if update.status is Status.FAILED and update.next_attempt_at is None:
        raise ValueError("a failed submission needs next_attempt_at: when to try again")
    if update.status is not Status.FAILED and update.next_attempt_at is not None:
        raise ValueError(
            f"only failed submissions are retried; {update.status.value} takes no next_attempt_at"
        )
