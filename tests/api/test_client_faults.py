"""DeskHeroClient.submit when the sandbox misbehaves on purpose (queued faults), over loopback."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from desktop_app.api.client import DeskHeroClient
from desktop_app.api.outcomes import (
    Accepted,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unexpected,
)
from desktop_app.sandbox import Fault, SandboxServer
from tests.api.conftest import FORM, ticket


@pytest.mark.parametrize("status", [429, 503])
async def test_rate_limited_with_retry_after(
    client: DeskHeroClient, sandbox: SandboxServer, status: int
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=status, retry_after=2))
    outcome = await client.submit([ticket()], FORM)
    assert outcome == RateLimited(status=status, retry_after=2.0)
    assert outcome.retryable and not outcome.may_have_arrived
    assert outcome.user_message.endswith("Try again in 2 seconds.")
    assert sandbox.state.tickets == []


async def test_rate_limited_through_the_control_api(
    client: DeskHeroClient, sandbox: SandboxServer, http: httpx.AsyncClient
) -> None:
    queued = await http.post(
        f"{sandbox.base_url}/_sandbox/faults", json={"kind": "status", "status": 429}
    )
    assert queued.status_code == 201
    assert await client.submit([ticket()], FORM) == RateLimited(status=429, retry_after=None)


async def test_server_error(client: DeskHeroClient, sandbox: SandboxServer) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=500))
    outcome = await client.submit([ticket()], FORM)
    assert isinstance(outcome, ServerError)
    assert outcome.status == 500
    assert outcome.message == "Fault injected by the DeskHero sandbox."
    assert outcome.retryable


async def test_redirect_is_not_followed(client: DeskHeroClient, sandbox: SandboxServer) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=307))
    outcome = await client.submit([ticket()], FORM)
    assert isinstance(outcome, Unexpected)
    assert outcome.status == 307


async def test_slow_answer_beyond_the_read_timeout_is_unknown(
    client_for: Any, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="slow", delay_ms=2000))
    outcome = await client_for(read_timeout=0.3).submit([ticket()], FORM)
    assert isinstance(outcome, OutcomeUnknown)
    assert outcome.cause == "read_timeout"
    assert "did not answer within 0.3 s" in outcome.user_message
    assert outcome.may_have_arrived
    assert len(sandbox.state.tickets) == 1  # it did arrive: the user must not resend blindly


async def test_dropped_connection_is_unknown(
    client: DeskHeroClient, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="drop"))
    outcome = await client.submit([ticket()], FORM)
    assert isinstance(outcome, OutcomeUnknown)
    assert outcome.cause == "dropped"
    assert len(sandbox.state.tickets) == 1


async def test_200_with_html_is_unknown(client: DeskHeroClient, sandbox: SandboxServer) -> None:
    sandbox.state.faults.add(Fault(kind="html"))
    outcome = await client.submit([ticket()], FORM)
    assert isinstance(outcome, OutcomeUnknown)
    assert outcome.status == 200
    assert outcome.reason == (
        "the server answered 200 with an HTML page instead of JSON (<title>502 Bad Gateway</title>)"
    )


async def test_200_with_garbage_json_is_unknown(
    client: DeskHeroClient, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="garbage"))
    outcome = await client.submit([ticket()], FORM)
    assert isinstance(outcome, OutcomeUnknown)
    assert outcome.cause == "unreadable_body"
    assert outcome.reason.startswith("the server answered 200 with a body that is not JSON")
    assert len(sandbox.state.tickets) == 1


async def test_resend_after_unknown_with_the_same_key_does_not_duplicate(
    client: DeskHeroClient, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="drop"))
    lost = await client.submit([ticket()], FORM, idempotency_key="outbox-42")
    assert isinstance(lost, OutcomeUnknown)
    again = await client.submit([ticket()], FORM, idempotency_key="outbox-42")
    assert isinstance(again, Accepted)
    assert again.ticket_ids == [t["id"] for t in sandbox.state.tickets] == [1001]
