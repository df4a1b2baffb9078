"""A tiny typed publish/subscribe bus for Qt-free change events (the GUI adapts them to signals)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, overload

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base of every event; subclasses are frozen dataclasses naming what changed."""


@dataclass(frozen=True)
class DraftSaved(Event):
    """A draft was created or updated."""

    draft_id: str


@dataclass(frozen=True)
class DraftDeleted(Event):
    """A draft was deleted (by the operator, or because it was queued)."""

    draft_id: str


@dataclass(frozen=True)
class SubmissionChanged(Event):
    """A submission was created or changed; `previous_status` is None for a new one.

    The status is the store's status text ("queued", "sending", ...); `status == previous_status`
    when only details changed (e.g. the next attempt time).
    """

    submission_id: str
    status: str
    previous_status: str | None


@dataclass(frozen=True)
class ProfileChanged(Event):
    """A tenant profile was saved, paused, resumed or deleted."""

    name: str


E = TypeVar("E", bound=Event)
Unsubscribe = Callable[[], None]
SubscriberErrorHook = Callable[[Event, Exception], None]


def log_subscriber_error(event: Event, error: Exception) -> None:
    """The default hook: log the failure with its traceback and carry on."""
    logger.error("An event subscriber failed on %r", event, exc_info=error)


class EventBus:
    """Synchronous publish/subscribe; a failing subscriber never stops the publisher.

    Not thread-safe: publish and subscribe from the app's one event-loop thread. Subscribers
    run in subscription order, inside `publish`; one that publishes in turn is served
    depth-first. Subscribing or unsubscribing during a publish takes effect from the next one.
    """

    def __init__(self, *, on_subscriber_error: SubscriberErrorHook | None = None) -> None:
        self.on_subscriber_error: SubscriberErrorHook = on_subscriber_error or log_subscriber_error
        self._subscribers: list[tuple[Callable[[Event], object], tuple[type[Event], ...]]] = []

    @overload
    def subscribe(self, callback: Callable[[Event], object]) -> Unsubscribe: ...

    @overload
    def subscribe(
        self, callback: Callable[[E], object], kind: type[E], /, *kinds: type[E]
    ) -> Unsubscribe: ...

    def subscribe(self, callback: Callable[[E], object], *kinds: type[E]) -> Unsubscribe:
        """Call `callback` for every event (or only events of the given types).

        Returns a function that unsubscribes; calling it more than once is harmless.
        """
        # The overloads guarantee the callback accepts whatever the kinds filter lets through.
        entry = (callback, tuple(kinds))

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(entry)  # type: ignore[arg-type]

        self._subscribers.append(entry)  # type: ignore[arg-type]
        return unsubscribe

    def publish(self, event: Event) -> None:
        """Deliver `event` to every matching subscriber; failures go to `on_subscriber_error`."""
        for callback, kinds in list(self._subscribers):
            if kinds and not isinstance(event, kinds):
                continue
            try:
                callback(event)
            except Exception as error:
                self._report(event, error)

    def _report(self, event: Event, error: Exception) -> None:
        try:
            self.on_subscriber_error(event, error)
        except Exception:
            # A broken hook must not break the engine either; the log is the last resort.
            logger.exception("The subscriber error hook failed on %r", event)

    @property
    def subscriber_count(self) -> int:
        # A property, not __len__: an empty bus must not be falsy (`events or EventBus()`).
        return len(self._subscribers)
