"""Read RFC 9457/7807 problem documents and ASP.NET's error shapes into ServerMessages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop_app.api.messages import ServerMessage, get_ci, messages_from, one_line

STANDARD_MEMBERS = frozenset({"type", "title", "status", "detail", "instance"})
# ASP.NET API versioning's error codes: each means the version in the URL must change.
VERSION_CODES = frozenset(
    {"unsupportedapiversion", "invalidapiversion", "ambiguousapiversion", "apiversionunspecified"}
)
# Asp.Versioning 6+ answers with problem documents of these types instead of the "error" object.
VERSION_PROBLEM_TYPE = "api-versioning.org/problems#"


@dataclass(frozen=True)
class Problem:
    """A problem document as far as it could be read; every member is optional."""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    instance: str | None = None
    code: str | None = None
    messages: tuple[ServerMessage, ...] = ()
    extensions: Mapping[str, Any] = field(default_factory=dict)

    @property
    def unsupported_version(self) -> bool:
        """True when the server says the API version in the URL is not one it serves (or invalid)."""
        if self.code is not None and self.code.lower() in VERSION_CODES:
            return True
        if self.type is not None and VERSION_PROBLEM_TYPE in self.type.lower():
            return True
        texts = (self.title or "", self.detail or "")
        return any("unsupportedapiversion" in text.lower() for text in texts)


def _text(value: Any) -> str | None:
    return one_line(value) or None if isinstance(value, str) else None


def _status(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 100 <= value <= 599:
        return value
    return None


def parse_problem(body: Any) -> Problem:
    """Read any decoded JSON as a problem document; never raises, whatever the JSON."""
    if not isinstance(body, Mapping):
        return Problem()
    error = get_ci(body, "error")
    error = error if isinstance(error, Mapping) else {}
    code = _text(get_ci(body, "code", "errorcode")) or _text(get_ci(error, "code"))
    title = _text(get_ci(body, "title"))
    detail = _text(get_ci(body, "detail"))
    messages = messages_from(get_ci(body, "errors"))
    if not messages:
        # Without per-field errors, the most specific sentence the server gave is the message.
        general = (
            detail or _text(get_ci(error, "message")) or _text(get_ci(body, "message")) or title
        )
        if general:
            messages = [ServerMessage(text=general)]
    return Problem(
        type=_text(get_ci(body, "type")),
        title=title,
        status=_status(get_ci(body, "status")),
        detail=detail,
        instance=_text(get_ci(body, "instance")),
        code=code,
        messages=tuple(messages),
        extensions={
            key: value
            for key, value in body.items()
            if not (isinstance(key, str) and key.lower() in STANDARD_MEMBERS)
        },
    )
