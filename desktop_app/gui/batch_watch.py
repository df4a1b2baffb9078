"""What the tray tells: batches finished and tickets needing attention, coalesced (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core.events import Event, SubmissionChanged
from desktop_app.outbox import ProfilePaused, ProfileResumed
from desktop_app.store import Status

# Tickets the engine is working on: while any is left, the batch goes on.
ACTIVE_STATUSES = frozenset({Status.QUEUED.value, Status.SENDING.value})
OUTCOME_STATUSES = frozenset(
    {Status.ACCEPTED.value, Status.REJECTED.value, Status.UNCERTAIN.value, Status.FAILED.value}
)
# A burst of events (a batch's rejections) is told in one notification, this long after it starts.
SETTLE_SECONDS = 1.0
# Never two notifications closer than this: the rest waits and is summarised in the next one.
MIN_INTERVAL_SECONDS = 5.0


@dataclass
class BatchSummary:
    """The outcomes of one batch: tickets that left queued/sending since the outbox was idle."""

    accepted: int = 0
    rejected: int = 0
    uncertain: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.accepted + self.rejected + self.uncertain + self.failed

    @property
    def needs_attention(self) -> bool:
        return bool(self.rejected or self.uncertain)

    def count(self, status: str) -> None:
        if status == Status.ACCEPTED.value:
            self.accepted += 1
        elif status == Status.REJECTED.value:
            self.rejected += 1
        elif status == Status.UNCERTAIN.value:
            self.uncertain += 1
        elif status == Status.FAILED.value:
            self.failed += 1

    def add(self, other: BatchSummary) -> None:
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.uncertain += other.uncertain
        self.failed += other.failed

    def text(self) -> str:
        """E.g. "12 tickets sent: 11 accepted, 1 rejected"."""
        parts = [
            f"{number} {what}"
            for number, what in (
                (self.accepted, "accepted"),
                (self.rejected, "rejected"),
                (self.uncertain, "uncertain"),
                (self.failed, "to be retried"),
            )
            if number
        ]
        return f"{_tickets(self.total)} sent: {', '.join(parts)}"


class BatchWatcher:
    """Follows SubmissionChanged events; `feed` returns a batch's summary when it finishes.

    A batch starts when a ticket becomes queued or sending while none was, and finishes when
    none is left queued or sending (failed tickets wait for their retry outside the batch).
    `active` is how many are queued or sending when the watching starts (from the store).
    """

    def __init__(self, active: int = 0) -> None:
        self.active = max(0, active)
        self.summary = BatchSummary()

    def feed(self, event: SubmissionChanged) -> BatchSummary | None:
        was_active = event.previous_status in ACTIVE_STATUSES
        is_active = event.status in ACTIVE_STATUSES
        if event.status == event.previous_status or was_active == is_active:
            return None  # details only, or queued <-> sending: the batch goes on
        if is_active:
            self.active += 1
            return None
        self.active = max(0, self.active - 1)
        if event.status in OUTCOME_STATUSES:
            self.summary.count(event.status)
        if self.active > 0:
            return None
        finished, self.summary = self.summary, BatchSummary()
        return finished if finished.total else None  # all cancelled: nothing was sent


@dataclass(frozen=True)
class Notice:
    """One notification: a title, a message, and whether it asks the operator to act."""

    title: str
    message: str
    warning: bool


@dataclass
class _Pending:
    batch: BatchSummary | None = None
    rejected: int = 0
    uncertain: int = 0
    paused: dict[str, str] = field(default_factory=dict)  # profile -> reason

    def __bool__(self) -> bool:
        return bool(self.batch or self.rejected or self.uncertain or self.paused)


class TrayNotices:
    """Turns the engine's events into at most one notice every `min_interval` seconds.

    `feed(event, now)` takes every bridge event and returns the time (in the same clock as
    `now`) at which `take(now)` will have a notice, or None when there is nothing to tell.
    The notice summarises all that happened since the last one: finished batches, tickets
    rejected or turned uncertain, profiles paused.
    """

    def __init__(
        self,
        active: int = 0,
        *,
        settle: float = SETTLE_SECONDS,
        min_interval: float = MIN_INTERVAL_SECONDS,
    ) -> None:
        self.watcher = BatchWatcher(active)
        self.settle = settle
        self.min_interval = min_interval
        self._pending = _Pending()
        self._first_at: float | None = None
        self._shown_at: float | None = None

    def feed(self, event: Event, now: float) -> float | None:
        if isinstance(event, SubmissionChanged):
            self._on_submission_changed(event)
        elif isinstance(event, ProfilePaused):
            self._pending.paused[event.name] = event.reason
        elif isinstance(event, ProfileResumed):
            self._pending.paused.pop(event.name, None)  # resumed before we said it: old news
        if not self._pending:
            self._first_at = None
            return None
        if self._first_at is None:
            self._first_at = now
        return self.due_at()

    def due_at(self) -> float | None:
        if self._first_at is None:
            return None
        due = self._first_at + self.settle
        if self._shown_at is not None:
            due = max(due, self._shown_at + self.min_interval)
        return due

    def take(self, now: float) -> Notice | None:
        """The notice due at `now` (then forgotten), or None when none is due yet."""
        due = self.due_at()
        if due is None or now < due:
            return None
        notice = compose(self._pending)
        self._pending = _Pending()
        self._first_at = None
        self._shown_at = now
        return notice

    def _on_submission_changed(self, event: SubmissionChanged) -> None:
        if event.status != event.previous_status:
            if event.status == Status.REJECTED.value:
                self._pending.rejected += 1
            elif event.status == Status.UNCERTAIN.value:
                self._pending.uncertain += 1
        finished = self.watcher.feed(event)
        if finished is not None:
            if self._pending.batch is None:
                self._pending.batch = finished
            else:
                self._pending.batch.add(finished)


def compose(pending: _Pending) -> Notice:
    """The title and message for everything pending (a batch's outcomes name its rejections)."""
    lines: list[str] = []
    batch = pending.batch
    rejected, uncertain = pending.rejected, pending.uncertain
    if batch is not None:
        lines.append(f"{batch.text()}.")
        # The batch's rejected and uncertain tickets are already in its line.
        rejected = max(0, rejected - batch.rejected)
        uncertain = max(0, uncertain - batch.uncertain)
    attention = [
        f"{number} {what}"
        for number, what in ((rejected, "rejected"), (uncertain, "uncertain"))
        if number
    ]
    if attention:
        count = rejected + uncertain
        lines.append(f"{_tickets(count)} {_need(count)} attention: {', '.join(attention)}.")
    for name, reason in pending.paused.items():
        lines.append(f"Sending with profile '{name}' stopped: {reason.rstrip('.')}.")
    to_fix = pending.rejected + pending.uncertain
    if batch is not None:
        to_fix = max(to_fix, batch.rejected + batch.uncertain)
    if to_fix:
        lines.append("Open Outbox & results to fix or resolve them.")
    warning = bool(to_fix or pending.paused)
    if batch is not None and not warning:
        title = "Tickets sent"
    elif batch is not None:
        title = "Tickets sent; some need attention"
    else:
        title = "DeskForms needs attention"
    return Notice(title, "\n".join(lines), warning)


def tray_tooltip(unsent: int) -> str:
    return f"DeskForms — {unsent} unsent"


def _tickets(number: int) -> str:
    return f"{number} ticket" if number == 1 else f"{number} tickets"


def _need(number: int) -> str:
    return "needs" if number == 1 else "need"
