"""Turn a DeskHero HTTP answer (status, headers, body) into a typed outcome."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from desktop_app.api.body import Body, read_body
from desktop_app.api.envelope import unwrap
from desktop_app.api.messages import ServerMessage
from desktop_app.api.outcomes import (
    Accepted,
    Forbidden,
    NotFound,
    Outcome,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    ServerError,
    Unexpected,
    UnsupportedVersion,
)
from desktop_app.api.problem import parse_problem
from desktop_app.api.retry_after import parse_retry_after
from desktop_app.core.dto import Ticket


def body_of(response: httpx.Response) -> Body:
    """The response body read as JSON where possible."""
    return read_body(response.content, response.headers.get("content-type"))


def error_messages(body: Body) -> list[ServerMessage]:
    """Every message an error body carries, from a wrapper or a problem document."""
    if not body.is_json:
        return [ServerMessage(text=body.title)] if body.title else []
    envelope = unwrap(body.data)
    if envelope.wrapped and envelope.messages:
        return list(envelope.messages)
    return list(parse_problem(body.data).messages)


def _first_text(body: Body) -> str | None:
    messages = error_messages(body)
    return messages[0].text if messages else None


def classify_failure(response: httpx.Response, *, api_version: str | None = None) -> Outcome:
    """The outcome of a non-2xx answer."""
    status = response.status_code
    body = body_of(response)
    if 400 <= status < 500 and body.is_json and parse_problem(body.data).unsupported_version:
        return UnsupportedVersion(api_version=api_version, message=_first_text(body))
    if status in (400, 422):
        return Rejected(status=status, messages=error_messages(body))
    if status == 403:
        return Forbidden(message=_first_text(body))
    if status == 404:
        return NotFound(message=_first_text(body))
    if status == 429 or status == 503:
        return RateLimited(
            status=status, retry_after=parse_retry_after(response.headers.get("retry-after"))
        )
    if 500 <= status < 600:
        return ServerError(status=status, message=_first_text(body))
    if 300 <= status < 400:
        location = response.headers.get("location")
        where = f"a redirect to {location}" if location else "a redirect"
        return Unexpected(status=status, message=f"{where}, which is not followed for safety")
    if status == 401:
        return Unexpected(
            status=status, message="DeskHero asked for a login, but external forms need none"
        )
    return Unexpected(status=status, message=_first_text(body))


def _ticket(item: Mapping[str, Any]) -> Ticket:
    try:
        return Ticket.model_validate(item)
    except ValidationError:
        pass
    # The ticket exists even if one property has a shape we do not expect: keep what parses.
    kept: dict[str, Any] = {}
    for key, value in item.items():
        try:
            Ticket.model_validate({key: value})
        except ValidationError:
            continue
        kept[key] = value
    return Ticket.model_validate(kept)


def tickets_of(payload: Any) -> list[Ticket] | None:
    """Tickets in a success payload; None when it does not hold tickets."""
    if isinstance(payload, Mapping) and "id" in payload:
        payload = [payload]
    if not isinstance(payload, list) or not all(isinstance(item, Mapping) for item in payload):
        return None
    return [_ticket(item) for item in payload]


def classify_submit(response: httpx.Response, *, sent_count: int, api_version: str) -> Outcome:
    """The outcome of POST tickets/external_dynamic_form."""
    status = response.status_code
    if not 200 <= status < 300:
        return classify_failure(response, api_version=api_version)
    if status == 204:
        return Accepted(status=status, tickets=[], sent_count=sent_count)
    body = body_of(response)
    if not body.is_json:
        return OutcomeUnknown(
            cause="unreadable_body",
            status=status,
            reason=f"the server answered {status} with {body.description}",
        )
    envelope = unwrap(body.data)
    if envelope.failed:
        return Rejected(status=status, messages=list(envelope.messages))
    tickets = tickets_of(envelope.payload)
    if tickets is None and envelope.payload is None and envelope.success is True:
        tickets = []
    if tickets is None:
        return OutcomeUnknown(
            cause="unreadable_body",
            status=status,
            reason=f"the server answered {status} with JSON that holds no tickets",
        )
    return Accepted(status=status, tickets=tickets, sent_count=sent_count)
