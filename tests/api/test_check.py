"""Test connection against the sandbox over loopback: each way a route can be wrong, in plain words."""

from __future__ import annotations

import socket

import httpx
import pytest

from desktop_app.api.check import check_connection
from desktop_app.core.profile import TenantProfile
from desktop_app.sandbox import Fault, SandboxServer
from tests.api.conftest import RequestLog


def _changed(profile: TenantProfile, **changes: object) -> TenantProfile:
    return TenantProfile.model_validate({**profile.model_dump(), **changes})


async def test_a_good_route_is_ok_with_its_round_trip_time(
    http: httpx.AsyncClient, profile: TenantProfile
) -> None:
    result = await check_connection(http, profile)
    assert result.ok and result.kind == "ok"
    assert result.elapsed_ms is not None and result.elapsed_ms >= 0
    assert result.message.startswith("OK: tenant 'demo' answers on API v1 in ")
    assert result.message.endswith("ms (enter a form key to check a form too).")


async def test_a_known_form_is_found_with_its_field_count(
    http: httpx.AsyncClient, profile: TenantProfile
) -> None:
    result = await check_connection(http, profile, form_key=" it-support ")
    assert result.ok
    assert result.message.endswith("; form 'it-support' found (6 fields).")


async def test_a_disabled_form_is_forbidden(
    http: httpx.AsyncClient, profile: TenantProfile
) -> None:
    result = await check_connection(http, profile, form_key="retired-form")
    assert not result.ok and result.kind == "forbidden"
    assert result.message.startswith(
        "Forbidden (403): the form 'retired-form' does not exist, is disabled or does not accept"
    )


async def test_an_unknown_tenant_is_not_found(
    http: httpx.AsyncClient, profile: TenantProfile
) -> None:
    result = await check_connection(http, _changed(profile, tenant="acme"))
    assert not result.ok and result.kind == "tenant_not_found"
    assert "Tenant 'acme' was not found at http://127.0.0.1:" in result.message
    assert result.message.endswith("Check the tenant key and the base URL.")


async def test_an_unsupported_version_is_named(
    http: httpx.AsyncClient, profile: TenantProfile
) -> None:
    result = await check_connection(http, _changed(profile, api_version="7"))
    assert not result.ok and result.kind == "version_unsupported"
    assert result.message.startswith("API version 7 is not supported by tenant 'demo'")


async def test_a_closed_port_is_unreachable(
    http: httpx.AsyncClient, profile: TenantProfile
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await check_connection(http, _changed(profile, base_url=f"http://127.0.0.1:{port}"))
    assert not result.ok and result.kind == "unreachable"
    assert result.message == (
        f"Cannot reach the host: nothing answers at 127.0.0.1:{port} (connection refused)."
        " Check the base URL and the network."
    )


@pytest.mark.parametrize("verify_tls", [True, False])
async def test_https_to_a_plain_http_server_is_a_tls_problem(
    http: httpx.AsyncClient, profile: TenantProfile, sandbox: SandboxServer, verify_tls: bool
) -> None:
    https = sandbox.base_url.replace("http://", "https://")
    result = await check_connection(http, _changed(profile, base_url=https, verify_tls=verify_tls))
    assert not result.ok and result.kind == "tls"
    assert result.message.startswith("TLS problem: the secure connection to 127.0.0.1:")


async def test_a_busy_tenant_says_when_to_try_again(
    http: httpx.AsyncClient, profile: TenantProfile, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=503, retry_after=30, route="forms"))
    result = await check_connection(http, profile)
    assert not result.ok and result.kind == "busy"
    assert result.message == ("Tenant 'demo' is reachable but busy (503); try again in 30 seconds.")


async def test_a_dropped_answer_is_no_answer(
    http: httpx.AsyncClient, profile: TenantProfile, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="drop", route="forms"))
    result = await check_connection(http, profile, form_key="it-support")
    assert not result.ok and result.kind == "no_answer"
    assert "took the connection but gave no usable answer" in result.message


async def test_a_web_page_instead_of_a_form_is_unexpected(
    http: httpx.AsyncClient, profile: TenantProfile, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="html", route="forms"))
    result = await check_connection(http, profile, form_key="it-support")
    assert not result.ok and result.kind == "unexpected"
    assert "answered, but not with a DeskHero form" in result.message


async def test_an_invalid_profile_sends_nothing(
    http: httpx.AsyncClient, profile: TenantProfile, request_log: RequestLog
) -> None:
    broken = profile.model_copy(update={"tenant": "x"})
    result = await check_connection(http, broken)
    assert not result.ok and result.kind == "profile"
    assert result.message.startswith("The profile cannot be used: tenant 'x' is too short")
    assert request_log.requests == []
