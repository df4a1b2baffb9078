"""Awaiting the outbox: until it is idle, until submissions settle, until each had its attempt."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from desktop_app.core.events import SubmissionChanged
from desktop_app.store import NotFound, Status, Store, SubmissionRecord

# Where a submission rests until someone acts: the engine will not change it by itself.
SETTLED = frozenset({Status.ACCEPTED, Status.REJECTED, Status.UNCERTAIN, Status.CANCELLED})
_WAITING = frozenset({Status.QUEUED, Status.FAILED})


class Waiting:
    """The engine's waiting helpers (for the CLI, scripts and tests); the GUI uses events.

    The state they read is kept by the engine: `_claimed` (being prepared or sent), `_solo`
    (to be sent again at once, alone) and `_paused` (profile -> reason).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._claimed: set[str] = set()
        self._solo: set[str] = set()
        self._paused: dict[str, str] = {}
        self._changed = asyncio.Event()
        self._stopping = False

    def _delivers_to(self, profile: str) -> bool:
        return True

    def _profile_names(self) -> list[str]:
        return [p.name for p in self.store.profiles() if self._delivers_to(p.name)]

    def _notify(self) -> None:
        """Wake every waiter to look again."""
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def _until(self, done: Callable[[], bool], timeout: float | None) -> bool:
        """Wait until `done()` (checked at every change); False when `timeout` ran out."""
        try:
            async with asyncio.timeout(timeout):
                while not done():
                    if self._stopping:
                        return done()
                    await self._changed.wait()
        except TimeoutError:
            return done()
        return True

    def _due_count(self) -> int:
        return sum(self.store.due_count(profile=name) for name in self._profile_names())

    def idle(self) -> bool:
        """Nothing is being sent and nothing is due now (failed ones may wait for later)."""
        return not self._claimed and self._due_count() == 0

    async def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until `idle()`; False when `timeout` seconds passed first."""
        return await self._until(self.idle, timeout)

    async def wait_until_settled(
        self, ids: Iterable[str], timeout: float | None = None
    ) -> list[SubmissionRecord]:
        """Wait until each submission is accepted, rejected, uncertain or cancelled, or waits
        on a paused profile; at most `timeout` seconds. Returns the records as they are then.
        """
        tracker = _Tracker(self.store, ids)
        try:
            await self._until(lambda: tracker.all(self._settled, self._context()), timeout)
        finally:
            tracker.close()
        return self.store.submissions_by_id(tracker.ids)

    async def wait_attempted(self, ids: Iterable[str], timeout: float | None = None) -> bool:
        """Wait until each submission has had an attempt from now on (or is settled or held
        by a paused profile); False when `timeout` ran out first."""
        tracker = _Tracker(self.store, ids)
        try:
            return await self._until(
                lambda: tracker.all(
                    lambda i, s, p: (
                        (tracker.attempted(i) and i not in self._solo) or self._settled(i, s, p)
                    ),
                    (self._context(), frozenset(self._solo)),
                ),
                timeout,
            )
        finally:
            tracker.close()

    def _context(self) -> object:
        """What `_settled` reads besides a submission's status: asked again when it changes."""
        return frozenset(self._paused)

    def _settled(self, submission_id: str, status: Status, profile: str) -> bool:
        if status in SETTLED:
            return True
        return status in _WAITING and (profile in self._paused or not self._delivers_to(profile))


class _Tracker:
    """Follows some submissions' statuses through the store's events (no polling)."""

    def __init__(self, store: Store, ids: Iterable[str]) -> None:
        self.ids = list(dict.fromkeys(ids))
        states = store.submission_states(self.ids)
        missing = [i for i in self.ids if i not in states]
        if missing:
            raise NotFound(f"There is no submission {missing[0]}.")
        self.status = {i: states[i][0] for i in self.ids}
        self.profile = {i: states[i][1] for i in self.ids}
        self._attempted: set[str] = set()
        self._open = dict.fromkeys(self.ids)
        # Ids whose status changed since the last `all` (every id needs a first look).
        self._changed = set(self.ids)
        self._context: object = None
        self.close = store.events.subscribe(self._on_changed, SubmissionChanged)

    def _on_changed(self, event: SubmissionChanged) -> None:
        if event.submission_id not in self.status:
            return
        self.status[event.submission_id] = Status(event.status)
        self._changed.add(event.submission_id)
        if event.status == Status.SENDING.value:
            self._attempted.discard(event.submission_id)
        elif event.previous_status == Status.SENDING.value:
            self._attempted.add(event.submission_id)

    def attempted(self, submission_id: str) -> bool:
        return submission_id in self._attempted

    def all(self, check: Callable[[str, Status, str], bool], context: object = None) -> bool:
        """True when `check` holds for every id; an id that passed is not asked again.

        Only ids whose status changed are asked again, unless `context` (what else `check`
        reads, e.g. the paused profiles) changed: so a wait for 1000 submissions costs what
        changed, not 1000 checks per event.
        """
        if context != self._context:
            self._context = context
            self._changed = set(self._open)
        changed, self._changed = self._changed, set()
        for submission_id in changed:
            if submission_id in self._open and check(
                submission_id, self.status[submission_id], self.profile[submission_id]
            ):
                del self._open[submission_id]
        return not self._open
