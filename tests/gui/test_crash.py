"""Unexpected errors: logged to the data folder and shown in one non-modal dialog; app goes on."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.gui.crash import CrashReporter, log_path, remove_logging, setup_logging


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    handler = setup_logging(tmp_path)
    yield log_path(tmp_path)
    remove_logging(handler)


def _raise(message: str) -> None:
    raise ValueError(message)


def _report(reporter: CrashReporter, message: str) -> None:
    try:
        _raise(message)
    except ValueError:
        reporter.handle(*sys.exc_info())


def test_an_unexpected_error_is_logged_and_shown_without_blocking(
    qtbot: QtBot, log_file: Path
) -> None:
    reporter = CrashReporter(log_file)
    with qtbot.waitSignal(reporter.crashed, timeout=1000) as blocker:
        _report(reporter, "the first surprise")

    assert "ValueError: the first surprise" in blocker.args[0]
    text = log_file.read_text(encoding="utf-8")
    assert "Unexpected error" in text
    assert "in _raise" in text and "ValueError: the first surprise" in text
    dialog = reporter.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert str(log_file) in dialog.intro.text()
    assert "the first surprise" in dialog.details.toPlainText()

    # A second error joins the same dialog instead of opening another.
    _report(reporter, "the second surprise")
    assert reporter.dialog is dialog
    assert dialog.reports == 2
    assert "the second surprise" in dialog.details.toPlainText()
    dialog.copy_button.click()
    clipboard = QApplication.clipboard()
    assert "the second surprise" in clipboard.text()


def test_install_routes_sys_threads_and_asyncio_errors_then_uninstall_restores(
    qtbot: QtBot, log_file: Path
) -> None:
    reporter = CrashReporter(log_file, show_dialog=False)
    before, before_thread = sys.excepthook, threading.excepthook
    reporter.install()
    try:
        assert sys.excepthook == reporter.handle
        with qtbot.waitSignal(reporter.crashed, timeout=2000) as blocker:
            worker = threading.Thread(target=_raise, args=("in a thread",))
            worker.start()
            worker.join()
        assert "in a thread" in blocker.args[0]

        loop = asyncio.new_event_loop()
        try:
            with qtbot.waitSignal(reporter.crashed, timeout=1000) as blocker:
                reporter.handle_loop_exception(
                    loop,
                    {"message": "Task exception was never retrieved", "exception": KeyError("k")},
                )
        finally:
            loop.close()
        assert "KeyError: 'k'" in blocker.args[0]
    finally:
        reporter.uninstall()
    assert sys.excepthook is before
    assert threading.excepthook is before_thread
    assert reporter.dialog is None


def test_keyboard_interrupt_is_not_a_crash(
    qtbot: QtBot, log_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[object] = []
    reporter = CrashReporter(log_file)
    reporter._previous_hook = lambda *args: calls.append(args[0])  # as if installed
    crashed: list[str] = []
    reporter.crashed.connect(crashed.append)
    with caplog.at_level(logging.ERROR):
        reporter.handle(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert calls == [KeyboardInterrupt]
    assert crashed == []
    assert reporter.dialog is None


def test_the_quit_button_closes_every_window(qtbot: QtBot, log_file: Path) -> None:
    reporter = CrashReporter(log_file)
    _report(reporter, "bad")
    dialog = reporter.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.quit_button.click()
    assert not dialog.isVisible()
