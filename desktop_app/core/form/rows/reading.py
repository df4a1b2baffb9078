"""Reading a file of many answers (CSV with a header row, or JSON Lines) from its text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

# Candidates for the CSV delimiter: what spreadsheets write in English and European locales.
DELIMITERS: Final = (",", ";", "\t")
# How much of the file the delimiter is guessed from.
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 50
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class RowsFormat(StrEnum):
    """The kinds of answers file that can be imported."""

    CSV = "csv"
    JSONL = "jsonl"


class RowsFileError(ValueError):
    """The file as a whole cannot be read; str() says what is wrong and what to do."""


@dataclass(frozen=True)
class SourceRow:
    """One row of answers as the file holds it.

    `line` is the line the row starts on (the header is line 1 of a CSV file). `cells` maps
    column names to the cell as read: text from a CSV file, any JSON value from JSON Lines.
    `problem` says why a row could not be read (bad JSON, more cells than columns); `raw`
    keeps the line's text when the row could not be split into cells.
    """

    line: int
    cells: dict[str, Any]
    problem: str | None = None
    raw: str | None = None


@dataclass(frozen=True)
class RowsTable:
    """A whole answers file: its columns in order and its rows."""

    format: RowsFormat
    columns: list[str]
    rows: list[SourceRow] = field(default_factory=list)
    # The CSV delimiter found; None for JSON Lines.
    delimiter: str | None = None


def decode_rows_file(data: bytes) -> str:
    """The text of an answers file: UTF-8 with or without a BOM (or UTF-16 with a BOM)."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RowsFileError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). Save it as"
            " “CSV UTF-8” (in Excel: File › Save As) and import it again."
        ) from None


def guess_format(name: str, text: str) -> RowsFormat:
    """JSON Lines for .jsonl/.ndjson/.json names or text that starts with "{", else CSV."""
    if name.lower().endswith(_JSONL_SUFFIXES):
        return RowsFormat.JSONL
    return RowsFormat.JSONL if text.lstrip("\ufeff \t\r\n").startswith("{") else RowsFormat.CSV


def read_rows(text: str, fmt: RowsFormat) -> RowsTable:
    """Read an answers file's text; RowsFileError when it has no rows to offer at all."""
    return read_jsonl(text) if fmt is RowsFormat.JSONL else read_csv(text)


# --- CSV ------------------------------------------------------------------------------------


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise RowsFileError(
                f"Line {reader.line_num} cannot be read as CSV ({error}); fix it and import"
                " the file again."
            ) from None
        end = reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most, equally long rows."""
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample)

    first_line = sample.split("\n", 1)[0]

    def score(delimiter: str) -> tuple[bool, bool, float, int]:
        # Splitting into several columns wins; then a delimiter the first line holds (a file
        # of nothing but delimiters is empty, not one column of commas); then steadiness.
        widths: list[int] = []
        try:
            for _, cells in _records(sample, delimiter):
                widths.append(len(cells))
                if len(widths) > _SNIFF_RECORDS:
                    break
        except RowsFileError:
            return (False, False, 0.0, 0)
        if truncated and len(widths) > 1:
            widths.pop()  # the sample may end inside a record
        header = widths[0] if widths else 0
        steady = sum(width == header for width in widths) / len(widths) if widths else 0.0
        return (header > 1, delimiter in first_line, steady, header)

    return max(DELIMITERS, key=score)


def _unique_columns(names: list[str]) -> list[str]:
    """Header names made unique and non-blank, so each column can be told apart."""
    columns: list[str] = []
    seen: set[str] = set()
    for number, name in enumerate(names, start=1):
        base = name.strip() or f"Column {number}"
        column, copy = base, 2
        while column in seen:
            column, copy = f"{base} ({copy})", copy + 1
        seen.add(column)
        columns.append(column)
    return columns


def read_csv(text: str, delimiter: str | None = None) -> RowsTable:
    """Read CSV text whose first record is the header; the delimiter is guessed when not given."""
    text = text.removeprefix("\ufeff")
    delimiter = delimiter or sniff_delimiter(text)
    records = _records(text, delimiter)
    header = next(records, None)
    if header is None:
        raise RowsFileError("The file is empty: it needs a header row and a row per ticket.")
    columns = _unique_columns(header[1])
    rows: list[SourceRow] = []
    for line, cells in records:
        problem = None
        if len(cells) > len(columns):
            extra = cells[len(columns) :]
            if any(cell.strip() for cell in extra):
                problem = (
                    f"Line {line} has {len(cells)} cells but the header names {len(columns)}"
                    " columns; put cells that contain the delimiter in double quotes."
                )
        values = dict(zip(columns, cells, strict=False))
        rows.append(SourceRow(line, values, problem))
    return RowsTable(RowsFormat.CSV, columns, rows, delimiter)


# --- JSON Lines -----------------------------------------------------------------------------


def _column_name(key: str) -> str:
    return key if key.strip() else "(no name)"


def read_jsonl(text: str) -> RowsTable:
    """Read JSON Lines: one JSON object per line; blank lines are skipped, bad lines kept as
    rows with a problem (the rest of the file still counts)."""
    columns: dict[str, None] = {}
    rows: list[SourceRow] = []
    # Only "\n" ends a line: JSON strings may hold other line separators (U+2028) unescaped.
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        source = line.rstrip("\r")
        if not source.strip():
            continue
        try:
            data = json.loads(source)
        except ValueError as error:  # JSONDecodeError, or a number too long to convert
            detail = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            problem = f"Line {number} is not valid JSON ({detail}); fix it or remove it."
            rows.append(SourceRow(number, {}, problem, raw=source))
            continue
        except RecursionError:
            problem = f"Line {number} nests too deeply to be read; fix it or remove it."
            rows.append(SourceRow(number, {}, problem, raw=source))
            continue
        if not isinstance(data, dict):
            kind = type(data).__name__ if data is not None else "null"
            problem = f"Line {number} holds a JSON {kind}; each line needs one object of answers."
            rows.append(SourceRow(number, {}, problem, raw=source))
            continue
        cells = {_column_name(key): value for key, value in data.items()}
        columns.update(dict.fromkeys(cells))
        rows.append(SourceRow(number, cells))
    if not rows:
        raise RowsFileError("The file is empty: it needs one JSON object of answers per line.")
    return RowsTable(RowsFormat.JSONL, list(columns), rows)
