"""Start-up and quit of the real app on a qasync loop: sandbox, engine, window, clean stop."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.cli.profiles import SANDBOX_PROFILE
from desktop_app.gui import app as app_module
from desktop_app.gui.app import QUIT_AFTER_START_ENV, DeskFormsApp, StartupError, run, serve
from desktop_app.gui.crash import log_path
from desktop_app.gui.main_window import MainWindow
from desktop_app.outbox import Accepted, EngineSettings, InstanceLock
from desktop_app.store import Status
from tests.gui.conftest import sample_answers, sample_form

PROJECT = Path(__file__).resolve().parents[2]


async def _other_tasks() -> set[asyncio.Task[object]]:
    return asyncio.all_tasks() - {asyncio.current_task()}


def test_start_shows_the_window_runs_the_sandbox_and_engine_then_quits_cleanly(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path
) -> None:
    seen: dict[str, object] = {}

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None
        await asyncio.sleep(0)  # one turn of the loop: the window is shown and painted
        seen["visible"] = window.isVisible()
        seen["banner"] = window.banner.isVisible()
        assert context.sandbox is not None
        profile = context.store.profile(SANDBOX_PROFILE).profile
        seen["points_at_sandbox"] = profile.base_url == context.sandbox.base_url
        answer = await context.http.get(f"{context.sandbox.base_url}/_sandbox")
        seen["sandbox_status"] = answer.status_code
        seen["engine_running"] = context.engine.running
        # Send one sample ticket through the engine to the in-process sandbox.
        accepted: asyncio.Future[Accepted] = asyncio.get_running_loop().create_future()
        context.bridge.submission_accepted.connect(
            lambda event: accepted.done() or accepted.set_result(event)
        )
        submission = context.store.queue_submission(sample_form(), sample_answers(), "sandbox")
        event = await asyncio.wait_for(accepted, timeout=10)
        seen["accepted"] = (event.submission_id == submission, event.ticket_id)
        await asyncio.sleep(0.1)  # the status bar's throttled count catches up
        seen["unsent"] = window.status.unsent
        seen["connection"] = window.status.connection.value
        seen["session"] = session
        window.close()

    code = qasync_runner.run(serve(data_dir, on_ready=on_ready))

    assert code == 0
    assert seen["visible"] is True
    assert seen["banner"] is True
    assert seen["points_at_sandbox"] is True
    assert seen["sandbox_status"] == 200
    assert seen["engine_running"] is True
    assert seen["accepted"] == (True, 1001)
    assert seen["unsent"] == 0
    assert seen["connection"] == "reachable"
    # Stopped in order: nothing left on the loop, the folder free, the store closed.
    assert qasync_runner.run(_other_tasks()) == set()
    session = seen["session"]
    assert isinstance(session, DeskFormsApp)
    assert session.context is not None
    assert session.context.store.closed
    assert not session.context.engine.running
    assert session.context.http.is_closed
    assert session.context.sandbox is not None and not session.context.sandbox.started
    lock = InstanceLock(data_dir)
    assert lock.try_acquire()
    lock.release()
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert all(not w.isVisible() for w in windows)


def test_a_second_run_keeps_the_sandbox_profile_and_points_it_at_the_new_port(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path
) -> None:
    urls: list[str] = []

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        assert session.context is not None and session.context.sandbox is not None
        urls.append(session.context.store.profile(SANDBOX_PROFILE).profile.base_url)
        assert urls[-1] == session.context.sandbox.base_url
        assert [p.name for p in session.context.store.profiles()] == [SANDBOX_PROFILE]
        window.close()

    assert qasync_runner.run(serve(data_dir, on_ready=on_ready)) == 0
    assert qasync_runner.run(serve(data_dir, on_ready=on_ready)) == 0
    assert len(urls) == 2


def test_quit_leaves_a_send_in_flight_for_crash_recovery(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path
) -> None:
    ids: list[str] = []
    grace = EngineSettings(stop_grace=0.1)

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None and context.sandbox is not None
        # The answer comes well after the 0.1 s grace (the sandbox's own shutdown waits for it).
        context.sandbox.state.latency_ms = 1200
        sending = asyncio.get_running_loop().create_future()
        context.bridge.sending_started.connect(lambda e: sending.done() or sending.set_result(e))
        ids.append(context.store.queue_submission(sample_form(), sample_answers(), "sandbox"))
        await asyncio.wait_for(sending, timeout=5)
        window.close()

    assert qasync_runner.run(serve(data_dir, on_ready=on_ready, engine_settings=grace)) == 0

    recovered: list[str] = []

    async def on_second_start(session: DeskFormsApp, window: MainWindow) -> None:
        assert session.context is not None
        recovered.append(session.context.store.submission(ids[0]).status)
        recovered.extend(m.text for m in window.message_bar.messages())
        window.close()

    assert qasync_runner.run(serve(data_dir, on_ready=on_second_start)) == 0
    # Had quit waited for the answer, the ticket would be accepted; it was left mid-send.
    assert recovered[0] == Status.UNCERTAIN
    assert any("may have arrived" in text for text in recovered[1:])


def test_a_folder_in_use_is_a_clear_startup_error(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "LOCK_WAIT", 0.05)
    in_use = pytest.raises(StartupError, match=r"Another DeskForms .* is using the data folder")
    with InstanceLock(data_dir), in_use:
        qasync_runner.run(serve(data_dir))
    assert qasync_runner.run(_other_tasks()) == set()
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)] == []


def test_run_returns_1_and_says_why_when_the_folder_is_in_use(
    qtbot: QtBot,
    qapp: QApplication,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(app_module, "LOCK_WAIT", 0.05)
    monkeypatch.setenv(QUIT_AFTER_START_ENV, "1")  # no modal message box in a test
    hook = sys.excepthook
    try:
        with InstanceLock(data_dir):
            assert run(data_dir, []) == 1
    finally:
        qapp.setQuitOnLastWindowClosed(True)
    assert "is using the data folder" in capsys.readouterr().err
    assert "DeskForms could not start" in log_path(data_dir).read_text(encoding="utf-8")
    assert sys.excepthook is hook  # the crash hook is removed again


def test_run_in_a_fresh_process_starts_paints_and_quits_with_exit_code_0(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    env = {
        **os.environ,
        QUIT_AFTER_START_ENV: "1",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(PROJECT),
    }
    code = (
        "import sys; from pathlib import Path; from desktop_app.gui.app import run;"
        " sys.exit(run(Path(sys.argv[1]), sys.argv[:1]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT,
    )
    assert done.returncode == 0, done.stderr
    noise = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and "propagateSizeHints" not in line
    ]
    assert noise == []
    log = log_path(data_dir).read_text(encoding="utf-8")
    assert "started (data folder" in log
    assert "main window painted" in log
    assert "DeskForms stopped" in log
    assert "ERROR" not in log
    # The frame paints first; the app starts after, and quits once it has started.
    assert log.index("main window painted") < log.index("started (data folder")
    assert (data_dir / "window.ini").is_file()


def test_closing_all_windows_is_an_orderly_quit(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path
) -> None:
    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        QApplication.closeAllWindows()

    assert qasync_runner.run(serve(data_dir, on_ready=on_ready)) == 0
    leftovers: list[QWidget] = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]
    assert leftovers == []


def _frame(qtbot: QtBot, data_dir: Path) -> MainWindow:
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    frame = MainWindow(settings=settings)
    frame.show()
    qtbot.waitUntil(lambda: frame.painted, timeout=2000)
    return frame


def test_the_frame_shown_first_is_attached_once_the_app_has_started(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path
) -> None:
    frame = _frame(qtbot, data_dir)
    seen: list[object] = []

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        seen.extend([window is frame, window.attached, window.status.profile, window.painted])
        await asyncio.sleep(0)
        window.close()

    assert qasync_runner.run(serve(data_dir, on_ready=on_ready, window=frame)) == 0
    assert seen == [True, True, SANDBOX_PROFILE, True]


def test_closing_the_frame_during_start_up_stops_what_started(
    qtbot: QtBot,
    qasync_runner: asyncio.Runner,
    data_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="desktop_app.gui.app")
    frame = _frame(qtbot, data_dir)
    ready: list[MainWindow] = []

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        ready.append(window)

    async def start_and_close() -> int:
        # Closed at the start's first wait (lock, sandbox...): the start finishes, then stops.
        asyncio.get_running_loop().call_soon(frame.close)
        return await serve(data_dir, on_ready=on_ready, window=frame)

    assert qasync_runner.run(start_and_close()) == 0
    assert ready == []
    assert not frame.attached
    assert qasync_runner.run(_other_tasks()) == set()
    lock = InstanceLock(data_dir)
    assert lock.try_acquire()  # the folder is free: the store and lock were let go
    lock.release()
    said = [record.getMessage() for record in caplog.records]
    assert "the window was closed during start-up; stopping" in said
    assert "DeskForms stopped" in said


def test_a_frame_closed_before_the_start_starts_nothing(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path
) -> None:
    frame = _frame(qtbot, data_dir)
    frame.close()
    assert qasync_runner.run(serve(data_dir, window=frame)) == 0
    assert list(data_dir.iterdir()) == [data_dir / "window.ini"]  # its state was saved
