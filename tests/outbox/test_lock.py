"""The instance lock: one DeskForms per data folder, released by the OS when a process dies."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.outbox import DataFolderInUse, InstanceLock


def test_a_second_lock_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with InstanceLock(tmp_path):
        started = time.monotonic()
        with pytest.raises(DataFolderInUse) as refused:
            InstanceLock(tmp_path).acquire(wait=0.2)
        assert time.monotonic() - started >= 0.2  # it waited briefly first
    message = str(refused.value)
    assert "Another DeskForms" in message and str(tmp_path) in message
    assert "\n" not in message
    assert f"process {__import__('os').getpid()}" in message


def test_release_lets_the_next_one_in(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path)
    first.acquire()
    first.release()
    first.release()  # harmless twice
    second = InstanceLock(tmp_path)
    second.acquire(wait=0)
    assert second.held and not first.held
    second.release()


async def test_async_acquire_waits_without_blocking_the_loop(tmp_path: Path) -> None:
    holder = InstanceLock(tmp_path)
    holder.acquire()
    loop = asyncio.get_running_loop()
    loop.call_later(0.1, holder.release)
    waiter = InstanceLock(tmp_path)
    await waiter.acquire_async(wait=2)
    assert waiter.held
    waiter.release()


def test_a_crashed_holder_leaves_no_lock_behind(tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from desktop_app.outbox.lock import InstanceLock\n"
        f"InstanceLock({str(tmp_path)!r}).acquire()\n"
        "print('locked', flush=True)\n"
        "os._exit(9)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=30
    )
    assert result.stdout.strip() == "locked"
    InstanceLock(tmp_path).acquire(wait=0)
