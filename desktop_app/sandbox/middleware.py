"""ASGI middleware that applies latency and queued faults to DeskHero routes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop_app.sandbox.faults import Fault
from desktop_app.sandbox.problems import problem
from desktop_app.sandbox.state import SandboxState

PROXY_ERROR_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_ROUTES = {"tickets": "tickets", "forms": "forms", "attachments": "attachments"}


class DroppedResponse(Exception):
    """Raised after a partial response so the server closes the connection mid-answer."""


class _DropFilter(logging.Filter):
    """Keeps deliberate drops out of uvicorn's error log; real errors still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedResponse))


DROP_LOG_FILTER = _DropFilter()


def route_of(path: str) -> str:
    """The fault route of a path `/api/{tenant}/v{version}/{resource}/...`."""
    segments = path.strip("/").split("/")
    return _ROUTES.get(segments[3], "other") if len(segments) > 3 else "other"


class _Recorder:
    """Collects what the app sends, so a fault can mangle it afterwards."""

    def __init__(self) -> None:
        self.start: Message | None = None
        self.body = bytearray()

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")


class FaultMiddleware:
    """Adds `state.latency_ms`, then lets the next queued fault (if any) shape the answer."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if self.state.latency_ms > 0:
            await asyncio.sleep(self.state.latency_ms / 1000)
        fault = self.state.faults.take(route_of(scope["path"]))
        if fault is None:
            await self.app(scope, receive, send)
            return
        await _APPLY[fault.kind](self.app, fault, scope, receive, send)


async def _drain(receive: Receive) -> None:
    # Read the whole request first: answering mid-upload would make the client see a reset.
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _pause(fault: Fault) -> None:
    if fault.delay_ms > 0:
        await asyncio.sleep(fault.delay_ms / 1000)


async def _status(app: ASGIApp, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer in place of the tenant (a gateway or rate limiter): nothing is processed."""
    await _drain(receive)
    await _pause(fault)
    retry_after = fault.retry_after_header
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    response = problem(
        fault.response_status, detail="Fault injected by the DeskHero sandbox.", headers=headers
    )
    await response(scope, receive, send)


async def _html(app: ASGIApp, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    """A proxy's error page in place of JSON: nothing is processed."""
    await _drain(receive)
    await _pause(fault)
    await HTMLResponse(PROXY_ERROR_PAGE, status_code=fault.response_status)(scope, receive, send)


async def _slow(app: ASGIApp, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    """Process at once, answer late: a client that times out has still created its tickets."""
    delayed = False

    async def late_send(message: Message) -> None:
        nonlocal delayed
        if not delayed:
            delayed = True
            await _pause(fault)
        await send(message)

    await app(scope, receive, late_send)


async def _drop(app: ASGIApp, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    """Process, then lose the answer: headers and half the body, then the connection closes."""
    recorder = _Recorder()
    await app(scope, receive, recorder)
    await _pause(fault)
    assert recorder.start is not None
    headers = [
        (k, v) for k, v in recorder.start.get("headers", []) if k.lower() != b"content-length"
    ]
    headers.append((b"content-length", str(len(recorder.body)).encode()))
    await send({**recorder.start, "headers": headers})
    await send(
        {
            "type": "http.response.body",
            "body": bytes(recorder.body[: len(recorder.body) // 2]),
            "more_body": True,
        }
    )
    raise DroppedResponse("sandbox fault: connection dropped mid-response")


async def _garbage(app: ASGIApp, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    """Process, then answer with a truncated JSON body that no parser accepts."""
    recorder = _Recorder()
    await app(scope, receive, recorder)
    await _pause(fault)
    # A proper prefix of a JSON object is never valid JSON.
    body = bytes(recorder.body[: len(recorder.body) // 2]) or b'{"success": tr'
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    status = fault.response_status
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


_APPLY: dict[str, Callable[[ASGIApp, Fault, Scope, Receive, Send], Awaitable[None]]] = {
    "status": _status,
    "html": _html,
    "slow": _slow,
    "drop": _drop,
    "garbage": _garbage,
}
