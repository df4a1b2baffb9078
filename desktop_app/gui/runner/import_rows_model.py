"""Item models of the import dialog: which column fills which field, and the rows as checked."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_app.core.form.model import Form
from desktop_app.core.form.rows import ColumnMapping, RowResult, RowsTable, importable_fields

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
IGNORE_TEXT = "(ignore)"
# The row's state for filtering: "pending", "valid" or "invalid".
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
# Same colours as the message bar's errors, so "wrong" looks the same everywhere.
_INVALID_BACKGROUND = QColor("#fdecea")
_INVALID_FOREGROUND = QColor("#611a15")
_MAX_SAMPLE = 60


def cell_text(value: Any) -> str:
    """A cell as one line of text for a table."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        text = "; ".join(str(item) for item in value)
    else:
        text = json.dumps(value, ensure_ascii=False)
    return " ⏎ ".join(line.strip() for line in text.splitlines()) if "\n" in text else text


class ColumnMappingModel(QAbstractTableModel):
    """One row per file column: its name, an example cell, and the field it fills (editable).

    Choosing a field that another column already fills sets that other column to "(ignore)",
    so a field is never fed twice. `mapping_changed` follows every change made by editing.
    """

    mapping_changed = Signal()

    HEADERS = ("Column", "Example", "Field")
    FIELD_COLUMN = 2

    def __init__(self, form: Form, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels = {field.key: field.label for field in importable_fields(form)}
        self._columns: list[str] = []
        self._samples: list[str] = []
        self._keys: list[str | None] = []

    def set_columns(self, table: RowsTable, mapping: ColumnMapping) -> None:
        self.beginResetModel()
        self._columns = list(table.columns)
        self._samples = [_sample(table, column) for column in table.columns]
        self._keys = [mapping.get(column) for column in table.columns]
        self.endResetModel()

    def mapping(self) -> ColumnMapping:
        return dict(zip(self._columns, self._keys, strict=True))

    def choices(self) -> list[tuple[str | None, str]]:
        """(field key or None, text) for each entry a column's field can be set to."""
        return [(None, IGNORE_TEXT)] + [
            (key, f"{label} ({key})") for key, label in self._labels.items()
        ]

    def set_field(self, row: int, key: str | None) -> bool:
        """Let column `row` fill field `key` (None: ignore it); False if nothing changed."""
        if not 0 <= row < len(self._keys) or (key is not None and key not in self._labels):
            return False
        if self._keys[row] == key:
            return False
        if key is not None and key in self._keys:
            other = self._keys.index(key)
            self._keys[other] = None
            self._changed(other)
        self._keys[row] = key
        self._changed(row)
        self.mapping_changed.emit()
        return True

    def _changed(self, row: int) -> None:
        index = self.index(row, self.FIELD_COLUMN)
        self.dataChanged.emit(index, index, [_DISPLAY, _EDIT, _TOOLTIP])

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        horizontal = orientation is Qt.Orientation.Horizontal and role == _DISPLAY
        return self.HEADERS[section] if horizontal and 0 <= section < len(self.HEADERS) else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.FIELD_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._columns):
            return None
        row, column = index.row(), index.column()
        name, key = self._columns[row], self._keys[row]
        if column == self.FIELD_COLUMN:
            if role == _EDIT:
                return key or ""
            if role == _DISPLAY:
                return IGNORE_TEXT if key is None else self._labels[key]
            if role == _TOOLTIP:
                return f"Column “{name}” is ignored" if key is None else f"Fills field '{key}'"
            return None
        if role in (_DISPLAY, _TOOLTIP):
            return name if column == 0 else self._samples[row]
        return None

    def setData(self, index: _Index, value: Any, role: int = _EDIT) -> bool:
        if role != _EDIT or not index.isValid() or index.column() != self.FIELD_COLUMN:
            return False
        return self.set_field(index.row(), str(value) if value else None)


def _sample(table: RowsTable, column: str) -> str:
    for row in table.rows[:50]:
        text = cell_text(row.cells.get(column)).strip()
        if text:
            return text if len(text) <= _MAX_SAMPLE else text[: _MAX_SAMPLE - 1] + "…"
    return ""


class FieldChoiceDelegate(QStyledItemDelegate):
    """A combo box per column (kept open by the view) choosing the field it fills."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        model = index.model()
        combo = QComboBox(parent)
        combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        column = model.index(index.row(), 0).data()
        combo.setAccessibleName(f"Field for column “{column}”")
        combo.setToolTip(f"Which field column “{column}” fills")
        if isinstance(model, ColumnMappingModel):
            for key, text in model.choices():
                combo.addItem(text, key or "")
        combo.currentIndexChanged.connect(lambda _: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            position = editor.findData(index.data(_EDIT) or "")
            editor.blockSignals(True)
            editor.setCurrentIndex(max(0, position))
            editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), _EDIT)


class RowsPreviewModel(QAbstractTableModel):
    """Every row of the file: its line, its status once checked, and its cells.

    Invalid rows are tinted and carry all their reasons as a tooltip; `STATE_ROLE` gives
    "pending", "valid" or "invalid" for filtering.
    """

    LINE, STATUS = 0, 1
    FIXED = ("Line", "Status")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table: RowsTable | None = None
        self._columns: list[str] = []
        self._results: list[RowResult | None] = []

    def set_table(self, table: RowsTable | None) -> None:
        self.beginResetModel()
        self._table = table
        self._columns = list(table.columns) if table else []
        self._results = [None] * (len(table.rows) if table else 0)
        self.endResetModel()

    def clear_results(self) -> None:
        if self._results:
            self._results = [None] * len(self._results)
            self._rows_changed(0, len(self._results) - 1)

    def set_results(self, start: int, results: Sequence[RowResult]) -> None:
        """Show the results of rows `start`, `start + 1`, … (a chunk, as it is checked)."""
        if not results or not 0 <= start < len(self._results):
            return
        end = min(len(self._results), start + len(results))
        self._results[start:end] = results[: end - start]
        self._rows_changed(start, end - 1)

    def result(self, row: int) -> RowResult | None:
        return self._results[row]

    def _rows_changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1), [])

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        if 0 <= section < len(self.FIXED):
            return self.FIXED[section]
        if 0 <= section - len(self.FIXED) < len(self._columns):
            return self._columns[section - len(self.FIXED)]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if self._table is None or not index.isValid() or index.row() >= len(self._results):
            return None
        row, column = index.row(), index.column()
        result = self._results[row]
        if role == STATE_ROLE:
            return "pending" if result is None else "valid" if result.ok else "invalid"
        invalid = result is not None and not result.ok
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_INVALID_BACKGROUND) if invalid else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_INVALID_FOREGROUND) if invalid else None
        if role == _TOOLTIP:
            return "\n".join(result.reasons) if invalid and result is not None else None
        if role not in (_DISPLAY, Qt.ItemDataRole.AccessibleTextRole):
            return None
        source = self._table.rows[row]
        if column == self.LINE:
            return str(source.line)
        if column == self.STATUS:
            return _status_text(result)
        name = self._columns[column - len(self.FIXED)]
        return cell_text(source.cells.get(name))


def _status_text(result: RowResult | None) -> str:
    if result is None:
        return "Checking…"
    if result.ok:
        return "Valid"
    more = len(result.reasons) - 1
    return "Invalid: " + result.reasons[0] + (f" (+{more} more)" if more else "")
