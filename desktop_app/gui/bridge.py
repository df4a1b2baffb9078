"""EventsBridge: the Qt-free EventBus of the store and engine, re-emitted as Qt signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from desktop_app.core.events import (
    DraftDeleted,
    DraftSaved,
    Event,
    EventBus,
    ProfileChanged,
    SubmissionChanged,
    Unsubscribe,
)
from desktop_app.outbox import (
    Accepted,
    Failed,
    ProfilePaused,
    ProfileResumed,
    Progress,
    Queued,
    Rejected,
    Sending,
    Uncertain,
)

# Event type -> name of the signal that carries it (the event object is the signal's argument).
SIGNAL_FOR_EVENT: dict[type[Event], str] = {
    DraftSaved: "draft_saved",
    DraftDeleted: "draft_deleted",
    SubmissionChanged: "submission_changed",
    ProfileChanged: "profile_changed",
    Queued: "submission_queued",
    Sending: "sending_started",
    Accepted: "submission_accepted",
    Rejected: "submission_rejected",
    Failed: "submission_failed",
    Uncertain: "submission_turned_uncertain",
    Progress: "progress_changed",
    ProfilePaused: "profile_paused",
    ProfileResumed: "profile_resumed",
}


class EventsBridge(QObject):
    """Subscribes to an EventBus and emits one Qt signal per event kind, on the GUI thread.

    Every event is emitted twice: on its own signal (e.g. `submission_accepted(Accepted)`)
    and on `event_published(Event)`. Events published on the bridge's thread are delivered
    at once, inside `publish` (views see a change before the publisher goes on); events
    published on another thread are queued to the bridge's thread. Call `detach()` before
    the bridge is destroyed while the bus lives on.
    """

    draft_saved = Signal(object)
    draft_deleted = Signal(object)
    submission_changed = Signal(object)
    profile_changed = Signal(object)
    submission_queued = Signal(object)
    sending_started = Signal(object)
    submission_accepted = Signal(object)
    submission_rejected = Signal(object)
    submission_failed = Signal(object)
    submission_turned_uncertain = Signal(object)
    progress_changed = Signal(object)
    profile_paused = Signal(object)
    profile_resumed = Signal(object)
    event_published = Signal(object)

    # Internal hop: AutoConnection is direct on the bridge's thread and queued from others.
    _received = Signal(object)

    def __init__(self, events: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.events = events
        self._received.connect(self._on_bus_event, Qt.ConnectionType.AutoConnection)
        self._unsubscribe: Unsubscribe | None = events.subscribe(self._received.emit)

    @property
    def attached(self) -> bool:
        return self._unsubscribe is not None

    def detach(self) -> None:
        """Stop listening to the bus; harmless when already detached."""
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        if unsubscribe is not None:
            unsubscribe()

    def _on_bus_event(self, event: Event) -> None:
        name = signal_name_for(type(event))
        if name is not None:
            getattr(self, name).emit(event)
        self.event_published.emit(event)


def signal_name_for(kind: type[Event]) -> str | None:
    """The bridge signal for an event type (or its nearest known base); None when none fits."""
    for klass in kind.__mro__:
        name = SIGNAL_FOR_EVENT.get(klass)
        if name is not None:
            return name
    return None
