"""Faults and latency: each kind's observable effect on a real HTTP client."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest

from desktop_app.sandbox import Fault, SandboxServer
from tests.sandbox.payloads import TICKETS_PATH, it_support


def send(client: httpx.Client, sandbox: SandboxServer, **kw: object) -> httpx.Response:
    return client.post(
        sandbox.api_url(TICKETS_PATH),
        params={"form": "it-support"},
        json=[it_support()],
        **kw,  # type: ignore[arg-type]
    )


def get_form(client: httpx.Client, sandbox: SandboxServer) -> httpx.Response:
    return client.get(sandbox.api_url("forms/external"), params={"key": "it-support"})


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_status_fault_answers_a_problem_with_retry_after_and_creates_nothing(
    client: httpx.Client, sandbox: SandboxServer, status: int
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=status, retry_after=2))

    failed = send(client, sandbox)
    recovered = send(client, sandbox)

    assert failed.status_code == status
    assert failed.headers["retry-after"] == "2"
    assert failed.json()["status"] == status
    assert recovered.status_code == 200
    assert [t["id"] for t in sandbox.state.tickets] == [1001]  # only the second request


def test_status_fault_defaults_to_503_without_retry_after(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="status"))
    response = send(client, sandbox)
    assert response.status_code == 503
    assert "retry-after" not in response.headers


def test_fractional_retry_after_is_sent_rounded_up(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=429, retry_after=1.2))
    assert send(client, sandbox).headers["retry-after"] == "2"


def test_fault_count_and_route_decide_which_requests_it_hits(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=500, count=2, route="tickets"))

    form = get_form(client, sandbox)  # another route: untouched
    codes = [send(client, sandbox).status_code for _ in range(3)]

    assert form.status_code == 200
    assert codes == [500, 500, 200]
    assert sandbox.state.faults.pending() == []


def test_count_zero_lasts_until_cleared_and_any_matches_every_route(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=502, count=0, route="any"))

    codes = [
        send(client, sandbox).status_code,
        get_form(client, sandbox).status_code,
        send(client, sandbox).status_code,
    ]
    control = client.get(f"{sandbox.base_url}/_sandbox/tickets")  # control routes never fault
    sandbox.state.faults.clear()

    assert codes == [502, 502, 502]
    assert control.status_code == 200
    assert send(client, sandbox).status_code == 200


def test_drop_does_the_work_then_loses_the_answer(
    client: httpx.Client, sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.state.faults.add(Fault(kind="drop"))

    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        send(client, sandbox, headers={"Idempotency-Key": "lost-reply"})

    # The tickets exist: the client must treat a drop as "outcome unknown" and retry safely.
    assert [t["id"] for t in sandbox.state.tickets] == [1001]
    retry = send(client, sandbox, headers={"Idempotency-Key": "lost-reply"})
    assert retry.status_code == 200
    assert retry.json()["data"][0]["id"] == 1001
    assert len(sandbox.state.tickets) == 1
    # A deliberate drop is not an error of the server: nothing in the error log.
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_slow_answers_late_after_processing(client: httpx.Client, sandbox: SandboxServer) -> None:
    sandbox.state.faults.add(Fault(kind="slow", delay_ms=300))

    with pytest.raises(httpx.ReadTimeout):
        send(client, sandbox, timeout=0.1)
    assert len(sandbox.state.tickets) == 1  # processed before the delay

    sandbox.state.faults.add(Fault(kind="slow", delay_ms=150))
    started = time.monotonic()
    response = send(client, sandbox)
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.15


def test_html_fault_is_a_proxy_error_page_and_creates_nothing(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="html"))

    response = send(client, sandbox)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "502 Bad Gateway" in response.text
    assert sandbox.state.tickets == []


def test_garbage_fault_is_truncated_json_after_processing(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="garbage", route="any"))

    response = send(client, sandbox)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert response.text.startswith('{"success":true')
    assert len(sandbox.state.tickets) == 1


def test_faults_can_be_managed_over_http(client: httpx.Client, sandbox: SandboxServer) -> None:
    url = f"{sandbox.base_url}/_sandbox/faults"

    added = client.post(
        url, json={"kind": "status", "status": 429, "retry_after": 1, "count": 1, "route": "forms"}
    )
    listed = client.get(url).json()
    hit = get_form(client, sandbox)
    client.post(url, json={"kind": "drop", "count": 0})
    cleared = client.delete(url)

    assert added.status_code == 201
    assert listed == [
        {
            "kind": "status",
            "status": 429,
            "retry_after": 1,
            "delay_ms": 0,
            "count": 1,
            "route": "forms",
        }
    ]
    assert hit.status_code == 429 and hit.headers["retry-after"] == "1"
    assert cleared.status_code == 204
    assert client.get(url).json() == []
    assert send(client, sandbox).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "explode"},
        {"kind": "status", "status": 99},
        {"kind": "slow", "route": "everything"},
        [1],
    ],
)
def test_invalid_fault_is_refused(
    client: httpx.Client, sandbox: SandboxServer, body: object
) -> None:
    response = client.post(f"{sandbox.base_url}/_sandbox/faults", json=body)
    assert response.status_code == 400
    assert sandbox.state.faults.pending() == []


def test_latency_delays_deskhero_routes_only(client: httpx.Client, sandbox: SandboxServer) -> None:
    put = client.put(f"{sandbox.base_url}/_sandbox/latency", json={"ms": 200})

    started = time.monotonic()
    get_form(client, sandbox)
    delayed = time.monotonic() - started
    started = time.monotonic()
    client.get(f"{sandbox.base_url}/_sandbox/tickets")
    control = time.monotonic() - started

    assert put.json() == {"ms": 200} and sandbox.state.latency_ms == 200
    assert delayed >= 0.2
    assert control < 0.2
    assert client.put(f"{sandbox.base_url}/_sandbox/latency", json={"ms": -1}).status_code == 400
