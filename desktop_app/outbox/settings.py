"""EngineSettings: the delivery engine's knobs (tests and benchmarks shrink the waits)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.outbox.backoff import BackoffSettings


@dataclass(frozen=True)
class EngineSettings:
    """How the engine schedules; per-profile concurrency and batching live in the profile."""

    backoff: BackoffSettings = field(default_factory=BackoffSettings)
    # Most tickets in one request when a profile allows batching.
    max_batch: int = 20
    # Probing an unreachable tenant: how often, and how long one probe may take.
    probe_interval: float = 5.0
    probe_timeout: float = 3.0
    # How long in-flight requests may finish after stop() before they are cancelled.
    stop_grace: float = 5.0
    # How soon to look again while due work waits behind an upload in progress.
    recheck: float = 1.0
    # The longest sleep with nothing due: guards against wall-clock jumps (sleep, NTP).
    idle_recheck: float = 60.0
    # How long start() waits for the data folder's lock when the caller did not take it.
    lock_wait: float = 2.0
    # Deliver only for these profiles (None: all); e.g. `deskforms submit` to one tenant.
    profiles: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.max_batch <= 500:
            raise ValueError("max_batch must be from 1 to 500")
        for name in ("probe_interval", "probe_timeout", "recheck", "idle_recheck"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be a number of seconds greater than 0")
        if self.stop_grace < 0 or self.lock_wait < 0:
            raise ValueError("stop_grace and lock_wait cannot be negative")

    def delivers_to(self, profile: str) -> bool:
        return self.profiles is None or profile in self.profiles
