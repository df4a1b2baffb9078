"""Keyboard and screen-reader pass over the real main window: names, Tab reach and order, big fonts."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.cli.paths import SAMPLE_FORMS_DIR
from desktop_app.core.settings import AppSettings
from desktop_app.gui.app import DeskFormsApp, serve
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.pages import PAGE_KEYS
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.gui.theme import is_dark
from desktop_app.store.settings_file import save_settings
from tests.gui.conftest import sample_answers

INPUTS = (
    QLineEdit,
    QComboBox,
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QAbstractSlider,
)


def _name_of(widget: QWidget, buddies: dict[QWidget, str]) -> str:
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if widget in buddies:
        return buddies[widget]
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    return ""


def _tab_stops(window: MainWindow) -> list[QWidget]:
    """Visible, enabled widgets Tab can stop at, in the window's focus chain order."""
    stops: list[QWidget] = []
    widget: QWidget | None = window.nextInFocusChain()
    while widget is not None and widget is not window and len(stops) < 5000:
        tab = Qt.FocusPolicy.TabFocus
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & tab == tab
            and widget.focusProxy() is None  # e.g. a spin box's line edit: focus goes to it
            and widget.window() is window
        ):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def _walk_tab(window: MainWindow, start: QWidget) -> list[QWidget]:
    """Press Tab from `start` until focus comes back to it; the widgets focused on the way."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    reached: list[QWidget] = []
    for _ in range(400):
        current = QApplication.focusWidget()
        assert current is not None, "focus left the window"
        QTest.keyClick(current, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not current, f"Tab is kept by {_label(current)}: a keyboard trap"
        if focused is start:
            return [*reached, start]
        assert focused is not None
        reached.append(focused)
    raise AssertionError("Tab never came back to the sections list")


def _label(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.accessibleName() or widget.objectName()!r})"


def _check(window: MainWindow, state: str, problems: list[str]) -> list[QWidget]:
    buddies = {
        label.buddy(): label.text().replace("&", "")
        for label in window.findChildren(QLabel)
        if label.buddy() is not None and label.text().strip()
    }
    stops = [w for w in _tab_stops(window) if isinstance(w, INPUTS)]
    for widget in stops:
        if not _name_of(widget, buddies):
            problems.append(f"{state}: {_label(widget)} has no accessible name")
    reached = _walk_tab(window, window.sidebar)
    for widget in stops:
        if widget in reached:
            continue
        if isinstance(widget, QRadioButton) and widget.autoExclusive():
            # Tab stops at one button of a group; the arrow keys move inside it.
            parent = widget.parentWidget()
            group = parent.findChildren(QRadioButton) if parent is not None else []
            if any(b in reached for b in group):
                continue
        problems.append(f"{state}: {_label(widget)} cannot be reached with Tab")
    return reached


def _clipped_buttons(window: MainWindow) -> list[str]:
    """Buttons whose text does not fit them (what a big font shows first)."""
    return [
        f"{_label(button)} {button.text()!r} is {button.width()} px wide,"
        f" needs {button.minimumSizeHint().width()}"
        for button in window.findChildren(QAbstractButton)
        if button.isVisible()
        and button.text()
        and button.width() < button.minimumSizeHint().width()
    ]


async def _walk_every_page(window: MainWindow, problems: list[str]) -> dict[str, list[str]]:
    orders: dict[str, list[str]] = {}
    window.activateWindow()
    await asyncio.sleep(0.2)
    for name in ("it-support", "walk-in-intake"):
        form = window.open_form_file(SAMPLE_FORMS_DIR / f"{name}.json")
        runner = window.page_widget("forms")
        assert form is not None and isinstance(runner, FormRunner)
        await asyncio.sleep(0.1)
        reached = _check(window, f"{name} page 1", problems)
        orders[name] = [_label(w) for w in reached]
    assert isinstance(runner, FormRunner)
    runner.load_answers(sample_answers("walk-in-intake"))
    runner.go_review()
    await asyncio.sleep(0.1)
    _check(window, "review", problems)
    for key in PAGE_KEYS[1:]:
        window.show_page(key)
        await asyncio.sleep(0.1)
        orders[key] = [_label(w) for w in _check(window, key, problems)]
    window.show_page("forms")
    return orders


def test_every_control_is_named_and_reachable_with_tab_in_a_sensible_order(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path, app: QApplication
) -> None:
    problems: list[str] = []
    orders: dict[str, list[str]] = {}

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        try:
            orders.update(await _walk_every_page(window, problems))
        finally:
            window.close()

    assert qasync_runner.run(serve(data_dir, on_ready=on_ready)) == 0
    assert problems == []
    # The eye's order: sections (where the walk starts), the library, then the form.
    forms = orders["walk-in-intake"]
    assert forms[-1] == "SectionList('Sections')"  # where the walk came back to
    assert forms[:2] == [
        "QToolButton('Refresh the form list')",
        "QListView('Form library')",
    ]
    assert forms.index("QLineEdit('Your name')") < forms.index(
        "QLineEdit('E-mail address (optional)')"
    )
    assert forms[-2].startswith("QPushButton")  # Review, after the fields
    assert orders["settings"][0] == "QComboBox('Theme')"


def test_at_double_font_size_in_dark_no_button_text_is_cut_off(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path, app: QApplication
) -> None:
    save_settings(data_dir, AppSettings(theme="dark", font_scale=2.0))
    clipped: list[str] = []
    looks: list[tuple[bool, float]] = []
    base = app.font().pointSizeF()

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        try:
            window.resize(1280, 820)
            looks.append((is_dark(app.palette()), app.font().pointSizeF() / base))
            window.open_form_file(SAMPLE_FORMS_DIR / "it-support.json")
            for key in PAGE_KEYS:
                window.show_page(key)
                await asyncio.sleep(0.1)
                clipped.extend(f"{key}: {text}" for text in _clipped_buttons(window))
            sidebar = window.sidebar
            widest = max(
                sidebar.visualItemRect(sidebar.item(row)).width() for row in range(sidebar.count())
            )
            if sidebar.viewport().width() < sidebar.sizeHintForColumn(0) or widest <= 0:
                clipped.append("the sections list is narrower than its titles")
        finally:
            window.close()

    assert qasync_runner.run(serve(data_dir, on_ready=on_ready)) == 0
    assert looks == [(True, 2.0)]
    assert clipped == []
