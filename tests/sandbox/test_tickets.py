"""The sandbox's tickets route: creation, validation errors, idempotency and persistence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from desktop_app.core.dto import Ticket
from desktop_app.sandbox import SandboxServer
from tests.sandbox.payloads import TICKETS_PATH, bug_report, it_support, rich, walk_in


def post(
    client: httpx.Client, sandbox: SandboxServer, tickets: Any, form: str = "it-support", **kw: Any
) -> httpx.Response:
    return client.post(sandbox.api_url(TICKETS_PATH), params={"form": form}, json=tickets, **kw)


def errors_of(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["title"] == "One or more validation errors occurred."
    assert body["status"] == 400
    assert body["type"].startswith("https://")
    assert body["traceId"]
    return dict(body["errors"])


def test_created_tickets_come_back_in_the_wrapper_with_server_fields(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    response = post(client, sandbox, [it_support(), it_support(subject="Second")])

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["message"] is None
    first, second = (Ticket.model_validate(t) for t in body["data"])
    assert (first.id, second.id) == (1001, 1002)
    assert first.subject == "Laptop does not boot" and second.subject == "Second"
    assert first.created is not None and first.created == first.last_updated
    assert first.created_by is None
    assert first.sys_status is not None and (first.sys_status.id, first.sys_status.label) == (
        1,
        "New",
    )
    assert first.custom_fields["category"] == {"id": 101, "label": "Hardware"}
    assert first.custom_fields["serial"] == "AB12CD34"
    assert first.sys_content_rich is not None
    assert first.sys_content_rich.plain_preview == "It shows a black screen. Since Monday."
    assert first.sys_content_rich.read_minutes == 1
    assert [t["id"] for t in sandbox.state.tickets] == [1001, 1002]


def test_every_demo_form_accepts_its_sample_ticket(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    for form, ticket in [
        ("it-support", it_support()),
        ("walk-in-intake", walk_in()),
        ("bug-report", bug_report()),
    ]:
        response = post(client, sandbox, [ticket], form=form)
        assert response.status_code == 200, (form, response.text)
    bug = sandbox.state.tickets[-1]
    assert bug["sys_tags"] == [{"id": 203, "label": "High"}]
    assert bug["platforms"] == [{"id": 141, "label": "Windows"}, "linux"]


def test_read_only_properties_sent_by_a_client_are_replaced(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    ticket = it_support(id=5, created="1999-01-01T00:00:00Z", sys_status={"id": 9})

    created = post(client, sandbox, [ticket]).json()["data"][0]

    assert created["id"] == 1001
    assert created["created"] != "1999-01-01T00:00:00Z"
    assert created["sys_status"] == {"id": 1, "label": "New"}


def test_preview_is_cut_to_200_characters_and_reading_time_counts_words(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    words = " ".join(f"word{i}" for i in range(450))
    ticket = it_support(sys_content_rich=rich(f"<i>{words}</i>"))

    content = post(client, sandbox, [ticket]).json()["data"][0]["sys_content_rich"]

    assert len(content["plain_preview"]) <= 200
    assert content["plain_preview"].startswith("word0 word1")
    assert content["plain_preview"].endswith("…")
    assert "<i>" not in content["plain_preview"]
    assert content["read_minutes"] == 3  # 450 words at 200 a minute, rounded up


def test_html_only_rich_text_gets_a_preview(client: httpx.Client, sandbox: SandboxServer) -> None:
    ticket = it_support(sys_content_rich={"html": "<p>Hello&amp;   <b>bye</b></p>"})

    content = post(client, sandbox, [ticket]).json()["data"][0]["sys_content_rich"]

    assert content["plain_preview"] == "Hello& bye"


def test_one_character_tenant_matches_no_route(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    url = f"{sandbox.base_url}/api/d/v1/{TICKETS_PATH}"
    assert client.post(url, params={"form": "it-support"}, json=[it_support()]).status_code == 404
    assert (
        client.get(
            f"{sandbox.base_url}/api/d/v1/forms/external", params={"key": "it-support"}
        ).status_code
        == 404
    )


def test_unknown_tenant_is_404(client: httpx.Client, sandbox: SandboxServer) -> None:
    url = f"{sandbox.base_url}/api/nobody/v1/{TICKETS_PATH}"
    response = client.post(url, params={"form": "it-support"}, json=[it_support()])
    assert response.status_code == 404
    assert sandbox.state.tickets == []


@pytest.mark.parametrize("version", ["2", "0.9", "abc"])
def test_unsupported_api_version_is_a_400_naming_the_error(
    client: httpx.Client, sandbox: SandboxServer, version: str
) -> None:
    url = f"{sandbox.base_url}/api/demo/v{version}/{TICKETS_PATH}"

    response = client.post(url, params={"form": "it-support"}, json=[it_support()])

    assert response.status_code == 400
    body = response.json()
    expected = "InvalidApiVersion" if version == "abc" else "UnsupportedApiVersion"
    assert body["error"]["code"] == body["code"] == expected
    assert version in body["error"]["message"]
    assert sandbox.state.tickets == []


def test_version_1_0_is_accepted(client: httpx.Client, sandbox: SandboxServer) -> None:
    url = f"{sandbox.base_url}/api/demo/v1.0/{TICKETS_PATH}"
    assert client.post(url, params={"form": "it-support"}, json=[it_support()]).status_code == 200


@pytest.mark.parametrize("form", ["no-such-form", "retired-form", None])
def test_unknown_disabled_or_missing_form_is_forbidden(
    client: httpx.Client, sandbox: SandboxServer, form: str | None
) -> None:
    params = {"form": form} if form else {}

    response = client.post(sandbox.api_url(TICKETS_PATH), params=params, json=[it_support()])

    assert response.status_code == 403
    assert response.json()["status"] == 403 and response.json()["detail"]
    assert sandbox.state.tickets == []


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b'{"subject": "an object, not an array"}', "$"),
        (b"[{not json", "$"),
        (b"[]", "$"),
        (b'["a string"]', "[0]"),
    ],
)
def test_a_body_that_is_not_an_array_of_tickets_is_a_400(
    client: httpx.Client, sandbox: SandboxServer, content: bytes, key: str
) -> None:
    response = client.post(
        sandbox.api_url(TICKETS_PATH),
        params={"form": "it-support"},
        content=content,
        headers={"content-type": "application/json"},
    )
    assert key in errors_of(response)


def test_a_non_json_content_type_is_415(client: httpx.Client, sandbox: SandboxServer) -> None:
    response = client.post(
        sandbox.api_url(TICKETS_PATH),
        params={"form": "it-support"},
        content=b"[]",
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 415


INVALID: list[tuple[str, Callable[[], dict[str, Any]], str]] = [
    ("it-support", lambda: it_support(subject=...), "subject"),
    ("it-support", lambda: it_support(subject="   "), "subject"),
    ("it-support", lambda: it_support(subject="x" * 251), "subject"),
    ("it-support", lambda: it_support(requester={}), "requester"),
    ("it-support", lambda: it_support(requester=...), "requester"),
    ("it-support", lambda: it_support(requester={"email": "not-an-email"}), "requester.email"),
    ("it-support", lambda: it_support(color="blue"), "color"),
    ("it-support", lambda: it_support(summary="belongs to bug-report"), "summary"),
    ("it-support", lambda: it_support(category=...), "category"),
    ("it-support", lambda: it_support(category={"id": 131}), "category"),
    ("it-support", lambda: it_support(category=101), "category"),
    ("it-support", lambda: it_support(category="printer"), "category"),
    ("it-support", lambda: it_support(serial="ab12"), "serial"),
    ("it-support", lambda: it_support(sys_content_rich=...), "sys_content_rich"),
    ("it-support", lambda: it_support(sys_content_rich="plain text"), "sys_content_rich"),
    (
        "it-support",
        lambda: it_support(sys_content_rich={"editorjs": {"blocks": []}}),
        "sys_content_rich",
    ),
    (
        "it-support",
        lambda: it_support(sys_content_rich={"editorjs": {"blocks": [{"data": {}}]}}),
        "sys_content_rich.editorjs.blocks[0]",
    ),
    ("it-support", lambda: it_support(sys_attachments=[{"id": 999}]), "sys_attachments[0].id"),
    ("walk-in-intake", lambda: walk_in(consent=...), "consent"),
    ("walk-in-intake", lambda: walk_in(consent="yes"), "consent"),
    ("walk-in-intake", lambda: walk_in(sys_tags=[{"id": 999}]), "sys_tags[0]"),
    ("walk-in-intake", lambda: walk_in(sys_tags=["walk-in"]), "sys_tags[0]"),
    ("bug-report", lambda: bug_report(sys_tags=...), "sys_tags"),
    ("bug-report", lambda: bug_report(platforms={"id": 141}), "platforms"),
    ("bug-report", lambda: bug_report(platforms=[{"id": 141}, {"id": 101}]), "platforms[1]"),
    ("bug-report", lambda: bug_report(app_version="v2"), "app_version"),
    ("bug-report", lambda: bug_report(affected_users=0), "affected_users"),
    ("bug-report", lambda: bug_report(affected_users=100001), "affected_users"),
    ("bug-report", lambda: bug_report(affected_users=1.5), "affected_users"),
    ("bug-report", lambda: bug_report(occurred_at="yesterday"), "occurred_at"),
    ("bug-report", lambda: bug_report(reproducible="true"), "reproducible"),
]


@pytest.mark.parametrize(("form", "make", "key"), INVALID, ids=[f"{f}:{k}" for f, _, k in INVALID])
def test_invalid_ticket_is_a_400_keyed_by_its_property(
    client: httpx.Client,
    sandbox: SandboxServer,
    form: str,
    make: Callable[[], dict[str, Any]],
    key: str,
) -> None:
    valid = {"it-support": it_support, "walk-in-intake": walk_in, "bug-report": bug_report}[form]()

    errors = errors_of(post(client, sandbox, [valid, make()], form=form))

    assert f"[1].{key}" in errors, errors
    assert all(k.startswith("[1]") for k in errors), errors  # the valid ticket has no errors
    assert all(messages and all(messages) for messages in errors.values())
    assert sandbox.state.tickets == []  # all or nothing


def test_regex_failure_uses_the_fields_message(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    errors = errors_of(post(client, sandbox, [it_support(serial="short")]))
    assert errors["[0].serial"] == ["A serial number is 8 to 12 capital letters or digits."]


def test_name_alone_is_enough_for_a_requester(client: httpx.Client, sandbox: SandboxServer) -> None:
    response = post(client, sandbox, [walk_in(requester={"name": "Bo"})], form="walk-in-intake")
    assert response.status_code == 200, response.text


def test_idempotency_key_replays_the_first_answer_without_new_tickets(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    headers = {"Idempotency-Key": "submission-42"}
    first = post(client, sandbox, [it_support()], headers=headers)

    again = post(client, sandbox, [it_support()], headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len(sandbox.state.tickets) == 1
    other = post(client, sandbox, [it_support()], headers={"Idempotency-Key": "submission-43"})
    assert other.json()["data"][0]["id"] == 1002


def test_idempotency_key_reused_for_a_different_request_is_422(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    headers = {"Idempotency-Key": "k1"}
    post(client, sandbox, [it_support()], headers=headers)

    response = post(client, sandbox, [it_support(subject="Other")], headers=headers)

    assert response.status_code == 422
    assert len(sandbox.state.tickets) == 1


def test_a_failed_request_is_not_remembered_under_its_key(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    headers = {"Idempotency-Key": "k2"}
    assert (
        post(client, sandbox, [it_support()], form="retired-form", headers=headers).status_code
        == 403
    )

    assert post(client, sandbox, [it_support()], headers=headers).status_code == 200


def test_tickets_and_idempotency_survive_a_restart(
    make_sandbox: Callable[..., SandboxServer], tmp_path: Any
) -> None:
    data_dir = tmp_path / "kept"
    first = make_sandbox(data_dir)
    with httpx.Client(timeout=5) as http:
        created = post(http, first, [it_support()], headers={"Idempotency-Key": "k"}).json()
        first.stop()

        second = make_sandbox(data_dir)
        replay = post(http, second, [it_support()], headers={"Idempotency-Key": "k"})
        fresh = post(http, second, [it_support(subject="After restart")])
        listed = http.get(f"{second.base_url}/_sandbox/tickets").json()

    assert replay.json() == created
    assert fresh.json()["data"][0]["id"] == 1002
    assert [t["id"] for t in listed] == [1001, 1002]
    assert not list(data_dir.glob("*.tmp"))


def test_control_routes_list_and_clear_tickets(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    post(client, sandbox, [it_support()], headers={"Idempotency-Key": "k"})

    listed = client.get(f"{sandbox.base_url}/_sandbox/tickets").json()
    cleared = client.delete(f"{sandbox.base_url}/_sandbox/tickets")

    assert [t["subject"] for t in listed] == ["Laptop does not boot"]
    assert cleared.status_code == 204
    assert client.get(f"{sandbox.base_url}/_sandbox/tickets").json() == []
    # Ids keep counting after a clear, and the key is forgotten with its tickets.
    assert (
        post(client, sandbox, [it_support()], headers={"Idempotency-Key": "k"}).json()["data"][0][
            "id"
        ]
        == 1002
    )
