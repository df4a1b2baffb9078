"""Typed, Qt-free events of the delivery engine, published on the store's EventBus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop_app.core.events import Event
from desktop_app.outbox.messages import FieldMessage


@dataclass(frozen=True)
class SubmissionEvent(Event):
    """Something happened to one submission."""

    submission_id: str


@dataclass(frozen=True)
class Queued(SubmissionEvent):
    """A submission is waiting to be sent (new, sent again, or corrected)."""


@dataclass(frozen=True)
class Sending(SubmissionEvent):
    """The request for this submission is about to leave (its state is committed)."""

    profile: str
    attempt: int  # 1 for the first try
    batch_size: int = 1  # submissions travelling in the same request


@dataclass(frozen=True)
class Accepted(SubmissionEvent):
    """DeskHero created the ticket; `ticket_id` is None when it sent back no number."""

    profile: str
    ticket_id: int | None


@dataclass(frozen=True)
class Rejected(SubmissionEvent):
    """DeskHero refused the ticket (or it could not be sent as it is): the answers need fixing."""

    profile: str
    message: str
    messages: tuple[FieldMessage, ...] = ()


@dataclass(frozen=True)
class Failed(SubmissionEvent):
    """Not delivered for now; it is sent again by itself at `next_attempt_at`."""

    profile: str
    message: str
    next_attempt_at: datetime


@dataclass(frozen=True)
class Uncertain(SubmissionEvent):
    """The request may have arrived; the operator decides (arrived, send again, discard)."""

    profile: str
    message: str


@dataclass(frozen=True)
class Progress(Event):
    """Work since the engine was last idle: `done` outcomes, of `total`, `in_flight` now."""

    done: int
    total: int
    in_flight: int


@dataclass(frozen=True)
class ProfilePaused(Event):
    """Sending to a profile stopped (said once, when it stops); its queue waits for a resume."""

    name: str
    reason: str


@dataclass(frozen=True)
class ProfileResumed(Event):
    """Sending to a profile may go on."""

    name: str


OUTCOME_EVENTS = (Accepted, Rejected, Failed, Uncertain)
