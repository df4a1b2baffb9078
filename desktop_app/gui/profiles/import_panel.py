"""ImportPanel: load a form from the profile's tenant and save it into the user's forms folder."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.client import DeskHeroClient
from desktop_app.core.profile import TenantProfile
from desktop_app.gui.profiles.connection import FAIL_STYLE, OK_STYLE
from desktop_app.gui.profiles.form_import import (
    FormImportError,
    ImportRequest,
    import_form,
    parse_field_keys,
)
from desktop_app.gui.profiles.tasks import TaskSlot

IMPORT_SHORTCUT = "Ctrl+I"
STORED, DYNAMIC = 0, 1


class ImportPanel(QGroupBox):
    """Imports a stored form by key, or one built from field keys; emits `form_imported(Path)`."""

    form_imported = Signal(object)  # Path of the saved form file

    def __init__(
        self,
        http: httpx.AsyncClient,
        profile_source: Callable[[], TenantProfile | None],
        forms_dir: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Import a form from this tenant", parent)
        self.setAccessibleName("Import a form")
        self._http = http
        self._profile_source = profile_source
        self.forms_dir = forms_dir
        self.slot = TaskSlot("form-import")
        self.destroyed.connect(self.slot.cancel)
        self.source = QComboBox(self)
        self.source.addItems(
            [
                "A stored form, by key (forms/external)",
                "Built from field keys (forms/external_dynamic)",
            ]
        )
        self.source.setAccessibleName("Form source")
        self.form_key = QLineEdit(self)
        self.form_key.setPlaceholderText("e.g. it-support (tickets are sent with this key)")
        self.form_key.setAccessibleName("Form key")
        self.field_keys = QLineEdit(self)
        self.field_keys.setPlaceholderText(
            "field keys, separated by commas, e.g. subject, category"
        )
        self.field_keys.setAccessibleName("Field keys")
        self.language = QLineEdit(self)
        self.language.setPlaceholderText("e.g. en (empty: the tenant's main language)")
        self.language.setAccessibleName("Language")
        self.import_button = QPushButton("&Import form", self)
        self.import_button.setShortcut(QKeySequence(IMPORT_SHORTCUT))
        self.import_button.setToolTip(
            f"Load the form from the tenant and add it to the Forms library ({IMPORT_SHORTCUT})"
        )
        self.import_button.setAccessibleName("Import form")
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Import result")
        form = QFormLayout()
        form.addRow("Source:", self.source)
        form.addRow("Form key:", self.form_key)
        form.addRow("Field keys:", self.field_keys)
        form.addRow("Language:", self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.import_button)
        layout.addWidget(self.result_label)
        for first, second in (
            (self.source, self.form_key),
            (self.form_key, self.field_keys),
            (self.field_keys, self.language),
            (self.language, self.import_button),
        ):
            QWidget.setTabOrder(first, second)
        self.source.currentIndexChanged.connect(self._on_source_current_index_changed)
        self._on_source_current_index_changed(self.source.currentIndex())

    def message(self) -> str:
        return self.result_label.text()

    def clear(self) -> None:
        self.slot.cancel()
        self._show("", ok=True)

    def request(self) -> ImportRequest:
        dynamic = self.source.currentIndex() == DYNAMIC
        return ImportRequest(
            form_key=self.form_key.text(),
            language=self.language.text(),
            field_keys=parse_field_keys(self.field_keys.text()) if dynamic else (),
        )

    def start_import(self) -> asyncio.Task[None] | None:
        """Start importing what the panel describes; None when it cannot start."""
        profile = self._profile_source()
        if profile is None:
            self._show("Fix the problems shown in the profile first, then import.", ok=False)
            return None
        request = self.request()
        if self.source.currentIndex() == DYNAMIC and not request.field_keys:
            self._show("Enter the field keys the form is built from.", ok=False)
            return None
        self._show("Importing …", ok=True)
        task = self.slot.start(self._run(DeskHeroClient(self._http, profile), request))
        if task is None:
            self._show("The form cannot be imported right now (no event loop).", ok=False)
        return task

    async def _run(self, client: DeskHeroClient, request: ImportRequest) -> None:
        try:
            result = await import_form(client, request, self.forms_dir)
        except FormImportError as error:
            self._show(str(error), ok=False)
            return
        self._show(result.message, ok=True)
        self.form_imported.emit(result.path)

    def _on_import_button_clicked(self) -> None:
        self.start_import()

    def _on_source_current_index_changed(self, index: int) -> None:
        self.field_keys.setEnabled(index == DYNAMIC)

    def _show(self, text: str, *, ok: bool) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(OK_STYLE if ok else FAIL_STYLE)
        self.result_label.setAccessibleDescription(text)
