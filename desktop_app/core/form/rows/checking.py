"""Checking every row of an answers file against a form, and writing the invalid ones back out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.core.form.model import FieldType, Form, FormField
from desktop_app.core.form.rows.cells import CellError, SlashOrder, read_cell, slash_order
from desktop_app.core.form.rows.columns import mapping_errors
from desktop_app.core.form.rows.reading import RowsTable, SourceRow
from desktop_app.core.form.validation import validate_answers

_SLASHED_TYPES = frozenset({FieldType.DATE, FieldType.DATETIME})
PROBLEMS_COLUMN = "problems"
ORIGINAL_COLUMN = "original line"


@dataclass(frozen=True)
class RowResult:
    """One row checked: the answers to queue, or one-line reasons naming column and field."""

    source: SourceRow
    answers: dict[str, Any] | None
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.answers is not None

    @property
    def line(self) -> int:
        return self.source.line


class RowChecker:
    """Checks rows of one table for one form and mapping; prepared once, used for every row.

    Thread-safe (it only reads), so chunks of rows can be checked in an executor.
    Raises ValueError at creation when the mapping is unusable (see `mapping_errors`).
    """

    def __init__(self, form: Form, table: RowsTable, mapping: Mapping[str, str | None]) -> None:
        errors = mapping_errors(form, mapping)
        if errors:
            raise ValueError(" ".join(errors))
        self.form = form
        self._columns: list[tuple[str, FormField]] = [
            (column, form.field(key)) for column, key in mapping.items() if key is not None
        ]
        self._column_of = {field.key: column for column, field in self._columns}
        # A column keeps one date convention; read it from the whole column, not a row.
        self._orders: dict[str, SlashOrder | None] = {
            column: slash_order(row.cells.get(column) for row in table.rows)
            for column, field in self._columns
            if field.type in _SLASHED_TYPES
        }

    def check(self, row: SourceRow) -> RowResult:
        """Never raises, whatever the row holds."""
        if row.problem is not None:
            return RowResult(row, None, (row.problem,))
        answers: dict[str, Any] = {}
        cell_errors: dict[str, str] = {}
        for column, field in self._columns:
            cell = row.cells.get(column)
            try:
                value = read_cell(field, cell, self._orders.get(column))
            except CellError as error:
                cell_errors[field.key] = str(error)
                # Conditions still read what was written, as they would in the form.
                value = cell.strip() if isinstance(cell, str) else None
            if value is not None:
                answers[field.key] = value
        result = validate_answers(self.form, answers)
        reasons: list[str] = []
        visible = result.visibility
        for field in self.form.fields:
            if visible is not None and not visible.field_visible(field.key):
                continue  # hidden by a condition: its cell is ignored, as the form would
            messages = (
                [cell_errors[field.key]]
                if field.key in cell_errors
                else result.errors.get(field.key, [])
            )
            reasons.extend(self._reason(field, message) for message in messages)
        if reasons:
            return RowResult(row, None, tuple(reasons))
        return RowResult(row, dict(result.values))

    def check_all(self, rows: Iterable[SourceRow]) -> list[RowResult]:
        return [self.check(row) for row in rows]

    def _reason(self, field: FormField, message: str) -> str:
        column = self._column_of.get(field.key)
        label = " ".join(field.label.split())
        if column is None:
            return f"{label} (no column): {message}"
        return f"Column “{' '.join(column.split())}” ({label}): {message}"


def check_rows(form: Form, table: RowsTable, mapping: Mapping[str, str | None]) -> list[RowResult]:
    """Check every row of `table`; ValueError when the mapping is unusable."""
    return RowChecker(form, table, mapping).check_all(table.rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return "; ".join(str(item) for item in value)  # how a multichoice cell is written
    return json.dumps(value, ensure_ascii=False)


def _free_name(name: str, taken: Sequence[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    return candidate


def invalid_rows_csv(table: RowsTable, results: Iterable[RowResult]) -> str:
    """The invalid rows as CSV text to fix and import again: the file's columns, then the
    problems (and, for lines that could not be read, the line as it was)."""
    invalid = [result for result in results if not result.ok]
    problems = _free_name(PROBLEMS_COLUMN, table.columns)
    header = [*table.columns, problems]
    original = None
    if any(result.source.raw is not None for result in invalid):
        original = _free_name(ORIGINAL_COLUMN, header)
        header.append(original)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=table.delimiter or ",", lineterminator="\r\n")
    writer.writerow(header)
    for result in invalid:
        cells = [_cell_text(result.source.cells.get(column)) for column in table.columns]
        cells.append(" | ".join(result.reasons))
        if original is not None:
            cells.append(result.source.raw or "")
        writer.writerow(cells)
    return buffer.getvalue()
