"""Watching an unreachable tenant with a cheap probe, so its failed tickets go as soon as it answers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import httpx

from desktop_app.core.profile import TenantProfile

logger = logging.getLogger(__name__)


async def probe(http: httpx.AsyncClient, profile: TenantProfile, timeout: float) -> bool:
    """True when anything answers HTTP at the profile's base URL (any status counts)."""
    try:
        await http.request(
            "HEAD", profile.base_url, timeout=httpx.Timeout(timeout), follow_redirects=False
        )
    except httpx.HTTPError:
        return False
    except OSError:
        return False
    return True


class ReachabilityWatch:
    """One probe loop per unreachable profile; `on_reachable(name)` runs once it answers.

    `still_needed(name)` is asked before each probe: the watch ends by itself when nothing
    of that profile is waiting any more (e.g. its retries already went through).
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        interval: float,
        timeout: float,
        on_reachable: Callable[[str], None],
        still_needed: Callable[[str], bool],
    ) -> None:
        self._http = http
        self._interval = interval
        self._timeout = timeout
        self._on_reachable = on_reachable
        self._still_needed = still_needed
        self._tasks: dict[str, asyncio.Task[None]] = {}

    @property
    def watched(self) -> frozenset[str]:
        return frozenset(self._tasks)

    def watch(self, profile: TenantProfile) -> None:
        """Start probing `profile` unless it is already watched."""
        existing = self._tasks.get(profile.name)
        if existing is not None and not existing.done():
            return
        task = asyncio.create_task(self._run(profile), name=f"deskforms-probe-{profile.name}")
        self._tasks[profile.name] = task
        task.add_done_callback(lambda done: self._forget(profile.name, done))

    async def close(self) -> None:
        """Stop every probe and wait for them to end."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _forget(self, name: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(name) is task:
            del self._tasks[name]

    async def _run(self, profile: TenantProfile) -> None:
        while True:
            await asyncio.sleep(self._interval)
            if not self._still_needed(profile.name):
                return
            if await probe(self._http, profile, self._timeout):
                logger.info("tenant of profile %r answers again", profile.name)
                self._on_reachable(profile.name)
                return
