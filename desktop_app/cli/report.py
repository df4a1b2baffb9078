"""What the command line prints: per-ticket results, engine events as lines, a progress bar."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from desktop_app.cli.errors import EXIT_NOT_DELIVERED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from desktop_app.core.events import Event
from desktop_app.outbox import (
    Accepted,
    Failed,
    ProfilePaused,
    ProfileResumed,
    Progress,
    Queued,
    Rejected,
    Sending,
    Uncertain,
    stored_messages,
)
from desktop_app.store import Status, SubmissionRecord

STILL_SENDING = (
    "still being sent when the wait ended; it may have arrived: the next start marks it"
    " uncertain for you to check"
)


@dataclass
class Result:
    """One ticket's result; `answers` names the file for `submit`, `id` the submission."""

    status: str
    id: str | None = None
    answers: str | None = None
    ticket_id: int | None = None
    messages: list[str] = field(default_factory=list)
    sent: bool = True  # False when the answers never left this machine (not even queued)

    def to_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {} if self.answers is None else {"answers": self.answers}
        row.update(id=self.id, status=self.status, ticket_id=self.ticket_id)
        row["messages"] = self.messages
        return row

    @property
    def label(self) -> str:
        return self.answers if self.answers is not None else short(self.id or "")


def short(submission_id: str) -> str:
    """The first 8 characters: unique enough to type back (`outbox retry 1a2b3c4d`)."""
    return submission_id[:8]


def result_of(
    record: SubmissionRecord, paused: Mapping[str, str], answers: str | None = None
) -> Result:
    """The CLI vocabulary for a submission: accepted|rejected|uncertain|queued|cancelled."""
    status = record.status
    messages = [record.last_message] if record.last_message else []
    result = Result(status.value, id=record.id, answers=answers, messages=messages)
    if status is Status.ACCEPTED:
        result.ticket_id = record.ticket_id
        result.messages = []
    elif status is Status.REJECTED:
        for message in stored_messages(record.messages):
            if message.located() not in result.messages:
                result.messages.append(message.located())
    elif status in (Status.QUEUED, Status.FAILED):
        # Failed means "will be retried": to the user it is still in the queue.
        result.status = "queued"
        reason = paused.get(record.profile)
        if reason:
            result.messages.append(
                f"waiting: sending to '{record.profile}' is paused ({reason.rstrip('.')}); "
                f"deskforms profiles resume {record.profile} once it is fixed"
            )
    elif status is Status.SENDING:
        result.status = "uncertain"
        result.messages.append(STILL_SENDING)
    return result


def exit_code(results: list[Result]) -> int:
    """The documented exit code: 1 usage/validation, then 3 not delivered, then 2 rejected."""
    if any(not result.sent and result.status != "accepted" for result in results):
        return EXIT_USAGE
    if any(result.status in ("failed", "uncertain", "queued") for result in results):
        return EXIT_NOT_DELIVERED
    if any(result.status == "rejected" for result in results):
        return EXIT_REJECTED
    return EXIT_OK


def print_results(results: list[Result], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps([result.to_json() for result in results], indent=2))
        return
    for result in results:
        if result.status == "accepted":
            print(f"{result.label}: accepted, ticket #{result.ticket_id}")
            continue
        stream = sys.stdout if result.sent else sys.stderr
        what = result.status if result.sent else "not sent (invalid)"
        if result.status == "queued" and result.id and not result.messages:
            what += f" (id {short(result.id)})"
        print(f"{result.label}: {what}", file=stream)
        for message in result.messages:
            print(f"  - {message}", file=stream)


def event_line(event: Event, now: datetime | None = None) -> str | None:
    """One line for an engine event (None for those not worth a line)."""
    if isinstance(event, Queued):
        return f"queued     {short(event.submission_id)}"
    if isinstance(event, Sending):
        extra = f" (attempt {event.attempt})" if event.attempt > 1 else ""
        batch = f" in a batch of {event.batch_size}" if event.batch_size > 1 else ""
        return f"sending    {short(event.submission_id)} to {event.profile}{batch}{extra}"
    if isinstance(event, Accepted):
        number = f"ticket #{event.ticket_id}" if event.ticket_id else "no ticket number"
        return f"accepted   {short(event.submission_id)} {number}"
    if isinstance(event, Rejected):
        return f"rejected   {short(event.submission_id)} {event.message}"
    if isinstance(event, Failed):
        wait = (event.next_attempt_at - (now or datetime.now(UTC))).total_seconds()
        when = f"next try in {max(0, round(wait))} s"
        return f"failed     {short(event.submission_id)} {event.message} ({when})"
    if isinstance(event, Uncertain):
        return f"uncertain  {short(event.submission_id)} {event.message}"
    if isinstance(event, ProfilePaused):
        return f"paused     profile '{event.name}': {event.reason}"
    if isinstance(event, ProfileResumed):
        return f"resumed    profile '{event.name}'"
    return None


class EventPrinter:
    """Prints engine events on `stream` (stderr), with an optional progress bar below them.

    On a terminal the bar is one line redrawn with a carriage return; elsewhere it prints a
    plain line now and then (every tenth of the work, and at the end).
    """

    WIDTH = 30

    def __init__(self, stream: TextIO, *, progress: bool = False) -> None:
        self.stream = stream
        self.progress = progress
        self.tty = stream.isatty()
        self._bar = ""
        self._last_step = -1
        self._last_text = ""

    def __call__(self, event: Event) -> None:
        if isinstance(event, Progress):
            if self.progress:
                self._progress(event)
            return
        line = event_line(event)
        if line is not None:
            self._clear()
            print(line, file=self.stream)
            self._redraw()

    def close(self) -> None:
        if self._bar and self.tty:
            print(file=self.stream)
        self._bar = ""

    def _progress(self, event: Progress) -> None:
        text = f"{event.done}/{event.total} done, {event.in_flight} in flight"
        if self.tty:
            filled = self.WIDTH * event.done // max(1, event.total)
            self._bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {text}"
            self._redraw()
            return
        step = 10 * event.done // max(1, event.total)
        finished = event.done == event.total and text != self._last_text
        if step != self._last_step or finished:
            self._last_step, self._last_text = step, text
            print(f"progress   {text}", file=self.stream)

    def _clear(self) -> None:
        if self._bar and self.tty:
            self.stream.write("\r" + " " * len(self._bar) + "\r")

    def _redraw(self) -> None:
        if self._bar and self.tty:
            self.stream.write("\r" + self._bar)
            self.stream.flush()
