"""The main window's status bar: active profile, connection state, unsent tickets (event-driven)."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop_app.core.builtin import SANDBOX_PROFILE
from desktop_app.gui.bridge import EventsBridge
from desktop_app.outbox import (
    Accepted,
    Failed,
    OutboxEngine,
    ProfilePaused,
    ProfileResumed,
    Rejected,
)
from desktop_app.store import NotFound, Status, Store

# Tickets that have not reached DeskHero (yet): they are the operator's open work.
UNSENT_STATUSES = (Status.QUEUED, Status.SENDING, Status.FAILED, Status.UNCERTAIN)
# Events come in bursts (1000 tickets queued at once): count at most this often (ms).
COUNT_THROTTLE_MS = 50


class ConnectionState(StrEnum):
    UNKNOWN = "not checked yet"
    REACHABLE = "reachable"
    UNREACHABLE = "unreachable"
    PAUSED = "paused"


def unsent_count(store: Store) -> int:
    counts = store.count_by_status()
    return sum(counts[status] for status in UNSENT_STATUSES)


class AppStatusBar(QStatusBar):
    """Three permanent labels, refreshed from the bridge's signals; nothing polls the store."""

    unsent_changed = Signal(int)
    connection_changed = Signal(str)

    def __init__(
        self,
        store: Store,
        bridge: EventsBridge,
        engine: OutboxEngine | None,
        profile: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.engine = engine
        self.profile = profile
        self._unsent = -1
        self._connection = ConnectionState.UNKNOWN
        self.profile_label = QLabel(self)
        self.profile_label.setAccessibleName("Active profile")
        self.connection_label = QLabel(self)
        self.connection_label.setAccessibleName("Connection")
        self.unsent_label = QLabel(self)
        self.unsent_label.setAccessibleName("Unsent tickets")
        self.unsent_label.setToolTip("Tickets queued, being sent, waiting to retry or uncertain")
        for label in (self.profile_label, self.connection_label, self.unsent_label):
            self.addPermanentWidget(label)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_THROTTLE_MS)
        self._count_timer.timeout.connect(self.refresh_unsent)
        bridge.submission_changed.connect(self._on_bridge_submission_changed)
        bridge.submission_accepted.connect(self._on_bridge_submission_accepted)
        bridge.submission_rejected.connect(self._on_bridge_submission_rejected)
        bridge.submission_failed.connect(self._on_bridge_submission_failed)
        bridge.profile_paused.connect(self._on_bridge_profile_paused)
        bridge.profile_resumed.connect(self._on_bridge_profile_resumed)
        self.set_profile(profile)
        self.refresh_unsent()

    @property
    def unsent(self) -> int:
        return self._unsent

    @property
    def connection(self) -> ConnectionState:
        return self._connection

    def set_profile(self, name: str) -> None:
        self.profile = name
        shown = "Sandbox (built-in)" if name == SANDBOX_PROFILE else name
        self.profile_label.setText(f"Profile: {shown}")
        self.profile_label.setToolTip(f"Tickets are sent with the tenant profile '{name}'")
        state = ConnectionState.UNKNOWN
        try:
            if self.store.profile(name).paused_reason:
                state = ConnectionState.PAUSED
        except NotFound:
            state = ConnectionState.UNKNOWN  # not saved yet: nothing to say about it
        self._set_connection(state, force=True)

    def refresh_unsent(self) -> None:
        if self.store.closed:
            return
        count = unsent_count(self.store)
        self.unsent_label.setText(f"Unsent: {count}")
        if count != self._unsent:
            self._unsent = count
            self.unsent_changed.emit(count)

    def _set_connection(
        self, state: ConnectionState, detail: str = "", *, force: bool = False
    ) -> None:
        if state is self._connection and not force:
            return
        self._connection = state
        self.connection_label.setText(f"Connection: {state.value}")
        self.connection_label.setToolTip(detail or f"The tenant of '{self.profile}' is {state}")
        self.connection_changed.emit(state.value)

    def _on_bridge_submission_changed(self, event: object) -> None:
        if not self._count_timer.isActive():
            self._count_timer.start()

    def _on_bridge_submission_accepted(self, event: Accepted) -> None:
        if event.profile == self.profile:
            self._set_connection(ConnectionState.REACHABLE)

    def _on_bridge_submission_rejected(self, event: Rejected) -> None:
        if event.profile == self.profile and self._connection is not ConnectionState.PAUSED:
            self._set_connection(ConnectionState.REACHABLE)  # the tenant answered

    def _on_bridge_submission_failed(self, event: Failed) -> None:
        if event.profile != self.profile or self._connection is ConnectionState.PAUSED:
            return
        # The engine probes a tenant only when nothing answered; a 503 means it is there.
        unreachable = self.engine is not None and event.profile in self.engine.unreachable_profiles
        state = ConnectionState.UNREACHABLE if unreachable else ConnectionState.REACHABLE
        self._set_connection(state, event.message)

    def _on_bridge_profile_paused(self, event: ProfilePaused) -> None:
        if event.name == self.profile:
            self._set_connection(ConnectionState.PAUSED, event.reason)

    def _on_bridge_profile_resumed(self, event: ProfileResumed) -> None:
        if event.name == self.profile:
            self._set_connection(ConnectionState.UNKNOWN)
