"""The sending settings in a real Workspace: "Send this ticket?" first (confirm_before_send) and
what the Forms page shows once a ticket is queued (after_send), followed live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.cli.profiles import sandbox_profile
from desktop_app.core.events import EventBus
from desktop_app.core.settings import AppSettings
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.gui.settings_controller import SettingsController
from desktop_app.gui.wiring import Workspace, plug_pages
from desktop_app.store import Status, Store
from desktop_app.store.settings_file import save_settings
from tests.gui.conftest import sample_answers, sample_form


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """The app's store (tests/gui/conftest.py): it holds the sandbox profile tickets go to."""
    with Store(data_dir, events=EventBus()) as opened:
        opened.save_profile(sandbox_profile())
        yield opened


def _workspace(
    qtbot: QtBot, qapp: QApplication, context: AppContext, window_settings: QSettings
) -> Workspace:
    window = MainWindow(context, window_settings)
    qtbot.addWidget(window)
    settings = SettingsController(context.data_dir, qapp, save_delay_ms=0)
    return plug_pages(window, context, settings)


@pytest.fixture
def workspace(
    qtbot: QtBot, qapp: QApplication, context: AppContext, window_settings: QSettings
) -> Workspace:
    return _workspace(qtbot, qapp, context, window_settings)


def _filled(workspace: Workspace) -> FormRunner:
    workspace.open_form(sample_form())
    runner = workspace.runner()
    assert runner is not None
    runner.load_answers(sample_answers())
    assert runner.go_review(), runner.message()
    return runner


def _settings(workspace: Workspace, **changes: object) -> None:
    assert workspace.settings is not None
    workspace.settings.update(workspace.settings.settings.replace(**changes))


def test_by_default_send_queues_at_once_and_the_form_resets(
    qtbot: QtBot, workspace: Workspace, store: Store
) -> None:
    runner = _filled(workspace)
    qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
    assert runner.confirm_box is None
    assert store.count_by_status()[Status.QUEUED] == 1
    assert workspace.runner() is runner and "subject" not in runner.answers()
    assert runner.message().startswith("Queued")


def test_confirm_before_send_asks_and_follows_the_setting_live(
    qtbot: QtBot, workspace: Workspace, store: Store
) -> None:
    runner = _filled(workspace)
    _settings(workspace, confirm_before_send=True)  # the open runner follows
    qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
    box = runner.confirm_box
    assert box is not None and box.isVisible()
    assert box.text() == f"Send this ticket to '{workspace.context.active_profile}'?"
    assert store.count_by_status()[Status.QUEUED] == 0
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert store.count_by_status()[Status.QUEUED] == 1

    _settings(workspace, confirm_before_send=False)
    runner.load_answers(sample_answers())
    assert runner.go_review()
    qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
    assert runner.confirm_box is None
    assert store.count_by_status()[Status.QUEUED] == 2


def test_a_runner_opened_later_asks_too(
    qtbot: QtBot,
    qapp: QApplication,
    context: AppContext,
    window_settings: QSettings,
) -> None:
    save_settings(context.data_dir, AppSettings(confirm_before_send=True))
    workspace = _workspace(qtbot, qapp, context, window_settings)
    runner = _filled(workspace)
    assert runner.confirm_send
    qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
    box = runner.confirm_box
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert not any(context.store.count_by_status().values())


def test_after_send_close_empties_the_forms_page_and_keeps_the_queued_line(
    qtbot: QtBot,
    workspace: Workspace,
    context: AppContext,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(context.messages, "info", shown.append)
    _settings(workspace, after_send="close")
    runner = _filled(workspace)
    qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)

    assert store.count_by_status()[Status.QUEUED] == 1
    assert workspace.runner() is None
    page = workspace.window.page_widget("forms")
    assert isinstance(page, QLabel) and "Open a form" in page.text()
    assert len(shown) == 1 and shown[0].startswith("Queued")
    assert not workspace.window.import_action.isEnabled()
    qtbot.waitUntil(lambda: not runner.isVisible())

    _settings(workspace, after_send="reset")  # live: the next form resets in place
    again = _filled(workspace)
    qtbot.mouseClick(again.send_button, Qt.MouseButton.LeftButton)
    assert workspace.runner() is again and "subject" not in again.answers()
    assert len(shown) == 1  # its own message line says it


def test_parallel_sends_setting_is_the_concurrency_of_new_profiles(workspace: Workspace) -> None:
    editor = workspace.profiles.editor
    _settings(workspace, concurrency=9)
    workspace.profiles.new_profile()
    assert editor.concurrency.value() == 9
    _settings(workspace, concurrency=2)
    workspace.profiles.new_profile()
    assert editor.concurrency.value() == 2
