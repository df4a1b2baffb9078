"""SandboxServer lifecycles: in-process on a running loop, in a thread, and standalone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from desktop_app.sandbox import SandboxServer

ROOT = Path(__file__).resolve().parents[2]


async def test_serves_on_the_running_loop_until_shutdown(tmp_path: Path) -> None:
    server = SandboxServer(tmp_path, latency_ms=0)
    async with server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.api_url("forms/external") == f"{server.base_url}/api/demo/v1/forms/external"
        async with httpx.AsyncClient() as http:
            response = await http.get(
                server.api_url("forms/external"), params={"key": "bug-report"}
            )
        assert response.status_code == 200
    with pytest.raises(RuntimeError):
        _ = server.base_url  # no longer listening
    with pytest.raises(httpx.ConnectError), httpx.Client() as http:
        http.get(f"http://127.0.0.1:{response.url.port}/_sandbox")


async def test_running_context_serves_for_the_block(tmp_path: Path) -> None:
    async with SandboxServer(tmp_path).running() as server, httpx.AsyncClient() as http:
        response = await http.get(f"{server.base_url}/_sandbox")
    assert response.json()["tenant"] == "demo"
    assert not server.started


def test_thread_server_picks_a_free_port_and_reports_info(tmp_path: Path) -> None:
    with SandboxServer(tmp_path) as one, SandboxServer(tmp_path / "two") as two:
        assert one.bound_port != two.bound_port
        info = httpx.get(f"{one.base_url}/_sandbox").json()
    assert info["tenant"] == "demo"
    assert {f["key"]: f["enabled"] for f in info["forms"]}["retired-form"] is False


def test_corrupt_state_file_is_moved_aside(tmp_path: Path) -> None:
    (tmp_path / "sandbox.json").write_text("{broken")

    server = SandboxServer(tmp_path)

    assert server.state.tickets == []
    assert len(list(tmp_path.glob("sandbox.json.corrupt-*"))) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_run_standalone_prints_its_address_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from desktop_app.sandbox import run_standalone; "
        "run_standalone(Path(sys.argv[1]), port=0)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("DeskHero sandbox listening on http://127.0.0.1:")
        base_url = first.rsplit(" ", 1)[1].strip()
        banner = [process.stdout.readline() for _ in range(5)]
        assert any("tenant:   demo" in line for line in banner)
        assert httpx.get(f"{base_url}/_sandbox", timeout=5).json()["tenant"] == "demo"
        os.kill(process.pid, signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.wait()
    assert process.stderr is not None
    assert "Traceback" not in process.stderr.read()
