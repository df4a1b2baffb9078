"""Outcomes: one-line user messages, flags, JSON round trips."""

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
    outcome_from_json,
    outcome_to_json,
)
from desktop_app.core.dto import Ticket

EXAMPLES: list[Outcome] = [
    Accepted(tickets=[Ticket(id=7, subject="Printer jam", category={"id": 102})], sent_count=1),
    Accepted(tickets=[], sent_count=2),
    Rejected(messages=[ServerMessage(text="Required", ticket_index=0, field="subject")]),
    Rejected(),
    Forbidden(message="Unknown form"),
    NotFound(),
    UnsupportedVersion(api_version="9", message="not supported"),
    RateLimited(status=429, retry_after=2),
    RateLimited(status=503),
    ServerError(status=500, message="boom"),
    ServerError(status=504),
    Unexpected(status=302, message="a redirect to https://login"),
    NotSent(cause="refused", reason="nothing answers at 127.0.0.1:9 (connection refused)"),
    NotSent(cause="profile", reason="tenant 'x' is too short"),
    OutcomeUnknown(cause="read_timeout", reason="the server did not answer within 1 s"),
]


@pytest.mark.parametrize("outcome", EXAMPLES, ids=lambda o: o.kind)
def test_json_round_trip_keeps_everything(outcome: Outcome) -> None:
    text = outcome_to_json(outcome)
    again = outcome_from_json(text)
    assert again == outcome
    assert type(again) is type(outcome)
    assert f'"user_message":"{outcome.user_message}"' in text.replace("\\", "")


@pytest.mark.parametrize("outcome", EXAMPLES, ids=lambda o: o.kind)
def test_user_message_is_one_plain_line(outcome: Outcome) -> None:
    message = outcome.user_message
    assert "\n" not in message
    assert message.endswith(".")
    assert message[0].isupper()


def test_flags() -> None:
    flags = {
        type(o).__name__ + str(getattr(o, "status", "")): (
            o.delivered,
            o.retryable,
            o.may_have_arrived,
        )
        for o in EXAMPLES
    }
    assert flags["Accepted200"] == (True, False, True)
    assert flags["Rejected400"] == (False, False, False)
    assert flags["RateLimited429"] == (False, True, False)
    assert flags["ServerError500"] == (False, True, False)
    assert flags["ServerError504"] == (False, True, True)
    assert flags["OutcomeUnknownNone"] == (False, True, True)
    assert NotSent(cause="refused", reason="r").retryable
    assert not NotSent(cause="profile", reason="r").retryable
    assert not NotSent(cause="tls", reason="r").retryable


def test_accepted_matches_by_position_only_when_counts_agree() -> None:
    first, second = Ticket(id=1), Ticket(id=2)
    assert Accepted(tickets=[first, second], sent_count=2).matched == [first, second]
    assert Accepted(tickets=[first], sent_count=2).matched == [None, None]
    assert Accepted(tickets=[first, second], sent_count=2).ticket_ids == [1, 2]


def test_messages_say_what_to_do() -> None:
    assert RateLimited(status=429, retry_after=1.2).user_message == (
        "DeskHero is busy (429 Too Many Requests). Try again in 2 seconds."
    )
    assert RateLimited(status=503, retry_after=600).user_message.endswith("in 10 minutes.")
    assert "Check the base URL and tenant" in NotFound().user_message
    assert Accepted(tickets=[Ticket(id=7)], sent_count=1).user_message == (
        "DeskHero created ticket #7."
    )
    assert Rejected(
        messages=[
            ServerMessage(text="Required", ticket_index=0, field="subject"),
            ServerMessage(text="Bad"),
        ]
    ).user_message == (
        "DeskHero rejected the ticket: ticket 1, subject: Required (and 1 more problem). "
        "Correct the answers and send again."
    )
    assert (
        "may have arrived; check DeskHero before sending it again"
        in OutcomeUnknown(cause="dropped", reason="x").user_message
    )
