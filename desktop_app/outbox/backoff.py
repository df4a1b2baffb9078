"""Exponential backoff with full jitter for failed sends, with Retry-After as a lower bound."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class BackoffSettings:
    """Waits before the n-th retry are drawn from [minimum, min(cap, base * factor**n)] seconds.

    The defaults give a first retry after 1-4 s and reach the 5-minute cap by the eighth
    failure. Full jitter spreads the retries of many failed tickets (and of many desks after
    an outage) instead of bringing them back in one wave.
    """

    base: float = 2.0
    factor: float = 2.0
    cap: float = 300.0
    # Never sooner than this: a tenant that fails fast must not be hammered in a tight loop.
    minimum: float = 1.0

    def __post_init__(self) -> None:
        numbers = (self.base, self.factor, self.cap, self.minimum)
        if not all(isinstance(n, int | float) and math.isfinite(n) for n in numbers):
            raise ValueError("backoff settings must be finite numbers of seconds")
        if self.base <= 0 or self.factor < 1:
            raise ValueError("backoff needs base > 0 and factor >= 1")
        if not 0 <= self.minimum <= self.cap:
            raise ValueError("backoff needs 0 <= minimum <= cap")


class Backoff:
    """How long to wait before the next attempt; `rng` is injectable for tests."""

    def __init__(
        self, settings: BackoffSettings | None = None, rng: random.Random | None = None
    ) -> None:
        self.settings = settings or BackoffSettings()
        self._rng = rng or random.Random()

    def ceiling(self, failures: int) -> float:
        """The longest wait after `failures` failed attempts in a row (at least 1)."""
        s = self.settings
        exponent = max(1, failures)
        # Compare in logarithms: factor**exponent overflows long before the cap matters.
        if s.factor > 1 and exponent * math.log(s.factor) + math.log(s.base) >= math.log(s.cap):
            return s.cap
        return max(s.minimum, min(s.cap, s.base * s.factor**exponent))

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait: full jitter over the ceiling, never less than `retry_after`."""
        low = self.settings.minimum
        wait = self._rng.uniform(low, self.ceiling(failures))
        if retry_after is not None and math.isfinite(retry_after) and retry_after > wait:
            # The server said when it can take the request again; earlier would be refused.
            wait = retry_after
        return wait
