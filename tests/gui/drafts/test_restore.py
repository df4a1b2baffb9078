"""Restore after a crash: the prompt after an unclean exit (a marker left by a dead process) only."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop_app.gui.context import AppContext
from desktop_app.gui.drafts.restore import offer_restore
from desktop_app.gui.main_window import MainWindow
from desktop_app.store import SessionMarker, Store
from desktop_app.store.records import to_text
from desktop_app.store.session_marker import MARKER_NAME
from tests.gui.drafts.conftest import save


@pytest.fixture
def window(qtbot: QtBot, context: AppContext, window_settings: QSettings) -> Iterator[MainWindow]:
    main = MainWindow(context, window_settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main


def crashed_session(data_dir: Path, started: datetime) -> None:
    """Leave the marker of a session whose process is gone (as a kill -9 would)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    marker = {"pid": child.pid, "started": to_text(started)}
    (data_dir / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")


def test_after_an_unclean_exit_restore_opens_the_most_recent_draft(
    qtbot: QtBot, window: MainWindow, context: AppContext, store: Store, data_dir: Path
) -> None:
    save(store, "Typed before that session")
    started = datetime.now(UTC)
    crashed_session(data_dir, started)
    save(store, "Typed during it")
    latest = save(store, "The last thing typed")

    previous = SessionMarker(data_dir).begin()  # the next start
    opened: list[str] = []
    prompt = offer_restore(window, context, previous, opened.append)
    assert prompt is not None
    qtbot.waitUntil(prompt.isVisible)
    assert "did not close properly" in prompt.text()
    assert "2 forms had unsaved changes" in prompt.text()
    assert "The last thing typed" in prompt.informativeText()
    assert "Typed before" not in prompt.informativeText()
    prompt.restore_button.click()
    qtbot.waitUntil(lambda: opened == [latest])


def test_show_drafts_switches_to_the_drafts_page(
    qtbot: QtBot, window: MainWindow, context: AppContext, store: Store, data_dir: Path
) -> None:
    crashed_session(data_dir, datetime.now(UTC))
    save(store, "Typed during it")
    previous = SessionMarker(data_dir).begin()
    opened: list[str] = []
    prompt = offer_restore(window, context, previous, opened.append)
    assert prompt is not None and "1 form has unsaved changes" in prompt.text()
    assert window.current_page() != "drafts"
    prompt.show_button.click()
    qtbot.waitUntil(lambda: window.current_page() == "drafts")
    assert opened == []


def test_dismiss_does_nothing(
    qtbot: QtBot, window: MainWindow, context: AppContext, store: Store, data_dir: Path
) -> None:
    crashed_session(data_dir, datetime.now(UTC))
    save(store, "Typed during it")
    opened: list[str] = []
    prompt = offer_restore(window, context, SessionMarker(data_dir).begin(), opened.append)
    assert prompt is not None
    page = window.current_page()
    prompt.dismiss_button.click()
    qtbot.waitUntil(lambda: not prompt.isVisible())
    qtbot.wait(10)
    assert opened == [] and window.current_page() == page
    assert store.draft_count() == 1


def test_no_prompt_after_a_clean_exit(
    window: MainWindow, context: AppContext, store: Store, data_dir: Path
) -> None:
    last_run = SessionMarker(data_dir)
    assert last_run.begin() is None
    save(store, "Typed and saved")
    last_run.end()  # a clean quit
    previous = SessionMarker(data_dir).begin()
    assert previous is None
    assert offer_restore(window, context, previous, lambda draft_id: None) is None


def test_no_prompt_when_the_crashed_session_changed_no_draft(
    window: MainWindow, context: AppContext, store: Store, data_dir: Path
) -> None:
    save(store, "Older work")
    crashed_session(data_dir, datetime.now(UTC))
    previous = SessionMarker(data_dir).begin()
    assert previous is not None
    assert offer_restore(window, context, previous, lambda draft_id: None) is None
