"""Submissions in the store: queueing a filled form, and the queries lists and the engine need."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from desktop_app.core.events import DraftDeleted, Event, SubmissionChanged
from desktop_app.core.form.model import Form
from desktop_app.store._base import Attachments, StoreBase, to_json
from desktop_app.store.errors import NotFound
from desktop_app.store.records import (
    AttemptRecord,
    Resolution,
    Status,
    SubmissionRecord,
    from_text,
    optional_time,
    to_text,
)

Order = Literal["-updated", "updated", "-created", "created"]
_ORDER_BY: dict[str, str] = {
    "-updated": "u.updated DESC, u.id",
    "updated": "u.updated, u.id",
    "-created": "u.created DESC, u.id",
    "created": "u.created, u.id",
}
_COLUMNS = "u.*, s.form_id, s.form_version"
_FROM = "FROM submissions u JOIN form_snapshots s ON s.hash = u.snapshot"
# Ids per query in the by-id lookups (well under SQLite's limit on parameters).
_CHUNK = 500
# At most this many text matches are looked up by rowid and sorted; more are tested row by row.
_FEW_MATCHES = 500
# Statuses the engine picks up when they are due.
DUE_STATUSES = (Status.QUEUED, Status.FAILED)


class SubmissionStore(StoreBase):
    """Queueing and reading submissions; their state changes live in `transitions`.

    `hold_new` (off by default; the desktop app sets it while its "send automatically"
    setting is off): new submissions are queued *held*, with no due time, so the engine
    leaves them until `retry_now` or `release_held` makes them due.
    """

    hold_new: bool = False

    def queue_submission(
        self,
        form: Form,
        answers: Mapping[str, Any],
        profile_name: str,
        *,
        draft_id: str | None = None,
        attachments: Attachments | None = None,
        summary: str | None = None,
        replaces: str | None = None,
    ) -> str:
        """Queue a filled form for a profile; returns its new id (UUID4, the idempotency key).

        The form is snapshotted as it is now. With `draft_id`, the draft is deleted in the same
        transaction and, unless `attachments` is given, its files go with the submission; a
        draft that no longer exists (already queued, e.g. by a double click) raises NotFound.
        `replaces` (or, when None, the submission the draft `replaces`) is a rejected or failed
        submission this one corrects: it is cancelled in the same transaction, so the two are
        never both waiting to be sent (InvalidTransition, and nothing queued, when it can no
        longer be replaced). With `hold_new` set the submission waits for `retry_now`.
        """
        # Always serialize afresh: the submission must carry the form exactly as it is now.
        snapshot = self._snapshots.refresh(form)
        answers_json = to_json(dict(answers), "answers")
        if summary is None:
            summary = self._summaries.summary(snapshot.hash, form, answers)
        submission_id = str(uuid.uuid4())
        now = self._now()
        with self._write() as (conn, events):
            if (
                conn.execute("SELECT 1 FROM profiles WHERE name = ?", (profile_name,)).fetchone()
                is None
            ):
                raise NotFound(f"There is no tenant profile named '{profile_name}'; add it first.")
            if draft_id is not None:
                draft = conn.execute(
                    "SELECT replaces FROM drafts WHERE id = ?", (draft_id,)
                ).fetchone()
                if draft is None:
                    raise NotFound(
                        f"Draft {draft_id} no longer exists: it was already queued or deleted."
                    )
                replaces = replaces or draft["replaces"]
                if attachments is None:
                    links = self._links("draft_attachments", "draft_id", draft_id)
                    attachments = self._links_as_files(links)
            if attachments:
                self._check_attachments(form, attachments)
            if replaces is not None:
                self._replace_in(conn, events, replaces, submission_id)
            self._ensure_snapshot(conn, snapshot)
            self._insert_submission(
                conn,
                submission_id,
                profile_name,
                snapshot.hash,
                answers_json,
                summary,
                now,
                due=None if self.hold_new else now,
                draft_id=draft_id,
                attachments=attachments,
            )
            events.append(SubmissionChanged(submission_id, Status.QUEUED.value, None))
            if draft_id is not None:
                conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
                events.append(DraftDeleted(draft_id))
        self._snapshot_committed(snapshot)
        return submission_id

    def queue_submissions(
        self,
        form: Form,
        answers_list: Sequence[Mapping[str, Any]],
        profile_name: str,
        *,
        attachments: Sequence[Attachments | None] | None = None,
        summaries: Sequence[str | None] | None = None,
    ) -> list[str]:
        """`queue_submission` for many filled copies of one form: one transaction, all or none.

        The form is snapshotted once and every submission gets one commit's worth of the disk's
        time instead of one commit each (1000 tickets: ~0.1 s instead of ~0.8 s). `attachments`
        and `summaries`, when given, hold one entry per answers mapping. Returns the new ids in
        the order of `answers_list`.
        """
        count = len(answers_list)
        if attachments is not None and len(attachments) != count:
            raise ValueError("give one attachments entry per answers mapping")
        if summaries is not None and len(summaries) != count:
            raise ValueError("give one summary per answers mapping")
        snapshot = self._snapshots.refresh(form)
        rows: list[tuple[str, str, str, Attachments | None]] = []
        for index, answers in enumerate(answers_list):
            answers_json = to_json(dict(answers), "answers")
            summary = summaries[index] if summaries is not None else None
            if summary is None:
                summary = self._summaries.summary(snapshot.hash, form, answers)
            files = attachments[index] if attachments is not None else None
            if files:
                self._check_attachments(form, files)
            rows.append((str(uuid.uuid4()), answers_json, summary, files))
        moment = self._clock()
        due = None if self.hold_new else to_text(moment)
        with self._write() as (conn, events):
            if (
                conn.execute("SELECT 1 FROM profiles WHERE name = ?", (profile_name,)).fetchone()
                is None
            ):
                raise NotFound(f"There is no tenant profile named '{profile_name}'; add it first.")
            self._ensure_snapshot(conn, snapshot)
            for index, (submission_id, answers_json, summary, files) in enumerate(rows):
                # A microsecond apart, so they are sent (and listed) in the order given.
                self._insert_submission(
                    conn,
                    submission_id,
                    profile_name,
                    snapshot.hash,
                    answers_json,
                    summary,
                    to_text(moment + timedelta(microseconds=index)),
                    due=due,
                    attachments=files,
                )
                events.append(SubmissionChanged(submission_id, Status.QUEUED.value, None))
        self._snapshot_committed(snapshot)
        return [row[0] for row in rows]

    def _insert_submission(
        self,
        conn: sqlite3.Connection,
        submission_id: str,
        profile_name: str,
        snapshot_hash: str,
        answers_json: str,
        summary: str,
        now: str,
        *,
        due: str | None,
        draft_id: str | None = None,
        attachments: Attachments | None = None,
    ) -> None:
        conn.execute(
            "INSERT INTO submissions (id, profile, snapshot, answers_json, draft_id, summary,"
            " status, created, updated, queued_at, next_attempt_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                submission_id,
                profile_name,
                snapshot_hash,
                answers_json,
                draft_id,
                summary,
                Status.QUEUED.value,
                now,
                now,
                now,
                due,
            ),
        )
        if attachments:
            self._replace_links(
                conn, "submission_attachments", "submission_id", submission_id, attachments
            )

    def submission(self, submission_id: str) -> SubmissionRecord:
        """The submission with this id; NotFound when there is none."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} {_FROM} WHERE u.id = ?", (submission_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no submission {submission_id}.")
        return self._record(row)

    def submissions_by_id(self, submission_ids: Sequence[str]) -> list[SubmissionRecord]:
        """The submissions with these ids, in that order (a few queries, not one per id);
        NotFound when one is missing."""
        found: dict[str, SubmissionRecord] = {}
        for start in range(0, len(submission_ids), _CHUNK):
            chunk = list(submission_ids[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} {_FROM} WHERE u.id IN ({marks})", chunk
            ).fetchall()
            found.update((row["id"], self._record(row)) for row in rows)
        missing = [i for i in submission_ids if i not in found]
        if missing:
            raise NotFound(f"There is no submission {missing[0]}.")
        return [found[i] for i in submission_ids]

    def submission_states(self, submission_ids: Sequence[str]) -> dict[str, tuple[Status, str]]:
        """Status and profile of each of these submissions (those that exist), cheaply."""
        states: dict[str, tuple[Status, str]] = {}
        for start in range(0, len(submission_ids), _CHUNK):
            chunk = list(submission_ids[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            for row in self._conn.execute(
                f"SELECT id, status, profile FROM submissions WHERE id IN ({marks})", chunk
            ):
                states[row[0]] = (Status(row[1]), row[2])
        return states

    def submissions(
        self,
        status: Status | Sequence[Status] | None = None,
        profile: str | None = None,
        limit: int = 100,
        offset: int = 0,
        order: Order = "-updated",
        *,
        form_id: str | None = None,
        text: str = "",
        after: tuple[datetime, str] | None = None,
    ) -> list[SubmissionRecord]:
        """A page of submissions, filtered by status(es), profile, form and text.

        `text` is words in any order, each found (case-insensitively) in the submission's
        id, form id or title, summary, profile, ticket id ("#1042" or "1042") or last message.
        `after` is the (created or updated time, id) of the last row of the previous page:
        the page starts right after it in `order` (keyset paging: page 500 costs what page 1
        does, where an offset makes SQLite step over every row before it).
        """
        rare = self._rare_matches(text)
        where, params = _filters(status, profile, form_id, text, walk_order=True, rare=rare)
        if after is not None:
            column = "u.created" if order.endswith("created") else "u.updated"
            sign = "<" if order.startswith("-") else ">"
            moment = to_text(after[0])
            where += " AND " if where else "WHERE "
            # Written so the range is on the time alone: the time's index serves it.
            where += f"{column} {sign}= ? AND ({column} {sign} ? OR u.id > ?)"
            params = (*params, moment, moment, after[1])
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} {_FROM} {where} ORDER BY {_ORDER_BY[order]} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        return [self._record(row) for row in rows]

    def submission_count(
        self,
        status: Status | Sequence[Status] | None = None,
        profile: str | None = None,
        *,
        form_id: str | None = None,
        text: str = "",
    ) -> int:
        """How many submissions `submissions` would list with these filters."""
        if status is None and profile is None and form_id is None and text.split():
            # Text alone: count in the narrow search table, not the submissions.
            where, words = _text_filter(text)
            sql, params = f"SELECT COUNT(*) FROM submission_search WHERE {where}", tuple(words)
        else:
            rare = self._rare_matches(text)
            where, params = _filters(status, profile, form_id, text, rare=rare)
            sql = f"SELECT COUNT(*) FROM submissions u {where}"
        return int(self._conn.execute(sql, params).fetchone()[0])

    def matching_submission_ids(
        self,
        submission_ids: Sequence[str],
        status: Status | Sequence[Status] | None = None,
        profile: str | None = None,
        *,
        form_id: str | None = None,
        text: str = "",
    ) -> set[str]:
        """Which of these submissions `submissions` would list with these filters."""
        where, params = _filters(status, profile, form_id, text)
        found: set[str] = set()
        for start in range(0, len(submission_ids), _CHUNK):
            chunk = list(submission_ids[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            clause = f"u.id IN ({marks})"
            sql = f"SELECT u.id FROM submissions u {where} {'AND' if where else 'WHERE'} {clause}"
            found.update(row[0] for row in self._conn.execute(sql, (*params, *chunk)))
        return found

    def submission_forms(self) -> list[tuple[str, str]]:
        """(form id, title) of every form with submissions, by title; the newest version's title."""
        rows = self._conn.execute(
            "SELECT s.form_id, json_extract(s.form_json, '$.title') FROM form_snapshots s"
            " WHERE EXISTS (SELECT 1 FROM submissions u WHERE u.snapshot = s.hash)"
            " ORDER BY s.form_id, s.form_version, s.created"
        ).fetchall()
        titles = {row[0]: str(row[1] or row[0]) for row in rows}  # the last one wins
        return sorted(titles.items(), key=lambda item: (item[1].casefold(), item[0]))

    def _rare_matches(self, text: str) -> list[int] | None:
        """The rowids of the submissions the text matches, when they are few; else None.

        A few matches are looked up by rowid (a page of a rare word deep in 100,000 rows: one
        scan of the search table, ~15 ms, where testing row after row walks them all, ~35 ms);
        many are tested row by row along the page's index, which stops at the page's end (~1 ms).
        """
        if not text.split():
            return None
        where, words = _text_filter(text)
        rows = self._conn.execute(
            f"SELECT submission_rowid FROM submission_search WHERE {where} LIMIT ?",
            (*words, _FEW_MATCHES + 1),
        ).fetchall()
        return None if len(rows) > _FEW_MATCHES else [row[0] for row in rows]

    def count_by_status(self, profile: str | None = None) -> dict[Status, int]:
        """How many submissions are in each status (every status present, zeros included)."""
        where, params = _filters(None, profile)
        counts = dict.fromkeys(Status, 0)
        for row in self._conn.execute(
            f"SELECT status, COUNT(*) FROM submissions u {where} GROUP BY status", params
        ):
            counts[Status(row[0])] = int(row[1])
        return counts

    def due_submissions(
        self, now: datetime | None = None, profile: str | None = None, limit: int = 100
    ) -> list[SubmissionRecord]:
        """Queued or failed submissions due by `now`, oldest first; paused profiles are skipped."""
        moment = to_text(now) if now is not None else self._now()
        extra, params = ("AND u.profile = ?", (profile,)) if profile is not None else ("", ())
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} {_FROM} JOIN profiles p ON p.name = u.profile"
            " WHERE u.status IN ('queued', 'failed') AND u.next_attempt_at <= ?"
            f" AND p.paused_reason IS NULL {extra} ORDER BY u.queued_at, u.id LIMIT ?",
            (moment, *params, limit),
        ).fetchall()
        return [self._record(row) for row in rows]

    def due_count(self, now: datetime | None = None, profile: str | None = None) -> int:
        """How many queued or failed submissions of running profiles are due by `now`."""
        moment = to_text(now) if now is not None else self._now()
        extra, params = ("AND u.profile = ?", (profile,)) if profile is not None else ("", ())
        row = self._conn.execute(
            "SELECT COUNT(*) FROM submissions u JOIN profiles p ON p.name = u.profile"
            " WHERE u.status IN ('queued', 'failed') AND u.next_attempt_at <= ?"
            f" AND p.paused_reason IS NULL {extra}",
            (moment, *params),
        ).fetchone()
        return int(row[0])

    def submission_ids_starting_with(self, prefix: str, limit: int = 2) -> list[str]:
        """Ids that start with `prefix` (e.g. the 8 characters a list shows), at most `limit`."""
        # Escape LIKE's wildcards: a prefix is literal text, never a pattern.
        pattern = _escape_like(prefix) + "%"
        rows = self._conn.execute(
            "SELECT id FROM submissions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            (pattern, limit),
        ).fetchall()
        return [row[0] for row in rows]

    def next_due_at(self, profile: str | None = None) -> datetime | None:
        """When the next queued or failed submission of a running profile falls due."""
        extra, params = ("AND u.profile = ?", (profile,)) if profile is not None else ("", ())
        row = self._conn.execute(
            "SELECT MIN(u.next_attempt_at) FROM submissions u JOIN profiles p ON p.name = u.profile"
            f" WHERE u.status IN ('queued', 'failed') AND p.paused_reason IS NULL {extra}",
            params,
        ).fetchone()
        return optional_time(row[0])

    def attempts(self, submission_id: str) -> list[AttemptRecord]:
        """Every attempt at sending a submission, first to last."""
        rows = self._conn.execute(
            "SELECT * FROM attempts WHERE submission_id = ? ORDER BY id", (submission_id,)
        ).fetchall()
        return [
            AttemptRecord(
                id=row["id"],
                submission_id=row["submission_id"],
                started_at=from_text(row["started_at"]),
                duration_ms=row["duration_ms"],
                http_status=row["http_status"],
                outcome_kind=row["outcome_kind"],
                message=row["message"],
                outcome_json=row["outcome_json"],
            )
            for row in rows
        ]

    def held_count(self, profile: str | None = None) -> int:
        """How many queued submissions are held until someone presses Send now."""
        extra, params = ("AND profile = ?", (profile,)) if profile is not None else ("", ())
        row = self._conn.execute(
            "SELECT COUNT(*) FROM submissions WHERE status = 'queued'"
            f" AND next_attempt_at IS NULL {extra}",
            params,
        ).fetchone()
        return int(row[0])

    def _replace_in(
        self, conn: sqlite3.Connection, events: list[Event], original: str, replacement: str
    ) -> None:
        """Cancel `original` as replaced by `replacement`, in the caller's transaction."""
        raise NotImplementedError  # a state change: `TransitionStore` does it

    def _record(self, row: sqlite3.Row) -> SubmissionRecord:
        messages = row["messages_json"]
        return SubmissionRecord(
            id=row["id"],
            profile=row["profile"],
            form_id=row["form_id"],
            form_version=row["form_version"],
            snapshot_hash=row["snapshot"],
            answers=json.loads(row["answers_json"]),
            draft_id=row["draft_id"],
            summary=row["summary"],
            status=Status(row["status"]),
            resolution=None if row["resolution"] is None else Resolution(row["resolution"]),
            created=from_text(row["created"]),
            updated=from_text(row["updated"]),
            queued_at=from_text(row["queued_at"]),
            next_attempt_at=optional_time(row["next_attempt_at"]),
            attempt_count=row["attempt_count"],
            ticket_id=row["ticket_id"],
            ticket_json=row["ticket_json"],
            messages=None if messages is None else json.loads(messages),
            last_message=row["last_message"],
            attachments=self._links("submission_attachments", "submission_id", row["id"]),
            _load_form=self._load_form,
        )


def _filters(
    status: Status | Sequence[Status] | None,
    profile: str | None,
    form_id: str | None = None,
    text: str = "",
    *,
    walk_order: bool = False,
    rare: Sequence[int] | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause; `walk_order`: for a page, where SQLite should walk the order's index.

    The text is tested on each row's entry in the search table, or, given `rare` (the rowids
    of all its matches, when they are few), the matches are looked up by rowid.

    A page walks the created/updated index and tests each row (`+` keeps SQLite from using
    the profile, form or status index instead, which would sort every matching row for each
    page: 25,000 rows of a profile, 150 ms a page). One status keeps its (status, updated) index.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if status is not None:
        statuses = [Status(status)] if isinstance(status, str) else [Status(s) for s in status]
        plus = "+" if walk_order and len(statuses) > 1 else ""
        clauses.append(f"{plus}u.status IN ({', '.join('?' for _ in statuses)})")
        params.extend(s.value for s in statuses)
    plus = "+" if walk_order else ""
    if profile is not None:
        clauses.append(f"{plus}u.profile = ?")
        params.append(profile)
    if form_id is not None:
        clauses.append(f"{plus}u.snapshot IN (SELECT hash FROM form_snapshots WHERE form_id = ?)")
        params.append(form_id)
    if text.split():
        # Both by rowid, which every index holds: the row itself is never read for the test.
        if rare is not None:
            clauses.append("u.rowid IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(rare)))
        else:
            where, words = _text_filter(text)
            clauses.append(
                "EXISTS (SELECT 1 FROM submission_search h"
                f" WHERE h.submission_rowid = u.rowid AND {where})"
            )
            params.extend(words)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_filter(text: str) -> tuple[str, list[str]]:
    """The search table's WHERE for these words: each found, case-folded, in its haystack.

    The haystack is stored folded by `str.casefold` (migration 6), so a word folded the same
    way matches whatever its case, beyond ASCII too; it is literal text, never a pattern.
    """
    words = ["%" + _escape_like(word.casefold()) + "%" for word in text.split()]
    return " AND ".join("haystack LIKE ? ESCAPE '\\'" for _ in words), words
