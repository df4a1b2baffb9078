"""A marker file in the data folder while the app runs: one left behind means it did not quit cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.store.records import from_text, to_text

MARKER_NAME = "session.json"
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


@dataclass(frozen=True)
class SessionInfo:
    """One run of the app: its process id and when it started (aware UTC).

    `pid` is 0 when a marker could not be read; `started` is then the file's modification time.
    """

    pid: int
    started: datetime
    boot_id: str | None = None


def pid_running(pid: int) -> bool:
    """Whether a process with this id exists now (a pid reused since is a false positive)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_running(pid)
    try:
        os.kill(pid, 0)  # signal 0: only checks the process exists and may be signalled
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return True


if sys.platform == "win32":
    import ctypes

    def _windows_pid_running(pid: int) -> bool:
        # os.kill(pid, 0) would terminate the process on Windows; ask for its exit code instead.
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # ERROR_ACCESS_DENIED: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return False
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)

else:

    def _windows_pid_running(pid: int) -> bool:
        raise NotImplementedError


def current_boot_id() -> str | None:
    """This boot of the machine (Linux), so a pid from before a reboot is never taken as alive."""
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip() or None
    except OSError:
        return None


class SessionMarker:
    """Writes `session.json` in the data folder at start and removes it at a clean quit.

    `begin()` returns the previous session when its marker is still there and its process is
    gone: that run ended in a crash, a kill or a power cut, and the drafts it edited (updated
    after its `started`) are the operator's unsaved work. Call it once the data folder's
    instance lock is held, so no other live DeskForms can own the marker. Qt-free.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        pid: int | None = None,
        clock: Callable[[], datetime] | None = None,
        is_running: Callable[[int], bool] = pid_running,
        boot_id: Callable[[], str | None] = current_boot_id,
    ) -> None:
        self.path = Path(data_dir) / MARKER_NAME
        self._pid = os.getpid() if pid is None else pid
        self._clock = clock or (lambda: datetime.now(UTC))
        self._is_running = is_running
        self._boot_id = boot_id
        self.current: SessionInfo | None = None

    def read(self) -> SessionInfo | None:
        """The marker on disk; None when there is none (an unreadable one still counts)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError:
            text = ""
        try:
            data = json.loads(text)
            boot = data.get("boot_id")
            return SessionInfo(
                pid=int(data["pid"]),
                started=from_text(str(data["started"])),
                boot_id=boot if isinstance(boot, str) else None,
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            # Torn by the crash it records: still a session that did not end cleanly.
            return SessionInfo(pid=0, started=self._modified())

    def ended_uncleanly(self, session: SessionInfo) -> bool:
        """Whether `session` is over although its marker was never removed."""
        if session.pid in (0, self._pid):
            return True  # unreadable, or an earlier run in this very process
        boot = self._boot_id()
        if session.boot_id and boot and session.boot_id != boot:
            return True  # the machine restarted since: the pid now names another process
        return not self._is_running(session.pid)

    def begin(self) -> SessionInfo | None:
        """Record this session; the previous one if it ended uncleanly, else None.

        OSError when the marker cannot be written (the app can run on without it).
        """
        previous = self.read()
        unclean = previous if previous is not None and self.ended_uncleanly(previous) else None
        current = SessionInfo(pid=self._pid, started=self._clock(), boot_id=self._boot_id())
        payload = {"pid": current.pid, "started": to_text(current.started)}
        if current.boot_id:
            payload["boot_id"] = current.boot_id
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(payload), encoding="utf-8")
        os.replace(temporary, self.path)
        self.current = current
        return unclean

    def end(self) -> None:
        """Remove the marker at a clean quit (only ours: never another session's)."""
        current, self.current = self.current, None
        if current is None:
            return
        on_disk = self.read()
        if on_disk is not None and (on_disk.pid, on_disk.started) == (current.pid, current.started):
            # Quit goes on regardless: at worst the next start offers drafts that were saved.
            with contextlib.suppress(OSError):
                self.path.unlink()

    def _modified(self) -> datetime:
        try:
            return datetime.fromtimestamp(self.path.stat().st_mtime, UTC)
        except OSError:
            return datetime.fromtimestamp(0, UTC)
