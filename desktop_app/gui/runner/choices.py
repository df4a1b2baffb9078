"""Answer widgets for single choice (dropdown or radio buttons), multiple choice and yes/no."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.form.conditions import as_bool
from desktop_app.core.form.model import FormField
from desktop_app.core.form.validation import resolve_option
from desktop_app.gui.runner.field_base import FieldWidget

CHOOSE = "— choose —"
# `display: auto` shows radio buttons up to this many options, a dropdown beyond.
MAX_AUTO_RADIO = 4


def uses_radio(field: FormField) -> bool:
    """Whether a single-choice field shows radio buttons rather than a dropdown."""
    if field.display == "auto":
        return len(field.options) <= MAX_AUTO_RADIO
    return field.display != "dropdown"


class _RadioGroup(QWidget):
    """Exclusive radio buttons that can also show "no answer", with a Clear button if optional."""

    cleared = Signal()

    def __init__(
        self, labels: list[str], *, horizontal: bool, clearable: bool, parent: QWidget
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self) if horizontal else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: list[QRadioButton] = []
        for index, label in enumerate(labels):
            button = QRadioButton(label, self)
            self.group.addButton(button, index)
            self.buttons.append(button)
            layout.addWidget(button)
        self.clear_button = QPushButton("Clear answer", self)
        self.clear_button.setFlat(True)
        self.clear_button.setObjectName("clear_answer")
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.clear_button.hide()
        self._clearable = clearable
        if clearable:
            layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignLeft)
        if horizontal:
            layout.addStretch(1)
        self.group.idToggled.connect(self._on_group_id_toggled)

    def checked_index(self) -> int | None:
        index = self.group.checkedId()
        return None if index < 0 else index

    def set_checked_index(self, index: int | None) -> None:
        if index is None:
            # An exclusive group keeps one button checked; lift that to clear it.
            self.group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)
            self._update_clear()
        else:
            self.buttons[index].setChecked(True)

    def focus_button(self) -> QAbstractButton:
        return self.group.checkedButton() or self.buttons[0]

    def _update_clear(self) -> None:
        self.clear_button.setVisible(self._clearable and self.checked_index() is not None)

    def _on_group_id_toggled(self, _index: int, _checked: bool) -> None:
        self._update_clear()

    def _on_clear_button_clicked(self) -> None:
        self.focus_button().setFocus()
        self.set_checked_index(None)
        self.cleared.emit()


class ChoiceField(FieldWidget):
    """One option: a dropdown with a "— choose —" entry, or radio buttons (by `display`)."""

    def _build(self) -> QWidget:
        options = self.field.options
        self.combo: QComboBox | None = None
        self.radios: _RadioGroup | None = None
        if uses_radio(self.field):
            self.radios = _RadioGroup(
                [o.label for o in options],
                horizontal=False,
                clearable=not self.field.required,
                parent=self,
            )
            self.radios.group.idToggled.connect(self._on_radios_id_toggled)
            self.radios.cleared.connect(self.changed)
            return self.radios
        self.combo = QComboBox(self)
        self.combo.addItem(CHOOSE, None)
        for option in options:
            self.combo.addItem(option.label, option.id)
        self.combo.currentIndexChanged.connect(self.changed)
        return self.combo

    def focus_target(self) -> QWidget:
        return self.radios.focus_button() if self.radios is not None else self.input

    def accessible_widgets(self) -> list[QWidget]:
        return [self.input]

    def value(self) -> str | None:
        if self.combo is not None:
            data = self.combo.currentData()
            return data if isinstance(data, str) else None
        assert self.radios is not None
        index = self.radios.checked_index()
        return None if index is None else self.field.options[index].id

    def set_value(self, value: Any) -> None:
        option = None if value is None else resolve_option(self.field, value)
        index = None if option is None else self.field.options.index(option)
        if self.combo is not None:
            self.combo.setCurrentIndex(0 if index is None else index + 1)
            return
        assert self.radios is not None
        before = self.radios.checked_index()
        self.radios.set_checked_index(index)
        if index is None and before is not None:
            self.changed.emit()  # clearing toggles nothing on: say it here

    def _on_radios_id_toggled(self, _index: int, checked: bool) -> None:
        if checked:
            self.changed.emit()


class MultichoiceField(FieldWidget):
    """Any number of options, as check boxes; the answer lists option ids in form order."""

    def _build(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QCheckBox] = []
        for option in self.field.options:
            check = QCheckBox(option.label, box)
            check.toggled.connect(self._on_check_toggled)
            self.boxes.append(check)
            layout.addWidget(check)
        return box

    def focus_target(self) -> QWidget:
        return self.boxes[0]

    def accessible_widgets(self) -> list[QWidget]:
        return [self.input]

    def value(self) -> list[str] | None:
        chosen = [
            o.id
            for o, check in zip(self.field.options, self.boxes, strict=True)
            if check.isChecked()
        ]
        return chosen or None

    def set_value(self, value: Any) -> None:
        items = value if isinstance(value, list | tuple) else [] if value is None else [value]
        wanted = {o.id for o in (resolve_option(self.field, item) for item in items) if o}
        for option, check in zip(self.field.options, self.boxes, strict=True):
            check.setChecked(option.id in wanted)

    def _on_check_toggled(self, _checked: bool) -> None:
        self.changed.emit()


class YesNoField(FieldWidget):
    """Yes or No as two radio buttons; unanswered until the user picks (or a default says)."""

    def _build(self) -> QWidget:
        self.radios = _RadioGroup(
            ["Yes", "No"], horizontal=True, clearable=not self.field.required, parent=self
        )
        self.radios.group.idToggled.connect(self._on_radios_id_toggled)
        self.radios.cleared.connect(self.changed)
        return self.radios

    def focus_target(self) -> QWidget:
        return self.radios.focus_button()

    def accessible_widgets(self) -> list[QWidget]:
        return [self.input]

    def value(self) -> bool | None:
        index = self.radios.checked_index()
        return None if index is None else index == 0

    def set_value(self, value: Any) -> None:
        answer = as_bool(value) if value is not None else None
        before = self.radios.checked_index()
        self.radios.set_checked_index(None if answer is None else 0 if answer else 1)
        if answer is None and before is not None:
            self.changed.emit()

    def _on_radios_id_toggled(self, _index: int, checked: bool) -> None:
        if checked:
            self.changed.emit()
