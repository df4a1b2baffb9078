"""Valid tickets for the demo tenant's forms, to be spoiled one property at a time by tests."""

from __future__ import annotations

from typing import Any

TICKETS_PATH = "tickets/external_dynamic_form"


def rich(*paragraphs: str) -> dict[str, Any]:
    """A DTO_rich_text of Editor.js paragraph blocks."""
    return {
        "editorjs": {
            "time": 1700000000000,
            "version": "2.29.1",
            "blocks": [
                {"id": f"b{i}", "type": "paragraph", "data": {"text": text}}
                for i, text in enumerate(paragraphs)
            ],
        }
    }


def it_support(**changes: Any) -> dict[str, Any]:
    ticket: dict[str, Any] = {
        "subject": "Laptop does not boot",
        "requester": {"email": "ana@example.com", "name": "Ana Lima"},
        "category": {"id": 101},
        "serial": "AB12CD34",
        "urgency": {"id": 113},
        "sys_content_rich": rich("It shows a <b>black</b> screen.", "Since&nbsp;Monday."),
    }
    ticket.update(changes)
    return {k: v for k, v in ticket.items() if v is not ...}


def walk_in(**changes: Any) -> dict[str, Any]:
    ticket: dict[str, Any] = {
        "subject": "Walk-in: Device",
        "requester": {"name": "Bo Chen"},
        "reason": {"id": 122},
        "consent": True,
        "channel": "kiosk",
        "sys_tags": [{"id": 301}],
    }
    ticket.update(changes)
    return {k: v for k, v in ticket.items() if v is not ...}


def bug_report(**changes: Any) -> dict[str, Any]:
    ticket: dict[str, Any] = {
        "subject": "[Web] Save button does nothing",
        "requester": {"email": "dev@example.org"},
        "summary": "Save button does nothing",
        "component": {"id": 132},
        "sys_tags": [{"id": 203}],
        "platforms": [{"id": 141}, "linux"],
        "app_version": "2.4.1",
        "page_url": "https://app.example.org/settings",
        "occurred_at": "2024-05-01T10:30:00Z",
        "affected_users": 12,
        "reproducible": True,
        "sys_content_rich": rich("Open settings.", "Press save."),
    }
    ticket.update(changes)
    return {k: v for k, v in ticket.items() if v is not ...}
