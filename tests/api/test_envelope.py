"""The undocumented success wrapper: payload, flags and messages out of any shape."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from desktop_app.api.envelope import unwrap
from desktop_app.api.messages import ServerMessage
from tests.api.strategies import json_values

TICKETS = [{"id": 1}, {"id": 2}]


@pytest.mark.parametrize(
    "body",
    [
        TICKETS,
        {"data": TICKETS},
        {"Result": TICKETS},
        {"items": TICKETS, "total": 2},
        {"value": TICKETS},
        {"success": True, "message": None, "data": TICKETS},
        {"succeeded": True, "data": {"items": TICKETS, "total": 2, "page": 1}},
        {"data": {"items": TICKETS, "something_new": 1}},
        {"result": {"value": TICKETS}},
    ],
)
def test_payload_is_found(body: Any) -> None:
    envelope = unwrap(body)
    assert envelope.payload == TICKETS
    assert not envelope.failed


def test_bare_object_is_its_own_payload() -> None:
    form = {"fields": [], "main_language": "en"}
    envelope = unwrap(form)
    assert envelope.payload == form
    assert not envelope.wrapped


def test_object_payload_that_is_not_a_wrapper_is_kept() -> None:
    ticket = {"id": 5, "subject": "x", "data": {"value": 3}}
    assert unwrap({"data": ticket}).payload == ticket


@pytest.mark.parametrize(
    ("body", "texts"),
    [
        ({"success": False, "message": "Form disabled"}, ["Form disabled"]),
        ({"succeeded": "false", "messages": ["a", "b"]}, ["a", "b"]),
        ({"isSuccess": 0, "errors": [{"message": "m"}, {"description": "d"}]}, ["m", "d"]),
        ({"Success": False, "errors": {"[1].subject": ["Required"]}}, ["Required"]),
    ],
)
def test_success_false_is_a_failure_with_messages(body: Any, texts: list[str]) -> None:
    envelope = unwrap(body)
    assert envelope.failed
    assert [message.text for message in envelope.messages] == texts


def test_error_keys_in_wrapper_are_mapped() -> None:
    envelope = unwrap({"success": False, "errors": {"[1].subject": ["Required"]}})
    assert envelope.messages == (ServerMessage(text="Required", ticket_index=1, field="subject"),)


def test_only_messages_is_a_wrapper_without_payload() -> None:
    envelope = unwrap({"errors": ["boom"]})
    assert envelope.wrapped
    assert envelope.payload is None
    assert envelope.success is None


@given(json_values)
def test_unwrap_never_raises(body: Any) -> None:
    envelope = unwrap(body)
    assert envelope.success in (None, True, False)
    assert all(isinstance(message, ServerMessage) for message in envelope.messages)
