"""The sandbox's own control routes under /_sandbox/ (not part of DeskHero)."""

from __future__ import annotations

from typing import cast

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from desktop_app.sandbox.faults import Fault
from desktop_app.sandbox.problems import problem, validation_problem
from desktop_app.sandbox.state import SandboxState


def _state(request: Request) -> SandboxState:
    return cast(SandboxState, request.app.state.sandbox)


async def _json(request: Request) -> object:
    try:
        return await request.json()
    except ValueError:
        return None


def _errors(error: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in error.errors():
        errors.setdefault(".".join(str(p) for p in item["loc"]) or "$", []).append(item["msg"])
    return errors


async def info(request: Request) -> Response:
    """GET /_sandbox: what this sandbox serves."""
    state = _state(request)
    return JSONResponse(
        {
            "tenant": state.tenant,
            "api_base": f"{request.base_url}api/{state.tenant}/v1/",
            "forms": [
                {"key": f.key, "label": f.label, "enabled": f.enabled}
                for f in state.catalog.forms.values()
            ],
            "tickets": state.store.ticket_count(),
            "latency_ms": state.latency_ms,
            "faults": [f.model_dump() for f in state.faults.pending()],
        }
    )


async def list_tickets(request: Request) -> Response:
    """GET /_sandbox/tickets: every received ticket."""
    return JSONResponse(_state(request).tickets)


async def clear_tickets(request: Request) -> Response:
    """DELETE /_sandbox/tickets: forget tickets, idempotency records and the request log."""
    _state(request).store.clear_tickets()
    _state(request).clear_requests()
    return Response(status_code=204)


async def list_requests(request: Request) -> Response:
    """GET /_sandbox/requests: the ticket requests answered with success (key, replayed, ids)."""
    return JSONResponse(_state(request).requests)


async def list_faults(request: Request) -> Response:
    """GET /_sandbox/faults: pending faults."""
    return JSONResponse([f.model_dump() for f in _state(request).faults.pending()])


async def add_fault(request: Request) -> Response:
    """POST /_sandbox/faults: queue a fault (see faults.Fault)."""
    try:
        fault = Fault.model_validate(await _json(request))
    except ValidationError as error:
        return validation_problem(_errors(error))
    _state(request).faults.add(fault)
    return JSONResponse(fault.model_dump(), status_code=201)


async def clear_faults(request: Request) -> Response:
    """DELETE /_sandbox/faults: drop every pending fault."""
    _state(request).faults.clear()
    return Response(status_code=204)


async def latency(request: Request) -> Response:
    """GET or PUT /_sandbox/latency {"ms": N}: delay added to every DeskHero route."""
    state = _state(request)
    if request.method == "PUT":
        body = await _json(request)
        ms = body.get("ms") if isinstance(body, dict) else None
        if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
            return problem(400, detail='Send {"ms": N} with N a whole number >= 0.')
        state.latency_ms = ms
    return JSONResponse({"ms": state.latency_ms})


ROUTES = [
    Route("/_sandbox", info, methods=["GET"]),
    Route("/_sandbox/tickets", list_tickets, methods=["GET"]),
    Route("/_sandbox/tickets", clear_tickets, methods=["DELETE"]),
    Route("/_sandbox/requests", list_requests, methods=["GET"]),
    Route("/_sandbox/faults", list_faults, methods=["GET"]),
    Route("/_sandbox/faults", add_fault, methods=["POST"]),
    Route("/_sandbox/faults", clear_faults, methods=["DELETE"]),
    Route("/_sandbox/latency", latency, methods=["GET", "PUT"]),
]
