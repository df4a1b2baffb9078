"""Recording outcomes: those that arrive in the same loop turn share one commit, then are announced."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from desktop_app.core.events import Event, EventBus
from desktop_app.store import OutcomeUpdate, Store, StoreError

logger = logging.getLogger(__name__)

# An outcome waiting for its commit: the update, the event to publish after it, and whether
# it counts as done in the progress (a batch member sent again on its own does not).
Pending = tuple[OutcomeUpdate, Event | None, bool]


class OutcomeRecorder:
    """Collects outcome updates and profile pauses; `flush` commits them, then publishes.

    Grouping matters for throughput: every commit waits for the disk (synchronous=FULL), and
    with many requests in flight their answers arrive together. While the scheduler runs
    (`deferred`), pending outcomes wait for its next round, which commits them together with
    the `sending` of the requests that take the freed slots (`take` + `published`): one disk
    wait per round instead of two. Otherwise `add` schedules a flush on the loop.
    """

    def __init__(
        self,
        store: Store,
        events: EventBus,
        on_flushed: Callable[[int], None],
        on_pending: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._events = events
        self._on_flushed = on_flushed
        self._on_pending = on_pending
        self._pending: list[Pending] = []
        self._pauses: dict[str, str] = {}
        self._scheduled = False
        self.deferred = False

    def add(self, update: OutcomeUpdate, event: Event | None, *, counted: bool = True) -> None:
        """Record `update` at the next flush and publish `event` after it is committed."""
        self._pending.append((update, event, counted))
        if self.deferred:
            self._on_pending()
        else:
            self._schedule()

    def pause(self, profile: str, reason: str) -> None:
        """Stop the profile's queue; flushed at once, so nothing more leaves for it."""
        self._pauses[profile] = reason
        self.flush()

    def take(self) -> list[Pending]:
        """The pending outcomes, for a caller that commits them (then calls `published`)."""
        pending, self._pending = self._pending, []
        return pending

    def put_back(self, pending: list[Pending]) -> None:
        """Outcomes taken but not committed: they go first at the next flush."""
        self._pending[:0] = pending

    def published(self, pending: list[Pending]) -> None:
        """Announce outcomes the caller committed (as `flush` does after its own commit)."""
        for _, event, _ in pending:
            if event is not None:
                self._events.publish(event)
        self._on_flushed(sum(1 for _, _, counted in pending if counted))

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        """Commit what is pending, publish its events, apply pauses."""
        self._scheduled = False
        if not self._pending and not self._pauses:
            return
        pending, self._pending = self._pending, []
        if pending:
            recorded = self._record([update for update, _, _ in pending])
            for update, event, _ in pending:
                if event is not None and update.submission_id in recorded:
                    self._events.publish(event)
        pauses, self._pauses = self._pauses, {}
        for name, reason in pauses.items():
            try:
                self._store.pause_profile(name, reason)
            except StoreError:
                logger.exception("could not pause profile %r", name)
        self._on_flushed(sum(1 for _, _, counted in pending if counted))

    def _record(self, updates: list[OutcomeUpdate]) -> set[str]:
        try:
            self._store.record_outcomes(updates)
            return {update.submission_id for update in updates}
        except StoreError:
            if len(updates) == 1:
                logger.exception("could not record the outcome of %s", updates[0].submission_id)
                return set()
        # One bad update must not lose the others: record them one by one. An outcome that
        # cannot be recorded leaves its submission `sending`: uncertain at the next start.
        recorded: set[str] = set()
        for update in updates:
            try:
                self._store.record_outcomes([update])
            except StoreError:
                logger.exception("could not record the outcome of %s", update.submission_id)
            else:
                recorded.add(update.submission_id)
        return recorded
