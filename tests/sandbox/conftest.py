"""Fixtures of the sandbox tests: an httpx client bound to the running sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from desktop_app.sandbox import SandboxServer


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """A synchronous client with short timeouts: a hanging sandbox fails fast."""
    # Plain HTTP on loopback: verify=False skips building a TLS context (~40 ms a test).
    with httpx.Client(timeout=5.0, verify=False) as http:
        yield http
