"""The Qt-free event bus: typed subscriptions, and failing subscribers that never break publishing."""

from __future__ import annotations

import logging

import pytest

from desktop_app.core.events import (
    DraftDeleted,
    DraftSaved,
    Event,
    EventBus,
    ProfileChanged,
    SubmissionChanged,
)


def test_subscribers_get_events_in_order_until_they_unsubscribe() -> None:
    bus = EventBus()
    first: list[Event] = []
    second: list[Event] = []
    unsubscribe = bus.subscribe(first.append)
    bus.subscribe(second.append)
    bus.publish(DraftSaved("d1"))
    unsubscribe()
    unsubscribe()  # harmless twice
    bus.publish(DraftDeleted("d1"))
    assert first == [DraftSaved("d1")]
    assert second == [DraftSaved("d1"), DraftDeleted("d1")]
    assert bus.subscriber_count == 1


def test_a_subscription_can_be_limited_to_event_types() -> None:
    bus = EventBus()
    changes: list[Event] = []
    bus.subscribe(changes.append, SubmissionChanged, ProfileChanged)
    bus.publish(DraftSaved("d1"))
    bus.publish(SubmissionChanged("s1", "queued", None))
    bus.publish(ProfileChanged("acme"))
    assert changes == [SubmissionChanged("s1", "queued", None), ProfileChanged("acme")]


def test_a_failing_subscriber_is_reported_and_the_others_still_run() -> None:
    failures: list[tuple[Event, Exception]] = []
    bus = EventBus(on_subscriber_error=lambda event, error: failures.append((event, error)))
    seen: list[Event] = []

    def broken(event: Event) -> None:
        raise RuntimeError("view crashed")

    bus.subscribe(broken)
    bus.subscribe(seen.append)
    bus.publish(DraftSaved("d1"))
    assert seen == [DraftSaved("d1")]
    assert [(event, str(error)) for event, error in failures] == [
        (DraftSaved("d1"), "view crashed")
    ]


def test_by_default_a_failing_subscriber_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = EventBus()
    bus.subscribe(lambda event: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="desktop_app.core.events"):
        bus.publish(ProfileChanged("acme"))
    assert "subscriber failed" in caplog.text
    assert caplog.records[0].exc_info is not None
    assert caplog.records[0].exc_info[0] is ZeroDivisionError


def test_a_failing_error_hook_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    def bad_hook(event: Event, error: Exception) -> None:
        raise ValueError("hook broke")

    bus = EventBus(on_subscriber_error=bad_hook)
    bus.subscribe(lambda event: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="desktop_app.core.events"):
        bus.publish(DraftSaved("d1"))
    assert "error hook failed" in caplog.text


def test_subscribing_during_a_publish_takes_effect_from_the_next_one() -> None:
    bus = EventBus()
    late: list[Event] = []

    def subscribe_another(event: Event) -> None:
        if not late:
            bus.subscribe(late.append)

    bus.subscribe(subscribe_another)
    bus.publish(DraftSaved("a"))
    assert late == []
    bus.publish(DraftSaved("b"))
    assert late == [DraftSaved("b")]


def test_events_are_frozen() -> None:
    event = SubmissionChanged("s1", "sending", "queued")
    with pytest.raises(AttributeError):
        event.status = "accepted"  # type: ignore[misc]
