"""DeskHeroClient.submit against the sandbox over real loopback HTTP: one test per outcome."""

from __future__ import annotations

import socket
from typing import Any

import httpx

from desktop_app.api.client import USER_AGENT, DeskHeroClient
from desktop_app.api.outcomes import (
    Accepted,
    Forbidden,
    NotFound,
    NotSent,
    Rejected,
    UnsupportedVersion,
)
from desktop_app.sandbox import SandboxServer
from tests.api.conftest import FORM, RequestLog, ticket


async def test_accepted_tickets_are_matched_to_the_sent_ones(
    client: DeskHeroClient, sandbox: SandboxServer, http: httpx.AsyncClient
) -> None:
    sent = [ticket(subject="First"), ticket(subject="Second", urgency={"id": 113})]
    outcome = await client.submit(sent, FORM)
    assert isinstance(outcome, Accepted)
    assert outcome.ticket_ids == [1001, 1002]
    assert [t.subject for t in outcome.matched if t] == ["First", "Second"]
    assert outcome.tickets[1].custom_fields["urgency"] == {"id": 113, "label": "High"}
    assert outcome.user_message == "DeskHero created 2 tickets (#1001, #1002)."
    assert [t["id"] for t in sandbox.state.tickets] == [1001, 1002]
    assert not http.is_closed  # the shared client belongs to the app, not to DeskHeroClient


async def test_requests_carry_the_user_agent_and_form(
    client: DeskHeroClient, request_log: RequestLog
) -> None:
    await client.submit([ticket()], FORM)
    [request] = request_log.requests
    assert request.headers["user-agent"] == USER_AGENT
    assert request.url.params["form"] == FORM
    assert request.url.path == "/api/demo/v1/tickets/external_dynamic_form"
    assert request.headers["content-type"] == "application/json"


async def test_rejected_messages_point_at_ticket_and_field(
    client: DeskHeroClient, sandbox: SandboxServer
) -> None:
    bad = ticket(subject="", requester={"email": "not-an-email", "name": "Bo"})
    outcome = await client.submit([ticket(), bad], FORM)
    assert isinstance(outcome, Rejected)
    located = {(m.ticket_index, m.field) for m in outcome.messages}
    assert located == {(1, "subject"), (1, "requester.email")}
    assert outcome.user_message.startswith("DeskHero rejected the ticket: ticket 2, ")
    assert not outcome.may_have_arrived
    assert sandbox.state.tickets == []  # all or nothing


async def test_unknown_form_is_forbidden(client: DeskHeroClient) -> None:
    outcome = await client.submit([ticket()], "retired-form")
    assert isinstance(outcome, Forbidden)
    assert outcome.message is not None and "retired-form" in outcome.message


async def test_one_character_tenant_is_refused_before_sending(
    client_for: Any, request_log: RequestLog
) -> None:
    outcome = await client_for(unchecked=True, tenant="d").submit([ticket()], FORM)
    assert isinstance(outcome, NotSent)
    assert outcome.cause == "profile"
    assert "1-character tenant matches no DeskHero route" in outcome.user_message
    assert request_log.requests == []


async def test_unknown_tenant_is_not_found(client_for: Any) -> None:
    outcome = await client_for(tenant="nobody").submit([ticket()], FORM)
    assert isinstance(outcome, NotFound)
    assert outcome.user_message == (
        "DeskHero answered 404 Not Found: There is no DeskHero tenant 'nobody'. "
        "Check the base URL and tenant in the profile."
    )


async def test_unsupported_api_version(client_for: Any) -> None:
    outcome = await client_for(api_version="9").submit([ticket()], FORM)
    assert isinstance(outcome, UnsupportedVersion)
    assert outcome.api_version == "9"
    assert outcome.user_message.startswith("DeskHero does not support API version 9")


async def test_invalid_api_version_is_a_version_problem_too(client_for: Any) -> None:
    outcome = await client_for(api_version="latest").submit([ticket()], FORM)
    assert isinstance(outcome, UnsupportedVersion)


async def test_connection_refused_is_not_sent(client_for: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = await client_for(base_url=f"http://127.0.0.1:{port}").submit([ticket()], FORM)
    assert isinstance(outcome, NotSent)
    assert outcome.cause == "refused"
    assert outcome.retryable and not outcome.may_have_arrived
    assert f"127.0.0.1:{port}" in outcome.user_message


async def test_tls_failure_is_not_sent(client_for: Any, sandbox: SandboxServer) -> None:
    # https to a plain-http port: a real TLS handshake that fails.
    tls_url = sandbox.base_url.replace("http://", "https://")
    outcome = await client_for(base_url=tls_url).submit([ticket()], FORM)
    assert isinstance(outcome, NotSent)
    assert outcome.cause == "tls"
    assert not outcome.retryable
    assert sandbox.state.tickets == []


async def test_unknown_host_is_not_sent() -> None:
    from desktop_app.api.client import make_http_client
    from desktop_app.core.profile import TenantProfile

    profile = TenantProfile(
        name="Nowhere", base_url="https://deskhero.invalid", tenant="demo", connect_timeout=3
    )
    async with make_http_client(trust_env=False) as http:
        outcome = await DeskHeroClient(http, profile).submit([ticket()], FORM)
    assert isinstance(outcome, NotSent)
    assert outcome.cause in ("dns", "connect_timeout")


async def test_idempotency_key_replays_the_same_ticket(
    client: DeskHeroClient, sandbox: SandboxServer
) -> None:
    first = await client.submit([ticket()], FORM, idempotency_key="draft-17-attempt")
    again = await client.submit([ticket()], FORM, idempotency_key="draft-17-attempt")
    assert isinstance(first, Accepted) and isinstance(again, Accepted)
    assert again.ticket_ids == first.ticket_ids == [1001]
    assert len(sandbox.state.tickets) == 1


async def test_refusals_before_sending(
    client: DeskHeroClient, client_for: Any, request_log: RequestLog
) -> None:
    with_file = ticket(sys_attachments=[{"id": 1}])
    no_upload = await client_for(upload=None).submit([with_file], FORM)
    assert isinstance(no_upload, NotSent) and no_upload.cause == "upload_not_configured"
    assert "has no attachment upload step" in no_upload.user_message
    not_uploaded = await client.submit([ticket(sys_attachments=[{}])], FORM)
    assert isinstance(not_uploaded, NotSent) and not_uploaded.cause == "attachment_not_uploaded"
    nothing = await client.submit([], FORM)
    assert isinstance(nothing, NotSent) and nothing.cause == "nothing_to_send"
    bad_key = await client.submit([ticket()], FORM, idempotency_key="two words")
    assert isinstance(bad_key, NotSent) and bad_key.cause == "invalid_request"
    no_form = await client.submit([ticket()], " ")
    assert isinstance(no_form, NotSent) and no_form.cause == "invalid_request"
    not_json = await client.submit([ticket(score=object())], FORM)
    assert isinstance(not_json, NotSent) and not_json.cause == "invalid_request"
    assert request_log.requests == []
