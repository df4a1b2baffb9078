"""What a client outcome means for a submission: its next status, and what the engine does next."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.api.outcomes import (
    Accepted,
    Forbidden,
    NotFound,
    NotSent,
    Outcome,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    ServerError,
    Unexpected,
    UnsupportedVersion,
)
from desktop_app.store import Status

# Not-sent causes that will fail for every ticket of the profile until someone fixes it.
_PROFILE_NOT_SENT = frozenset({"profile", "tls"})
# Unexpected answers that mean the address is wrong for every ticket, not this one.
_PROFILE_STATUSES = frozenset({301, 302, 303, 307, 308, 401, 405})


@dataclass(frozen=True)
class Decision:
    """The status an attempt leads to, and the engine's follow-ups."""

    status: Status
    message: str
    # Stop the profile's queue with this reason (it would fail for every ticket).
    pause_reason: str | None = None
    # Seconds the server asked to wait (Retry-After): a lower bound for the next attempt.
    retry_after: float | None = None
    # The tenant could not be reached: watch it and retry as soon as it answers.
    unreachable: bool = False


def decide(outcome: Outcome) -> Decision:
    """Map an outcome to a decision; never retries what may already have created a ticket.

    A request that may have arrived is retried automatically only when the server said it
    knows the idempotency key (409): DeskHero may ignore the key, so anything else that may
    have arrived is left to the operator as uncertain.
    """
    message = outcome.user_message
    if isinstance(outcome, Accepted):
        return Decision(Status.ACCEPTED, outcome.summary.rstrip(".") + ".")
    if isinstance(outcome, Rejected):
        return Decision(Status.REJECTED, message)
    if isinstance(outcome, Forbidden | NotFound | UnsupportedVersion):
        return Decision(Status.REJECTED, message, pause_reason=message)
    if isinstance(outcome, RateLimited):
        return Decision(Status.FAILED, message, retry_after=outcome.retry_after)
    if isinstance(outcome, NotSent):
        if outcome.retryable:
            return Decision(Status.FAILED, message, unreachable=True)
        if outcome.cause in _PROFILE_NOT_SENT:
            # Not the ticket's fault: it waits (failed) until the profile is fixed and resumed.
            return Decision(Status.FAILED, message, pause_reason=message)
        return Decision(Status.REJECTED, message)
    if isinstance(outcome, OutcomeUnknown):
        return Decision(Status.UNCERTAIN, message)
    if isinstance(outcome, ServerError | Unexpected):
        if outcome.may_have_arrived and not (
            isinstance(outcome, Unexpected) and outcome.status == 409
        ):
            return Decision(Status.UNCERTAIN, message)
        if outcome.retryable:
            return Decision(Status.FAILED, message)
        if outcome.status in _PROFILE_STATUSES:
            return Decision(Status.REJECTED, message, pause_reason=message)
        return Decision(Status.REJECTED, message)
    # An outcome kind added later: never guess that it is safe to send again.
    return Decision(Status.UNCERTAIN, message)


def http_status(outcome: Outcome) -> int | None:
    """The HTTP status an outcome came with, if the server answered at all."""
    status = getattr(outcome, "status", None)
    return status if isinstance(status, int) else None
