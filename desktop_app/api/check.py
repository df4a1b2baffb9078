"""Test connection: probe a tenant profile's route and say in one line what is wrong, or that it works."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

import httpx
from pydantic import ValidationError

from desktop_app.api.classify import body_of, classify_failure
from desktop_app.api.client import FORM_PATH, make_http_client
from desktop_app.api.envelope import unwrap
from desktop_app.api.failures import outcome_for_exception
from desktop_app.api.messages import one_line
from desktop_app.api.outcomes import (
    Forbidden,
    NotFound,
    NotSent,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    ServerError,
    UnsupportedVersion,
)
from desktop_app.core.dto import FormExternalResponse
from desktop_app.core.profile import ProfileError, TenantProfile

CheckKind = Literal[
    "ok",
    "profile",  # the profile itself is invalid: nothing was sent
    "unreachable",  # DNS, refused, connect timeout, proxy
    "tls",
    "no_answer",  # connected, but no (complete) answer came back
    "tenant_not_found",
    "version_unsupported",
    "forbidden",
    "busy",
    "server_error",
    "unexpected",
]
_UNREACHABLE_CAUSES = frozenset(
    {"refused", "dns", "connect", "connect_timeout", "pool_timeout", "proxy"}
)


@dataclass(frozen=True)
class CheckResult:
    """What a connection check found: `ok`, a `kind` for code and one plain line for people."""

    ok: bool
    kind: CheckKind
    message: str
    elapsed_ms: float | None = None


def _ms(elapsed: float) -> str:
    return f"{elapsed * 1000:.0f} ms"


@contextlib.asynccontextmanager
async def _client_for(
    http: httpx.AsyncClient, profile: TenantProfile
) -> AsyncIterator[httpx.AsyncClient]:
    # httpx verifies TLS per client: the shared one only skips verification for the profiles
    # it was built with, and this profile may be new or just edited.
    if httpx.URL(profile.base_url).scheme == "https" and not profile.verify_tls:
        async with make_http_client(profiles=[profile]) as own:
            yield own
    else:
        yield http


async def check_connection(
    http: httpx.AsyncClient, profile: TenantProfile, *, form_key: str | None = None
) -> CheckResult:
    """Probe GET forms/external for the profile's tenant and version (and form, when given).

    Never raises for network or server problems: every failure becomes a CheckResult.
    """
    try:
        profile.check()
    except ProfileError as error:
        return CheckResult(False, "profile", f"The profile cannot be used: {error}.")
    key = (form_key or "").strip()
    url = profile.api_url(FORM_PATH)
    timeout = httpx.Timeout(profile.read_timeout, connect=profile.connect_timeout)
    started = time.perf_counter()
    try:
        async with _client_for(http, profile) as client:
            response = await client.get(
                url, params={"key": key} if key else None, timeout=timeout, follow_redirects=False
            )
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        return _transport_result(outcome_for_exception(error, httpx.URL(url), timeout), profile)
    except OSError as error:
        return CheckResult(False, "unreachable", f"Cannot reach {profile.base_url}: {error}.")
    return _answer_result(response, profile, key, time.perf_counter() - started)


def _transport_result(outcome: NotSent | OutcomeUnknown, profile: TenantProfile) -> CheckResult:
    if isinstance(outcome, NotSent):
        reason = outcome.reason
        if outcome.cause == "tls":
            return CheckResult(
                False,
                "tls",
                f"TLS problem: {reason}. Check https:// versus http:// in the base URL and the"
                " server's certificate (switch off TLS verification only for a test server).",
            )
        if outcome.cause in _UNREACHABLE_CAUSES:
            return CheckResult(
                False,
                "unreachable",
                f"Cannot reach the host: {reason}. Check the base URL and the network.",
            )
        return CheckResult(False, "profile", f"The profile cannot be used: {reason}.")
    return CheckResult(
        False,
        "no_answer",
        f"The host {profile.base_url} took the connection but gave no usable answer: {outcome.reason}.",
    )


def _answer_result(
    response: httpx.Response, profile: TenantProfile, key: str, elapsed: float
) -> CheckResult:
    ms = elapsed * 1000
    tenant, version = profile.tenant, profile.api_version
    reached = f"tenant '{tenant}' answers on API v{version} in {_ms(elapsed)}"
    if 200 <= response.status_code < 300:
        if not key:
            return CheckResult(True, "ok", f"OK: {reached}.", ms)
        count = _field_count(response)
        if count is None:
            return CheckResult(
                False,
                "unexpected",
                f"The server at {profile.base_url} answered, but not with a DeskHero form:"
                " check the base URL.",
                ms,
            )
        return CheckResult(True, "ok", f"OK: {reached}; form '{key}' found ({count} fields).", ms)
    outcome = classify_failure(response, api_version=version)
    detail = _detail(getattr(outcome, "message", None))
    if isinstance(outcome, UnsupportedVersion):
        return CheckResult(
            False,
            "version_unsupported",
            f"API version {version} is not supported by tenant '{tenant}'{detail}. Change the"
            " API version (most tenants use 1).",
            ms,
        )
    if isinstance(outcome, NotFound):
        return CheckResult(
            False,
            "tenant_not_found",
            f"Tenant '{tenant}' was not found at {profile.base_url} (404){detail}. Check the"
            " tenant key and the base URL.",
            ms,
        )
    # Without a form key the probe asks for no form: a DeskHero-shaped refusal of that
    # still proves the tenant and version route exist.
    if not key and isinstance(outcome, Forbidden | Rejected) and body_of(response).is_json:
        return CheckResult(True, "ok", f"OK: {reached} (enter a form key to check a form too).", ms)
    if isinstance(outcome, Forbidden):
        what = f"the form '{key}' does not exist, is disabled or" if key else "the tenant"
        return CheckResult(
            False,
            "forbidden",
            f"Forbidden (403): {what} does not accept external tickets{detail}. Check the form"
            " key and its settings in DeskHero.",
            ms,
        )
    if isinstance(outcome, RateLimited):
        return CheckResult(
            False,
            "busy",
            f"Tenant '{tenant}' is reachable but busy ({response.status_code}); {outcome.advice}.",
            ms,
        )
    if isinstance(outcome, ServerError):
        return CheckResult(False, "server_error", f"{outcome.summary}; {outcome.advice}.", ms)
    return CheckResult(
        False, "unexpected", f"{outcome.summary.rstrip('.')}. Check the base URL.", ms
    )


def _detail(message: str | None) -> str:
    text = one_line(message, 160).rstrip(".") if message else ""
    return f" ({text})" if text else ""


def _field_count(response: httpx.Response) -> int | None:
    body = body_of(response)
    if not body.is_json:
        return None
    envelope = unwrap(body.data)
    if envelope.failed or not isinstance(envelope.payload, dict):
        return None
    try:
        return len(FormExternalResponse.model_validate(envelope.payload).fields)
    except ValidationError:
        return None
