"""Error keys mapped to (ticket index, field), and message members of every shape."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.api.messages import ServerMessage, messages_from, parse_error_path
from tests.api.strategies import json_values


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("[0].subject", (0, "subject")),
        ("[12].requester.email", (12, "requester.email")),
        ("tickets_input[0].requester.email", (0, "requester.email")),
        ("TicketsInput[3].subject", (3, "subject")),
        ("$[1].sys_tags[0].id", (1, "sys_tags[0].id")),
        ("$.tickets_input[2].category", (2, "category")),
        ("$", (None, None)),
        ("tickets_input", (None, None)),
        ("", (None, None)),
        ("[4]", (4, None)),
        ("$[4]", (4, None)),
        ("subject", (None, "subject")),
        ("sys_tags[0].id", (None, "sys_tags[0].id")),
        ("tickets_input_extra[0].x", (None, "tickets_input_extra[0].x")),
    ],
)
def test_parse_error_path(key: str, expected: tuple[int | None, str | None]) -> None:
    assert parse_error_path(key) == expected


@given(st.text())
def test_parse_error_path_never_raises(key: str) -> None:
    index, field = parse_error_path(key)
    assert index is None or index >= 0
    assert field is None or field.strip() == field != ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Subject is required", [ServerMessage(text="Subject is required")]),
        (["a", "  b\n c  ", "", 3], [ServerMessage(text="a"), ServerMessage(text="b c")]),
        (
            [{"message": "bad"}, {"description": "worse", "field": "[1].subject"}],
            [
                ServerMessage(text="bad"),
                ServerMessage(text="worse", ticket_index=1, field="subject"),
            ],
        ),
        (
            {"[0].subject": ["Required", "Too long"], "": "Body required"},
            [
                ServerMessage(text="Required", ticket_index=0, field="subject"),
                ServerMessage(text="Too long", ticket_index=0, field="subject"),
                ServerMessage(text="Body required"),
            ],
        ),
        (
            {"$[2].email": [{"errorMessage": "Not an email"}]},
            [ServerMessage(text="Not an email", ticket_index=2, field="email")],
        ),
        (None, []),
        (42, []),
    ],
)
def test_messages_from(value: Any, expected: list[ServerMessage]) -> None:
    assert messages_from(value) == expected


def test_long_text_is_cut_to_one_line() -> None:
    [message] = messages_from("x" * 1000 + "\n\ny")
    assert len(message.text) <= 300
    assert "\n" not in message.text


def test_located_text_is_one_based_for_people() -> None:
    assert (
        ServerMessage(text="Required", ticket_index=0, field="subject").located()
        == "ticket 1, subject: Required"
    )
    assert ServerMessage(text="Nope").located() == "Nope"


@given(json_values)
def test_messages_from_never_raises(value: Any) -> None:
    for message in messages_from(value):
        assert message.text
