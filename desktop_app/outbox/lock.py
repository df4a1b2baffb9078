"""One DeskForms per data folder: an OS file lock on `<data_dir>/deskforms.lock`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from desktop_app.store import StoreError

LOCK_NAME = "deskforms.lock"
DEFAULT_WAIT = 2.0
_POLL = 0.05


class DataFolderInUse(StoreError):
    """Another DeskForms (process or window) holds the data folder."""

    def __init__(self, data_dir: Path, holder: str | None) -> None:
        self.data_dir = data_dir
        self.holder = holder
        who = f" (process {holder})" if holder else ""
        super().__init__(
            f"Another DeskForms{who} is using the data folder {data_dir}; close it first,"
            " or use another data folder."
        )


class InstanceLock:
    """An exclusive lock that the OS releases when the process ends, even on a crash.

    fcntl.flock on POSIX, msvcrt.locking on Windows. The lock belongs to the open file, so a
    second InstanceLock on the same folder is refused even inside the same process.
    """

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_NAME
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self, wait: float = DEFAULT_WAIT) -> None:
        """Take the lock, trying for up to `wait` seconds; DataFolderInUse when it stays taken."""
        deadline = time.monotonic() + max(0.0, wait)
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise DataFolderInUse(self.data_dir, _holder(self.path))
            time.sleep(_POLL)

    async def acquire_async(self, wait: float = DEFAULT_WAIT) -> None:
        """`acquire` for code on the event loop: waiting never blocks the loop."""
        deadline = time.monotonic() + max(0.0, wait)
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise DataFolderInUse(self.data_dir, _holder(self.path))
            await asyncio.sleep(_POLL)

    def try_acquire(self) -> bool:
        """Take the lock if it is free; True when it is held now."""
        if self._file is not None:
            return True
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as error:
            raise StoreError(
                f"Cannot lock the data folder {self.data_dir}: {error.strerror or error}."
            ) from None
        try:
            if not _try_lock(handle):
                handle.close()
                return False
            # For the message a second instance shows; the lock itself is what counts.
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        except BaseException:
            handle.close()
            raise
        self._file = handle
        return True

    def release(self) -> None:
        """Let another DeskForms use the folder; harmless when not held."""
        handle, self._file = self._file, None
        if handle is None:
            return
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)
        handle.close()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def _holder(path: Path) -> str | None:
    with contextlib.suppress(OSError):
        text = path.read_text(encoding="utf-8").strip()
        return text if text.isdigit() else None
    return None


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(0)
        try:
            # One byte at offset 0 stands for the whole file; it may lie past the end.
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
