"""ProfileEditor: the form for one tenant profile and its delivery settings, with inline errors."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.profile import TenantProfile
from desktop_app.gui.profiles.model import is_builtin
from desktop_app.store import DeliverySettings, ProfileRecord

ERROR_STYLE = "color: #b3261e;"
_PYDANTIC_PREFIX = re.compile(r"^(Value error|Assertion failed), ")
# Field -> label; the order is the form's order (and its tab order).
LABELS = {
    "name": "Name",
    "base_url": "Base URL",
    "tenant": "Tenant",
    "api_version": "API version",
    "connect_timeout": "Connect timeout",
    "read_timeout": "Answer timeout",
    "verify_tls": "Verify TLS certificates",
    "allow_insecure_http": "Allow plain http:// to other machines",
    "upload": "Attachment upload step",
    "concurrency": "Requests at once",
    "batching": "Send several tickets per request",
    "ticket_uuid_property": "Submission id property",
}


# Where a new profile's settings start (the model's own defaults).
_DEFAULTS = TenantProfile(name="new", base_url="https://example.com", tenant="example")


@dataclass(frozen=True)
class EditedProfile:
    """What the editor holds once it validates."""

    profile: TenantProfile
    settings: DeliverySettings


def plain_message(field: str, message: str) -> str:
    """A validation message in the user's words: our field label instead of the attribute name."""
    text = _PYDANTIC_PREFIX.sub("", message).strip()
    if text.startswith(field):
        text = LABELS.get(field, field) + text[len(field) :]
    return text[:1].upper() + text[1:]


class ProfileEditor(QWidget):
    """Edits a profile; `edited()` validates and returns it, or shows why not next to each field.

    Errors show next to a field once the user has changed it (or after `edited()` was
    asked for), never as a traceback. Existing profiles keep their name (queued tickets are
    filed under it: duplicate to rename); the built-in Sandbox's address is managed by the app.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.taken_names: Callable[[], Iterable[str]] = tuple
        # Requests at once for a new profile (Settings' "Parallel sends"; a copy keeps its own).
        self.new_concurrency = DeliverySettings().concurrency
        self._new = True
        self._loading = False
        self._touched: set[str] = set()
        self._reveal_all = False
        self._errors: dict[str, str] = {}
        self.name = QLineEdit(self)
        self.base_url = QLineEdit(self)
        self.base_url.setPlaceholderText("https://help.example.com")
        self.tenant = QLineEdit(self)
        self.tenant.setPlaceholderText("the tenant key, e.g. acme")
        self.api_version = QLineEdit(self)
        self.connect_timeout = _seconds(self, 0.1, 600)
        self.read_timeout = _seconds(self, 0.1, 3600)
        self.verify_tls = QCheckBox(LABELS["verify_tls"], self)
        self.allow_insecure_http = QCheckBox(LABELS["allow_insecure_http"], self)
        self.upload = QLineEdit(self)
        self.upload.setPlaceholderText(
            "e.g. attachments/external (empty: tickets cannot carry files)"
        )
        self.concurrency = QSpinBox(self)
        self.concurrency.setRange(1, 64)
        self.batching = QCheckBox(LABELS["batching"], self)
        self.ticket_uuid_property = QLineEdit(self)
        self.ticket_uuid_property.setPlaceholderText("none")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Profile note")
        self.error_labels: dict[str, QLabel] = {}
        self._build()
        self.load_new(None)

    def _build(self) -> None:
        form = QFormLayout()
        for field, label in LABELS.items():
            widget: QWidget = getattr(self, field)
            widget.setAccessibleName(label)
            error = QLabel(self)
            error.setWordWrap(True)
            error.setStyleSheet(ERROR_STYLE)
            error.setAccessibleName(f"{label}: problem")
            error.hide()
            self.error_labels[field] = error
            cell = QWidget(self)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(widget)
            column.addWidget(error)
            if isinstance(widget, QCheckBox):
                form.addRow(cell)
                widget.toggled.connect(lambda _=False, f=field: self._on_field_edited(f))
            else:
                form.addRow(f"{label}:", cell)
                signal = widget.textEdited if isinstance(widget, QLineEdit) else widget.valueChanged  # type: ignore[attr-defined]
                signal.connect(lambda *_, f=field: self._on_field_edited(f))
        self.connect_timeout.setToolTip("How long to wait for the server to accept a connection")
        self.read_timeout.setToolTip("How long to wait for an answer once a request was sent")
        self.upload.setToolTip(
            "Where files are uploaded before a ticket refers to them; a path under the tenant's"
            " API, or from the server root when it starts with /. {tenant} and {api_version} are"
            " filled in."
        )
        self.ticket_uuid_property.setToolTip(
            "A custom ticket property that receives each submission's id, so DeskHero can spot"
            " a ticket sent twice; empty: none"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addStretch(1)
        chain: list[QWidget] = [getattr(self, field) for field in LABELS]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- loading -----------------------------------------------------------------------------

    @property
    def is_new(self) -> bool:
        return self._new

    def load_new(self, template: ProfileRecord | None, name: str = "") -> None:
        """A profile not saved yet: empty, or a copy of `template` under `name`."""
        profile = template.profile if template is not None else None
        settings = (
            template.settings
            if template is not None
            else DeliverySettings(concurrency=self.new_concurrency)
        )
        self._fill(profile, settings, name=name, new=True)

    def load(self, record: ProfileRecord) -> None:
        """A saved profile, to change in place."""
        self._fill(record.profile, record.settings, name=record.name, new=False)

    def _fill(
        self, profile: TenantProfile | None, settings: DeliverySettings, *, name: str, new: bool
    ) -> None:
        self._loading = True
        try:
            defaults = _DEFAULTS
            self._new = new
            self.name.setText(name)
            self.base_url.setText(profile.base_url if profile else "")
            self.tenant.setText(profile.tenant if profile else "")
            self.api_version.setText(profile.api_version if profile else defaults.api_version)
            self.connect_timeout.setValue(
                profile.connect_timeout if profile else defaults.connect_timeout
            )
            self.read_timeout.setValue(profile.read_timeout if profile else defaults.read_timeout)
            self.verify_tls.setChecked(profile.verify_tls if profile else defaults.verify_tls)
            self.allow_insecure_http.setChecked(
                profile.allow_insecure_http if profile else defaults.allow_insecure_http
            )
            self.upload.setText((profile.upload if profile else None) or "")
            self.concurrency.setValue(settings.concurrency)
            self.batching.setChecked(settings.batching)
            self.ticket_uuid_property.setText(settings.ticket_uuid_property or "")
        finally:
            self._loading = False
        builtin = not new and is_builtin(name)
        self.name.setReadOnly(not new)
        self.name.setToolTip(
            ""
            if new
            else "Queued tickets are filed under this name: duplicate the profile to rename it"
        )
        self.base_url.setReadOnly(builtin)
        self.base_url.setToolTip(
            "Managed by DeskForms: the local sandbox gets a new port on every start"
            if builtin
            else "The DeskHero address, e.g. https://help.example.com"
        )
        self.note.setText(
            "The built-in Sandbox profile sends to the local sandbox tenant; its address is"
            " managed by DeskForms."
            if builtin
            else ("A new profile: fill it in and save it." if new else "")
        )
        self.note.setVisible(bool(self.note.text()))
        self._touched.clear()
        self._reveal_all = False
        self._validate()

    # -- validation --------------------------------------------------------------------------

    def errors(self) -> dict[str, str]:
        """Every current problem by field (shown or not yet)."""
        return dict(self._errors)

    def edited(self) -> EditedProfile | None:
        """The valid profile and settings; None, with every problem shown, when not valid."""
        self._reveal_all = True
        return self._validate()

    def profile_to_use(self) -> TenantProfile | None:
        """The profile as typed, for a test or an import; None, with its problems shown, if invalid."""
        result = self.edited()
        return None if result is None else result.profile

    def _on_field_edited(self, field: str) -> None:
        if self._loading:
            return
        self._touched.add(field)
        self._validate()
        self.changed.emit()

    def _validate(self) -> EditedProfile | None:
        result, self._errors = self.check()
        for field, label in self.error_labels.items():
            message = self._errors.get(field)
            show = message is not None and (self._reveal_all or field in self._touched)
            label.setText(message or "")
            label.setVisible(show)
        return result

    def check(self) -> tuple[EditedProfile | None, dict[str, str]]:
        """The valid profile (or None) and every problem by field; shows nothing."""
        errors: dict[str, str] = {}
        data = {
            "name": self.name.text(),
            "base_url": self.base_url.text(),
            "tenant": self.tenant.text(),
            "api_version": self.api_version.text(),
            "verify_tls": self.verify_tls.isChecked(),
            "connect_timeout": self.connect_timeout.value(),
            "read_timeout": self.read_timeout.value(),
            "allow_insecure_http": self.allow_insecure_http.isChecked(),
            "upload": self.upload.text() or None,
        }
        profile: TenantProfile | None = None
        try:
            profile = TenantProfile.model_validate(data)
        except ValidationError as error:
            for item in error.errors(include_url=False):
                loc = item.get("loc", ())
                # The whole-profile check (plain http to another machine) is about the address.
                field = str(loc[0]) if loc else "base_url"
                errors.setdefault(field, plain_message(field, str(item.get("msg", "invalid"))))
        name = self.name.text().strip()
        if self._new and name and name in self.taken_names():
            errors.setdefault(
                "name", f"A profile named '{name}' already exists: choose another name."
            )
        settings: DeliverySettings | None = None
        try:
            settings = DeliverySettings(
                concurrency=self.concurrency.value(),
                batching=self.batching.isChecked(),
                ticket_uuid_property=self.ticket_uuid_property.text().strip() or None,
            )
        except ValueError as error:
            field = (
                "concurrency" if str(error).startswith("concurrency") else "ticket_uuid_property"
            )
            errors[field] = plain_message(field, str(error))
        if errors or profile is None or settings is None:
            return None, errors
        return EditedProfile(profile, settings), errors


def _seconds(parent: QWidget, low: float, high: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(low, high)
    box.setDecimals(1)
    box.setSuffix(" s")
    return box
