"""HTTP answers (status, headers, body) to outcomes, without a network."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.api.classify import classify_failure, classify_submit, tickets_of
from desktop_app.api.outcomes import (
    Accepted,
    Forbidden,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    ServerError,
    Unexpected,
    UnsupportedVersion,
)
from tests.api.strategies import json_values


def answer(
    status: int, body: Any = None, raw: bytes | None = None, **headers: str
) -> httpx.Response:
    content = raw if raw is not None else json.dumps(body).encode()
    return httpx.Response(status, content=content, headers=headers)


def submit(response: httpx.Response, sent: int = 1) -> Any:
    return classify_submit(response, sent_count=sent, api_version="1")


def test_wrapped_tickets_are_accepted() -> None:
    outcome = submit(answer(200, {"success": True, "data": [{"id": 5}, {"id": 6}]}), sent=2)
    assert isinstance(outcome, Accepted)
    assert outcome.ticket_ids == [5, 6]


def test_a_ticket_with_an_odd_property_still_counts() -> None:
    [ticket] = tickets_of([{"id": 9, "subject": 12345, "requester": "nobody"}]) or []
    assert ticket.id == 9


def test_success_false_with_200_is_rejected() -> None:
    outcome = submit(answer(200, {"success": False, "errors": {"[0].subject": ["Required"]}}))
    assert isinstance(outcome, Rejected)
    assert outcome.status == 200
    assert (outcome.messages[0].ticket_index, outcome.messages[0].field) == (0, "subject")


def test_200_that_is_not_tickets_is_unknown() -> None:
    for body in ({"data": "ok"}, {"errors": ["x"]}, [1, 2], "created"):
        outcome = submit(answer(200, body))
        assert isinstance(outcome, OutcomeUnknown), body
        assert outcome.reason == "the server answered 200 with JSON that holds no tickets"


def test_explicit_success_without_payload_is_accepted() -> None:
    assert isinstance(submit(answer(200, {"success": True})), Accepted)
    assert isinstance(submit(answer(204, raw=b"")), Accepted)


def test_200_with_html_is_unknown_and_says_so() -> None:
    page = b"<html><head><title>Proxy login</title></head></html>"
    outcome = submit(answer(200, raw=page, **{"content-type": "text/html"}))
    assert isinstance(outcome, OutcomeUnknown)
    assert outcome.reason == (
        "the server answered 200 with an HTML page instead of JSON (<title>Proxy login</title>)"
    )
    assert outcome.may_have_arrived


def test_status_mapping() -> None:
    problem = {"title": "Forbidden", "status": 403, "detail": "Form 'x' is disabled"}
    assert classify_failure(answer(403, problem)) == Forbidden(message="Form 'x' is disabled")
    assert classify_failure(answer(404, raw=b"")) == NotFound()
    assert classify_failure(answer(429, {}, **{"retry-after": "3"})) == RateLimited(
        status=429, retry_after=3
    )
    assert classify_failure(answer(503, raw=b"<title>Down</title>")) == RateLimited(status=503)
    assert classify_failure(answer(500, {"title": "Oops"})) == ServerError(
        status=500, message="Oops"
    )
    assert classify_failure(answer(502, raw=b"<html><title>502 Bad Gateway</title>")) == (
        ServerError(status=502, message="502 Bad Gateway")
    )
    redirect = classify_failure(answer(302, raw=b"", location="https://sso.example.com"))
    assert isinstance(redirect, Unexpected)
    assert (
        redirect.message
        == "a redirect to https://sso.example.com, which is not followed for safety"
    )
    assert isinstance(classify_failure(answer(401, raw=b"")), Unexpected)
    assert isinstance(classify_failure(answer(422, {"errors": {"[0].x": ["y"]}})), Rejected)


def test_unsupported_version_wins_over_rejected() -> None:
    body = {"error": {"code": "UnsupportedApiVersion", "message": "no v9"}}
    assert classify_failure(answer(400, body), api_version="9") == UnsupportedVersion(
        api_version="9", message="no v9"
    )


def test_rejected_prefers_wrapper_messages_then_problem_errors() -> None:
    wrapper = classify_failure(answer(400, {"success": False, "message": "Form closed"}))
    assert isinstance(wrapper, Rejected)
    assert [m.text for m in wrapper.messages] == ["Form closed"]
    problem = classify_failure(
        answer(
            400, {"title": "One or more validation errors occurred.", "errors": {"[0].a": ["b"]}}
        )
    )
    assert isinstance(problem, Rejected)
    assert [(m.ticket_index, m.field, m.text) for m in problem.messages] == [(0, "a", "b")]


@given(
    st.integers(min_value=100, max_value=599),
    st.one_of(json_values.map(lambda v: json.dumps(v).encode()), st.binary()),
    st.dictionaries(
        st.sampled_from(["retry-after", "content-type", "location"]),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
    ),
)
def test_classify_never_raises(status: int, content: bytes, headers: dict[str, str]) -> None:
    outcome = classify_submit(
        httpx.Response(status, content=content, headers=headers), sent_count=2, api_version="1"
    )
    assert outcome.user_message
