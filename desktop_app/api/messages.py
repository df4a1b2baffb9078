"""ServerMessage: one message from DeskHero, tied to a sent ticket and field where the server says so."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

MAX_TEXT = 300
# Names ASP.NET may put in front of an index: the action parameter of the documented endpoint.
ROOT_NAMES = frozenset({"tickets_input", "ticketsinput", "tickets"})
TEXT_KEYS = ("message", "description", "detail", "errormessage", "error", "title", "msg", "text")
PATH_KEYS = ("field", "property", "propertyname", "path", "key", "member", "source")

_LEADING_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LEADING_INDEX = re.compile(r"\[\s*(\d+)\s*\]")
_SPACES = re.compile(r"\s+")


class ServerMessage(BaseModel):
    """A message DeskHero sent back; `ticket_index` is 0-based into the sent array."""

    model_config = ConfigDict(frozen=True)

    text: str
    ticket_index: int | None = None
    field: str | None = None

    def located(self) -> str:
        """The text prefixed by where it applies, for people: 'ticket 1, subject: ...'."""
        where = []
        if self.ticket_index is not None:
            where.append(f"ticket {self.ticket_index + 1}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.text}" if where else self.text


def one_line(text: str, limit: int = MAX_TEXT) -> str:
    """Whitespace collapsed to single spaces and cut to `limit` characters."""
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def parse_error_path(key: str) -> tuple[int | None, str | None]:
    """Map an ASP.NET error key ('[0].subject', '$[1].sys_tags[0].id', 'tickets_input') to (index, field)."""
    path = key.strip()
    if path.startswith("$"):
        path = path[1:]
    path = path.lstrip(".")
    name = _LEADING_NAME.match(path)
    if name and name.group(0).lower() in ROOT_NAMES and path[name.end() :][:1] in ("", "[", "."):
        path = path[name.end() :].lstrip(".")
    index: int | None = None
    found = _LEADING_INDEX.match(path)
    if found:
        index = int(found.group(1))
        path = path[found.end() :]
    field = path.lstrip(".").strip()
    return index, (field or None)


def get_ci(mapping: Mapping[Any, Any], *names: str) -> Any:
    """The value of the first of `names` present in `mapping`, compared case-insensitively."""
    lowered = {key.lower(): value for key, value in mapping.items() if isinstance(key, str)}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def has_ci(mapping: Mapping[Any, Any], *names: str) -> bool:
    """True when one of `names` is a key of `mapping`, compared case-insensitively."""
    keys = {key.lower() for key in mapping if isinstance(key, str)}
    return any(name in keys for name in names)


def text_of(value: Any) -> str | None:
    """Readable text of a message item: a string, or an object's message/description member."""
    if isinstance(value, str):
        return one_line(value) or None
    if isinstance(value, Mapping):
        for key in TEXT_KEYS:
            found = get_ci(value, key)
            if isinstance(found, str) and found.strip():
                return one_line(found)
            if isinstance(found, Mapping):
                # ASP.NET versioning nests the message in an "error" object.
                nested = get_ci(found, "message", "description")
                if isinstance(nested, str) and nested.strip():
                    return one_line(nested)
    return None


def _message(text: str, path: str | None) -> ServerMessage:
    index, field = parse_error_path(path) if path is not None else (None, None)
    return ServerMessage(text=text, ticket_index=index, field=field)


def _from_item(item: Any, path: str | None) -> list[ServerMessage]:
    text = text_of(item)
    if text is None:
        return []
    if path is None and isinstance(item, Mapping):
        found = get_ci(item, *PATH_KEYS)
        path = found if isinstance(found, str) else None
    return [_message(text, path)]


def messages_from(value: Any) -> list[ServerMessage]:
    """Messages out of a message/messages/errors member: a string, a list, or a dict path -> list."""
    if isinstance(value, str):
        return _from_item(value, None)
    if isinstance(value, list):
        return [message for item in value for message in _from_item(item, None)]
    if isinstance(value, Mapping):
        result: list[ServerMessage] = []
        for key, entry in value.items():
            path = key if isinstance(key, str) else None
            items = entry if isinstance(entry, list) else [entry]
            for item in items:
                result.extend(_from_item(item, path))
        return result
    return []
