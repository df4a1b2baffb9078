"""ConnectionPanel: 'Test connection' for the profile being edited, run on the loop, told in one line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.check import CheckResult, check_connection
from desktop_app.core.profile import TenantProfile
from desktop_app.gui.profiles.tasks import TaskSlot

OK_STYLE = "color: #1b5e20;"
FAIL_STYLE = "color: #b3261e;"
TEST_SHORTCUT = "Ctrl+T"


class ConnectionPanel(QGroupBox):
    """Checks the route (tenant, version, optionally a form key) of `profile_source()`.

    `profile_source` returns the profile as typed in the editor, or None when it does not
    validate (the editor then shows why). Emits `checked(CheckResult)` when a check ends.
    """

    checked = Signal(object)

    def __init__(
        self,
        http: httpx.AsyncClient,
        profile_source: Callable[[], TenantProfile | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Connection", parent)
        self.setAccessibleName("Connection test")
        self._http = http
        self._profile_source = profile_source
        self.slot = TaskSlot("connection-check")
        # A check still running must not write into a deleted panel.
        self.destroyed.connect(self.slot.cancel)
        self.form_key = QLineEdit(self)
        self.form_key.setPlaceholderText("form key to check too (optional), e.g. it-support")
        self.form_key.setAccessibleName("Form key to check")
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.setShortcut(QKeySequence(TEST_SHORTCUT))
        self.test_button.setToolTip(
            f"Check the tenant, API version and form key against DeskHero ({TEST_SHORTCUT})"
        )
        self.test_button.setAccessibleName("Test connection")
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Connection test result")
        row = QHBoxLayout()
        row.addWidget(self.form_key, 1)
        row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        QWidget.setTabOrder(self.form_key, self.test_button)

    def message(self) -> str:
        return self.result_label.text()

    def clear(self) -> None:
        self.slot.cancel()
        self._show("", ok=True)

    def test(self) -> asyncio.Task[None] | None:
        """Start a check of the profile as typed; None when it cannot start."""
        profile = self._profile_source()
        if profile is None:
            self._show("Fix the problems shown in the profile first, then test again.", ok=False)
            return None
        self._show(f"Testing {profile.api_url('')} …", ok=True)
        task = self.slot.start(self._run(profile, self.form_key.text()))
        if task is None:
            self._show("The connection cannot be tested right now (no event loop).", ok=False)
        return task

    async def _run(self, profile: TenantProfile, form_key: str) -> None:
        result = await check_connection(self._http, profile, form_key=form_key)
        self._show(result.message, ok=result.ok)
        self.checked.emit(result)

    def _on_test_button_clicked(self) -> None:
        self.test()

    def _show(self, text: str, *, ok: bool) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(OK_STYLE if ok else FAIL_STYLE)
        self.result_label.setAccessibleDescription(text)


__all__ = ["CheckResult", "ConnectionPanel"]
