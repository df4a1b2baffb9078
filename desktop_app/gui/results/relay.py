"""Brings events of the Qt-free EventBus to the GUI thread as one queued Qt signal per loop turn."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from shiboken6 import isValid

from desktop_app.core.events import Event, EventBus


class EventRelay(QObject):
    """Subscribes to `kinds` on `bus` and re-emits them, in order, as `received(list)`.

    Delivery is queued: the store publishes inside its own calls, and a model must not change
    under a view (or call the store again) in the middle of one. Events published in the same
    loop turn arrive together, so a batch of 1000 outcomes is one update, not a thousand.
    The subscription ends with `close()` or when the relay is destroyed.
    """

    received = Signal(list)
    _pending_ready = Signal()

    def __init__(self, bus: EventBus, *kinds: type[Event], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[Event] = []
        self._pending_ready.connect(self._on_pending_ready, Qt.ConnectionType.QueuedConnection)
        if kinds:
            self._unsubscribe = bus.subscribe(self._on_bus_event, *kinds)
        else:
            self._unsubscribe = bus.subscribe(self._on_bus_event)
        # A plain function, not a bound method: it must still run while the object goes away.
        self.destroyed.connect(self._unsubscribe)

    def close(self) -> None:
        """Stop listening; events already waiting are dropped."""
        self._unsubscribe()
        self._pending.clear()

    def _on_bus_event(self, event: Event) -> None:
        if not isValid(self):
            self._unsubscribe()
            return
        self._pending.append(event)
        if len(self._pending) == 1:
            self._pending_ready.emit()

    def _on_pending_ready(self) -> None:
        events, self._pending = self._pending, []
        if events:
            self.received.emit(events)
