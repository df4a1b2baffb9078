"""EventsBridge: every Qt-free event comes out as its Qt signal, on the GUI thread."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.cli.profiles import sandbox_profile
from desktop_app.core.events import (
    DraftDeleted,
    DraftSaved,
    Event,
    EventBus,
    ProfileChanged,
    SubmissionChanged,
)
from desktop_app.gui.bridge import SIGNAL_FOR_EVENT, EventsBridge, signal_name_for
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
from desktop_app.store import Store

SAMPLES: list[Event] = [
    DraftSaved("d1"),
    DraftDeleted("d1"),
    SubmissionChanged("s1", "queued", None),
    ProfileChanged("sandbox"),
    Queued("s1"),
    Sending("s1", "sandbox", 1),
    Accepted("s1", "sandbox", 1001),
    Rejected("s1", "sandbox", "bad e-mail"),
    Failed("s1", "sandbox", "503", datetime(2030, 1, 1, tzinfo=UTC)),
    Uncertain("s1", "sandbox", "cut off"),
    Progress(1, 2, 1),
    ProfilePaused("sandbox", "403"),
    ProfileResumed("sandbox"),
]


def test_every_event_kind_has_a_sample_and_a_signal() -> None:
    assert {type(e) for e in SAMPLES} == set(SIGNAL_FOR_EVENT)
    for name in SIGNAL_FOR_EVENT.values():
        assert hasattr(EventsBridge, name)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_an_event_is_reemitted_on_its_signal_and_the_generic_one(
    qtbot: QtBot, event: Event
) -> None:
    bus = EventBus()
    bridge = EventsBridge(bus)
    own: list[object] = []
    every: list[object] = []
    getattr(bridge, SIGNAL_FOR_EVENT[type(event)]).connect(own.append)
    bridge.event_published.connect(every.append)
    others: list[object] = []
    for name in set(SIGNAL_FOR_EVENT.values()) - {SIGNAL_FOR_EVENT[type(event)]}:
        getattr(bridge, name).connect(others.append)

    bus.publish(event)

    # Delivered inside publish (same thread): no waiting needed, and nowhere else.
    assert own == [event]
    assert every == [event]
    assert others == []


def test_subclasses_of_known_events_use_the_nearest_signal() -> None:
    class LateAccepted(Accepted):
        pass

    class Unknown(Event):
        pass

    assert signal_name_for(LateAccepted) == "submission_accepted"
    assert signal_name_for(Unknown) is None


def test_store_changes_arrive_as_signals(qtbot: QtBot, store: Store) -> None:
    bridge = EventsBridge(store.events)
    with qtbot.waitSignal(bridge.profile_changed, timeout=1000) as blocker:
        store.save_profile(sandbox_profile().model_copy(update={"tenant": "other"}))
    assert blocker.args == [ProfileChanged("sandbox")]
    bridge.detach()


def test_events_published_on_another_thread_are_delivered_on_the_gui_thread(
    qtbot: QtBot, qapp: QApplication
) -> None:
    bus = EventBus()
    bridge = EventsBridge(bus)
    threads: list[QThread] = []
    bridge.submission_queued.connect(lambda event: threads.append(QThread.currentThread()))

    worker = threading.Thread(target=bus.publish, args=(Queued("s9"),))
    with qtbot.waitSignal(bridge.submission_queued, timeout=2000):
        worker.start()
        worker.join()
    assert threads == [qapp.thread()]


def test_detach_stops_delivery_and_unsubscribes(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventsBridge(bus)
    assert bus.subscriber_count == 1
    received: list[object] = []
    bridge.event_published.connect(received.append)
    bridge.detach()
    bridge.detach()  # harmless twice
    bus.publish(Queued("s1"))
    assert received == []
    assert bus.subscriber_count == 0
    assert not bridge.attached
