"""Fault plans: misbehaviours queued for the next matching requests (errors, drops, delays)."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FaultKind = Literal["status", "drop", "slow", "html", "garbage"]
FaultRoute = Literal["tickets", "forms", "attachments", "any"]

# Kinds that answer in place of the tenant: the request is never processed.
UNPROCESSED_KINDS = frozenset({"status", "html"})


class Fault(BaseModel):
    """One fault; `count` 0 means it stays until the plan is cleared."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FaultKind
    # None: the kind's default (503 for "status", 200 for "html" and "garbage").
    status: int | None = Field(default=None, ge=100, le=599)
    # Seconds; sent as a whole number (Retry-After allows no fractions), rounded up.
    retry_after: float | None = Field(default=None, ge=0)
    delay_ms: int = Field(default=0, ge=0)
    count: int = Field(default=1, ge=0)
    route: FaultRoute = "tickets"

    @property
    def response_status(self) -> int:
        """The HTTP status this fault answers with."""
        if self.status is not None:
            return self.status
        return 503 if self.kind == "status" else 200

    @property
    def retry_after_header(self) -> str | None:
        """The Retry-After header value, if any."""
        return None if self.retry_after is None else str(math.ceil(self.retry_after))


@dataclass
class _Pending:
    fault: Fault
    remaining: int  # 0 = unlimited


class FaultPlan:
    """Thread-safe queue of faults, shared by the server's loop and the test thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[_Pending] = []

    def add(self, fault: Fault) -> None:
        """Queue a fault behind the ones already pending."""
        with self._lock:
            self._pending.append(_Pending(fault, fault.count))

    def clear(self) -> None:
        """Drop every pending fault."""
        with self._lock:
            self._pending.clear()

    def pending(self) -> list[Fault]:
        """Pending faults, `count` showing how many requests each still affects."""
        with self._lock:
            return [p.fault.model_copy(update={"count": p.remaining}) for p in self._pending]

    def take(self, route: str) -> Fault | None:
        """The first fault matching a request on `route`, used up by one request."""
        with self._lock:
            for index, pending in enumerate(self._pending):
                if pending.fault.route not in ("any", route):
                    continue
                if pending.remaining == 1:
                    del self._pending[index]
                elif pending.remaining > 1:
                    pending.remaining -= 1
                return pending.fault
            return None
