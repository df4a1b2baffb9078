"""Garbage is collected on the GUI thread from a timer, never by the automatic collector."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from desktop_app.gui.collector import GuiThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        seen.append(threading.current_thread().name)


seen: list[str] = []


def test_cycles_made_in_a_thread_are_freed_on_the_gui_thread(qtbot: QtBot) -> None:
    seen.clear()
    collector = GuiThreadCollector(interval_ms=20)
    collector.start()
    try:
        assert not gc.isenabled()

        def make_garbage() -> None:
            for _ in range(5000):  # far past generation 0's threshold, in this thread
                _Cycle()

        worker = threading.Thread(target=make_garbage, name="worker")
        worker.start()
        worker.join()
        assert seen == []  # nothing collected automatically in the worker
        qtbot.waitUntil(lambda: len(seen) == 5000, timeout=5000)
        assert set(seen) == {threading.main_thread().name}
        assert sum(collector.collections) >= 1
    finally:
        collector.stop()
    assert gc.isenabled()


def test_stop_restores_a_disabled_collector() -> None:
    gc.disable()
    try:
        collector = GuiThreadCollector()
        collector.start()
        collector.stop()
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Leaf:
    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value


def test_full_passes_wait_until_the_old_generation_grew_by_a_quarter() -> None:
    # Many long-lived objects (like 100,000 result rows) and a steady stream of short-lived
    # cycles: full passes (which scan every long-lived object) must not come every ten gen-1
    # passes, only when a quarter more objects have reached the oldest generation.
    collector = GuiThreadCollector()
    collector.start()
    try:
        gc.collect()
        kept = [_Leaf(n) for n in range(200_000)]
        for _ in range(400):
            for _ in range(1000):
                _Cycle()
            collector.collect_due()
        assert collector.collections[1] >= 20
        assert collector.collections[2] <= 2, collector.collections
        # Once enough new objects stay alive, full passes happen again.
        more = []
        for _ in range(200):
            more.extend(_Leaf(n) for n in range(1000))
            for _ in range(200):
                _Cycle()
            collector.collect_due()
        assert collector.collections[2] >= 2, collector.collections
        assert len(kept) + len(more) == 400_000
    finally:
        collector.stop()
