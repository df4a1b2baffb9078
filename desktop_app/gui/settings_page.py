"""SettingsPage: every preference on one page, applied as soon as it is changed (no OK button)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.settings import (
    MAX_CONCURRENCY,
    MAX_FONT_SCALE,
    MIN_CONCURRENCY,
    MIN_FONT_SCALE,
    AppSettings,
)

THEME_CHOICES = (("system", "Same as the system"), ("light", "Light"), ("dark", "Dark"))
AFTER_SEND_CHOICES = (
    ("reset", "Clear the form for the next ticket"),
    ("close", "Close the form"),
)
NO_DEFAULT_PROFILE = "No default (start with the Sandbox)"
# The default-profile combo's data for "no default" (an item's data cannot be None).
_NONE = ""


class SettingsPage(QWidget):
    """The Settings page: appearance and sending preferences, and **Restore defaults**.

    Every change builds a new AppSettings and emits `settings_changed(AppSettings)` at once;
    the owner applies and saves it (see SettingsController). `set_settings` shows settings
    changed elsewhere without emitting; `set_profiles` refreshes the default-profile choices.
    The page scrolls rather than clips when the window is small or the font is large.
    """

    settings_changed = Signal(object)  # AppSettings

    def __init__(
        self, settings: AppSettings, profiles: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._profiles: list[str] = list(profiles)
        self.setAccessibleName("Settings")
        self._build()
        self._show(settings)
        self._connect()

    # -- public ------------------------------------------------------------------------------

    def settings(self) -> AppSettings:
        return self._settings

    def set_settings(self, settings: AppSettings) -> None:
        """Show `settings` (changed elsewhere); emits nothing."""
        self._settings = settings
        self._show(settings)

    def set_profiles(self, profiles: Sequence[str]) -> None:
        """The profile names the default profile can be chosen from."""
        self._profiles = list(profiles)
        self._show(self._settings)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # (Qt may send one while the page is still being built: nothing to fit yet.)
        built = hasattr(self, "after_send_combo")
        if built and event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_choices()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        content = QWidget(self)
        content.setObjectName("settings-content")
        column = QVBoxLayout(content)

        title = QLabel("Settings", content)
        title.setObjectName("settings-title")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        intro = QLabel("Changes apply at once and are saved in the data folder.", content)
        intro.setWordWrap(True)
        column.addWidget(title)
        column.addWidget(intro)
        column.addWidget(self._build_appearance(content))
        column.addWidget(self._build_sending(content))

        self.restore_button = QPushButton("Restore &defaults", content)
        self.restore_button.setAccessibleName("Restore defaults")
        self.restore_button.setToolTip("Set every setting on this page back to its default")
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        column.addStretch(1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("settings-scroll")
        self.scroll_area.setAccessibleName("Settings")  # it takes focus to scroll at large fonts
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

        for first, second in zip(self._tab_chain(), self._tab_chain()[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _build_appearance(self, parent: QWidget) -> QGroupBox:
        group = QGroupBox("Appearance", parent)
        form = _form(group)

        self.theme_combo = QComboBox(group)
        self.theme_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key, text in THEME_CHOICES:
            self.theme_combo.addItem(text, key)
        _describe(
            self.theme_combo,
            "Theme",
            "Light or dark colours; 'Same as the system' follows the desktop's setting",
        )
        form.addRow(_buddy("&Theme:", self.theme_combo, group), self.theme_combo)

        self.font_scale_spin = QSpinBox(group)
        self.font_scale_spin.setRange(round(MIN_FONT_SCALE * 100), round(MAX_FONT_SCALE * 100))
        self.font_scale_spin.setSingleStep(25)
        self.font_scale_spin.setSuffix(" %")
        # Typing "150" must not apply 1 % and 15 % on the way (both would re-lay out the app).
        self.font_scale_spin.setKeyboardTracking(False)
        _describe(
            self.font_scale_spin,
            "Font size",
            "Text size as a percentage of the system's default, from 75 % to 200 %",
        )
        form.addRow(_buddy("&Font size:", self.font_scale_spin, group), self.font_scale_spin)
        return group

    def _build_sending(self, parent: QWidget) -> QGroupBox:
        group = QGroupBox("Sending", parent)
        form = _form(group)

        self.profile_combo = QComboBox(group)
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        _describe(
            self.profile_combo,
            "Default profile",
            "The DeskHero profile tickets go to when DeskForms starts",
        )
        form.addRow(_buddy("Default &profile:", self.profile_combo, group), self.profile_combo)

        self.autosend_check = QCheckBox("Send queued tickets &automatically", group)
        _describe(
            self.autosend_check,
            "Send queued tickets automatically",
            "When off, queued tickets wait in the outbox until you press Send now there",
        )
        form.addRow(self.autosend_check)
        self.autosend_hint = _hint(
            "When off, tickets wait in Outbox & results until you press Send now.", group
        )
        form.addRow(self.autosend_hint)

        self.confirm_check = QCheckBox("As&k before sending a ticket", group)
        _describe(
            self.confirm_check,
            "Ask before sending a ticket",
            "Show a confirmation before a filled form is queued for sending",
        )
        form.addRow(self.confirm_check)

        self.after_send_combo = QComboBox(group)
        self.after_send_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key, text in AFTER_SEND_CHOICES:
            self.after_send_combo.addItem(text, key)
        _describe(
            self.after_send_combo,
            "After sending",
            "What the form does once its ticket is queued: clear for the next one, or close",
        )
        form.addRow(_buddy("After se&nding:", self.after_send_combo, group), self.after_send_combo)

        self.concurrency_spin = QSpinBox(group)
        self.concurrency_spin.setRange(MIN_CONCURRENCY, MAX_CONCURRENCY)
        self.concurrency_spin.setKeyboardTracking(False)
        _describe(
            self.concurrency_spin,
            "Parallel sends for new profiles",
            "How many tickets a new profile may send at once (1 to 64); each profile keeps its own",
        )
        form.addRow(_buddy("Para&llel sends:", self.concurrency_spin, group), self.concurrency_spin)
        self.concurrency_hint = _hint(
            "Used for profiles you add from now on; each existing profile keeps its own number.",
            group,
        )
        form.addRow(self.concurrency_hint)
        return group

    def _tab_chain(self) -> list[QWidget]:
        return [
            self.theme_combo,
            self.font_scale_spin,
            self.profile_combo,
            self.autosend_check,
            self.confirm_check,
            self.after_send_combo,
            self.concurrency_spin,
            self.restore_button,
        ]

    def _connect(self) -> None:
        self.theme_combo.currentIndexChanged.connect(self._on_theme_combo_changed)
        self.font_scale_spin.valueChanged.connect(self._on_font_scale_spin_changed)
        self.profile_combo.currentIndexChanged.connect(self._on_profile_combo_changed)
        self.autosend_check.toggled.connect(self._on_autosend_check_toggled)
        self.confirm_check.toggled.connect(self._on_confirm_check_toggled)
        self.after_send_combo.currentIndexChanged.connect(self._on_after_send_combo_changed)
        self.concurrency_spin.valueChanged.connect(self._on_concurrency_spin_changed)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)

    # -- showing -------------------------------------------------------------------------------

    def _show(self, settings: AppSettings) -> None:
        controls = self._tab_chain()
        for control in controls:
            control.blockSignals(True)
        try:
            _select(self.theme_combo, settings.theme)
            self.font_scale_spin.setValue(round(settings.font_scale * 100))
            self._fill_profiles(settings.default_profile)
            self.autosend_check.setChecked(settings.autosend)
            self.confirm_check.setChecked(settings.confirm_before_send)
            _select(self.after_send_combo, settings.after_send)
            self.concurrency_spin.setValue(settings.concurrency)
        finally:
            for control in controls:
                control.blockSignals(False)
        self._fit_choices()

    def _fit_choices(self) -> None:
        """Keep each combo box as wide as its longest choice.

        A combo box may otherwise be squeezed and cut its text; at a large font size its
        minimum width makes the form put the label above it instead.
        """
        for combo in (self.theme_combo, self.profile_combo, self.after_send_combo):
            combo.setMinimumWidth(0)
            combo.setMinimumWidth(combo.sizeHint().width())

    def _fill_profiles(self, chosen: str | None) -> None:
        self.profile_combo.clear()
        self.profile_combo.addItem(NO_DEFAULT_PROFILE, _NONE)
        for name in self._profiles:
            self.profile_combo.addItem(name, name)
        if chosen is not None and chosen not in self._profiles:
            # Kept (not silently changed) so the user sees the profile is gone and picks another.
            self.profile_combo.addItem(f"{chosen} (missing)", chosen)
        _select(self.profile_combo, chosen if chosen is not None else _NONE)

    # -- changing ------------------------------------------------------------------------------

    def _change(self, **changes: Any) -> None:
        try:
            new = self._settings.replace(**changes)
        except ValidationError:
            self._show(self._settings)  # the controls' ranges make this unreachable
            return
        if new != self._settings:
            self._settings = new
            self.settings_changed.emit(new)

    def _on_theme_combo_changed(self, _index: int) -> None:
        self._change(theme=self.theme_combo.currentData())

    def _on_font_scale_spin_changed(self, value: int) -> None:
        self._change(font_scale=value / 100)

    def _on_profile_combo_changed(self, _index: int) -> None:
        data = self.profile_combo.currentData()
        self._change(default_profile=data if isinstance(data, str) and data else None)

    def _on_autosend_check_toggled(self, checked: bool) -> None:
        self._change(autosend=checked)

    def _on_confirm_check_toggled(self, checked: bool) -> None:
        self._change(confirm_before_send=checked)

    def _on_after_send_combo_changed(self, _index: int) -> None:
        self._change(after_send=self.after_send_combo.currentData())

    def _on_concurrency_spin_changed(self, value: int) -> None:
        self._change(concurrency=value)

    def _on_restore_button_clicked(self) -> None:
        defaults = AppSettings()
        changed = defaults != self._settings
        self.set_settings(defaults)
        if changed:
            self.settings_changed.emit(defaults)


def _form(group: QGroupBox) -> QFormLayout:
    form = QFormLayout(group)
    # At large font sizes a label goes above its field instead of squeezing it.
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    return form


def _buddy(text: str, control: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(control)
    return label


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def _describe(control: QWidget, name: str, tooltip: str) -> None:
    control.setAccessibleName(name)
    control.setAccessibleDescription(tooltip)
    control.setToolTip(tooltip)


def _select(combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(index if index >= 0 else 0)
