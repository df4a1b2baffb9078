"""What one line of the outbox table holds, the filter over them, and how the rows are ordered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from desktop_app.store import Status, SubmissionRecord
from desktop_app.store.submissions import Order

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

STATUS_LABELS: dict[Status, str] = {
    Status.QUEUED: "Queued",
    Status.SENDING: "Sending",
    Status.ACCEPTED: "Accepted",
    Status.REJECTED: "Rejected",
    Status.FAILED: "Failed, will retry",
    Status.UNCERTAIN: "Uncertain",
    Status.CANCELLED: "Cancelled",
}


class Column(IntEnum):
    """The table's columns, in order."""

    STATUS = 0
    FORM = 1
    SUMMARY = 2
    PROFILE = 3
    TICKET = 4
    ATTEMPTS = 5
    MESSAGE = 6
    CREATED = 7
    UPDATED = 8


HEADERS: dict[Column, str] = {
    Column.STATUS: "Status",
    Column.FORM: "Form",
    Column.SUMMARY: "Summary",
    Column.PROFILE: "Profile",
    Column.TICKET: "Ticket",
    Column.ATTEMPTS: "Attempts",
    Column.MESSAGE: "Last message",
    Column.CREATED: "Created",
    Column.UPDATED: "Updated",
}

# The store orders by these columns only; sorting 100,000 rows by another column would mean
# loading them all, so the other headers do not sort (the view says so in their tooltip).
SORT_ORDERS: dict[Column, tuple[Order, Order]] = {  # (ascending, descending)
    Column.CREATED: ("created", "-created"),
    Column.UPDATED: ("updated", "-updated"),
}
DEFAULT_ORDER: Order = "-updated"
# A queued row with no due time is held: automatic sending was off when it was queued.
HELD_MESSAGE = "Waiting for Send now (automatic sending is off)."


def is_held(record: SubmissionRecord) -> bool:
    return record.status is Status.QUEUED and record.next_attempt_at is None


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


@dataclass(slots=True)
class OutboxRow:
    """The columns of one submission, formatted once so `data()` only looks them up."""

    id: str
    status: Status
    form_id: str
    summary: str
    profile: str
    ticket_id: int | None
    attempts: int
    last_message: str
    created: datetime
    updated: datetime
    created_text: str = field(init=False)
    updated_text: str = field(init=False)

    def __post_init__(self) -> None:
        self.created_text = local_time(self.created)
        self.updated_text = local_time(self.updated)

    @classmethod
    def from_record(cls, record: SubmissionRecord) -> OutboxRow:
        return cls(
            id=record.id,
            status=record.status,
            form_id=record.form_id,
            summary=" ".join(record.summary.split()),
            profile=record.profile,
            ticket_id=record.ticket_id,
            attempts=record.attempt_count,
            last_message=HELD_MESSAGE
            if is_held(record) and not record.last_message
            else " ".join((record.last_message or "").split()),
            created=record.created,
            updated=record.updated,
        )

    def sort_key(self, order: Order) -> tuple[int, str]:
        """The row's place in `order`, as the store's ORDER BY ranks it (ties by id)."""
        moment = self.created if order.endswith("created") else self.updated
        micros = _micros(moment)
        return (-micros if order.startswith("-") else micros, self.id)


@dataclass(frozen=True)
class OutboxFilter:
    """Which submissions the table lists; empty parts let everything through.

    Every part is asked of the store (`Store.submissions`): status, profile, form, and text
    (words in any order, each in the id, form id or title, summary, profile, ticket id or last
    message, ignoring case).
    """

    statuses: frozenset[Status] = frozenset()
    profile: str | None = None
    form_id: str | None = None
    text: str = ""

    @classmethod
    def of(
        cls,
        statuses: Iterable[Status] = (),
        profile: str | None = None,
        form_id: str | None = None,
        text: str = "",
    ) -> OutboxFilter:
        return cls(frozenset(statuses), profile or None, form_id or None, " ".join(text.split()))

    @property
    def store_statuses(self) -> list[Status] | None:
        """The statuses to ask the store for (None: all), in a stable order."""
        if not self.statuses or len(self.statuses) == len(Status):
            return None
        return [status for status in Status if status in self.statuses]

    @property
    def is_empty(self) -> bool:
        """Every submission passes."""
        return self.store_statuses is None and self == OutboxFilter(statuses=self.statuses)

    def status_accepts(self, status: str | None) -> bool:
        if status is None:
            return False
        return not self.statuses or Status(status) in self.statuses

    def matches_origin(self, row: OutboxRow) -> bool:
        """Profile and form: the parts a submission keeps whatever happens to it."""
        return (self.profile is None or row.profile == self.profile) and (
            self.form_id is None or row.form_id == self.form_id
        )

    def matches_without_text(self, row: OutboxRow) -> bool:
        """Status, profile and form (whether the text matches is the store's to say)."""
        return self.status_accepts(row.status) and self.matches_origin(row)
