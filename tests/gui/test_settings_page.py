"""Settings page and controller: each control applies and saves, theme, font scale, defaults."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.core.settings import AppSettings
from desktop_app.gui import settings_controller as controller_module
from desktop_app.gui.settings_controller import SettingsController
from desktop_app.gui.settings_page import NO_DEFAULT_PROFILE, SettingsPage
from desktop_app.gui.theme import apply_appearance, base_font, is_dark
from desktop_app.store.settings_file import SETTINGS_FILE, load_settings, save_settings

PROFILES = ["Sandbox", "Helpdesk"]
MakeController = Callable[..., SettingsController]


@pytest.fixture
def make_controller(
    app: QApplication, data_dir: Path
) -> Iterator[Callable[..., SettingsController]]:
    made: list[SettingsController] = []

    def make(**options: Any) -> SettingsController:
        options.setdefault("save_delay_ms", 0)
        controller = SettingsController(data_dir, app, **options)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.deleteLater()


@pytest.fixture
def page(qtbot: QtBot, make_controller: MakeController) -> SettingsPage:
    made = make_controller().make_page(PROFILES)
    qtbot.addWidget(made)
    return made


def _saved(data_dir: Path) -> dict[str, Any]:
    path = data_dir / SETTINGS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _pick(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


Change = Callable[[SettingsPage], None]
CONTROL_CHANGES: list[tuple[str, Change, str, object]] = [
    ("theme", lambda p: _pick(p.theme_combo, "dark"), "theme", "dark"),
    ("font size", lambda p: p.font_scale_spin.setValue(150), "font_scale", 1.5),
    (
        "default profile",
        lambda p: _pick(p.profile_combo, "Helpdesk"),
        "default_profile",
        "Helpdesk",
    ),
    ("autosend", lambda p: p.autosend_check.click(), "autosend", False),
    ("confirm", lambda p: p.confirm_check.click(), "confirm_before_send", True),
    ("after send", lambda p: _pick(p.after_send_combo, "close"), "after_send", "close"),
    ("concurrency", lambda p: p.concurrency_spin.setValue(12), "concurrency", 12),
]


@pytest.mark.parametrize(
    ("change", "name", "value"),
    [case[1:] for case in CONTROL_CHANGES],
    ids=[case[0] for case in CONTROL_CHANGES],
)
def test_each_control_emits_the_new_settings_and_saves_them(
    qtbot: QtBot, page: SettingsPage, data_dir: Path, change: Change, name: str, value: object
) -> None:
    assert getattr(page.settings(), name) != value
    with qtbot.waitSignal(page.settings_changed, timeout=1000) as blocker:
        change(page)
    emitted = blocker.args[0]
    assert isinstance(emitted, AppSettings)
    assert emitted == AppSettings().replace(**{name: value})
    qtbot.waitUntil(lambda: _saved(data_dir).get(name) == value, timeout=2000)
    assert load_settings(data_dir) == (emitted, [])


def test_the_page_emits_nothing_when_shown_settings_change(qtbot: QtBot) -> None:
    page = SettingsPage(AppSettings(), PROFILES)
    qtbot.addWidget(page)
    changed = AppSettings(theme="dark", concurrency=9, default_profile="Helpdesk")
    with qtbot.assertNotEmitted(page.settings_changed):
        page.set_settings(changed)
    assert page.theme_combo.currentData() == "dark"
    assert page.concurrency_spin.value() == 9
    assert page.profile_combo.currentText() == "Helpdesk"
    assert page.settings() == changed


def test_no_default_profile_is_the_first_choice(qtbot: QtBot, page: SettingsPage) -> None:
    assert page.profile_combo.currentText() == NO_DEFAULT_PROFILE
    _pick(page.profile_combo, "Helpdesk")
    with qtbot.waitSignal(page.settings_changed, timeout=1000) as blocker:
        page.profile_combo.setCurrentIndex(0)
    assert blocker.args[0].default_profile is None


def test_a_default_profile_that_is_gone_stays_shown_as_missing(qtbot: QtBot) -> None:
    page = SettingsPage(AppSettings(default_profile="Old site"), PROFILES)
    qtbot.addWidget(page)
    assert page.profile_combo.currentText() == "Old site (missing)"
    page.set_profiles([*PROFILES, "Old site"])
    assert page.profile_combo.currentText() == "Old site"


def test_dark_theme_switches_the_palette_and_system_restores_it(
    qtbot: QtBot, app: QApplication, page: SettingsPage
) -> None:
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 128
    _pick(page.theme_combo, "dark")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 100
    qtbot.waitUntil(lambda: is_dark(page.palette()), timeout=1000)
    _pick(page.theme_combo, "light")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 128
    _pick(page.theme_combo, "dark")
    _pick(page.theme_combo, "system")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 128


def test_font_scale_200_percent_doubles_the_app_font(app: QApplication, page: SettingsPage) -> None:
    base = app.font().pointSizeF()
    page.font_scale_spin.setValue(200)
    assert app.font().pointSizeF() == pytest.approx(2 * base)
    page.font_scale_spin.setValue(150)  # relative to the platform size, not compounded
    assert app.font().pointSizeF() == pytest.approx(1.5 * base)
    page.font_scale_spin.setValue(100)
    assert app.font().pointSizeF() == pytest.approx(base)
    assert base_font(app).pointSizeF() == pytest.approx(base)


def test_saved_appearance_is_applied_at_start(
    app: QApplication, data_dir: Path, make_controller: MakeController
) -> None:
    base = app.font().pointSizeF()
    save_settings(data_dir, AppSettings(theme="dark", font_scale=2.0))
    controller = make_controller()
    assert controller.settings.theme == "dark"
    assert app.font().pointSizeF() == pytest.approx(2 * base)
    assert is_dark(app.palette())


def test_restore_defaults(
    qtbot: QtBot, app: QApplication, data_dir: Path, make_controller: MakeController
) -> None:
    changed = AppSettings(
        theme="dark",
        font_scale=1.25,
        default_profile="Helpdesk",
        autosend=False,
        concurrency=10,
        confirm_before_send=True,
        after_send="close",
    )
    save_settings(data_dir, changed)
    page = make_controller().make_page(PROFILES)
    qtbot.addWidget(page)
    assert page.settings() == changed
    with qtbot.waitSignal(page.settings_changed, timeout=1000) as blocker:
        QTest.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [AppSettings()]
    assert page.theme_combo.currentData() == "system"
    assert page.font_scale_spin.value() == 100
    assert page.profile_combo.currentText() == NO_DEFAULT_PROFILE
    assert page.autosend_check.isChecked()
    assert not page.confirm_check.isChecked()
    assert page.after_send_combo.currentData() == "reset"
    assert page.concurrency_spin.value() == 4
    assert not is_dark(app.palette())
    qtbot.waitUntil(lambda: load_settings(data_dir) == (AppSettings(), []), timeout=2000)
    with qtbot.assertNotEmitted(page.settings_changed):
        page.restore_button.click()  # already the defaults: nothing changes


def test_load_warnings_go_to_the_callback(data_dir: Path, make_controller: MakeController) -> None:
    (data_dir / SETTINGS_FILE).write_text("{oops", encoding="utf-8")
    warnings: list[str] = []
    controller = make_controller(on_warning=warnings.append)
    assert controller.settings == AppSettings()
    assert len(warnings) == 1 and f"{SETTINGS_FILE}.broken" in warnings[0]


def test_changes_are_saved_once_after_the_delay(
    qtbot: QtBot, data_dir: Path, make_controller: MakeController
) -> None:
    controller = make_controller(save_delay_ms=50)
    for value in (5, 6, 7):
        controller.update(controller.settings.replace(concurrency=value))
    assert controller.unsaved
    assert not (data_dir / SETTINGS_FILE).exists()
    qtbot.waitUntil(lambda: not controller.unsaved, timeout=2000)
    assert _saved(data_dir)["concurrency"] == 7


def test_flush_saves_a_pending_change_at_once(
    data_dir: Path, make_controller: MakeController
) -> None:
    controller = make_controller(save_delay_ms=60_000)
    controller.update(controller.settings.replace(autosend=False))
    assert controller.flush()
    assert _saved(data_dir)["autosend"] is False


def test_a_failed_save_is_reported_once_and_retried(
    qtbot: QtBot,
    data_dir: Path,
    make_controller: MakeController,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(_data_dir: Path, _settings: AppSettings) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(controller_module, "save_settings", fail)
    warnings: list[str] = []
    controller = make_controller(on_warning=warnings.append, save_delay_ms=60_000)
    for value in (5, 6):
        controller.update(controller.settings.replace(concurrency=value))
        assert not controller.flush()
    assert len(warnings) == 1 and "Permission denied" in warnings[0]
    assert controller.settings.concurrency == 6  # still applies
    monkeypatch.setattr(controller_module, "save_settings", save_settings)
    assert controller.flush()
    assert _saved(data_dir)["concurrency"] == 6


def test_the_controller_tells_others_and_the_page_follows(
    qtbot: QtBot, make_controller: MakeController
) -> None:
    controller = make_controller()
    page = controller.make_page(PROFILES)
    qtbot.addWidget(page)
    with qtbot.waitSignal(controller.changed, timeout=1000) as blocker:
        page.confirm_check.click()
    assert blocker.args[0].confirm_before_send is True
    controller.update(controller.settings.replace(after_send="close"))  # changed elsewhere
    assert page.after_send_combo.currentData() == "close"
    with qtbot.assertNotEmitted(controller.changed):
        controller.update(controller.settings)  # the same settings: nothing to tell


def test_a_deleted_page_is_no_longer_told(qtbot: QtBot, make_controller: MakeController) -> None:
    controller = make_controller()
    page = controller.make_page(PROFILES)
    page.deleteLater()
    qtbot.waitUntil(lambda: _deleted(page), timeout=1000)
    controller.update(controller.settings.replace(theme="light"))  # must not raise


def _deleted(widget: QWidget) -> bool:
    from shiboken6 import isValid

    QApplication.sendPostedEvents(None, 0)
    return not isValid(widget)


# -- accessibility and layout ---------------------------------------------------------------


def _controls(page: SettingsPage) -> list[QWidget]:
    return [
        page.theme_combo,
        page.font_scale_spin,
        page.profile_combo,
        page.autosend_check,
        page.confirm_check,
        page.after_send_combo,
        page.concurrency_spin,
        page.restore_button,
    ]


def test_every_control_has_a_name_a_tooltip_and_a_label(page: SettingsPage) -> None:
    buddies = {label.buddy() for label in page.findChildren(QLabel) if label.buddy() is not None}
    for control in _controls(page):
        assert control.accessibleName(), control
        assert control.toolTip(), control
        if isinstance(control, QComboBox | QSpinBox):
            assert control in buddies, control.accessibleName()
        else:
            assert isinstance(control, QAbstractButton) and "&" in control.text()
    mnemonics = [
        text[text.index("&") + 1].lower()
        for text in [label.text() for label in page.findChildren(QLabel)]
        + [c.text() for c in _controls(page) if isinstance(c, QAbstractButton)]
        if "&" in text
    ]
    assert len(mnemonics) == len(set(mnemonics)), mnemonics


def test_tab_goes_through_the_controls_in_order(qtbot: QtBot, page: SettingsPage) -> None:
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    page.theme_combo.setFocus()
    seen: list[QWidget | None] = []
    for _ in _controls(page):
        has_focus = QApplication.focusWidget()
        assert has_focus is not None
        focused: QWidget | None = has_focus
        while focused is not None and focused not in _controls(page):
            focused = focused.parentWidget()  # a spin box's line edit has the focus
        seen.append(focused)
        QTest.keyClick(has_focus, Qt.Key.Key_Tab)
    assert seen == _controls(page)


def _clipped(root: QWidget) -> list[str]:
    """Texts of visible labels, buttons and fields smaller than they need to be."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not isinstance(
            widget, QLabel | QAbstractButton | QComboBox | QSpinBox
        ):
            continue
        size, hint = widget.size(), widget.sizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap():
            short = size.height() < widget.heightForWidth(size.width())
        else:
            short = size.width() < hint.width() or size.height() < hint.height()
        if short:
            text = widget.currentText() if isinstance(widget, QComboBox) else ""
            if isinstance(widget, QLabel | QAbstractButton):
                text = widget.text()
            found.append(f"{type(widget).__name__} {text!r} {size.toTuple()} < {hint.toTuple()}")
    return found


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_nothing_is_clipped_at_200_percent(
    qtbot: QtBot, app: QApplication, theme: str, make_controller: MakeController
) -> None:
    controller = make_controller()
    base = app.font().pointSizeF()
    page = controller.make_page(PROFILES)
    qtbot.addWidget(page)
    page.resize(640, 480)
    page.show()
    qtbot.waitExposed(page)
    assert _clipped(page) == []
    # Changed while the page shows: the page must lay itself out again.
    _pick(page.theme_combo, theme)
    page.font_scale_spin.setValue(200)
    qtbot.waitUntil(lambda: page.font().pointSizeF() == pytest.approx(2 * base), timeout=1000)
    qtbot.waitUntil(lambda: is_dark(page.palette()) == (theme == "dark"), timeout=1000)
    qtbot.waitUntil(lambda: _clipped(page) == [], timeout=2000)
    content = page.scroll_area.widget()
    assert content is not None
    # At 640 px the page fits across; only vertical scrolling is allowed.
    assert content.width() <= page.scroll_area.viewport().width()
    assert not page.scroll_area.horizontalScrollBar().isVisible()


def test_apply_appearance_does_not_compound_the_scale(app: QApplication) -> None:
    base = app.font().pointSizeF()
    for _ in range(3):
        apply_appearance(app, "system", 1.25)
    assert app.font().pointSizeF() == pytest.approx(1.25 * base)
