"""Problem documents (RFC 9457/7807) and ASP.NET's error shapes."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from desktop_app.api.messages import ServerMessage
from desktop_app.api.problem import parse_problem
from tests.api.strategies import json_values

ASP_NET_VALIDATION = {
    "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    "title": "One or more validation errors occurred.",
    "status": 400,
    "errors": {
        "[0].subject": ["The subject field is required."],
        "tickets_input[1].requester.email": ["The email field is not a valid e-mail address."],
        "$[1].sys_tags[0].id": ["The JSON value could not be converted to System.Int32."],
        "tickets_input": ["The tickets_input field is required."],
        "": ["A non-empty request body is required."],
    },
    "traceId": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
}


def test_validation_problem_maps_every_error() -> None:
    problem = parse_problem(ASP_NET_VALIDATION)
    assert problem.status == 400
    assert problem.title == "One or more validation errors occurred."
    assert problem.extensions["traceId"].startswith("00-")
    assert [(m.ticket_index, m.field) for m in problem.messages] == [
        (0, "subject"),
        (1, "requester.email"),
        (1, "sys_tags[0].id"),
        (None, None),
        (None, None),
    ]
    assert problem.messages[0].text == "The subject field is required."
    assert not problem.unsupported_version


def test_problem_without_errors_uses_detail_then_title() -> None:
    assert parse_problem({"title": "Forbidden", "detail": "Form is disabled"}).messages == (
        ServerMessage(text="Form is disabled"),
    )
    assert parse_problem({"title": "Forbidden", "status": "403"}).messages == (
        ServerMessage(text="Forbidden"),
    )
    assert parse_problem({"title": "Forbidden", "status": "403"}).status == 403


def test_api_versioning_error_object() -> None:
    problem = parse_problem(
        {
            "error": {
                "code": "UnsupportedApiVersion",
                "message": "The HTTP resource that matches the request URI does not support the API version '9'.",
                "innerError": None,
            }
        }
    )
    assert problem.unsupported_version
    assert problem.code == "UnsupportedApiVersion"
    assert problem.messages[0].text.startswith("The HTTP resource")


def test_api_versioning_problem_document() -> None:
    problem = parse_problem(
        {
            "type": "https://docs.api-versioning.org/problems#unsupported",
            "title": "Unsupported API version",
            "status": 400,
            "detail": "The HTTP resource does not support the API version '9'.",
        }
    )
    assert problem.unsupported_version
    assert parse_problem({"title": "x", "code": "unsupportedapiversion"}).unsupported_version
    assert parse_problem({"code": "InvalidApiVersion"}).unsupported_version
    assert not parse_problem({"code": "SomethingElse", "title": "API version"}).unsupported_version


def test_status_out_of_range_is_dropped() -> None:
    assert parse_problem({"status": 9000}).status is None
    assert parse_problem({"status": True}).status is None


def test_non_objects_give_an_empty_problem() -> None:
    assert parse_problem(["x"]).messages == ()
    assert parse_problem(None).title is None


@given(json_values)
def test_parse_problem_never_raises(body: Any) -> None:
    problem = parse_problem(body)
    assert problem.status is None or 100 <= problem.status <= 599
    assert isinstance(problem.unsupported_version, bool)
