"""Fixtures for client tests: a shared AsyncClient that counts requests, and sandbox profiles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from desktop_app.api.client import DeskHeroClient, make_http_client
from desktop_app.core.dto import Ticket
from desktop_app.core.profile import TenantProfile
from desktop_app.sandbox import SandboxServer

FORM = "it-support"
VALID_TICKET: dict[str, Any] = {
    "subject": "Printer jam",
    "requester": {"email": "ada@example.com", "name": "Ada"},
    "category": {"id": 102},
    "sys_content_rich": {"editorjs": {"blocks": [{"type": "paragraph", "data": {"text": "Hi"}}]}},
}


def ticket(**changes: Any) -> Ticket:
    """A ticket the demo tenant's it-support form accepts, with `changes` applied."""
    return Ticket.model_validate({**VALID_TICKET, **changes})


class RequestLog:
    """Requests the shared client put on the wire, to prove that refusals never send."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture
async def http(request_log: RequestLog) -> AsyncIterator[httpx.AsyncClient]:
    async with make_http_client(event_hooks={"request": [request_log]}) as client:
        yield client


@pytest.fixture
def profile(sandbox: SandboxServer) -> TenantProfile:
    return TenantProfile(
        name="Sandbox",
        base_url=sandbox.base_url,
        tenant=sandbox.tenant,
        upload="attachments/external",
        read_timeout=5,
    )


@pytest.fixture
def client(http: httpx.AsyncClient, profile: TenantProfile) -> DeskHeroClient:
    return DeskHeroClient(http, profile)


@pytest.fixture
def client_for(http: httpx.AsyncClient, profile: TenantProfile) -> Any:
    """A client for the sandbox profile with some settings changed; `unchecked` skips validation."""

    def make(*, unchecked: bool = False, **changes: Any) -> DeskHeroClient:
        if unchecked:
            return DeskHeroClient(http, profile.model_copy(update=changes))
        return DeskHeroClient(
            http, TenantProfile.model_validate({**profile.model_dump(), **changes})
        )

    return make
