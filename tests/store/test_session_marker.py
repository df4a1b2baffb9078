"""The session marker: written at start, removed at a clean quit, found again after a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_app.store import SessionInfo, SessionMarker
from desktop_app.store.session_marker import MARKER_NAME, pid_running
from tests.store.conftest import START, FakeClock

OTHER_PID = 4242


def dead_pid() -> int:
    """The id of a process that has just ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def marker(tmp_path: Path, clock: FakeClock, *, pid: int = 1000, **kw: object) -> SessionMarker:
    return SessionMarker(tmp_path, pid=pid, clock=clock, boot_id=lambda: "boot-1", **kw)  # type: ignore[arg-type]


def test_a_clean_quit_leaves_nothing_to_restore(tmp_path: Path, clock: FakeClock) -> None:
    first = marker(tmp_path, clock)
    assert first.begin() is None
    assert (tmp_path / MARKER_NAME).exists()
    assert first.current == SessionInfo(pid=1000, started=START, boot_id="boot-1")
    first.end()
    assert not (tmp_path / MARKER_NAME).exists()

    clock.advance(60)
    assert marker(tmp_path, clock, pid=1001, is_running=lambda pid: False).begin() is None


def test_a_marker_left_by_a_dead_process_is_the_previous_unclean_session(
    tmp_path: Path, clock: FakeClock
) -> None:
    marker(tmp_path, clock, pid=OTHER_PID).begin()  # ...and the process is killed: no end()
    clock.advance(3600)
    second = marker(tmp_path, clock, is_running=lambda pid: False)
    previous = second.begin()
    assert previous == SessionInfo(pid=OTHER_PID, started=START, boot_id="boot-1")
    # The new session replaced the marker: a later crash is found with its own start time.
    assert second.read() == SessionInfo(
        pid=1000, started=START + timedelta(hours=1), boot_id="boot-1"
    )


def test_a_marker_of_a_live_process_is_not_taken_for_a_crash(
    tmp_path: Path, clock: FakeClock
) -> None:
    marker(tmp_path, clock, pid=OTHER_PID).begin()
    asked: list[int] = []

    def is_running(pid: int) -> bool:
        asked.append(pid)
        return True

    second = marker(tmp_path, clock, is_running=is_running)
    assert second.begin() is None
    assert asked == [OTHER_PID]


def test_after_a_reboot_a_reused_pid_does_not_hide_the_crash(
    tmp_path: Path, clock: FakeClock
) -> None:
    marker(tmp_path, clock, pid=OTHER_PID).begin()
    after_reboot = SessionMarker(
        tmp_path, pid=1000, clock=clock, is_running=lambda pid: True, boot_id=lambda: "boot-2"
    )
    previous = after_reboot.begin()
    assert previous is not None and previous.pid == OTHER_PID


def test_the_real_pid_check_with_a_dead_process(tmp_path: Path) -> None:
    pid = dead_pid()
    assert not pid_running(pid)
    assert pid_running(os.getpid())
    started = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    (tmp_path / MARKER_NAME).write_text(
        json.dumps({"pid": pid, "started": "2026-05-01T08:00:00.000000Z"}), encoding="utf-8"
    )
    previous = SessionMarker(tmp_path).begin()
    assert previous == SessionInfo(pid=pid, started=started)


def test_an_earlier_run_in_this_same_process_that_never_ended_counts(
    tmp_path: Path, clock: FakeClock
) -> None:
    marker(tmp_path, clock, is_running=lambda pid: True).begin()
    clock.advance(5)
    previous = marker(tmp_path, clock, is_running=lambda pid: True).begin()
    assert previous is not None and previous.started == START


def test_an_unreadable_marker_still_means_an_unclean_end(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / MARKER_NAME
    path.write_text('{"pid": 12', encoding="utf-8")  # torn by the crash
    moment = datetime(2026, 4, 30, 12, 0, tzinfo=UTC).timestamp()
    os.utime(path, (moment, moment))
    previous = marker(tmp_path, clock).begin()
    assert previous == SessionInfo(pid=0, started=datetime(2026, 4, 30, 12, 0, tzinfo=UTC))


def test_end_never_removes_another_sessions_marker(tmp_path: Path, clock: FakeClock) -> None:
    first = marker(tmp_path, clock, pid=OTHER_PID)
    first.begin()
    clock.advance(1)
    second = marker(tmp_path, clock, is_running=lambda pid: False)
    second.begin()
    first.end()  # a stale handle: the marker on disk is the second session's
    assert second.read() == second.current
    second.end()
    second.end()  # harmless twice
    assert not (tmp_path / MARKER_NAME).exists()
