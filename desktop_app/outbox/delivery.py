"""One request for one submission or a batch, and what its outcome makes of each submission."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from desktop_app.api.client import DeskHeroClient
from desktop_app.api.messages import ServerMessage
from desktop_app.api.outcomes import Accepted, Outcome, Rejected, outcome_to_json
from desktop_app.core.dto import Ticket
from desktop_app.core.events import Event
from desktop_app.outbox import events as ev
from desktop_app.outbox.backoff import Backoff
from desktop_app.outbox.decide import decide, http_status
from desktop_app.outbox.messages import FieldMessage, as_json, for_submission
from desktop_app.outbox.preparation import Item, NotReady, UploadFailed
from desktop_app.store import OutcomeUpdate, Status

Clock = Callable[[], datetime]
SPLIT_NAMED = (
    "Sent again on its own: DeskHero rejected other tickets of the same request, not this one."
)
SPLIT_UNNAMED = (
    "Sent again on its own: DeskHero rejected the request without saying which ticket was wrong."
)


@dataclass
class Report:
    """What to record for the submissions of one request, and the engine's follow-ups."""

    updates: list[OutcomeUpdate] = field(default_factory=list)
    # One per update: what to announce once it is committed (None: nothing).
    events: list[Event | None] = field(default_factory=list)
    pause_reason: str | None = None
    unreachable: bool = False
    # Submissions to send again at once, each in a request of its own (a batch was split).
    solo: list[str] = field(default_factory=list)


def idempotency_key(items: Sequence[Item]) -> str:
    """The submission id; for a batch, a key derived from its members (the same batch, the same key)."""
    if len(items) == 1:
        return items[0].id
    digest = hashlib.sha256("\n".join(sorted(item.id for item in items)).encode()).hexdigest()
    return f"batch-{digest[:48]}"


async def send(
    client: DeskHeroClient, profile: str, items: Sequence[Item], clock: Clock, backoff: Backoff
) -> Report:
    """POST the items' tickets as one request and report per submission."""
    tickets = [ticket for item in items for ticket in item.tickets]
    form_key = items[0].record.form.target.form
    started = time.monotonic()
    outcome = await client.submit(tickets, form_key, idempotency_key=idempotency_key(items))
    duration = int((time.monotonic() - started) * 1000)
    return report_for(outcome, profile, items, duration, clock(), backoff)


def report_for(
    outcome: Outcome,
    profile: str,
    items: Sequence[Item],
    duration_ms: int,
    now: datetime,
    backoff: Backoff,
) -> Report:
    """What the outcome of one request means for each of its submissions."""
    report = Report()
    ranges = _ticket_ranges(items)
    if isinstance(outcome, Rejected) and len(items) > 1:
        return _split_rejection(outcome, profile, items, ranges, duration_ms, now, backoff)
    for item, (first, count) in zip(items, ranges, strict=True):
        own = _own_outcome(outcome, first, count) if len(items) > 1 else outcome
        _add(report, own, profile, item, duration_ms, now, backoff, first_ticket=first)
    decision = decide(outcome)
    report.pause_reason = decision.pause_reason
    report.unreachable = decision.unreachable
    return report


def refused(
    profile: str, item: Item, problem: NotReady, duration_ms: int = 0
) -> tuple[OutcomeUpdate, Event]:
    """A submission rejected before anything left: it cannot be sent as it is."""
    update = OutcomeUpdate(
        submission_id=item.id,
        attempt_id=item.attempt_id,
        status=Status.REJECTED,
        outcome_kind="not_sent",
        duration_ms=duration_ms,
        message=problem.message,
        messages=as_json(problem.messages),
    )
    return update, ev.Rejected(item.id, profile, problem.message, problem.messages)


def upload_failed(
    profile: str,
    item: Item,
    failure: UploadFailed,
    duration_ms: int,
    now: datetime,
    backoff: Backoff,
) -> Report:
    """An upload step that failed: the ticket was not sent; decide as for the ticket itself."""
    report = Report()
    _add(report, failure.outcome, profile, item, duration_ms, now, backoff, message=failure.message)
    decision = decide(failure.outcome)
    report.pause_reason = decision.pause_reason
    report.unreachable = decision.unreachable
    if report.updates and report.updates[0].status is Status.UNCERTAIN:
        # An upload that may have arrived created at most a stray file, never a ticket:
        # uploading again is safe, so it is retried instead of asking the operator.
        update = report.updates[0]
        later = now + timedelta(seconds=backoff.delay(item.attempt))
        report.updates[0] = _replace_status(update, Status.FAILED, later)
        report.events[0] = ev.Failed(item.id, profile, update.message or "", later)
    return report


def local_failure(
    profile: str, item: Item, problem: NotReady, now: datetime, backoff: Backoff
) -> Report:
    """Trouble on this machine before anything left: try again after the usual backoff."""
    later = now + timedelta(seconds=backoff.delay(item.attempt))
    text = f"{problem.message.rstrip('.')}; it is tried again later."
    update = OutcomeUpdate(
        submission_id=item.id,
        attempt_id=item.attempt_id,
        status=Status.FAILED,
        outcome_kind="not_sent",
        duration_ms=0,
        message=text,
        next_attempt_at=later,
    )
    return Report(updates=[update], events=[ev.Failed(item.id, profile, text, later)])


def _ticket_ranges(items: Sequence[Item]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    first = 0
    for item in items:
        ranges.append((first, len(item.tickets)))
        first += len(item.tickets)
    return ranges


def _own_outcome(outcome: Outcome, first: int, count: int) -> Outcome:
    """The part of a batch outcome that concerns one submission's tickets."""
    if isinstance(outcome, Accepted):
        matched = outcome.matched[first : first + count]
        return Accepted(
            status=outcome.status,
            tickets=[ticket for ticket in matched if ticket is not None],
            sent_count=count,
        )
    return outcome


def _add(
    report: Report,
    outcome: Outcome,
    profile: str,
    item: Item,
    duration_ms: int,
    now: datetime,
    backoff: Backoff,
    *,
    first_ticket: int = 0,
    message: str | None = None,
) -> None:
    decision = decide(outcome)
    text = message or decision.message
    ticket: Ticket | None = None
    messages: tuple[FieldMessage, ...] = ()
    later: datetime | None = None
    event: Event
    if decision.status is Status.ACCEPTED:
        matched = outcome.matched if isinstance(outcome, Accepted) else []
        ticket = matched[0] if matched else None
        if ticket is None or ticket.id is None:
            text = "DeskHero accepted the ticket but sent back no ticket number."
        event = ev.Accepted(item.id, profile, ticket.id if ticket is not None else None)
    elif decision.status is Status.REJECTED:
        server: list[ServerMessage] = list(getattr(outcome, "messages", []))
        count = len(item.tickets) or 1
        messages = tuple(for_submission(item.record.form, server, first_ticket, count))
        event = ev.Rejected(item.id, profile, text, messages)
    elif decision.status is Status.FAILED:
        later = now + timedelta(seconds=backoff.delay(item.attempt, decision.retry_after))
        event = ev.Failed(item.id, profile, text, later)
    else:
        event = ev.Uncertain(item.id, profile, text)
    report.updates.append(
        OutcomeUpdate(
            submission_id=item.id,
            attempt_id=item.attempt_id,
            status=decision.status,
            outcome_kind=outcome.kind,
            duration_ms=duration_ms,
            http_status=http_status(outcome),
            message=text,
            outcome_json=outcome_to_json(outcome),
            ticket_id=ticket.id if ticket is not None else None,
            ticket_json=None if ticket is None else ticket.model_dump_json(exclude_none=True),
            messages=as_json(messages),
            next_attempt_at=later,
        )
    )
    report.events.append(event)


def _split_rejection(
    outcome: Rejected,
    profile: str,
    items: Sequence[Item],
    ranges: list[tuple[int, int]],
    duration_ms: int,
    now: datetime,
    backoff: Backoff,
) -> Report:
    """A batch rejection: the tickets it names are rejected, the others go again on their own."""
    report = Report()
    general = [message for message in outcome.messages if message.ticket_index is None]
    named = {message.ticket_index for message in outcome.messages} - {None}
    for item, (first, count) in zip(items, ranges, strict=True):
        mine = [
            message
            for message in outcome.messages
            if message.ticket_index is not None and first <= message.ticket_index < first + count
        ]
        if mine:
            own = Rejected(status=outcome.status, messages=[*mine, *general])
            _add(report, own, profile, item, duration_ms, now, backoff, first_ticket=first)
            continue
        # The request as a whole was refused, so nothing of it was created: sending this
        # ticket again on its own cannot duplicate it.
        report.updates.append(
            OutcomeUpdate(
                submission_id=item.id,
                attempt_id=item.attempt_id,
                status=Status.FAILED,
                outcome_kind=outcome.kind,
                duration_ms=duration_ms,
                http_status=outcome.status,
                message=SPLIT_NAMED if named else SPLIT_UNNAMED,
                outcome_json=outcome_to_json(outcome),
                next_attempt_at=now,
            )
        )
        report.events.append(None)  # not news: it is on its way again at once
        report.solo.append(item.id)
    return report


def _replace_status(update: OutcomeUpdate, status: Status, later: datetime) -> OutcomeUpdate:
    return replace(update, status=status, next_attempt_at=later)


__all__ = ["FieldMessage", "Report", "idempotency_key", "refused", "report_for", "send"]
