"""Transport faults a loopback server cannot stage, mapped by whether the request left."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from desktop_app.api.client import ApiError, DeskHeroClient, make_http_client
from desktop_app.api.failures import outcome_for_exception
from desktop_app.api.outcomes import NotSent, OutcomeUnknown
from desktop_app.core.profile import TenantProfile
from tests.api.conftest import FORM, ticket

URL = httpx.URL("https://help.example.com/api/demo/v1/tickets/external_dynamic_form")
TIMEOUT = httpx.Timeout(30, connect=5)


def caused(exc: Exception, cause: BaseException) -> Exception:
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("exc", "kind", "cause"),
    [
        (httpx.ConnectTimeout("t"), "not_sent", "connect_timeout"),
        (httpx.PoolTimeout("t"), "not_sent", "pool_timeout"),
        (
            caused(httpx.ConnectError("x"), ConnectionRefusedError(111, "refused")),
            "not_sent",
            "refused",
        ),
        (
            caused(httpx.ConnectError("x"), socket.gaierror(-2, "Name or service not known")),
            "not_sent",
            "dns",
        ),
        (
            caused(
                httpx.ConnectError("x"),
                ssl.SSLCertVerificationError(1, "certificate verify failed"),
            ),
            "not_sent",
            "tls",
        ),
        (httpx.ConnectError("[Errno 11001] getaddrinfo failed"), "not_sent", "dns"),
        (httpx.ConnectError("something else"), "not_sent", "connect"),
        (httpx.ProxyError("407"), "not_sent", "proxy"),
        (httpx.UnsupportedProtocol("ftp"), "not_sent", "profile"),
        (httpx.LocalProtocolError("bad header"), "not_sent", "invalid_request"),
        (httpx.ReadTimeout("t"), "outcome_unknown", "read_timeout"),
        (httpx.WriteTimeout("t"), "outcome_unknown", "write_timeout"),
        (httpx.WriteError("broken pipe"), "outcome_unknown", "dropped"),
        (httpx.ReadError("reset"), "outcome_unknown", "dropped"),
        (httpx.RemoteProtocolError("Server disconnected"), "outcome_unknown", "dropped"),
        (httpx.DecodingError("bad gzip"), "outcome_unknown", "unreadable_body"),
        (httpx.NetworkError("odd"), "outcome_unknown", "transport"),
    ],
)
def test_exception_mapping(exc: Exception, kind: str, cause: str) -> None:
    outcome = outcome_for_exception(exc, URL, TIMEOUT)
    assert (outcome.kind, outcome.cause) == (kind, cause)
    assert outcome.user_message.count("\n") == 0


def test_tls_reason_names_the_problem() -> None:
    error = ssl.SSLCertVerificationError(
        1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"
    )
    error.reason = "CERTIFICATE_VERIFY_FAILED"
    outcome = outcome_for_exception(caused(httpx.ConnectError("x"), error), URL, TIMEOUT)
    assert outcome.user_message.startswith(
        "Not sent: the secure connection to help.example.com:443 failed (CERTIFICATE_VERIFY_FAILED)."
    )


PROFILE = TenantProfile(
    name="Mocked", base_url="https://help.example.com", tenant="demo", upload="attachments/external"
)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.PoolTimeout("no connection"), NotSent),
        (httpx.WriteError("broken pipe"), OutcomeUnknown),
        (httpx.DecodingError("bad gzip"), OutcomeUnknown),
        (OSError("raw socket error"), OutcomeUnknown),
    ],
)
async def test_client_turns_every_transport_fault_into_an_outcome(
    exc: Exception, expected: type
) -> None:
    # A mock transport: the only way to raise these faults on demand.
    def fail(request: httpx.Request) -> httpx.Response:
        raise exc

    async with make_http_client(transport=httpx.MockTransport(fail)) as http:
        client = DeskHeroClient(http, PROFILE)
        assert isinstance(await client.submit([ticket()], FORM), expected)
        with pytest.raises(ApiError) as caught:
            await client.get_external_form("it-support")
        assert isinstance(caught.value.outcome, expected)
        with pytest.raises(ApiError):
            await client.upload_attachment(b"x", "a.txt", "text/plain")
