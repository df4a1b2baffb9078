"""TaskSlot: one named asyncio task per panel on the running (qasync) loop; a new one cancels the stale one."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any


class TaskSlot:
    """Runs a panel's network work as a task on the running loop, never blocking it.

    Starting a new task cancels the one still running (its answer would be stale). A task
    that fails unexpectedly goes to the loop's exception handler (the app's crash dialog),
    not to a silent traceback.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None] | None:
        """Run `work` as this slot's task; None (and `work` closed) when no loop is running."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            work.close()
            return None
        self.cancel()
        task = loop.create_task(work, name=f"deskforms-{self.name}")
        task.add_done_callback(_report)
        self.task = task
        return task

    def cancel(self) -> None:
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.cancel()

    async def wait(self) -> None:
        """Until the current task is done (tests and shutdown); its cancellation is not an error."""
        task = self.task
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)


def _report(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        task.get_loop().call_exception_handler(
            {"message": f"{task.get_name()} failed", "exception": error, "task": task}
        )
