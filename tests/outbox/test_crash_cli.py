"""The crash test, small but real: the CLI is SIGKILLed while sending; nothing is lost or doubled.

The driver is `benchmarks/crash_test.py` (run it there with 200 tickets and 20 kills); here it
runs with 40 tickets and 5 kills, and its comparison is shown to catch what it must catch.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = ROOT / "benchmarks" / "crash_test.py"


@pytest.fixture(scope="module")
def crash() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deskforms_crash_test", DRIVER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkilled_cli_runs_lose_nothing_and_create_nothing_twice(crash: ModuleType) -> None:
    options = crash.Options(tickets=40, runs=5, seed=7, latency_ms=30, concurrency=4)

    report = crash.run(options)

    print("\n".join(report.lines()))
    assert report.problems == []
    assert report.kills >= 3, "the kills must land while the CLI runs"
    assert report.runs > report.kills
    assert report.accepted == report.sandbox_tickets == 40
    assert report.lost == report.duplicates == 0
    # Whatever reached the sandbox twice was replayed under its key, not created again.
    assert report.requests == 40 + report.replays
    assert report.resolved == report.uncertain


def row(number: int, ticket_id: int | None, status: str = "accepted") -> dict[str, Any]:
    return {
        "id": f"sub-{number}",
        "summary": f"Crash test 7 ticket {number:04d}",
        "status": status,
        "ticket_id": ticket_id,
    }


def ticket(number: int, ticket_id: int, **changes: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": ticket_id,
        "subject": f"Crash test 7 ticket {number:04d}",
        "serial": f"CT07{number:06d}",
        "requester": {
            "email": f"crash.{number:04d}@example.com",
            "name": f"Crash Tester {number:04d}",
        },
    }
    found.update(changes)
    return found


def test_the_comparison_passes_a_clean_run(crash: ModuleType) -> None:
    report = crash.Report()
    requests = [
        {"key": "sub-0", "replayed": False, "ids": [1001]},
        {"key": "sub-1", "replayed": False, "ids": [1002]},
        {"key": "sub-1", "replayed": True, "ids": [1002]},
    ]

    crash.check(
        crash.Options(seed=7),
        report,
        [row(0, 1001), row(1, 1002)],
        [ticket(0, 1001), ticket(1, 1002)],
        requests,
        {"sub-1": ["resent"]},
        {"Crash test 7 ticket 0000": 0, "Crash test 7 ticket 0001": 1},
    )

    assert report.problems == []
    assert (report.reached_twice, report.replays, report.lost, report.duplicates) == (1, 1, 0, 0)


def test_the_comparison_catches_losses_duplicates_and_unexplained_repeats(
    crash: ModuleType,
) -> None:
    report = crash.Report()
    expected = {f"Crash test 7 ticket {n:04d}": n for n in range(4)}
    rows = [row(0, 1001), row(1, 1002), row(2, None, "uncertain"), row(3, 1009)]
    tickets = [
        ticket(0, 1001),
        ticket(0, 1003),  # the same form created twice
        ticket(1, 1002, serial="WRONG"),  # not what was sent
    ]
    requests = [
        {"key": "sub-0", "replayed": False, "ids": [1001]},
        {"key": "sub-0", "replayed": False, "ids": [1003]},
        {"key": "sub-1", "replayed": False, "ids": [1002]},
        {"key": "sub-1", "replayed": True, "ids": [1002]},
    ]

    crash.check(crash.Options(seed=7), report, rows, tickets, requests, {}, expected)

    text = "\n".join(report.problems)
    assert report.duplicates == 1 and "created more than once" in text
    assert "key sub-0 created tickets 2 times" in text
    assert "sub-1 reached the sandbox 2 times but was not resent" in text
    assert report.lost == 3
    assert "ticket 0001: the sandbox holds" in text  # content differs
    assert "ticket 0002 was not accepted (uncertain)" in text
    assert "ticket 0003: #1009 is not in the sandbox" in text
