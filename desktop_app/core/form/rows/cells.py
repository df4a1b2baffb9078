"""Turning one cell of an answers file into the answer its field takes.

Cells are text from a spreadsheet, so they are read the way people write them: dates as
2026-12-31, 31.12.2026 or 12/31/2026, times as 14:30 or 2:30 PM, numbers with grouping or a
decimal comma, yes/no as yes/no/true/false/1/0/y/n, choices by option id or label and several
choices separated by ";" or "|". What a cell cannot mean unambiguously is an error saying how
to write it; range, length and pattern checks are left to `validation`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any, Literal

from desktop_app.core.form.conditions import as_bool, parse_iso
from desktop_app.core.form.model import ChoiceOption, FieldType, FormField
from desktop_app.core.form.validation import resolve_option

SlashOrder = Literal["dmy", "mdy"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", re.ASCII)
_DOTTED_DMY = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$", re.ASCII)
_SLASHED = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$", re.ASCII)
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})\.?[ -]([A-Za-z]{3,9})\.?[ -],?\s*(\d{4})$", re.ASCII)
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$", re.ASCII)
_CLOCK = re.compile(
    r"^(\d{1,2})(?:[:.](\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*([ap])?(?:\.?m\.?)?$",
    re.ASCII | re.IGNORECASE,
)
_DATE_TIME_SPLIT = re.compile(r"T|\s+|,\s*")
_GROUPING_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f'’](?=\d{3}(?!\d))")
_DIGITS = re.compile(r"^[+-]?\d+$", re.ASCII)
_MULTI_SEPARATORS = re.compile(r"[;|]")
_MAX_HINTED_OPTIONS = 6
_MAX_QUOTED = 40

DATE_EXAMPLE = "2026-12-31"
ATTACHMENTS_MESSAGE = (
    "Files cannot be imported from a CSV or JSON Lines file; leave this column empty and"
    " attach files in the form."
)


class CellError(ValueError):
    """The cell cannot be read as its field's answer; str() is one line saying what to write."""


def fold(text: str) -> str:
    """Text compared loosely: case, spaces and punctuation do not count."""
    return "".join(character for character in text.casefold() if character.isalnum())


def _quoted(text: str) -> str:
    """A cell quoted in a one-line message: whitespace collapsed, long text shortened."""
    flat = " ".join(text.split())
    return f"“{flat[:_MAX_QUOTED]}…”" if len(flat) > _MAX_QUOTED else f"“{flat}”"


# --- dates and times ------------------------------------------------------------------------


def slash_order(cells: Iterable[Any]) -> SlashOrder | None:
    """Whether a column's 03/04/2026-style dates are day-first or month-first.

    A column speaks one convention: a 31/12 in it makes every slashed date day-first, a
    12/31 month-first. None when the column does not tell (or tells both).
    """
    day_first = month_first = False
    for cell in cells:
        if not isinstance(cell, str):
            continue
        match = _SLASHED.match(cell.strip().split(" ")[0].split("T")[0])
        if match is None:
            continue
        first, second = int(match[1]), int(match[2])
        day_first = day_first or first > 12
        month_first = month_first or second > 12
    if day_first == month_first:
        return None
    return "dmy" if day_first else "mdy"


def _real_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(
            f"{_quoted(text)} is not a real date; write it like {DATE_EXAMPLE}."
        ) from None


def read_date(text: str, order: SlashOrder | None = None) -> date:
    """A date in ISO or a common spelling; CellError when it is not one or is ambiguous."""
    text = text.strip()
    if match := _YMD.match(text):
        return _real_date(text, int(match[1]), int(match[2]), int(match[3]))
    if match := _DOTTED_DMY.match(text):
        return _real_date(text, int(match[3]), int(match[2]), int(match[1]))
    if match := _SLASHED.match(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if order is None and first <= 12 and second <= 12 and first != second:
            raise CellError(
                f"{_quoted(text)} could be day/month or month/day; write it like {DATE_EXAMPLE}."
            )
        if order == "mdy" or (order is None and second > 12):
            first, second = second, first
        return _real_date(text, year, second, first)
    named = _DAY_MONTH_NAME.match(text)
    if named is not None:
        day, month_name, year_text = named[1], named[2], named[3]
    elif (named := _MONTH_NAME_DAY.match(text)) is not None:
        month_name, day, year_text = named[1], named[2], named[3]
    if named is not None:
        month = _MONTHS.get(month_name.lower())
        if month is not None:
            return _real_date(text, int(year_text), month, int(day))
    raise CellError(f"{_quoted(text)} is not a date; write it like {DATE_EXAMPLE}.")


def read_time(text: str) -> str:
    """A time as ISO text (14:30 or 14:30:15): from 14:30, 9.05, 2:30 PM, 9am or ISO."""
    text = text.strip()
    iso = parse_iso(text)
    if isinstance(iso, time):
        return text
    match = _CLOCK.match(text)
    if match is not None and (match[2] is not None or match[5] is not None):
        hour, minute = int(match[1]), int(match[2] or 0)
        second = int(match[3] or 0)
        fraction = match[4]
        if match[5] is not None:
            if not 1 <= hour <= 12:
                raise CellError(f"{_quoted(text)} is not a time; write it like 14:30.")
            hour = hour % 12 + (12 if match[5].lower() == "p" else 0)
        if hour < 24 and minute < 60 and second < 60:
            spelled = f"{hour:02d}:{minute:02d}"
            if match[3] is not None and (second or fraction):
                spelled += f":{second:02d}" + (f".{fraction}" if fraction else "")
            return spelled
    raise CellError(f"{_quoted(text)} is not a time; write it like 14:30.")


def _split_date_time(text: str, order: SlashOrder | None) -> tuple[date, str] | None:
    for match in _DATE_TIME_SPLIT.finditer(text):
        day_text, clock_text = text[: match.start()], text[match.end() :]
        if not day_text or not clock_text:
            continue
        try:
            return read_date(day_text, order), read_time(clock_text)
        except CellError:
            continue
    return None


def read_datetime(text: str, order: SlashOrder | None = None) -> str:
    """A date-time as ISO text (2026-12-31T14:30); a date alone means its midnight."""
    text = text.strip()
    if isinstance(parse_iso(text), datetime):
        return text
    parts = _split_date_time(text, order)
    if parts is not None:
        return f"{parts[0].isoformat()}T{parts[1]}"
    try:
        return read_date(text, order).isoformat()
    except CellError as error:
        if "day/month" in str(error) or "real date" in str(error):
            raise
    raise CellError(f"{_quoted(text)} is not a date and time; write it like 2026-12-31 14:30.")


def _read_date_cell(text: str, order: SlashOrder | None) -> str:
    try:
        return read_date(text, order).isoformat()
    except CellError as error:
        parts = _split_date_time(text, order)
        if parts is None:
            raise
        if parts[1] not in ("00:00", "00:00:00"):
            raise CellError(
                f"{_quoted(text)} has a time of day, but this field takes a date only; write it"
                f" like {DATE_EXAMPLE}."
            ) from error
        return parts[0].isoformat()  # spreadsheets often add midnight to a date


# --- numbers ----------------------------------------------------------------------------


def read_number_text(text: str, whole: bool) -> str:
    """Number text without grouping and with a decimal point: "1 234,5" -> "1234.5".

    A single comma followed by exactly three digits ("1,234") is a thousands separator in
    a whole-number field and ambiguous in a decimal one.
    """
    text = _GROUPING_SPACE.sub("", text.strip())
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    if "," not in text:
        return text
    head, *groups = text.split(",")
    grouped = _DIGITS.match(head) is not None and all(
        len(group) == 3 and group.isdigit() for group in groups
    )
    if len(groups) > 1:
        return text.replace(",", "") if grouped else text
    if grouped and not whole:
        raise CellError(
            f"{_quoted(text)} could mean {head}{groups[0]} or {head}.{groups[0]}; write it without"
            " a thousands separator and with a decimal point, like 1234.5."
        )
    return text.replace(",", "") if grouped else text.replace(",", ".")


# --- choices ------------------------------------------------------------------------------


def _options_hint(options: list[ChoiceOption]) -> str:
    ids = [option.id for option in options]
    if len(ids) > _MAX_HINTED_OPTIONS:
        ids = [*ids[: _MAX_HINTED_OPTIONS - 1], "…"]
    return ", ".join(ids)


def _find_option(field: FormField, text: str) -> ChoiceOption | None:
    option = resolve_option(field, text)
    if option is not None:
        return option
    folded = fold(text)
    if not folded:
        return None
    return next(
        (o for o in field.options if folded in (fold(o.id), fold(o.label))),
        None,
    )


def _unknown_option(field: FormField, text: str) -> CellError:
    return CellError(
        f"{_quoted(text)} is not an option; use an option id or label"
        f" ({_options_hint(field.options)})."
    )


def read_choice(field: FormField, text: str) -> str:
    option = _find_option(field, text)
    if option is None:
        raise _unknown_option(field, text)
    return option.id


def read_multichoice(field: FormField, text: str) -> list[str]:
    """Option ids from choices separated by ";" or "|" (or "," when nothing else fits)."""
    parts = [part for part in _MULTI_SEPARATORS.split(text) if part.strip()]
    if len(parts) == 1 and _find_option(field, parts[0]) is None and "," in parts[0]:
        commas = [part for part in parts[0].split(",") if part.strip()]
        if all(_find_option(field, part) is not None for part in commas):
            parts = commas
    chosen: list[str] = []
    for part in parts:
        option = _find_option(field, part)
        if option is None:
            raise _unknown_option(field, part)
        if option.id not in chosen:
            chosen.append(option.id)
    return chosen


# --- one cell -----------------------------------------------------------------------------


def read_cell(field: FormField, cell: Any, order: SlashOrder | None = None) -> Any:
    """The answer a cell gives `field`: None when blank, the value validation takes otherwise.

    Text cells are read per the field's type; other JSON values (numbers, lists, true) are
    passed on as they are, since validation reads them. Raises CellError, never anything else.
    """
    if cell is None:
        return None
    if field.type is FieldType.ATTACHMENTS:
        if cell == "" or cell == [] or (isinstance(cell, str) and not cell.strip()):
            return None
        raise CellError(ATTACHMENTS_MESSAGE)
    if not isinstance(cell, str):
        return cell
    if not cell.strip():
        return None
    text = cell.strip()
    kind = field.type
    if kind is FieldType.MULTILINE:
        return cell.strip("\r\n").rstrip()
    if kind in (FieldType.INTEGER, FieldType.DECIMAL):
        return read_number_text(text, whole=kind is FieldType.INTEGER)
    if kind is FieldType.DATE:
        return _read_date_cell(text, order)
    if kind is FieldType.TIME:
        return read_time(text)
    if kind is FieldType.DATETIME:
        return read_datetime(text, order)
    if kind is FieldType.YESNO:
        answer = as_bool(text)
        if answer is None:
            raise CellError(
                f"{_quoted(text)} is not yes or no; write yes/no, true/false, 1/0 or y/n."
            )
        return answer
    if kind is FieldType.CHOICE:
        return read_choice(field, text)
    if kind is FieldType.MULTICHOICE:
        return read_multichoice(field, text)
    return text
