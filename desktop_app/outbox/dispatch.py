"""Scheduling and sending: due submissions become requests within each profile's concurrency."""

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
from desktop_app.core.events import EventBus
from desktop_app.core.profile import TenantProfile
from desktop_app.outbox import delivery
from desktop_app.outbox import events as ev
from desktop_app.outbox.backoff import Backoff
from desktop_app.outbox.batching import Group, plan
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
# Progress while requests are in flight is published at most this often (seconds).
PROGRESS_INTERVAL = 0.1


def utc_now() -> datetime:
    return datetime.now(UTC)


class Dispatcher(Waiting):
    """The scheduler loop and the send tasks; `OutboxEngine` adds lifecycle and reactions.

    Each round reads the due submissions of every running profile with free slots, plans
    requests (batches where allowed), marks them `sending` in one commit and starts one task
    per request. Outcomes are recorded by an OutcomeRecorder, which wakes the next round.
    """

    def __init__(
        self,
        store: Store,
        http: httpx.AsyncClient,
        *,
        events: EventBus | None,
        settings: EngineSettings | None,
        clock: Clock,
        client_factory: ClientFactory,
        rng: random.Random | None,
    ) -> None:
        super().__init__(store)
        self.http = http
        self.events = events if events is not None else store.events
        self.settings = settings or EngineSettings()
        self.clock = clock
        self._client_factory = client_factory
        self._backoff = Backoff(self.settings.backoff, rng)
        self._wake = asyncio.Event()
        self._scheduler: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._busy: Counter[str] = Counter()
        # Claimed submissions still `queued` while their files upload (the rest are `sending`).
        self._uploading: set[str] = set()
        self._recorder = OutcomeRecorder(store, self.events, self._on_flushed, self.wake)
        self._watch = ReachabilityWatch(
            http,
            interval=self.settings.probe_interval,
            timeout=self.settings.probe_timeout,
            on_reachable=self._on_reachable,
            still_needed=lambda name: store.submission_count(Status.FAILED, name) > 0,
        )
        # Profiles as last read: parsing them on every round costs more than the round.
        self._profile_cache: list[ProfileRecord] | None = None
        self._done = 0
        self._progress_at = 0.0

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def wake(self) -> None:
        """Look for due work now (new items queued, the operator asked)."""
        self._wake.set()
        self._notify()

    def _on_reachable(self, name: str) -> None:
        if self.running:
            self.store.retry_all_now(name)
            self.wake()

    def _delivers_to(self, profile: str) -> bool:
        return self.settings.delivers_to(profile)

    def _profiles(self) -> list[ProfileRecord]:
        if self._profile_cache is None or not self.running:
            self._profile_cache = self.store.profiles()
        return self._profile_cache

    def _profile_names(self) -> list[str]:
        return [p.name for p in self._profiles() if self.settings.delivers_to(p.name)]

    def _running_profiles(self) -> list[ProfileRecord]:
        return [p for p in self._profiles() if not p.paused and self.settings.delivers_to(p.name)]

    # -- scheduling -----------------------------------------------------------------------

    async def _run(self) -> None:
        self._recorder.deferred = True
        try:
            while True:
                self._wake.clear()
                try:
                    self._dispatch()
                    delay = self._next_wakeup()
                except Exception:
                    # A store failure (disk full...) must not kill delivery for the session,
                    # nor hold up the outcomes that came in: they are recorded on their own.
                    logger.exception("the outbox could not schedule; trying again shortly")
                    self._recorder.flush()
                    delay = self.settings.recheck
                self._notify()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await self._wake.wait()
        finally:
            self._recorder.deferred = False

    def _dispatch(self) -> None:
        """One round: plan the requests for the free slots, then commit the outcomes that came
        in and the `sending` of those requests in one transaction, then let them go."""
        now = self.clock()
        rounds: list[tuple[ProfileRecord, list[list[Item]], list[tuple[Item, NotReady]]]] = []
        for profile in self._running_profiles():
            free = profile.settings.concurrency - self._busy[profile.name]
            if free <= 0:
                continue
            per_request = self.settings.max_batch if profile.settings.batching else 1
            due = self.store.due_submissions(
                now, profile=profile.name, limit=free * per_request + len(self._uploading)
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
                ready, refusals = self._prepare(profile, groups)
                if ready or refusals:
                    rounds.append((profile, ready, refusals))
        marked = [
            item
            for _, ready, refusals in rounds
            for item in [*(i for items in ready for i in items), *(i for i, _ in refusals)]
        ]
        if not marked:
            self._recorder.flush()
            return
        pending = self._recorder.take()
        try:
            # `sending` is on disk before any request leaves; the answers that freed the slots
            # share the commit.
            attempts = self.store.record_outcomes_and_mark_sending(
                [update for update, _, _ in pending], [item.id for item in marked]
            )
        except Exception:
            self._recorder.put_back(pending)
            raise
        self._recorder.published(pending)
        for item in marked:
            item.attempt_id = attempts[item.id]
            self._solo.discard(item.id)
        for profile, ready, refusals in rounds:
            for item, problem in refusals:
                self._recorder.add(*delivery.refused(profile.name, item, problem))
            for items in ready:
                self._spawn(profile, [item.id for item in items], self._send(profile, items))
            # After the claims, so the progress counts them in flight (the tasks start later).
            self._announce(profile, ready)

    def _upload_check(self, profile: str) -> Callable[[SubmissionRecord], bool]:
        return lambda record: bool(missing_uploads(self.store, record, profile))

    def _prepare(
        self, profile: ProfileRecord, groups: list[Group]
    ) -> tuple[list[list[Item]], list[tuple[Item, NotReady]]]:
        """Build each group's tickets; groups with files to upload start in tasks of their own."""
        ready: list[list[Item]] = []
        refusals: list[tuple[Item, NotReady]] = []
        for group in groups:
            if group.uploads:
                record_id = group.records[0].id
                self._uploading.add(record_id)
                self._spawn(profile, [record_id], self._upload_then_send(profile, group))
                continue
            items: list[Item] = []
            for record in group.records:
                try:
                    items.append(Item(record, build(self.store, record, profile)))
                except NotReady as refusal:
                    refusals.append((Item(record), refusal))
            if items:
                ready.append(items)
        return ready, refusals

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
                self._uploading.difference_update(claimed)
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

    def _announce(self, profile: ProfileRecord, requests: list[list[Item]]) -> None:
        """Sending for each submission of each request, then the progress."""
        for items in requests:
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
        finally:
            self._uploading.discard(group.records[0].id)
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
            self._announce(profile, [[item]])
            await self._send(profile, [item])

    # -- recording outcomes ---------------------------------------------------------------

    def _apply(self, profile: ProfileRecord, report: delivery.Report) -> None:
        for update, event in zip(report.updates, report.events, strict=True):
            self._recorder.add(update, event, counted=update.submission_id not in report.solo)
        self._solo.update(report.solo)
        if report.unreachable and self.running:
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
        in_flight = len(self._claimed)
        moment = time.monotonic()
        if in_flight and moment - self._progress_at < PROGRESS_INTERVAL:
            return  # a bar needs no more; counting the due ones costs a query each time
        self._progress_at = moment
        waiting = self._due_count()
        total = self._done + in_flight + waiting
        if total == 0:
            return
        self.events.publish(ev.Progress(self._done, total, in_flight))
        if in_flight == 0 and waiting == 0:
            self._done = 0  # idle: the next burst of work counts from zero
