"""Shared fixtures: a live DeskHero sandbox over real loopback HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Headless by default; this file never imports Qt, so non-GUI tests run without PySide6 loaded.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.sandbox import SandboxServer


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox for the whole session (a start and stop costs ~0.15 s); see `sandbox`."""
    with SandboxServer(tmp_path_factory.mktemp("sandbox")) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> SandboxServer:
    """The running sandbox, reset to a fresh demo tenant for each test.

    Attributes: `base_url`, `tenant` ("demo"), `data_dir`, `state` (`.tickets`, `.faults.add()`,
    `.faults.clear()`, `.latency_ms`, `.reset()`), `api_url(path)` -> `{base_url}/api/demo/v1/{path}`.
    Ticket ids start at 1001 in every test.
    """
    sandbox_server.state.reset()
    return sandbox_server


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[Callable[..., SandboxServer]]:
    """Start extra sandboxes (own data dir by default), e.g. to test restarts; stopped after."""
    started: list[SandboxServer] = []

    def make(data_dir: Path | None = None, **options: Any) -> SandboxServer:
        server = SandboxServer(data_dir or tmp_path / f"sandbox-{len(started)}", **options)
        started.append(server.start_in_thread())
        return server

    yield make
    for server in reversed(started):
        server.stop()
