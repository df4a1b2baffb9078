"""Backoff: exponential ceilings, full jitter, a floor, the cap, and Retry-After as a lower bound."""

from __future__ import annotations

import random

import pytest

from desktop_app.outbox import Backoff, BackoffSettings


def test_default_first_retry_comes_after_a_few_seconds() -> None:
    backoff = Backoff(rng=random.Random(1))
    waits = [backoff.delay(1) for _ in range(500)]
    assert min(waits) >= 1.0 and max(waits) <= 4.0
    assert max(waits) - min(waits) > 2  # jittered, not one fixed wait


def test_ceilings_grow_by_the_factor_up_to_the_cap() -> None:
    backoff = Backoff(BackoffSettings(base=2, factor=2, cap=300))
    assert [backoff.ceiling(n) for n in range(1, 10)] == [4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert backoff.ceiling(10_000) == 300  # no overflow on a long outage
    assert backoff.ceiling(0) == backoff.ceiling(1)


def test_delays_are_spread_over_the_whole_range() -> None:
    backoff = Backoff(BackoffSettings(base=2, factor=2, cap=300, minimum=1), random.Random(7))
    waits = [backoff.delay(6) for _ in range(2000)]
    assert 1 <= min(waits) < 10 and 118 < max(waits) <= 128


def test_retry_after_is_a_lower_bound() -> None:
    backoff = Backoff(rng=random.Random(3))
    assert all(backoff.delay(1, retry_after=45) == 45 for _ in range(50))
    # A shorter Retry-After does not shorten a longer backoff.
    long = Backoff(BackoffSettings(minimum=200, cap=300), random.Random(3))
    assert long.delay(9, retry_after=5) >= 200


def test_injected_rng_makes_waits_reproducible() -> None:
    first = Backoff(rng=random.Random(42))
    second = Backoff(rng=random.Random(42))
    assert [first.delay(n) for n in range(1, 8)] == [second.delay(n) for n in range(1, 8)]


@pytest.mark.parametrize(
    "settings",
    [
        {"base": 0},
        {"factor": 0.5},
        {"minimum": -1},
        {"minimum": 10, "cap": 5},
        {"cap": float("inf")},
    ],
)
def test_settings_are_checked(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="backoff"):
        BackoffSettings(**settings)
