"""Garbage collection on the GUI thread only, from a timer (as qutebrowser does).

Python's automatic collector runs in whichever thread happens to allocate when a threshold
is crossed: an executor thread (reading an import file, making thumbnails) can then free
Qt objects whose C++ side belongs to the GUI thread, which Qt warns about or crashes on.
With automatic collection off, this timer collects on the GUI thread, by generation, as
often as the same thresholds would, so memory use stays the same.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# Often enough that generation 0 (thousands of allocations) never waits long; cheap when
# there is nothing to do (one gc.get_count()).
INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """While alive and started: automatic collection off, collections from a GUI timer."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._was_enabled = gc.isenabled()
        self.collections = [0, 0, 0]  # by generation, for tests and logs
        # CPython's long_lived_total and long_lived_pending, which Python code cannot read:
        # objects left in the oldest generation by the last full pass, and those moved there
        # since.
        self._long_lived = 0
        self._pending = 0

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Back to automatic collection (as it was before `start`)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int:
        """Collect what CPython's own collector would collect now; the objects found."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return 0  # CPython looks only when the youngest generation is over its threshold
        if counts[2] > thresholds[2] and self._pending > self._long_lived // 4:
            # A full pass costs time in proportion to everything alive (100,000 result rows:
            # ~45 ms), so, as in CPython, only once what reached the oldest generation since
            # the last one is a quarter of what that one left.
            found = gc.collect(2)
            self.collections[2] += 1
            self._long_lived = len(gc.get_objects(generation=2))
            self._pending = 0
            return found
        if counts[1] <= thresholds[1]:
            found = gc.collect(0)
            self.collections[0] += 1
            return found
        # What survives a gen-1 pass moves to the oldest generation and counts towards the
        # next full pass.
        examined = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
        found = gc.collect(1)
        self.collections[1] += 1
        self._pending += max(0, examined - found)
        return found

    def _on_timer_timeout(self) -> None:
        self.collect_due()
