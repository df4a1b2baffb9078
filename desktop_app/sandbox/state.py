"""SandboxState: what the running app and the tests share (catalog, store, faults, latency)."""

from __future__ import annotations

import threading
from collections import deque
from pathlib import Path
from typing import Any

from desktop_app.sandbox.catalog import Catalog
from desktop_app.sandbox.faults import FaultPlan
from desktop_app.sandbox.store import SandboxStore

# How many answered ticket requests `requests` remembers (it lives in memory only).
REQUEST_LOG_SIZE = 100_000


class SandboxState:
    """The tenant's live state; safe to use from a thread other than the server's."""

    def __init__(self, data_dir: Path, latency_ms: int = 0, catalog: Catalog | None = None) -> None:
        self.data_dir = data_dir
        self.catalog = catalog or Catalog()
        self.store = SandboxStore(data_dir)
        self.faults = FaultPlan()
        # Added before every DeskHero route answers; a plain int, so setting it is thread-safe.
        self.latency_ms = latency_ms
        self._requests: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._requests_lock = threading.Lock()

    @property
    def tenant(self) -> str:
        return self.catalog.tenant

    @property
    def tickets(self) -> list[dict[str, Any]]:
        """Every ticket received so far (a copy), oldest first."""
        return self.store.tickets()

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The ticket requests answered with success since start (or the last clear), oldest
        first: `{"key": Idempotency-Key or None, "replayed": bool, "ids": [ticket ids]}`.

        Kept in memory only: it tells a test or a crash harness which requests reached the
        tenant more than once, which the tickets alone cannot (a replay creates none).
        """
        with self._requests_lock:
            return [dict(entry) for entry in self._requests]

    def log_request(self, key: str | None, replayed: bool, ids: list[int]) -> None:
        with self._requests_lock:
            self._requests.append({"key": key, "replayed": replayed, "ids": list(ids)})

    def clear_requests(self) -> None:
        with self._requests_lock:
            self._requests.clear()

    def reset(self) -> None:
        """A fresh tenant: no tickets, files, idempotency records, faults or latency."""
        self.store.reset()
        self.clear_requests()
        self.faults.clear()
        self.latency_ms = 0
