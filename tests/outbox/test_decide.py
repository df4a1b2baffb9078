"""How each client outcome maps to a submission status and the engine's follow-ups."""

from __future__ import annotations

import pytest

from desktop_app.api.messages import ServerMessage
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
from desktop_app.core.dto import Ticket
from desktop_app.outbox.decide import decide, http_status
from desktop_app.store import Status

A, R, F, U = Status.ACCEPTED, Status.REJECTED, Status.FAILED, Status.UNCERTAIN


@pytest.mark.parametrize(
    ("outcome", "status", "pauses", "unreachable"),
    [
        (Accepted(tickets=[Ticket(id=5)], sent_count=1), A, False, False),
        (
            Rejected(messages=[ServerMessage(text="bad", ticket_index=0, field="x")]),
            R,
            False,
            False,
        ),
        (Forbidden(), R, True, False),
        (NotFound(), R, True, False),
        (UnsupportedVersion(api_version="7"), R, True, False),
        (RateLimited(status=429, retry_after=12), F, False, False),
        (RateLimited(status=503), F, False, False),
        (ServerError(status=500), F, False, False),
        (ServerError(status=502), U, False, False),  # the gateway may have passed it on
        (ServerError(status=504), U, False, False),
        (Unexpected(status=408), F, False, False),
        (Unexpected(status=409), F, False, False),  # the server knows the key: safe to resend
        (Unexpected(status=413), R, False, False),
        (Unexpected(status=302), R, True, False),
        (Unexpected(status=401), R, True, False),
        (NotSent(cause="refused", reason="x"), F, False, True),
        (NotSent(cause="dns", reason="x"), F, False, True),
        (NotSent(cause="tls", reason="x"), F, True, False),
        (NotSent(cause="profile", reason="x"), F, True, False),
        (NotSent(cause="attachment_not_uploaded", reason="x"), R, False, False),
        (OutcomeUnknown(cause="read_timeout", reason="x"), U, False, False),
        (OutcomeUnknown(cause="dropped", reason="x"), U, False, False),
    ],
)
def test_outcome_decisions(
    outcome: Outcome, status: Status, pauses: bool, unreachable: bool
) -> None:
    decision = decide(outcome)
    assert decision.status is status
    assert (decision.pause_reason is not None) is pauses
    assert decision.unreachable is unreachable
    assert decision.message and "\n" not in decision.message


def test_retry_after_and_http_status_are_carried() -> None:
    limited = RateLimited(status=429, retry_after=12)
    assert decide(limited).retry_after == 12
    assert http_status(limited) == 429
    assert http_status(NotSent(cause="refused", reason="x")) is None


def test_anything_that_may_have_arrived_is_never_failed() -> None:
    """The rule behind 'nothing sent twice': only the operator resends what may exist."""
    may_arrive: list[Outcome] = [
        ServerError(status=502),
        ServerError(status=504),
        OutcomeUnknown(cause="transport", reason="x"),
    ]
    assert all(decide(outcome).status is U for outcome in may_arrive)
