"""The desktop workspace benchmark still measures: tiny sizes, sane numbers (no timing targets)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtWidgets import QApplication

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT / "benchmarks" / "desktop_workspace.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("desktop_workspace", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_cold_start_times_both_processes_to_their_first_paint(bench: ModuleType) -> None:
    figures = bench.cold_start(1, warm_up=False)
    for run in (*figures.bare, *figures.app):
        assert 0 < run.paint < run.wall < 60
    assert figures.ratio > 0


def test_opening_a_form_is_timed_to_the_runner_s_first_paint(
    bench: ModuleType, qapp: QApplication
) -> None:
    runs = bench.open_form(fields=20, runs=2)
    assert len(runs) == 2
    for run in runs:
        assert 0 < run.construct <= run.total < 10


def test_the_stall_is_measured_while_every_ticket_is_accepted_in_both_placements(
    bench: ModuleType, qapp: QApplication
) -> None:
    found = bench.stall_both(tickets=20, latency_ms=0)
    assert [run.placement for run in found] == ["in-process", "separate"]
    for run in found:
        assert run.accepted == 20
        for gaps in (run.idle, run.sending):
            assert gaps.gaps_ms, run.placement
            # A 5 ms timer: gaps are around 5 ms, and the order of the figures holds.
            assert 2 < gaps.p50 <= gaps.p99 <= gaps.max
        assert run.queue_seconds > 0 and run.send_seconds > 0
    lines = bench.print_stall(20, 0, found)
    assert len(lines) == 2 and all(isinstance(ok, bool) for _, ok in lines)


def test_the_results_table_is_timed_over_a_filled_store(
    bench: ModuleType, qapp: QApplication
) -> None:
    run = bench.results_table(600)
    assert run.count == 600 and sum(run.statuses.values()) == 600
    assert 0 < run.first_rows < 10
    assert run.scroll_pages  # the table was scrolled to its end a page at a time
    assert set(run.forms_offered) == {"facilities", "hr-leave", "it-support"}
    labels = [op.label for op in run.operations]
    assert "sort created asc" in labels and any(label.startswith("text") for label in labels)
    needle = next(op for op in run.operations if "(1 row)" in op.label)
    assert needle.rows == 1 and not needle.note
    assert run.longest_gap_ms > 0
    lines = bench.print_rows(run)
    assert len(lines) == 2 and all(isinstance(ok, bool) for _, ok in lines)
