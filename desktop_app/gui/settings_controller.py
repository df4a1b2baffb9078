"""SettingsController: the running app's settings, loaded at start, applied, saved on change."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.core.settings import AppSettings
from desktop_app.gui.settings_page import SettingsPage
from desktop_app.gui.theme import apply_appearance
from desktop_app.store.settings_file import load_settings, save_settings

logger = logging.getLogger(__name__)

# Changes in quick succession (arrow keys on a spin box) are written once.
SAVE_DELAY_MS = 300

Warn = Callable[[str], None]


class SettingsController(QObject):
    """Owns the app's AppSettings: one per running app.

    Loads `settings.json` from `data_dir` at construction (each load warning goes to
    `on_warning`, e.g. the message channel) and applies the theme and font scale to `app`.
    `update(settings)` applies a change, emits `changed(AppSettings)` so the rest of the app
    can follow, and saves it `save_delay_ms` later; `flush()` saves at once (call it at quit).
    A failed save is reported once through `on_warning`; the settings still apply and the
    next change tries again.
    """

    changed = Signal(object)  # AppSettings

    def __init__(
        self,
        data_dir: Path,
        app: QApplication,
        *,
        on_warning: Warn | None = None,
        save_delay_ms: int = SAVE_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.app = app
        self._warn: Warn = on_warning or logger.warning
        self._dirty = False
        self._save_failed = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(max(0, save_delay_ms))
        self._save_timer.timeout.connect(self._on_save_timer_timeout)
        self._settings, warnings = load_settings(data_dir)
        for text in warnings:
            self._warn(text)
        apply_appearance(app, self._settings.theme, self._settings.font_scale)

    @property
    def settings(self) -> AppSettings:
        return self._settings

    @property
    def unsaved(self) -> bool:
        """Whether a change waits to be saved."""
        return self._dirty

    def update(self, settings: AppSettings) -> None:
        """Use `settings` from now on: apply the look, tell `changed`, save soon."""
        if settings == self._settings:
            return
        old, self._settings = self._settings, settings
        if (old.theme, old.font_scale) != (settings.theme, settings.font_scale):
            apply_appearance(self.app, settings.theme, settings.font_scale)
        self._dirty = True
        self._save_timer.start()
        self.changed.emit(settings)

    def restore_defaults(self) -> None:
        self.update(AppSettings())

    def flush(self) -> bool:
        """Save a pending change now; False when it could not be saved (reported)."""
        self._save_timer.stop()
        if not self._dirty:
            return True
        try:
            save_settings(self.data_dir, self._settings)
        except OSError as error:
            logger.warning("could not save the settings in %s: %s", self.data_dir, error)
            if not self._save_failed:
                self._save_failed = True
                self._warn(
                    f"Your settings could not be saved ({error.strerror or error}); they apply"
                    " until DeskForms closes. Check that the data folder is writable."
                )
            return False
        self._dirty = False
        self._save_failed = False
        return True

    def make_page(self, profiles: Sequence[str], parent: QWidget | None = None) -> SettingsPage:
        """A SettingsPage that edits these settings (and shows changes made elsewhere)."""
        page = SettingsPage(self._settings, profiles, parent)
        page.settings_changed.connect(self.update)
        self.changed.connect(page.set_settings)
        return page

    def _on_save_timer_timeout(self) -> None:
        self.flush()
