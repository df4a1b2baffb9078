"""Unwrap DeskHero's undocumented success wrapper (DTO_response_wrap) without trusting its shape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.api.messages import ServerMessage, get_ci, has_ci, messages_from

PAYLOAD_KEYS = ("data", "result", "items", "value")
FLAG_KEYS = ("success", "succeeded", "issuccess")
MESSAGE_KEYS = ("message", "messages", "errors")
# Members a list wrapper (DTO_response_wrap_get_many) may carry beside its items.
PAGING_KEYS = (
    "total",
    "count",
    "page",
    "pagesize",
    "page_size",
    "totalcount",
    "total_count",
    "next",
    "previous",
    "hasmore",
    "has_more",
)
WRAPPER_KEYS = frozenset((*PAYLOAD_KEYS, *FLAG_KEYS, *MESSAGE_KEYS, *PAGING_KEYS))


@dataclass(frozen=True)
class Envelope:
    """What a success body says: its payload, its explicit success flag and its messages."""

    payload: Any
    success: bool | None = None
    messages: tuple[ServerMessage, ...] = ()
    wrapped: bool = False

    @property
    def failed(self) -> bool:
        """True when the wrapper says so itself, whatever the HTTP status."""
        return self.success is False


def _as_flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes", "ok"):
            return True
        if lowered in ("false", "0", "no"):
            return False
    return None


def _looks_like_wrapper(value: Mapping[Any, Any]) -> bool:
    if not has_ci(value, *PAYLOAD_KEYS):
        return False
    if isinstance(get_ci(value, *PAYLOAD_KEYS), list):
        return True
    return all(isinstance(key, str) and key.lower() in WRAPPER_KEYS for key in value)


def unwrap(body: Any) -> Envelope:
    """Read a decoded JSON body; never raises, whatever the JSON."""
    if not isinstance(body, Mapping):
        return Envelope(payload=body)
    has_payload = has_ci(body, *PAYLOAD_KEYS)
    has_flag = has_ci(body, *FLAG_KEYS)
    only_messages = bool(body) and all(
        isinstance(key, str) and key.lower() in MESSAGE_KEYS for key in body
    )
    if not (has_payload or has_flag or only_messages):
        # No wrapper at all: the DTO itself (some deployments answer bare).
        return Envelope(payload=body)
    payload = get_ci(body, *PAYLOAD_KEYS) if has_payload else None
    if isinstance(payload, Mapping) and _looks_like_wrapper(payload):
        payload = get_ci(payload, *PAYLOAD_KEYS)
    messages: list[ServerMessage] = []
    for key in MESSAGE_KEYS:
        messages.extend(messages_from(get_ci(body, key)))
    return Envelope(
        payload=payload,
        success=_as_flag(get_ci(body, *FLAG_KEYS)) if has_flag else None,
        messages=tuple(messages),
        wrapped=True,
    )
