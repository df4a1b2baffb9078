"""Answer widget for date, time and date-time fields, with an explicit "no answer" state."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QTimeEdit,
    QWidget,
)

from desktop_app.core.form.conditions import parse_iso
from desktop_app.core.form.model import FieldType
from desktop_app.gui.runner.field_base import FieldWidget

_FORMATS = {
    FieldType.DATE: "yyyy-MM-dd",
    FieldType.TIME: "HH:mm",
    FieldType.DATETIME: "yyyy-MM-dd HH:mm",
}
_SET_TEXT = {FieldType.DATE: "Date:", FieldType.TIME: "Time:", FieldType.DATETIME: "Date and time:"}


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute, value.second)


class TemporalField(FieldWidget):
    """A date, time or date-time edit behind a check box that says whether there is an answer.

    Unchecked means no answer (the edit is greyed out); checking it, or setting a value, makes
    the edit's value the answer. Values are ISO 8601: 2026-12-31, 14:30, 2026-12-31T14:30.
    """

    def _build(self) -> QWidget:
        box = QWidget(self)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        kind = self.field.type
        self.answered = QCheckBox(_SET_TEXT[kind], box)
        self.answered.setToolTip("Tick to give an answer; untick to leave it empty.")
        self.answered.setAccessibleName(f"{self.field.label}: give an answer")
        self.edit: QDateTimeEdit
        if kind is FieldType.DATE:
            self.edit = QDateEdit(box)
        elif kind is FieldType.TIME:
            self.edit = QTimeEdit(box)
        else:
            self.edit = QDateTimeEdit(box)
        self.edit.setDisplayFormat(_FORMATS[kind])
        self.edit.setCalendarPopup(kind is not FieldType.TIME)
        self._apply_bounds()
        self.edit.setDateTime(QDateTime.currentDateTime())
        self.edit.setEnabled(False)
        layout.addWidget(self.answered)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.answered.toggled.connect(self._on_answered_toggled)
        self.edit.dateTimeChanged.connect(self._on_edit_date_time_changed)
        return box

    def focus_target(self) -> QWidget:
        return self.edit if self.answered.isChecked() else self.answered

    def accessible_widgets(self) -> list[QWidget]:
        return [self.input, self.edit]

    def value(self) -> str | None:
        if not self.answered.isChecked():
            return None
        kind = self.field.type
        if kind is FieldType.DATE:
            return self.edit.date().toString("yyyy-MM-dd")
        clock = self.edit.time().toString("HH:mm")
        if kind is FieldType.TIME:
            return clock
        return f"{self.edit.date().toString('yyyy-MM-dd')}T{clock}"

    def set_value(self, value: Any) -> None:
        parsed = parse_iso(value) if isinstance(value, str) else value
        kind = self.field.type
        if isinstance(parsed, datetime):
            if kind is FieldType.DATE:
                parsed = None  # a date-time is no date answer; validation would say so too
            elif kind is FieldType.TIME:
                parsed = parsed.time()
        if kind is FieldType.DATETIME and type(parsed) is date:
            parsed = datetime.combine(parsed, time())
        if isinstance(parsed, datetime):
            self.edit.setDateTime(QDateTime(_qdate(parsed.date()), _qtime(parsed.time())))
        elif isinstance(parsed, date) and kind is FieldType.DATE:
            self.edit.setDate(_qdate(parsed))
        elif isinstance(parsed, time) and kind is FieldType.TIME:
            self.edit.setTime(_qtime(parsed))
        else:
            parsed = None
        was = self.answered.isChecked()
        self.answered.setChecked(parsed is not None)
        if was == self.answered.isChecked():
            self.changed.emit()  # toggling did not announce it

    def _apply_bounds(self) -> None:
        # The edit cannot leave the form's range, so out-of-range answers cannot be typed.
        low, high = parse_iso(self.field.min_value), parse_iso(self.field.max_value)
        if isinstance(low, datetime):
            self.edit.setMinimumDateTime(QDateTime(_qdate(low.date()), _qtime(low.time())))
        elif isinstance(low, date):
            self.edit.setMinimumDate(_qdate(low))
        elif isinstance(low, time):
            self.edit.setMinimumTime(_qtime(low))
        if isinstance(high, datetime):
            self.edit.setMaximumDateTime(QDateTime(_qdate(high.date()), _qtime(high.time())))
        elif isinstance(high, date):
            self.edit.setMaximumDate(_qdate(high))
        elif isinstance(high, time):
            self.edit.setMaximumTime(_qtime(high))

    def _on_answered_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self.changed.emit()

    def _on_edit_date_time_changed(self, _moment: QDateTime) -> None:
        if self.answered.isChecked():
            self.changed.emit()
