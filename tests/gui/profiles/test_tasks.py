"""TaskSlot: a new task cancels the stale one; failures reach the loop's handler; no loop, no task."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from desktop_app.gui.profiles.tasks import TaskSlot


async def _sleep_then(events: list[str], name: str, delay: float) -> None:
    await asyncio.sleep(delay)
    events.append(name)


def test_a_new_task_cancels_the_stale_one() -> None:
    events: list[str] = []

    async def main() -> None:
        slot = TaskSlot("check")
        first = slot.start(_sleep_then(events, "first", 0.05))
        second = slot.start(_sleep_then(events, "second", 0.0))
        assert first is not None and second is not None and slot.running
        await slot.wait()
        await asyncio.sleep(0)
        assert first.cancelled() and not slot.running

    asyncio.run(main())
    assert events == ["second"]


def test_an_unexpected_failure_goes_to_the_loop_exception_handler() -> None:
    seen: list[dict[str, Any]] = []

    async def boom() -> None:
        raise RuntimeError("boom")

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: seen.append(ctx))
        slot = TaskSlot("import")
        slot.start(boom())
        with pytest.raises(RuntimeError):
            await slot.wait()

    asyncio.run(main())
    assert [str(ctx["exception"]) for ctx in seen] == ["boom"]
    assert seen[0]["message"] == "deskforms-import failed"


def test_without_a_running_loop_nothing_starts() -> None:
    events: list[str] = []
    work = _sleep_then(events, "never", 0)
    assert TaskSlot("check").start(work) is None
    # Closed, so no "coroutine was never awaited" warning.
    assert inspect.getcoroutinestate(work) == inspect.CORO_CLOSED
