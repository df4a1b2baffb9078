"""SandboxState: what the running app and the tests share (catalog, store, faults, latency)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.sandbox.catalog import Catalog
from desktop_app.sandbox.faults import FaultPlan
from desktop_app.sandbox.store import SandboxStore


class SandboxState:
    """The tenant's live state; safe to use from a thread other than the server's."""

    def __init__(self, data_dir: Path, latency_ms: int = 0, catalog: Catalog | None = None) -> None:
        self.data_dir = data_dir
        self.catalog = catalog or Catalog()
        self.store = SandboxStore(data_dir)
        self.faults = FaultPlan()
        # Added before every DeskHero route answers; a plain int, so setting it is thread-safe.
        self.latency_ms = latency_ms

    @property
    def tenant(self) -> str:
        return self.catalog.tenant

    @property
    def tickets(self) -> list[dict[str, Any]]:
        """Every ticket received so far (a copy), oldest first."""
        return self.store.tickets()

    def reset(self) -> None:
        """A fresh tenant: no tickets, files, idempotency records, faults or latency."""
        self.store.reset()
        self.faults.clear()
        self.latency_ms = 0
