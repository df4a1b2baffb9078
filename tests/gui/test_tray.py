"""The tray icon: skipped without a tray; count on icon and tooltip, menu, notifications."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from desktop_app.core.events import SubmissionChanged
from desktop_app.gui import tray as tray_module
from desktop_app.gui.batch_watch import Notice, TrayNotices
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.tray import TrayIcon, app_pixmap, make_tray
from desktop_app.gui.wiring import plug_pages
from desktop_app.store import Status
from tests.gui.conftest import sample_answers, sample_form


@pytest.fixture
def window(qtbot: QtBot, context: AppContext, window_settings: QSettings) -> MainWindow:
    made = MainWindow(context, window_settings)
    qtbot.addWidget(made)
    return made


@pytest.fixture
def tray(window: MainWindow, context: AppContext) -> TrayIcon:
    # Never shown: offscreen has no tray (showing one there warns); all else works hidden.
    return TrayIcon(window, context, notices=TrayNotices(settle=0.0, min_interval=0.0))


def test_no_tray_no_icon_and_the_workspace_still_starts(
    window: MainWindow, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    assert make_tray(window, context) is None
    workspace = plug_pages(window, context)
    assert workspace.tray is None
    assert window.findChildren(QSystemTrayIcon) == []


def test_a_tray_is_made_and_shown_where_there_is_one(
    window: MainWindow, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    shown: list[TrayIcon] = []
    monkeypatch.setattr(tray_module.TrayIcon, "show", lambda self: shown.append(self))
    made = make_tray(window, context)
    assert isinstance(made, TrayIcon)
    assert shown == [made]


def test_tooltip_and_icon_follow_the_unsent_count(
    qtbot: QtBot, tray: TrayIcon, context: AppContext
) -> None:
    assert tray.toolTip() == "DeskForms — 0 unsent"
    empty = tray.icon().pixmap(64, 64).toImage()
    with qtbot.waitSignal(tray.window.status.unsent_changed, timeout=1000):
        context.store.queue_submission(sample_form(), sample_answers(), "sandbox")
        context.store.queue_submission(sample_form(), sample_answers(), "sandbox")
    assert tray.unsent == 2
    assert tray.toolTip() == "DeskForms — 2 unsent"
    assert tray.icon().pixmap(64, 64).toImage() != empty  # the badge is drawn
    assert app_pixmap(2).toImage() == tray.icon().pixmap(64, 64).toImage()


def test_badge_pixels_differ_by_count() -> None:
    images = {n: app_pixmap(n).toImage() for n in (0, 1, 7, 150)}
    assert len({bytes(image.constBits()) for image in images.values()}) == 4
    assert app_pixmap(150).toImage() == app_pixmap(999).toImage()  # both "99+"


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen only
def test_menu_shows_the_window_sends_now_and_quits(
    qtbot: QtBot, tray: TrayIcon, window: MainWindow, context: AppContext
) -> None:
    menu = tray.contextMenu()
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "&Show DeskForms",
        "Send &now",
        "&Quit",
    ]
    tray.show_action.trigger()
    qtbot.waitExposed(window)
    assert window.isVisible()

    woken: list[bool] = []
    context.engine.wake = lambda: woken.append(True)  # type: ignore[method-assign]
    context.store.hold_new = True  # "send automatically" is off: the ticket waits
    sid = context.store.queue_submission(sample_form(), sample_answers(), "sandbox")
    assert context.store.submission(sid).next_attempt_at is None
    tray.send_action.trigger()
    assert woken == [True]
    assert context.store.submission(sid).status is Status.QUEUED
    assert context.store.submission(sid).next_attempt_at is not None  # due now

    with qtbot.waitSignal(window.closed, timeout=1000):
        tray.quit_action.trigger()
    assert not window.isVisible()


def _finish_a_batch(context: AppContext, outcome: str) -> None:
    for event in (
        SubmissionChanged("a", "queued", None),
        SubmissionChanged("a", "sending", "queued"),
        SubmissionChanged("a", outcome, "sending"),
    ):
        context.events.publish(event)


def test_a_finished_batch_is_notified_while_the_window_is_not_active(
    qtbot: QtBot, tray: TrayIcon, window: MainWindow, context: AppContext
) -> None:
    assert not window.isActiveWindow()
    with qtbot.waitSignal(tray.notified, timeout=2000) as blocker:
        _finish_a_batch(context, "rejected")
    notice = blocker.args[0]
    assert isinstance(notice, Notice)
    assert notice.message.startswith("1 ticket sent: 1 rejected.")
    assert notice.warning


def test_nothing_is_notified_while_the_window_is_active(
    qtbot: QtBot, tray: TrayIcon, window: MainWindow, context: AppContext
) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    shown: list[object] = []
    tray.notified.connect(shown.append)
    _finish_a_batch(context, "accepted")
    qtbot.wait(100)
    assert shown == []
    assert tray.notices.due_at() is None  # told by the window: not kept for later


def test_notifications_are_coalesced(qtbot: QtBot, window: MainWindow, context: AppContext) -> None:
    now = [100.0]
    tray = TrayIcon(
        window, context, clock=lambda: now[0], notices=TrayNotices(settle=1.0, min_interval=5.0)
    )
    shown: list[Notice] = []
    tray.notified.connect(shown.append)
    _finish_a_batch(context, "accepted")
    assert tray.notify_due() is None  # not settled yet
    now[0] = 101.0
    assert tray.notify_due() is not None
    _finish_a_batch(context, "uncertain")
    now[0] = 102.0
    assert tray.notify_due() is None  # only 1 s since the last one
    now[0] = 106.0
    second = tray.notify_due()
    assert second is not None and "1 uncertain" in second.message
    assert len(shown) == 2
