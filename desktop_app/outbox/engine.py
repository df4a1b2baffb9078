"""OutboxEngine: sends due submissions on the app's loop, per-profile concurrency, retries, recovery."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable

import httpx

from desktop_app.api.client import DeskHeroClient
from desktop_app.core.events import Event, EventBus, ProfileChanged, SubmissionChanged
from desktop_app.outbox import events as ev
from desktop_app.outbox.dispatch import ClientFactory, Clock, Dispatcher, utc_now
from desktop_app.outbox.lock import InstanceLock
from desktop_app.outbox.settings import EngineSettings
from desktop_app.store import INTERRUPTED_MESSAGE, NotFound, Status, Store, SubmissionRecord


class OutboxEngine(Dispatcher):
    """The delivery engine: one per app, on the app's event loop and shared httpx client.

    `start()` takes the data folder's lock (unless the caller passes one it holds), marks
    submissions a stopped app left `sending` as uncertain, and schedules sends until `stop()`.
    Everything else is driven by the store's events: a queued, resent or retried submission
    and a resumed profile wake the scheduler; nothing polls. The engine publishes the events
    of `outbox.events` on the store's EventBus. `async with engine:` starts and stops it.
    """

    def __init__(
        self,
        store: Store,
        http: httpx.AsyncClient,
        *,
        events: EventBus | None = None,
        settings: EngineSettings | None = None,
        clock: Clock = utc_now,
        client_factory: ClientFactory = DeskHeroClient,
        lock: InstanceLock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(
            store,
            http,
            events=events,
            settings=settings,
            clock=clock,
            client_factory=client_factory,
            rng=rng,
        )
        self._lock = lock
        self._took_lock = False
        self._unsubscribe: Callable[[], None] | None = None

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def unreachable_profiles(self) -> frozenset[str]:
        """Profiles whose tenant did not answer and is being probed (shown as offline)."""
        return self._watch.watched

    @property
    def in_flight(self) -> int:
        """Submissions being prepared or sent right now."""
        return len(self._claimed)

    async def start(self) -> list[str]:
        """Take the lock, recover interrupted sends (published as Uncertain), start scheduling.

        Returns the ids that were found `sending` and are now uncertain.
        """
        if self.running:
            raise RuntimeError("the outbox engine is already running")
        if self._lock is None:
            self._lock = InstanceLock(self.store.data_dir)
        if not self._lock.held:
            await self._lock.acquire_async(self.settings.lock_wait)
            self._took_lock = True
        try:
            # Only the lock holder may do this: another app's `sending` may be in flight.
            recovered = self.store.recover_interrupted()
            self._paused = {
                p.name: p.paused_reason for p in self.store.profiles() if p.paused_reason
            }
        except BaseException:
            self._release_lock()
            raise
        for submission_id in recovered:
            profile = self.store.submission(submission_id).profile
            self.events.publish(ev.Uncertain(submission_id, profile, INTERRUPTED_MESSAGE))
        self._unsubscribe = self.store.events.subscribe(
            self._on_store_event, SubmissionChanged, ProfileChanged
        )
        self._stopping = False
        self._scheduler = asyncio.create_task(self._run(), name="deskforms-outbox")
        return recovered

    async def stop(self, grace: float | None = None) -> None:
        """Stop scheduling; in-flight requests get `grace` seconds, then are cancelled.

        A cancelled request's submission stays `sending`: the next start marks it uncertain,
        because it may have reached DeskHero.
        """
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is None:
            return
        self._stopping = True
        scheduler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await scheduler
        # No more rounds to take the outcomes: the last answers are flushed on their own.
        self._recorder.flush()
        await self._watch.close()
        tasks = set(self._tasks)
        if tasks:
            wait = self.settings.stop_grace if grace is None else grace
            _, late = await asyncio.wait(tasks, timeout=max(0.0, wait))
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self._recorder.flush()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._release_lock()
        self._notify()

    async def __aenter__(self) -> OutboxEngine:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def send_due_now(self, timeout: float | None = None) -> list[str]:
        """Send everything due now and wait until each has had its attempt; returns their ids."""
        ids = [r.id for r in self._due_records(limit=1_000_000)]
        self.wake()
        await self.wait_attempted(ids, timeout)
        return ids

    def resume_profile(self, name: str) -> bool:
        """Let a paused profile's queue run again (its failed tickets go at once)."""
        return self.store.resume_profile(name)

    def _release_lock(self) -> None:
        if self._took_lock and self._lock is not None:
            self._lock.release()
            self._took_lock = False

    def _due_records(self, limit: int) -> list[SubmissionRecord]:
        now = self.clock()
        records: list[SubmissionRecord] = []
        for profile in self._running_profiles():
            records += self.store.due_submissions(now, profile=profile.name, limit=limit)
        return records

    # -- reacting to the store --------------------------------------------------------------

    def _on_store_event(self, event: Event) -> None:
        if isinstance(event, SubmissionChanged):
            if event.status == Status.QUEUED.value:
                self.events.publish(ev.Queued(event.submission_id))
                self.wake()
            elif (
                event.status == Status.FAILED.value and event.previous_status == Status.FAILED.value
            ):
                self.wake()  # retry_now: due at once
            else:
                self._notify()
        elif isinstance(event, ProfileChanged):
            self._on_profile_changed(event.name)

    def _on_profile_changed(self, name: str) -> None:
        self._profile_cache = None
        try:
            reason = self.store.profile(name).paused_reason
        except NotFound:
            reason = None
        was = self._paused.pop(name, None)
        if reason is not None:
            self._paused[name] = reason
            if was is None:
                self.events.publish(ev.ProfilePaused(name, reason))
        elif was is not None:
            self.events.publish(ev.ProfileResumed(name))
            with contextlib.suppress(NotFound):
                self.store.retry_all_now(name)
        self.wake()
