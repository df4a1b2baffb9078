"""OutboxEngine: sends due submissions on the app's loop, per-profile concurrency, retries, recovery."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import httpx

from desktop_app.api.client import DeskHeroClient
from desktop_app.core.events import Event, EventBus, ProfileChanged, SubmissionChanged
from desktop_app.core.profile import TenantProfile
from desktop_app.outbox import delivery
from desktop_app.outbox import events as ev
from desktop_app.outbox.backoff import Backoff
from desktop_app.outbox.batching import Group, plan
from desktop_app.outbox.lock import InstanceLock
from desktop_app.outbox.preparation import (
    Item,
    NotReady,
    UploadFailed,
    build,
    missing_uploads,
    prepare,
)
from desktop_app.outbox.reachability import ReachabilityWatch
from desktop_app.outbox.recorder import OutcomeRecorder
from desktop_app.outbox.settings import EngineSettings
from desktop_app.outbox.waiting import Waiting
from desktop_app.store import (
    INTERRUPTED_MESSAGE,
    InvalidTransition,
    NotFound,
    OutcomeUpdate,
    ProfilePaused,
    ProfileRecord,
    Status,
    Store,
    SubmissionRecord,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ClientFactory = Callable[[httpx.AsyncClient, TenantProfile], DeskHeroClient]


def utc_now() -> datetime:
    return datetime.now(UTC)


class OutboxEngine(Waiting):
    """The delivery engine: one per app, on the app's event loop and shared httpx client.

    `start()` takes the data folder's lock (unless the caller passes one it holds), marks
    submissions a stopped app left `sending` as uncertain, and schedules sends until `stop()`.
    Everything else is driven by the store's events: a queued, resent or retried submission
    and a resumed profile wake the scheduler; nothing polls. The engine publishes the events
    of `outbox.events` on the store's EventBus.
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
        super().__init__(store)
        self.http = http
        self.events = events if events is not None else store.events
        self.settings = settings or EngineSettings()
        self.clock = clock
        self._client_factory = client_factory
        self._lock = lock
        self._took_lock = False
        self._backoff = Backoff(self.settings.backoff, rng)
        self._wake = asyncio.Event()
        self._scheduler: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._busy: Counter[str] = Counter()
        self._recorder = OutcomeRecorder(store, self.events, self._on_flushed)
        self._unsubscribe: Callable[[], None] | None = None
        self._watch = ReachabilityWatch(
            http,
            interval=self.settings.probe_interval,
            timeout=self.settings.probe_timeout,
            on_reachable=self._on_reachable,
            still_needed=lambda name: store.submission_count(Status.FAILED, name) > 0,
        )
        self._done = 0

    # -- lifecycle ------------------------------------------------------------------------

    def _delivers_to(self, profile: str) -> bool:
        return self.settings.delivers_to(profile)

    @property
    def running(self) -> bool:
        return self._scheduler is not None

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

    def wake(self) -> None:
        """Look for due work now (new items queued, the operator asked)."""
        self._wake.set()
        self._notify()

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

    # -- scheduling -----------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                self._dispatch()
                delay = self._next_wakeup()
            except Exception:
                # A store failure (disk full...) must not kill delivery for the session.
                logger.exception("the outbox could not schedule; trying again shortly")
                delay = self.settings.recheck
            self._notify()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    def _running_profiles(self) -> list[ProfileRecord]:
        return [
            p for p in self.store.profiles() if not p.paused and self.settings.delivers_to(p.name)
        ]

    def _due_records(self, limit: int) -> list[SubmissionRecord]:
        now = self.clock()
        records: list[SubmissionRecord] = []
        for profile in self._running_profiles():
            records += self.store.due_submissions(now, profile=profile.name, limit=limit)
        return records

    def _dispatch(self) -> None:
        now = self.clock()
        for profile in self._running_profiles():
            free = profile.settings.concurrency - self._busy[profile.name]
            if free <= 0:
                continue
            per_request = self.settings.max_batch if profile.settings.batching else 1
            due = self.store.due_submissions(
                now, profile=profile.name, limit=free * per_request + len(self._claimed)
            )
            due = [record for record in due if record.id not in self._claimed]
            groups = plan(
                due,
                slots=free,
                per_request=per_request,
                solo=self._solo,
                needs_upload=self._upload_check(profile.name),
            )
            if groups:
                self._start_groups(profile, groups)

    def _upload_check(self, profile: str) -> Callable[[SubmissionRecord], bool]:
        return lambda record: bool(missing_uploads(self.store, record, profile))

    def _start_groups(self, profile: ProfileRecord, groups: list[Group]) -> None:
        ready: list[list[Item]] = []
        refusals: list[tuple[Item, NotReady]] = []
        for group in groups:
            if group.uploads:
                self._spawn(profile, [group.records[0].id], self._upload_then_send(profile, group))
                continue
            items: list[Item] = []
            for record in group.records:
                try:
                    items.append(Item(record, build(self.store, record, profile)))
                except NotReady as refusal:
                    refusals.append((Item(record), refusal))
            if items:
                ready.append(items)
        marked = [item for items in ready for item in items] + [item for item, _ in refusals]
        if not marked:
            return
        # One commit for the whole round: `sending` is on disk before any request leaves.
        attempts = self.store.mark_sending_many([item.id for item in marked])
        for item in marked:
            item.attempt_id = attempts[item.id]
            self._solo.discard(item.id)
        for item, problem in refusals:
            self._recorder.add(*delivery.refused(profile.name, item, problem))
        for items in ready:
            self._announce(profile, items)
            self._spawn(profile, [item.id for item in items], self._send(profile, items))

    def _spawn(
        self, profile: ProfileRecord, claimed: list[str], work: Coroutine[Any, Any, None]
    ) -> None:
        """Run one request (with its uploads) in a task that holds a slot of the profile."""
        self._claimed.update(claimed)
        self._busy[profile.name] += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._claimed.difference_update(claimed)
                self._busy[profile.name] -= 1
                self.wake()

        async def run() -> None:
            try:
                await work
            finally:
                # Before the outcomes' flush (scheduled with call_soon), so progress is exact.
                release()

        def finished(done: asyncio.Task[None]) -> None:
            self._tasks.discard(done)
            release()  # a task cancelled before it ran never reached its `finally`
            if done.cancelled():
                work.close()
            elif done.exception() is not None:
                logger.error("a send task failed", exc_info=done.exception())

        task = asyncio.create_task(run(), name=f"deskforms-send-{claimed[0][:8]}")
        self._tasks.add(task)
        task.add_done_callback(finished)

    def _announce(self, profile: ProfileRecord, items: list[Item]) -> None:
        for item in items:
            self.events.publish(ev.Sending(item.id, profile.name, item.attempt, len(items)))
        self._publish_progress()

    def _next_wakeup(self) -> float:
        now = self.clock()
        delay = self.settings.idle_recheck
        for profile in self._running_profiles():
            if self._busy[profile.name] >= profile.settings.concurrency:
                continue  # a finishing send wakes the scheduler
            due_at = self.store.next_due_at(profile.name)
            if due_at is None:
                continue
            wait = (due_at - now).total_seconds()
            # Due but not dispatched: it is being prepared (uploads); look again soon.
            delay = min(delay, wait if wait > 0 else self.settings.recheck)
        return max(0.0, delay)

    # -- sending --------------------------------------------------------------------------

    async def _send(self, profile: ProfileRecord, items: list[Item]) -> None:
        client = self._client_factory(self.http, profile.profile)
        try:
            report = await delivery.send(client, profile.name, items, self.clock, self._backoff)
        except Exception as error:
            # A bug, not an answer: the request may have left, so never send it again blindly.
            logger.exception("sending %s failed unexpectedly", [i.id for i in items])
            report = delivery.Report()
            for item in items:
                text = (
                    f"DeskForms failed while sending ({type(error).__name__}); it may have arrived."
                )
                update = OutcomeUpdate(
                    item.id, item.attempt_id, Status.UNCERTAIN, "error", 0, message=text
                )
                report.updates.append(update)
                report.events.append(ev.Uncertain(item.id, profile.name, text))
        self._apply(profile, report)

    async def _upload_then_send(self, profile: ProfileRecord, group: Group) -> None:
        started = time.monotonic()
        client = self._client_factory(self.http, profile.profile)
        try:
            ready = await prepare(self.store, client, group.records[0], profile)
        except Exception as error:
            # A bug or a failing disk, not an answer: try later instead of at once, in a loop.
            logger.exception("preparing %s failed unexpectedly", group.records[0].id)
            ready = NotReady(f"DeskForms could not prepare the files ({type(error).__name__}).")
            ready.retry = True
        try:
            record = self.store.submission(group.records[0].id)
            attempt_id = self.store.mark_sending(record.id)
        except (ProfilePaused, InvalidTransition, NotFound):
            return  # paused, cancelled or gone while its files were uploading
        item = Item(record, ready if isinstance(ready, list) else [], attempt_id)
        duration = int((time.monotonic() - started) * 1000)
        if isinstance(ready, NotReady) and ready.retry:
            now = self.clock()
            self._apply(
                profile, delivery.local_failure(profile.name, item, ready, now, self._backoff)
            )
        elif isinstance(ready, NotReady):
            self._recorder.add(*delivery.refused(profile.name, item, ready, duration))
        elif isinstance(ready, UploadFailed):
            now = self.clock()
            self._apply(
                profile,
                delivery.upload_failed(profile.name, item, ready, duration, now, self._backoff),
            )
        else:
            self._announce(profile, [item])
            await self._send(profile, [item])

    # -- recording outcomes ---------------------------------------------------------------

    def _apply(self, profile: ProfileRecord, report: delivery.Report) -> None:
        events: list[Event | None] = list(report.events)
        for index, update in enumerate(report.updates):
            event = events[index] if index < len(events) else None
            self._recorder.add(update, event, counted=update.submission_id not in report.solo)
        self._solo.update(report.solo)
        if report.unreachable:
            self._watch.watch(profile.profile)
        if report.pause_reason is not None:
            self._recorder.pause(profile.name, report.pause_reason)

    def _on_flushed(self, done: int) -> None:
        if not self.running:
            return  # the last outcomes of a stop(): nobody schedules or shows progress now
        self._done += done
        self._publish_progress()
        self.wake()

    def _publish_progress(self) -> None:
        waiting = self._due_count()
        in_flight = len(self._claimed)
        total = self._done + in_flight + waiting
        if total == 0:
            return
        self.events.publish(ev.Progress(self._done, total, in_flight))
        if in_flight == 0 and waiting == 0:
            self._done = 0  # idle: the next burst of work counts from zero

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

    def _on_reachable(self, name: str) -> None:
        if self.running:
            self.store.retry_all_now(name)
            self.wake()
