"""Answer validation: plain-language errors per field and the normalized values to send.

Decisions a form designer should know:

- Only fields that are shown (see `conditions.visibility`) are checked and kept; answers to
  fields hidden by a condition are ignored, not rejected, so a draft can keep them.
- No answer (key absent or None) means the field's `default`, if it has one.
- Numbers may arrive as JSON numbers or as text ("42", "-3.5"), as CSV files give them; they
  are sent as numbers (whole values as integers).
- Dates, times and date-times must be ISO 8601 and are sent in one canonical spelling
  (`2026-12-31`, `14:30` or `14:30:15`, `2026-12-31T14:30`).
- A choice answer is the option `id`; the option's DeskHero `reference_id` (a number) or its
  label are understood too and normalized to the id. A multichoice answer is a list of those
  (or one text with ids separated by commas), kept in the order of the options on the form.
- A **required yes/no field must be answered Yes**: kiosks use it for consent. A yes/no field
  that only needs *an* answer is a required choice field with the options Yes and No.
- Attachments are a list of file paths, objects {"path" or "name", "size" (bytes), "type"
  (MIME)} or {"id": n} for files already uploaded; size and type are checked when known.
- `hidden` fields always carry their `default`; an answer may repeat it but not change it.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from desktop_app.core.dto import EditorJs
from desktop_app.core.form.conditions import (
    NUMBER_TEXT,
    Visibility,
    as_bool,
    editorjs_plain_text,
    is_empty,
    parse_iso,
    visibility,
)
from desktop_app.core.form.model import ChoiceOption, FieldType, Form, FormField

FILL_IN = "Please fill in this field."
MUST_BE_YES = "You need to answer Yes to continue."

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE_CHARS = re.compile(r"^[0-9 +\-().,]+$", re.ASCII)
_INTEGER_TEXT = re.compile(r"^[+-]?\d+$", re.ASCII)
_REFERENCE_TEXT = re.compile(r"^\d{1,10}$", re.ASCII)
_MAX_LISTED_OPTIONS = 6
# MIME types of common attachment extensions; `mimetypes` would read system files (I/O).
_MIME_BY_EXTENSION = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".bmp": "image/bmp",
    ".svg": "image/svg+xml",
    ".heic": "image/heic",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".log": "text/plain",
    ".csv": "text/csv",
    ".json": "application/json",
    ".xml": "application/xml",
    ".zip": "application/zip",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".eml": "message/rfc822",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
}


@dataclass
class ValidationResult:
    """Errors keyed by field key (or by an unknown answer key) and the values to send."""

    errors: dict[str, list[str]] = dataclass_field(default_factory=dict)
    values: dict[str, Any] = dataclass_field(default_factory=dict)
    visibility: Visibility | None = None

    @property
    def ok(self) -> bool:
        """True when nothing needs fixing."""
        return not self.errors


_Checked = tuple[Any, list[str]]


class _Invalid(Exception):
    """The answer cannot be read as this field's type; the message says what to enter."""


# --- shared pieces --------------------------------------------------------------------------


def canonical_number(number: float) -> int | float:
    """Whole numbers as int (so 42.0 is sent as 42), others as float."""
    if isinstance(number, int) or (number.is_integer() and abs(number) < 2**63):
        return int(number)
    return number


def format_number(number: float) -> str:
    """A number as people write it: 10, 12.5."""
    value = canonical_number(number)
    return str(value) if isinstance(value, int) else f"{value:g}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _text_of(raw: Any) -> str:
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
        return format_number(raw)  # a CSV or JSON number in a text field
    raise _Invalid("Enter text here.")


def _length_errors(field: FormField, text: str) -> list[str]:
    errors = []
    if field.min_length is not None and len(text) < field.min_length:
        errors.append(f"Must be at least {_plural(field.min_length, 'character')}.")
    if field.max_length is not None and len(text) > field.max_length:
        errors.append(f"Must be {_plural(field.max_length, 'character')} or fewer.")
    return errors


def _pattern_errors(field: FormField, text: str) -> list[str]:
    if field.pattern is None or re.search(field.pattern, text):
        return []
    return [field.pattern_message or "This is not in the expected format."]


def _checked_text(field: FormField, text: str) -> _Checked:
    return text, _length_errors(field, text) + _pattern_errors(field, text)


# --- one checker per field type -------------------------------------------------------------


def _check_text(field: FormField, raw: Any) -> _Checked:
    return _checked_text(field, _text_of(raw))


def _check_multiline(field: FormField, raw: Any) -> _Checked:
    text = _text_of(raw).replace("\r\n", "\n").replace("\r", "\n")
    return _checked_text(field, text)


def text_to_editorjs(text: str) -> dict[str, Any]:
    """Editor.js data for plain text: one paragraph per blank-line-separated paragraph."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [
        {
            "type": "paragraph",
            "data": {"text": html.escape(p.strip(), quote=False).replace("\n", "<br>")},
        }
        for p in paragraphs
        if p.strip()
    ]
    return {"blocks": blocks}


def _check_richtext(field: FormField, raw: Any) -> _Checked:
    if isinstance(raw, str):
        raw = text_to_editorjs(raw)  # plain text from a CSV or the command line
    try:
        document = EditorJs.model_validate(raw)
    except ValidationError:
        raise _Invalid("This text could not be read. Type it again.") from None
    value = document.model_dump(mode="json", exclude_none=True)
    return value, _length_errors(field, editorjs_plain_text(value))


def _check_email(field: FormField, raw: Any) -> _Checked:
    text = _text_of(raw)
    if not _EMAIL.match(text) or ".." in text:
        raise _Invalid("Enter an e-mail address like name@example.com.")
    return _checked_text(field, text)


def _check_phone(field: FormField, raw: Any) -> _Checked:
    text = " ".join(_text_of(raw).split())
    digits = sum(character.isdigit() for character in text)
    if not _PHONE_CHARS.match(text) or not 5 <= digits <= 20:
        raise _Invalid("Enter a phone number like +1 555 0100.")
    return _checked_text(field, text)


def _check_url(field: FormField, raw: Any) -> _Checked:
    text = _text_of(raw)
    try:
        parts = urlsplit(text)
        scheme, host = parts.scheme.lower(), parts.hostname
    except ValueError:  # e.g. a malformed IPv6 host or port
        scheme, host = "", None
    if scheme not in ("http", "https") or not host or any(c.isspace() for c in text):
        raise _Invalid("Enter a web address like https://example.com.")
    return _checked_text(field, text)


def _number_bound(bound: float | str | None) -> float | None:
    if isinstance(bound, str) and NUMBER_TEXT.match(bound.strip()):
        return float(bound)
    return bound if isinstance(bound, int | float) else None


def _range_errors(field: FormField, number: float) -> list[str]:
    low, high = _number_bound(field.min_value), _number_bound(field.max_value)
    if low is not None and number < low:
        return [f"Must be {format_number(low)} or more."]
    if high is not None and number > high:
        return [f"Must be {format_number(high)} or less."]
    return []


def _number_of(raw: Any, message: str) -> float:
    if isinstance(raw, str) and NUMBER_TEXT.match(raw.strip()):
        try:
            raw = int(raw) if _INTEGER_TEXT.match(raw.strip()) else float(raw)
        except ValueError:  # more digits than Python converts; nobody means that number
            raise _Invalid(message) from None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise _Invalid(message)
    return raw


def _check_integer(field: FormField, raw: Any) -> _Checked:
    message = "Enter a whole number."
    number = _number_of(raw, message)
    if isinstance(number, float) and not number.is_integer():
        raise _Invalid(message)
    value = int(number)
    return value, _range_errors(field, value)


def _check_decimal(field: FormField, raw: Any) -> _Checked:
    number = _number_of(raw, "Enter a number like 12.5.")
    return canonical_number(number), _range_errors(field, number)


def _temporal_checker(
    kind: type[date] | type[time] | type[datetime], message: str
) -> Callable[[FormField, Any], _Checked]:
    def read(value: Any) -> Any:
        if isinstance(value, str):
            value = parse_iso(value)
        if kind is date and isinstance(value, datetime):
            return None  # a date-time is not a date, though Python says it is
        if kind is datetime and type(value) is date:
            return datetime.combine(value, time())
        return value if isinstance(value, kind) else None

    def check(field: FormField, raw: Any) -> _Checked:
        value = read(raw)
        if value is None:
            raise _Invalid(message)
        spelled = _iso(value)
        low, high = read(field.min_value), read(field.max_value)
        try:
            if low is not None and _naive(value) < _naive(low):
                return spelled, [f"Must be {_iso(low)} or later."]
            if high is not None and _naive(value) > _naive(high):
                return spelled, [f"Must be {_iso(high)} or earlier."]
        except TypeError:  # bounds of another kind than the field: a design slip, not the user's
            pass
        return spelled, []

    return check


def _naive(value: Any) -> Any:
    # Mixed naive and aware values cannot be ordered; compare their wall-clock readings.
    return value.replace(tzinfo=None) if isinstance(value, datetime | time) else value


def _iso(value: date | time | datetime) -> str:
    if isinstance(value, datetime | time):
        timespec = "minutes" if not value.second and not value.microsecond else "auto"
        return value.isoformat(timespec=timespec)
    return value.isoformat()


def _options_hint(options: list[ChoiceOption]) -> str:
    labels = [option.label for option in options]
    if len(labels) > _MAX_LISTED_OPTIONS:
        labels = [*labels[: _MAX_LISTED_OPTIONS - 1], "…"]
    return ", ".join(labels)


def resolve_option(field: FormField, raw: Any) -> ChoiceOption | None:
    """The option an answer names: by id, by reference id (a number) or by label."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return next((o for o in field.options if o.reference_id == raw), None)
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    by_id = next((o for o in field.options if o.id == text), None)
    if by_id is None and _REFERENCE_TEXT.match(text):
        by_id = next((o for o in field.options if o.reference_id == int(text)), None)
    folded = text.casefold()
    return by_id or next((o for o in field.options if o.label.strip().casefold() == folded), None)


def _check_choice(field: FormField, raw: Any) -> _Checked:
    option = resolve_option(field, raw)
    if option is None:
        raise _Invalid(f"Choose one of: {_options_hint(field.options)}.")
    return option.id, []


def _check_multichoice(field: FormField, raw: Any) -> _Checked:
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,;\n]", raw) if part.strip()]
    if not isinstance(raw, list | tuple):
        raise _Invalid(f"Choose from: {_options_hint(field.options)}.")
    chosen: set[str] = set()
    for item in raw:
        option = resolve_option(field, item)
        if option is None:
            raise _Invalid(f"Choose only from: {_options_hint(field.options)}.")
        chosen.add(option.id)
    value = [option.id for option in field.options if option.id in chosen]
    errors = []
    if field.min_choices is not None and len(value) < field.min_choices:
        errors.append(f"Choose at least {field.min_choices}.")
    if field.max_choices is not None and len(value) > field.max_choices:
        errors.append(f"Choose at most {field.max_choices}.")
    return value, errors


def _check_yesno(field: FormField, raw: Any) -> _Checked:
    if isinstance(raw, int) and not isinstance(raw, bool):
        answer = bool(raw) if raw in (0, 1) else None
    else:
        answer = as_bool(raw)
    if answer is None:
        raise _Invalid("Answer Yes or No.")
    return answer, [MUST_BE_YES] if field.required and not answer else []


def _check_hidden(field: FormField, raw: Any) -> _Checked:
    return field.default, []  # raw answers never reach a hidden field; see _check_field


_CHECKERS: dict[FieldType, Callable[[FormField, Any], _Checked]] = {
    FieldType.TEXT: _check_text,
    FieldType.MULTILINE: _check_multiline,
    FieldType.RICHTEXT: _check_richtext,
    FieldType.EMAIL: _check_email,
    FieldType.PHONE: _check_phone,
    FieldType.URL: _check_url,
    FieldType.INTEGER: _check_integer,
    FieldType.DECIMAL: _check_decimal,
    FieldType.DATE: _temporal_checker(date, "Enter a date like 2026-12-31."),
    FieldType.TIME: _temporal_checker(time, "Enter a time like 14:30."),
    FieldType.DATETIME: _temporal_checker(datetime, "Enter a date and time like 2026-12-31T14:30."),
    FieldType.CHOICE: _check_choice,
    FieldType.MULTICHOICE: _check_multichoice,
    FieldType.YESNO: _check_yesno,
    FieldType.HIDDEN: _check_hidden,
}


# --- attachments ----------------------------------------------------------------------------


def file_name(path: str) -> str:
    """The last part of a Windows or POSIX path."""
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1] or path


def _attachment_item(raw: Any) -> dict[str, Any] | None:
    """One attachment as {"id"} or {"path", "name"} plus optional size and type; None if bad."""
    if isinstance(raw, str):
        return {"path": raw.strip(), "name": file_name(raw.strip())} if raw.strip() else None
    if not isinstance(raw, Mapping):
        return None
    item: dict[str, Any] = {}
    ident, path, name = raw.get("id"), raw.get("path"), raw.get("name")
    if ident is not None:
        if isinstance(ident, bool) or not isinstance(ident, int):
            return None
        item["id"] = ident
    elif isinstance(path, str) and path.strip():
        item["path"] = path.strip()
    elif isinstance(name, str) and name.strip():
        item["path"] = name.strip()
    else:
        return None
    if isinstance(name, str) and name.strip():
        item["name"] = name.strip()
    elif "path" in item:
        item["name"] = file_name(item["path"])
    size, kind = raw.get("size"), raw.get("type")
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, int | float) or not size >= 0:
            return None
        item["size"] = int(size)
    if kind is not None:
        if not isinstance(kind, str):
            return None
        item["type"] = kind.split(";")[0].strip().lower()
    return item


def _accepts(accept: list[str], item: Mapping[str, Any]) -> bool:
    name = item.get("name")
    name = name.lower() if isinstance(name, str) else ""
    if not accept or (not name and "type" not in item):
        return True  # an upload known only by id cannot be checked here; the server will
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    mime = item.get("type") or _MIME_BY_EXTENSION.get(extension, "")
    for entry in (rule.strip().lower() for rule in accept):
        if "/" in entry:
            major, _, minor = entry.partition("/")
            mime_major, _, mime_minor = mime.partition("/")
            if mime and major in ("*", mime_major) and minor in ("*", mime_minor):
                return True
        elif entry and name.endswith(entry if entry.startswith(".") else "." + entry):
            return True
    return False


def _describe_accept(accept: list[str]) -> str:
    def one(entry: str) -> str:
        major, slash, minor = entry.strip().partition("/")
        return f"{major} files" if slash and minor == "*" else entry.strip()

    return ", ".join(one(entry) for entry in accept)


def _check_attachments(field: FormField, raw: Any) -> _Checked:
    limits = field.attachment_limits
    items = raw if isinstance(raw, list | tuple) else [raw]
    value: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[Any] = set()
    for number, raw_item in enumerate(items, start=1):
        item = _attachment_item(raw_item)
        if item is None:
            errors.append(f"Attachment {number} is not a file that can be attached.")
            continue
        identity = ("id", item["id"]) if "id" in item else ("path", item["path"])
        if identity in seen:
            continue  # the same file picked twice is a slip, not two files
        seen.add(identity)
        label = item.get("name") or f"Attachment {number}"
        if "size" in item and item["size"] > limits.max_file_size_mb * 1024 * 1024:
            limit = format_number(limits.max_file_size_mb)
            errors.append(f"'{label}' is larger than the {limit} MB limit.")
        if not _accepts(limits.accept, item):
            allowed = _describe_accept(limits.accept)
            errors.append(f"'{label}' is not an accepted file type. Accepted: {allowed}.")
        value.append(item)
    if len(value) > limits.max_files:
        errors.append(f"You can attach at most {_plural(limits.max_files, 'file')}; remove some.")
    return value, errors


_CHECKERS[FieldType.ATTACHMENTS] = _check_attachments


# --- the whole form -------------------------------------------------------------------------


def _required_message(field: FormField) -> str:
    if field.type is FieldType.YESNO:
        return MUST_BE_YES
    if field.type is FieldType.CHOICE:
        return "Please choose an option."
    if field.type is FieldType.MULTICHOICE:
        return "Please choose at least one option."
    if field.type is FieldType.ATTACHMENTS:
        return "Please attach at least one file."
    return FILL_IN


def _check_field(field: FormField, answers: Mapping[str, Any]) -> _Checked:
    answer = answers.get(field.key)
    if field.type is FieldType.HIDDEN:
        if answer is not None and answer != field.default:
            return field.default, ["This value is set by the form and cannot be changed."]
        return field.default, []
    raw = field.default if answer is None else answer
    if is_empty(raw):
        return None, [_required_message(field)] if field.required else []
    try:
        value, errors = _CHECKERS[field.type](field, raw)
    except _Invalid as invalid:
        return None, [str(invalid)]
    if not errors and is_empty(value):
        return None, [_required_message(field)] if field.required else []
    return value, errors


def validate_answers(form: Form, answers: Mapping[str, Any]) -> ValidationResult:
    """Check every shown field's answer; never raises, whatever the answers hold."""
    result = ValidationResult()
    known = {field.key for field in form.fields}
    for key in answers:
        if key not in known:
            result.errors[str(key)] = [f"This form has no field '{key}'."]
    checked = {field.key: _check_field(field, answers) for field in form.fields}
    # Conditions read what the answer means (an option id for a reference id, a number for
    # "42"), falling back to the raw answer when it could not be read.
    readable = {
        key: value if value is not None else answers.get(key) for key, (value, _) in checked.items()
    }
    result.visibility = visibility(form, readable)
    for field in form.fields:
        if not result.visibility.field_visible(field.key):
            continue
        value, errors = checked[field.key]
        if errors:
            result.errors[field.key] = errors
        elif not is_empty(value):
            result.values[field.key] = value
    return result
