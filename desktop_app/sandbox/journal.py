"""The sandbox's append-only journal: one JSON line per change, fsynced before it is visible."""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


@dataclass
class JournalRead:
    """What a journal file holds: its readable entries, and whether a line was unreadable.

    `torn` is a last line without its newline (the process died mid-append: that change was
    never answered, so dropping it loses nothing). `corrupt` is an unreadable complete line:
    the entries before it are kept, the rest are not trusted.
    """

    entries: list[dict[str, Any]] = field(default_factory=list)
    torn: bool = False
    corrupt: bool = False


class Journal:
    """An append-only file of JSON objects, one a line, each written and fsynced on its own.

    Appending costs one write and one fsync (well under a millisecond on a local disk), not a
    rewrite of everything received so far. A failed append is cut off again, so the next line
    never follows half a line.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._size = 0

    @property
    def size(self) -> int:
        """Bytes in the journal (as last written or read)."""
        return self._size

    def read(self) -> JournalRead:
        """Every readable entry, oldest first; a missing file is an empty journal."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._size = 0
            return JournalRead()
        self._size = len(raw)
        result = JournalRead()
        lines = raw.split(b"\n")
        # A complete journal ends with a newline, so its last piece is empty.
        tail = lines.pop()
        result.torn = bool(tail.strip())
        for line in lines:
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            if not isinstance(entry, dict) or not isinstance(entry.get("seq"), int):
                result.corrupt = True
                break
            result.entries.append(entry)
        return result

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry as a line and fsync it; raises OSError with the file unchanged."""
        line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        fd = self._open()
        before = self._size
        try:
            view = memoryview(line)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except OSError:
            # Cut off what part of the line made it, so the journal stays whole lines.
            try:
                os.ftruncate(fd, before)
            except OSError:
                logger.exception("could not cut a failed append from %s", self.path)
            raise
        self._size = before + len(line)

    def clear(self) -> None:
        """Empty the journal (its entries are in the snapshot now)."""
        fd = self._open()
        os.ftruncate(fd, 0)
        os.fsync(fd)
        self._size = 0

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def _open(self) -> int:
        if self._fd is None:
            created = not self.path.exists()
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            self._fd = os.open(self.path, flags, 0o644)
            self._size = os.fstat(self._fd).st_size
            if created:
                fsync_directory(self.path.parent)
        return self._fd


def write_atomically(path: Path, content: bytes) -> None:
    """Replace `path` with `content`: a crash leaves the old or the new file, never half of one."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_directory(path.parent)


def fsync_directory(folder: Path) -> None:
    """Make a new or renamed directory entry durable (POSIX; Windows has no such call)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
