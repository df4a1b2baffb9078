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
    search_text: str = field(init=False)

    def __post_init__(self) -> None:
        self.created_text = local_time(self.created)
        self.updated_text = local_time(self.updated)
        ticket = "" if self.ticket_id is None else f"#{self.ticket_id} {self.ticket_id}"
        self.search_text = " ".join(
            (self.id, self.form_id, self.summary, self.profile, ticket, self.last_message)
        ).casefold()

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

    Status and profile are asked of the store. The store has no query by form or by text,
    so those two are applied to the pages as they are read (`matches_locally`).
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
        return cls(frozenset(statuses), profile or None, form_id or None, text.strip())

    @property
    def store_statuses(self) -> list[Status] | None:
        """The statuses to ask the store for (None: all), in a stable order."""
        if not self.statuses or len(self.statuses) == len(Status):
            return None
        return [status for status in Status if status in self.statuses]

    @property
    def filters_locally(self) -> bool:
        return self.form_id is not None or bool(self.text)

    def status_accepts(self, status: str | None) -> bool:
        if status is None:
            return False
        return not self.statuses or Status(status) in self.statuses

    def matches_in_store(self, row: OutboxRow) -> bool:
        """The part the store's query decides: status and profile."""
        return self.status_accepts(row.status) and (
            self.profile is None or row.profile == self.profile
        )

    def matches_locally(self, row: OutboxRow) -> bool:
        """The part applied to pages once read: form and text (words in any order)."""
        if self.form_id is not None and row.form_id != self.form_id:
            return False
        return all(word in row.search_text for word in self.text.casefold().split())
