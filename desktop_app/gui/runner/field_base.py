"""FieldWidget: what every answer widget shares (label, help, inline error, focus-out signal)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from desktop_app.core.form.model import FormField

# Red that reads on light and dark backgrounds alike.
ERROR_STYLE = "color: #d93025;"
ERROR_COLOR = QColor("#d93025")
# Focus that moves into a popup (a combo box list, a calendar) or leaves the window is not the
# user leaving the field.
_NOT_LEAVING = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


class FieldWidget(QWidget):
    """One question: its label (marked * when required), help text, input and inline error.

    Subclasses build the input in `_build` and implement `value` / `set_value`; `value()` is
    the answer in the form format, None when there is no answer. `changed` is emitted on every
    edit by the user and on `set_value`; `editing_finished` when focus leaves the field (not
    when it moves inside it, e.g. between radio buttons).
    """

    changed = Signal()
    editing_finished = Signal()

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setObjectName(f"field_{field.key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(3)
        self.label = QLabel(field.label + (" *" if field.required else ""), self)
        self.label.setWordWrap(True)
        self.label.setObjectName("field_label")
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.help_label = QLabel(field.help or "", self)
        self.help_label.setWordWrap(True)
        self.help_label.setObjectName("field_help")
        self.help_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        if not field.help:
            self.help_label.hide()
        layout.addWidget(self.help_label)
        self.input = self._build()
        layout.addWidget(self.input)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("field_error")
        self.error_label.setWordWrap(True)
        # A palette, not ERROR_STYLE: a style sheet on each of 300 labels slows a form's opening.
        palette = self.error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOR)
        self.error_label.setPalette(palette)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.label.setBuddy(self.focus_target())
        self._error: str | None = None
        self._describe(None)
        for child in [self, *self.findChildren(QWidget)]:
            if child.focusPolicy() != Qt.FocusPolicy.NoFocus:
                child.installEventFilter(self)

    # --- to implement -----------------------------------------------------------------------

    def _build(self) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        """The answer in the form format; None when there is no answer."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show `value` (None clears the answer); emits `changed`."""
        raise NotImplementedError

    # --- shared -----------------------------------------------------------------------------

    def focus_target(self) -> QWidget:
        """The control keyboard focus goes to first (the label's buddy)."""
        return self.input

    def accessible_widgets(self) -> list[QWidget]:
        """The controls named after the field (not radio buttons or check boxes: they have text)."""
        return [self.input, self.focus_target()]

    def focus_input(self) -> None:
        """Put keyboard focus on the field (e.g. the first field with an error)."""
        self.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def error(self) -> str | None:
        """The error shown under the field, if any."""
        return self._error

    def set_error(self, text: str | None) -> None:
        """Show `text` under the field, or clear the error with None."""
        self._error = text or None
        self.error_label.setText(self._error or "")
        self.error_label.setVisible(self._error is not None)
        self._describe(self._error)

    def _describe(self, error: str | None) -> None:
        # Screen readers read the error with the field, before its help text.
        help_text = self.field.help or ""
        description = f"Error: {error} {help_text}".strip() if error else help_text
        for widget in self.accessible_widgets():
            widget.setAccessibleName(self.field.label)
            widget.setAccessibleDescription(description)
        self.error_label.setAccessibleName(f"Error: {error}" if error else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() not in _NOT_LEAVING
        ):
            # Qt has already moved focus when FocusOut arrives: see where it went.
            now = QApplication.focusWidget()
            if now is None or (now is not self and not self.isAncestorOf(now)):
                self.editing_finished.emit()
        return super().eventFilter(watched, event)
