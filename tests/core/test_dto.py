"""DeskHero DTOs: unknown properties round-trip, read-only fields never reach a request."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.dto import (
    FormExternalResponse,
    Reference,
    ReferenceAttachment,
    RichText,
    Ticket,
    label_text,
)
from desktop_app.core.enums import AttachmentStatus, TicketConversationType

USER = {"id": 7, "label": "Agent Smith", "email": "smith@example.com", "profile_pic": "p.png"}

SERVER_TICKET: dict[str, Any] = {
    "id": 5012,
    "created": "2026-12-01T09:30:00Z",
    "last_updated": "2026-12-01T09:31:00Z",
    "created_by": USER,
    "last_updated_by": USER,
    "subject": "Laptop does not start",
    "requester": {"user_id": 3, "email": "ada@example.com", "name": "Ada", "profile_pic": "a.png"},
    "sys_content_rich": {
        "html": "<p>Black screen</p>",
        "editorjs": {
            "time": 1764581400000,
            "version": "2.30.0",
            "blocks": [
                {
                    "id": "abc",
                    "type": "paragraph",
                    "data": {"text": "Black screen"},
                    "tunes": {"align": "left"},
                }
            ],
        },
        "read_minutes": 1,
        "plain_preview": "Black screen",
        "tiptap": {"type": "doc", "content": []},
    },
    "sys_attachments": [
        {
            "id": 88,
            "size_kb": 120,
            "status": 2,
            "status_message": "fine",
            "download_url": "https://files.example.com/88",
            "label": "photo.png",
        }
    ],
    "sys_tags": [{"id": 301, "label": "Walk-in"}],
    "sys_status": {"id": 1, "label": {"en": "Open"}},
    "category": {"id": 101},
    "serial": "PF3X9K2L",
    "sys_priority": {"id": 3, "label": "High", "colour": "red"},
}

# Read-only names per declared object path of a ticket; `*` is any list element.
READ_ONLY_AT = {
    (): {"id", "created", "last_updated", "created_by", "last_updated_by"},
    ("sys_content_rich",): {"plain_preview"},
    ("sys_attachments", "*"): {"size_kb", "status", "status_message", "download_url", "label"},
    ("sys_tags", "*"): {"label"},
    ("sys_status",): {"label"},
}


def _at(data: Any, path: tuple[str, ...]) -> list[Any]:
    if not path:
        return [data]
    head, rest = path[0], path[1:]
    if head == "*":
        return [found for element in data for found in _at(element, rest)]
    return _at(data[head], rest) if head in data else []


def test_server_ticket_parses_and_dumps_back_unchanged() -> None:
    ticket = Ticket.model_validate(SERVER_TICKET)

    assert ticket.model_dump(mode="json", exclude_none=True) == SERVER_TICKET
    assert ticket.sys_attachments is not None
    assert ticket.sys_attachments[0].status is AttachmentStatus.OK
    assert ticket.created_by is not None and ticket.created_by.email == "smith@example.com"


def test_unknown_ticket_properties_are_kept_and_sent() -> None:
    ticket = Ticket.model_validate(SERVER_TICKET)
    request = ticket.to_request()

    assert ticket.custom_fields == {
        "category": {"id": 101},
        "serial": "PF3X9K2L",
        "sys_priority": {"id": 3, "label": "High", "colour": "red"},
    }
    for key in ("category", "serial", "sys_priority"):
        assert request[key] == SERVER_TICKET[key]
    # Unknown keys inside declared objects survive too.
    assert request["sys_content_rich"]["editorjs"]["blocks"][0]["tunes"] == {"align": "left"}
    assert request["sys_content_rich"]["tiptap"] == {"type": "doc", "content": []}


def test_read_only_fields_are_absent_from_requests_at_every_level() -> None:
    request = Ticket.model_validate(SERVER_TICKET).to_request()

    for path, names in READ_ONLY_AT.items():
        objects = _at(request, path)
        assert objects, f"nothing at {path}"
        for obj in objects:
            assert not names & obj.keys(), (path, names & obj.keys())
    # ...while the writable fields next to them are still there.
    assert request["sys_attachments"] == [{"id": 88}]
    assert request["sys_tags"] == [{"id": 301}]
    assert request["sys_status"] == {"id": 1}
    assert request["sys_content_rich"]["html"] == "<p>Black screen</p>"
    assert request["requester"]["profile_pic"] == "a.png"  # writable on a contact


def test_read_only_fields_of_form_descriptions_are_dropped_in_nested_lists() -> None:
    response = FormExternalResponse.model_validate(
        {
            "fields": [
                {
                    "id": 9,
                    "label": "Category",
                    "unique_key": "category",
                    "created": "2026-01-01",
                    "created_by": USER,
                    "multi_option": {"options": [{"id": 101, "label": "Hardware"}], "type": 1},
                    "mystery": True,
                }
            ],
            "group": {"id": 4, "label": "IT"},
            "required_field_ids": [9],
        }
    )

    request = response.to_request()

    field = request["fields"][0]
    assert "id" not in field and "created" not in field and "created_by" not in field
    assert field["multi_option"]["options"] == [{"id": 101}]
    assert field["mystery"] is True
    assert request["group"] == {"id": 4}
    assert response.fields[0].id == 9  # parsed all the same


def test_to_request_does_not_change_the_model() -> None:
    ticket = Ticket.model_validate(SERVER_TICKET)
    before = ticket.model_dump(mode="json")

    ticket.to_request()

    assert ticket.model_dump(mode="json") == before


def test_unknown_enum_values_parse_and_stay_read_only() -> None:
    attachment = ReferenceAttachment.model_validate({"id": 1, "status": 9})

    assert attachment.status == 9
    assert attachment.status is not None and not attachment.status.is_known
    assert AttachmentStatus(2).is_known
    assert attachment.model_dump(mode="json")["status"] == 9
    assert attachment.to_request() == {"id": 1}
    assert TicketConversationType(42).name == "UNRECOGNIZED_42"


def test_none_values_are_not_sent() -> None:
    assert Ticket(subject="Hi").to_request() == {"subject": "Hi"}
    assert RichText(read_minutes=2).to_request() == {"read_minutes": 2}
    assert Reference(id=3, label="x").to_request() == {"id": 3}


def test_label_text_reads_every_label_shape() -> None:
    assert label_text(None) == ""
    assert label_text("Hardware") == "Hardware"
    assert label_text({"en": "Open", "de": "Offen"}, "de") == "Offen"
    assert label_text({"en": "Open", "de": "Offen"}, "fr") == "Open"
    assert label_text({"name": "Named", "zz": "other"}) == "Named"
    assert label_text({"xx": 1, "yy": "first text"}) == "first text"
    assert label_text({"xx": 1}) == ""
    assert label_text(42) == "42"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
CUSTOM_KEYS = st.from_regex(r"\Acustom_[a-z0-9_]{1,10}\Z")


@given(st.dictionaries(CUSTOM_KEYS, JSON, max_size=5))
def test_any_custom_properties_round_trip_through_requests(custom: dict[str, Any]) -> None:
    data = {"subject": "s", **copy.deepcopy(custom)}

    request = Ticket.model_validate(data).to_request()

    # None values are dropped at the top level (unset); everything else comes back verbatim.
    assert request == {k: v for k, v in data.items() if v is not None}
