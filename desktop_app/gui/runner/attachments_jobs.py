"""Work for the attachments field that must not block the window: copying, PNG encoding."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtGui import QImage, QImageWriter

from desktop_app.gui.runner.attachments_items import human_size
from desktop_app.store import AttachmentStore, StoredFile, StoreError

T = TypeVar("T")
Done = Callable[[T | None, Exception | None], None]


class Refused(Exception):
    """A file turned out to break a limit while it was prepared (e.g. a pasted image's size)."""


def store_png(files: AttachmentStore, image: QImage, name: str, max_bytes: float) -> StoredFile:
    """Encode a pasted image as PNG and store it (off the UI thread: encoding takes a while)."""
    buffer_bytes = QByteArray()
    buffer = QBuffer(buffer_bytes)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not QImageWriter(buffer, QByteArray(b"png")).write(image):
        raise Refused(f"'{name}' was not added: the pasted image could not be converted to PNG.")
    buffer.close()
    data = bytes(buffer_bytes.data())
    if len(data) > max_bytes:
        limit = max_bytes / (1024 * 1024)
        raise Refused(
            f"'{name}' was not added: it is {human_size(len(data))}, over the {limit:g} MB limit."
        )
    return files.add_bytes(data, name)


def viewable_copy(stored: Path, sha256: str, name: str) -> Path:
    """A read-only copy of a stored file under its own name, for the system viewer.

    The store names files by hash (no extension, so no viewer is found by type), and a viewer
    that saves in place must never change a stored file.
    """
    safe = name if name not in ("", ".", "..") and "/" not in name and "\\" not in name else sha256
    folder = Path(tempfile.gettempdir()) / "deskforms-open" / sha256[:16]
    target = folder / safe
    if target.is_file() and target.stat().st_size == stored.stat().st_size:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".opening-", dir=folder)
    os.close(fd)
    try:
        shutil.copyfile(stored, temp_name)
        os.chmod(temp_name, 0o444)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def failure_text(name: str, error: Exception | None, action: str = "added") -> str:
    """Why a background job failed, naming the file."""
    if isinstance(error, Refused | StoreError):
        return str(error)
    reason = error.strerror or str(error) if isinstance(error, OSError) else str(error)
    return f"'{name}' was not {action}: {reason}."


# Failures a job reports in words; anything else is a bug for the crash dialog.
_EXPECTED = (StoreError, OSError, Refused)


def run_job(owner: QObject, work: Callable[[], T], done: Done[T]) -> None:
    """`work` in the asyncio executor when a loop runs, else right now; `done` on this thread.

    `done(result, None)` or `done(None, error)` for expected failures; it is not called once
    `owner` is deleted. Without a running loop (scripts, most tests) the work runs inline.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        try:
            result = work()
        except _EXPECTED as error:
            done(None, error)
        else:
            done(result, None)
        return
    future = loop.run_in_executor(None, work)
    future.add_done_callback(partial(_job_done, owner, done))


def _job_done(owner: QObject, done: Done[Any], future: asyncio.Future[Any]) -> None:
    if future.cancelled():
        return
    error = future.exception()  # retrieved even when nobody waits any more
    if not shiboken6.isValid(owner):
        return
    if error is None:
        done(future.result(), None)
    elif isinstance(error, _EXPECTED):
        done(None, error)
    else:
        raise error
