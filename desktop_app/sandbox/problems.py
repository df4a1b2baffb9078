"""JSON answers: the success wrapper and RFC 9457 problem documents in ASP.NET's shape."""

from __future__ import annotations

import secrets
from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

PROBLEM_MEDIA_TYPE = "application/problem+json"
VALIDATION_TITLE = "One or more validation errors occurred."

_RFC9110 = "https://tools.ietf.org/html/rfc9110#section-"
# ASP.NET Core's default `type` links for the statuses it produces; others get about:blank.
_TYPES = {
    400: _RFC9110 + "15.5.1",
    403: _RFC9110 + "15.5.4",
    404: _RFC9110 + "15.5.5",
    413: _RFC9110 + "15.5.14",
    415: _RFC9110 + "15.5.16",
    422: _RFC9110 + "15.5.21",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
    500: _RFC9110 + "15.6.1",
    502: _RFC9110 + "15.6.3",
    503: _RFC9110 + "15.6.4",
}


def wrap(data: Any, message: str | None = None) -> dict[str, Any]:
    """DTO_response_wrap as the sandbox shapes it (the real wrapper's fields are undocumented)."""
    return {"success": True, "message": message, "data": data}


def ok(data: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    """200 with `data` in the wrapper."""
    return JSONResponse(wrap(data), headers=headers)


def trace_id() -> str:
    """A W3C traceparent-style id, as ASP.NET puts in `traceId`."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"


def problem_body(
    status: int, title: str | None = None, detail: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A problem document; `extra` adds members such as `errors` or `code`."""
    body: dict[str, Any] = {
        "type": _TYPES.get(status, "about:blank"),
        "title": title or _phrase(status),
        "status": status,
    }
    if detail is not None:
        body["detail"] = detail
    body.update(extra)
    body["traceId"] = trace_id()
    return body


def problem(
    status: int,
    title: str | None = None,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem response with `application/problem+json`."""
    return JSONResponse(
        problem_body(status, title, detail, **extra),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def validation_problem(errors: dict[str, list[str]]) -> JSONResponse:
    """400 with model-state `errors` keyed by property path, as ASP.NET's [ApiController] does."""
    return problem(400, VALIDATION_TITLE, errors=errors)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"
