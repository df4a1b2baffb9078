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
        """Collect the generations whose thresholds are crossed; the objects found."""
        found = 0
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            # Collecting a generation also collects the younger ones.
            if counts[generation] > thresholds[generation]:
                found += gc.collect(generation)
                self.collections[generation] += 1
                break
        return found

    def _on_timer_timeout(self) -> None:
        self.collect_due()
