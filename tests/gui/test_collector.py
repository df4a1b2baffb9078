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
