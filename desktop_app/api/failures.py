"""Map transport exceptions to outcomes by whether the request can have reached the server."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import httpx

from desktop_app.api.messages import one_line
from desktop_app.api.outcomes import NotSent, OutcomeUnknown

_DNS_HINTS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "no address associated",
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _where(url: httpx.URL) -> str:
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host}:{port}"


def _seconds(value: float | None) -> str:
    return "the time allowed" if value is None else f"{value:g} s"


def _connect_failure(exc: httpx.ConnectError, url: httpx.URL) -> NotSent:
    causes = list(_chain(exc))
    tls = next((cause for cause in causes if isinstance(cause, ssl.SSLError)), None)
    if tls is not None:
        reason = getattr(tls, "reason", None) or one_line(str(tls), 120)
        return NotSent(
            cause="tls", reason=f"the secure connection to {_where(url)} failed ({reason})"
        )
    text = " ".join(str(cause) for cause in causes).lower()
    if any(isinstance(cause, socket.gaierror) for cause in causes) or any(
        hint in text for hint in _DNS_HINTS
    ):
        return NotSent(cause="dns", reason=f"the host name {url.host} could not be found")
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return NotSent(
            cause="refused",
            reason=f"nothing answers at {_where(url)} (connection refused)",
        )
    return NotSent(
        cause="connect",
        reason=f"could not connect to {_where(url)} ({one_line(str(exc), 120) or type(exc).__name__})",
    )


def outcome_for_exception(
    exc: Exception, url: httpx.URL, timeout: httpx.Timeout
) -> NotSent | OutcomeUnknown:
    """NotSent when the request cannot have reached the server, else OutcomeUnknown."""
    # Order matters: the timeout and connect classes share base classes with the others.
    if isinstance(exc, httpx.ConnectTimeout):
        return NotSent(
            cause="connect_timeout",
            reason=f"{_where(url)} did not accept a connection within {_seconds(timeout.connect)}",
        )
    if isinstance(exc, httpx.PoolTimeout):
        return NotSent(cause="pool_timeout", reason="no free connection became available in time")
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(exc, url)
    if isinstance(exc, httpx.ProxyError):
        return NotSent(
            cause="proxy", reason=f"the proxy refused the connection ({one_line(str(exc), 120)})"
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return NotSent(cause="profile", reason=f"the address {url} cannot be used ({exc})")
    if isinstance(exc, httpx.LocalProtocolError):
        return NotSent(cause="invalid_request", reason=f"the request could not be built ({exc})")
    if isinstance(exc, httpx.ReadTimeout):
        return OutcomeUnknown(
            cause="read_timeout",
            reason=f"the server did not answer within {_seconds(timeout.read)} after the request was sent",
        )
    if isinstance(exc, httpx.WriteTimeout | httpx.WriteError):
        # Part of the request may be on the wire already; assume the worst.
        return OutcomeUnknown(
            cause="write_timeout" if isinstance(exc, httpx.WriteTimeout) else "dropped",
            reason="the connection failed while the request was being sent",
        )
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError | httpx.CloseError):
        return OutcomeUnknown(
            cause="dropped",
            reason="the connection was closed before a complete answer arrived",
        )
    if isinstance(exc, httpx.DecodingError):
        return OutcomeUnknown(
            cause="unreadable_body",
            reason=f"the answer could not be decoded ({one_line(str(exc), 120)})",
        )
    return OutcomeUnknown(
        cause="transport",
        reason=f"the connection failed ({type(exc).__name__}: {one_line(str(exc), 120) or 'no detail'})",
    )
