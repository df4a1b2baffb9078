"""Fixtures for engine tests: a real store, the real sandbox over loopback, fast engine settings."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop_app.api.client import make_http_client
from desktop_app.core.events import Event, EventBus
from desktop_app.core.form.loading import parse_form
from desktop_app.core.form.model import Form
from desktop_app.core.profile import TenantProfile
from desktop_app.outbox import BackoffSettings, EngineSettings, OutboxEngine
from desktop_app.sandbox import SandboxServer
from desktop_app.store import DeliverySettings, Store

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
EXAMPLES = FORMS / "examples"
TICKETS_ROUTE = "/tickets/external_dynamic_form"
# Backoff of milliseconds and quick probes: the tests wait for behaviour, never for seconds.
FAST = EngineSettings(
    backoff=BackoffSettings(base=0.01, factor=2.0, cap=0.05, minimum=0.0),
    probe_interval=0.05,
    probe_timeout=0.5,
    recheck=0.05,
    stop_grace=0.5,
    lock_wait=0.2,
)
SAMPLE_ANSWERS: dict[str, Any] = json.loads((EXAMPLES / "it-support.json").read_text("utf-8"))


def sample_form(**changes: Any) -> Form:
    """The it-support sample form (the sandbox's it-support form), with top-level changes."""
    data = json.loads((FORMS / "it-support.json").read_text("utf-8"))
    data.update(changes)
    return parse_form(json.dumps(data), "it-support.json")


def form_with_extra_field(key: str = "cost_centre") -> Form:
    """A form that is valid here but sends a property the sandbox refuses (a 400 naming it)."""
    data = json.loads((FORMS / "it-support.json").read_text("utf-8"))
    data["version"] = 2
    data["pages"][0]["items"].append({"type": "text", "key": key, "label": "Cost centre"})
    return parse_form(json.dumps(data), "it-support.json")


def answers(**changes: Any) -> dict[str, Any]:
    return {**SAMPLE_ANSWERS, **changes}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Recorder:
    """Every event published on the bus, in order."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        bus.subscribe(self.events.append)

    def of(self, kind: type[Any]) -> list[Any]:
        return [event for event in self.events if isinstance(event, kind)]


class WireLog:
    """Requests on the wire (httpx hooks): counts per route and the most in flight at once."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def on_request(self, request: httpx.Request) -> None:
        self.requests.append(request)
        if request.url.path.endswith(TICKETS_ROUTE):
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    async def on_response(self, response: httpx.Response) -> None:
        if response.request.url.path.endswith(TICKETS_ROUTE):
            self.in_flight -= 1

    def count(self, suffix: str) -> int:
        return sum(1 for request in self.requests if request.url.path.endswith(suffix))

    def tickets_bodies(self) -> list[Any]:
        return [
            json.loads(request.content)
            for request in self.requests
            if request.url.path.endswith(TICKETS_ROUTE)
        ]


def sandbox_profile(sandbox: SandboxServer, **changes: Any) -> TenantProfile:
    settings: dict[str, Any] = {
        "name": "sandbox",
        "base_url": sandbox.base_url,
        "tenant": sandbox.tenant,
        "upload": "attachments/external",
        "read_timeout": 5,
        "connect_timeout": 2,
    }
    settings.update(changes)
    return TenantProfile(**settings)


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def seen(bus: EventBus) -> Recorder:
    return Recorder(bus)


@pytest.fixture
def store(tmp_path: Path, bus: EventBus, sandbox: SandboxServer) -> Iterator[Store]:
    with Store(tmp_path / "data", events=bus) as opened:
        opened.save_profile(sandbox_profile(sandbox))
        yield opened


@pytest.fixture
def wire() -> WireLog:
    return WireLog()


@pytest.fixture
async def http(wire: WireLog) -> AsyncIterator[httpx.AsyncClient]:
    hooks = {"request": [wire.on_request], "response": [wire.on_response]}
    # Plain HTTP on loopback: verify=False skips building a TLS context (~40 ms a test).
    async with make_http_client(event_hooks=hooks, verify=False) as client:
        yield client


EngineMaker = Callable[..., OutboxEngine]


@pytest.fixture
async def make_engine(store: Store, http: httpx.AsyncClient) -> AsyncIterator[EngineMaker]:
    """New engines on the test's store (not started); every one is stopped after the test."""
    made: list[OutboxEngine] = []

    def make(settings: EngineSettings = FAST, **options: Any) -> OutboxEngine:
        engine = OutboxEngine(options.pop("store", store), http, settings=settings, **options)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        await engine.stop(grace=0)


@pytest.fixture
async def engine(make_engine: EngineMaker) -> OutboxEngine:
    """A started engine with fast settings."""
    started = make_engine()
    await started.start()
    return started


def queue(store: Store, form: Form | None = None, profile: str = "sandbox", **changes: Any) -> str:
    return store.queue_submission(form or sample_form(), answers(**changes), profile)


def set_delivery(store: Store, profile: str = "sandbox", **settings: Any) -> None:
    record = store.profile(profile)
    store.save_profile(record.profile, settings=DeliverySettings(**settings))


async def settle(engine: OutboxEngine, *ids: str, timeout: float = 10.0) -> list[Any]:
    """The submissions once settled (or as they are after `timeout`): tests assert the status."""
    return await engine.wait_until_settled(ids, timeout=timeout)


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll a condition the test cannot await otherwise (e.g. the sandbox's own state)."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.01)
