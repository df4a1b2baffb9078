"""Answer widgets for text, rich text and number fields, and `make_field_widget` for every type."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from desktop_app.core.form.conditions import is_empty
from desktop_app.core.form.model import FieldType, FormField
from desktop_app.core.form.validation import canonical_number
from desktop_app.gui.editorjs.editor import RichTextEditor
from desktop_app.gui.runner.attachments import AttachmentsField
from desktop_app.gui.runner.choices import ChoiceField, MultichoiceField, YesNoField
from desktop_app.gui.runner.field_base import FieldWidget
from desktop_app.gui.runner.temporal import TemporalField

_HINTS = {
    FieldType.EMAIL: Qt.InputMethodHint.ImhEmailCharactersOnly,
    FieldType.PHONE: Qt.InputMethodHint.ImhDialableCharactersOnly,
    FieldType.URL: Qt.InputMethodHint.ImhUrlCharactersOnly,
}
_PLACEHOLDERS = {
    FieldType.EMAIL: "name@example.com",
    FieldType.PHONE: "+1 555 0100",
    FieldType.URL: "https://",
}
_INTEGER_TEXT = r"^[+-]?\d*$"
_DECIMAL_TEXT = r"^[+-]?\d*([.,]\d*)?$"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(canonical_number(value))
    return str(value)


class TextField(FieldWidget):
    """One line of text; also e-mail, phone and URL fields with matching input hints."""

    def _build(self) -> QWidget:
        self.edit = QLineEdit(self)
        field = self.field
        placeholder = field.placeholder or _PLACEHOLDERS.get(field.type)
        if placeholder:
            self.edit.setPlaceholderText(placeholder)
        if field.max_length is not None:
            self.edit.setMaxLength(field.max_length)
        hint = _HINTS.get(field.type)
        if hint is not None:
            self.edit.setInputMethodHints(hint | Qt.InputMethodHint.ImhNoAutoUppercase)
        self.edit.textChanged.connect(self.changed)
        return self.edit

    def value(self) -> str | None:
        return self.edit.text() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(_text(value))


class MultilineField(FieldWidget):
    """Several lines of plain text; Tab moves on to the next field."""

    def _build(self) -> QWidget:
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        if self.field.placeholder:
            self.edit.setPlaceholderText(self.field.placeholder)
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * 5)
        self.edit.textChanged.connect(self.changed)
        return self.edit

    def value(self) -> str | None:
        return self.edit.toPlainText() or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText(_text(value))


class RichTextField(FieldWidget):
    """Rich text as an Editor.js document (the Editor.js field of the editorjs package)."""

    def _build(self) -> QWidget:
        self.editor = RichTextEditor(self)
        self.editor.setMinimumHeight(self.editor.fontMetrics().lineSpacing() * 10)
        # The document is read back only when asked for, and then kept until the next edit:
        # reading it per keystroke costs time, and its "time" stamp should not change in between.
        self._cached: dict[str, Any] | None = None
        self._stale = True
        self.editor.changed.connect(self._on_editor_changed)
        return self.editor

    def focus_target(self) -> QWidget:
        return self.editor.text_edit()

    def value(self) -> dict[str, Any] | None:
        if self._stale:
            document = self.editor.value()
            self._cached = None if is_empty(document) else document
            self._stale = False
        return self._cached

    def set_value(self, value: Any) -> None:
        self.editor.set_value(value if value is not None else {"blocks": []})

    def _on_editor_changed(self) -> None:
        self._stale = True
        self.changed.emit()


class NumberField(FieldWidget):
    """A whole or decimal number typed into a line edit, so that "no answer" stays possible.

    Text that is not a number yet (a lone "-") is returned as typed, so validation can say what
    to enter instead of the answer silently disappearing.
    """

    def _build(self) -> QWidget:
        self.edit = QLineEdit(self)
        integer = self.field.type is FieldType.INTEGER
        pattern = QRegularExpression(_INTEGER_TEXT if integer else _DECIMAL_TEXT)
        self.edit.setValidator(QRegularExpressionValidator(pattern, self.edit))
        self.edit.setInputMethodHints(
            Qt.InputMethodHint.ImhDigitsOnly
            if integer
            else Qt.InputMethodHint.ImhFormattedNumbersOnly
        )
        if self.field.placeholder:
            self.edit.setPlaceholderText(self.field.placeholder)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0") * 24)
        self.edit.textChanged.connect(self.changed)
        return self.edit

    def value(self) -> int | float | str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            if self.field.type is FieldType.INTEGER:
                return int(text)
            return canonical_number(float(text.replace(",", ".")))
        except ValueError:
            return text

    def set_value(self, value: Any) -> None:
        self.edit.setText(_text(value))


_WIDGETS: dict[FieldType, type[FieldWidget]] = {
    FieldType.TEXT: TextField,
    FieldType.EMAIL: TextField,
    FieldType.PHONE: TextField,
    FieldType.URL: TextField,
    FieldType.MULTILINE: MultilineField,
    FieldType.RICHTEXT: RichTextField,
    FieldType.INTEGER: NumberField,
    FieldType.DECIMAL: NumberField,
    FieldType.DATE: TemporalField,
    FieldType.TIME: TemporalField,
    FieldType.DATETIME: TemporalField,
    FieldType.CHOICE: ChoiceField,
    FieldType.MULTICHOICE: MultichoiceField,
    FieldType.YESNO: YesNoField,
    FieldType.ATTACHMENTS: AttachmentsField,
}


def make_field_widget(field: FormField, parent: QWidget | None = None) -> FieldWidget | None:
    """The widget for a field, showing its default; None for hidden fields (never shown)."""
    widget_class = _WIDGETS.get(field.type)
    if widget_class is None:
        return None
    widget = widget_class(field, parent)
    if field.default is not None:
        widget.set_value(field.default)
    return widget
