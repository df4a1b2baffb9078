"""Form files to `Form` and back, with one-line errors that say where, what and what to do."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from desktop_app.core.form import model
from desktop_app.core.form.model import (
    FORMAT_MARKER,
    FORMAT_VERSION,
    UNIQUE_KEY_PATTERN,
    FieldType,
    Form,
)


class FormFileError(Exception):
    """A form file DeskForms cannot use; str() is one line: source, location, problem, remedy."""

    def __init__(self, source: str, problem: str, location: str = "") -> None:
        self.source = source
        self.location = location
        self.problem = problem
        where = f"{source}: {location}: " if location else f"{source}: "
        # One line whatever the inputs hold: the message goes to a status bar or a log line.
        super().__init__(" ".join((where + problem).split()))


def parse_form(text: str, source: str) -> Form:
    """Parse the text of a form file; `source` names it in errors (usually its path)."""
    # Editors on Windows like to start UTF-8 files with a byte order mark; it is not content.
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FormFileError(source, "the file is empty; a form file holds one JSON object")
    repeated: dict[int, str] = {}
    try:
        data = json.loads(
            text,
            object_pairs_hook=lambda pairs: _object(pairs, repeated),
            parse_constant=_reject_constant,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as error:
        raise FormFileError(
            source,
            f"not valid JSON at line {error.lineno}, column {error.colno} ({error.msg});"
            " fix the syntax and try again",
        ) from None
    except _NotJsonError as error:
        raise FormFileError(source, f"not valid JSON: {error}") from None
    except RecursionError:
        raise FormFileError(source, "not usable: the JSON is nested too deeply") from None
    except ValueError:
        # What json lets through besides JSONDecodeError: integers past Python's digit limit.
        raise FormFileError(source, "not valid JSON: a number has too many digits") from None
    if repeated:
        path, name = _first_repeated(data, repeated)
        raise FormFileError(
            source,
            f"property {_show(name)} appears twice in one object; keep only one",
            _render_path(path, data),
        )
    return parse_form_data(data, source)


def parse_form_data(data: object, source: str) -> Form:
    """Validate already-decoded JSON data as a form; errors as in `parse_form`."""
    if not isinstance(data, dict):
        raise FormFileError(
            source,
            f"the top level is {_kind(data)}, not an object; a form file holds one JSON object"
            f' with "format": "{FORMAT_MARKER}"',
        )
    if data.get("format") != FORMAT_MARKER:
        raise FormFileError(
            source,
            f'not a DeskForms form file (expected "format": "{FORMAT_MARKER}");'
            " check that you opened a form file",
        )
    version = data.get("format_version", FORMAT_VERSION)
    if _is_number(version) and version > FORMAT_VERSION:
        raise FormFileError(
            source,
            f"was made by a newer DeskForms (format version {_show(version)}); update DeskForms",
        )
    try:
        return Form.model_validate(data)
    except ValidationError as error:
        location, problem = describe_validation_error(error, data)
        raise FormFileError(source, problem, location) from None
    except RecursionError:
        raise FormFileError(source, "not usable: conditions are nested too deeply") from None


def dump_form(form: Form) -> str:
    """The form as stable, pretty JSON that `parse_form` reads back to an equal form."""
    # Defaults are left out so hand-edited files stay small; these always stay for readers.
    always = {"format", "format_version", "id", "title", "version"}
    data = form.model_dump(mode="json", exclude_defaults=True)
    data.update(form.model_dump(mode="json", include=always))
    data = {name: data[name] for name in Form.model_fields if name in data}
    for page, page_data in zip(form.pages, data["pages"], strict=True):
        for item, item_data in zip(page.items, page_data.get("items", []), strict=True):
            if isinstance(item, model.ContentBlock):
                # Editor.js data is kept as Editor.js writes it (every block keeps its `type`).
                item_data["editorjs"] = item.editorjs.model_dump(mode="json", exclude_none=True)
    return json.dumps(_whole_numbers(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def describe_validation_error(error: ValidationError, data: object) -> tuple[str, str]:
    """(location, problem) of the first error, readable and on one line, with "(and N more)"."""
    described = [_describe(details, data) for details in error.errors()]
    location = described[0][0]
    # Several errors at one place are the alternatives of one union ("a number, or text").
    problems = list(dict.fromkeys(problem for where, problem in described if where == location))
    others = len({where for where, _ in described} - {location})
    return location, _either(problems) + (f" (and {others} more)" if others else "")


def _either(problems: list[str]) -> str:
    """Join union alternatives: "should be a number or text, not a list"."""
    wanted = [re.fullmatch(r"should be (.+), not (.+)", problem) for problem in problems]
    found = {match.group(2) for match in wanted if match}
    if len(problems) > 1 and len(found) == 1 and all(wanted):
        return f"should be {' or '.join(m.group(1) for m in wanted if m)}, not {found.pop()}"
    return ", or ".join(problems)


# Lists whose items are discriminated unions: pydantic puts the chosen tag after the index.
_TAGGED_LISTS = {"items": {"field", "content"}, "rules": {"rule", "condition"}}
# Labels pydantic gives the branches of plain unions such as `float | str`.
_BRANCH_LABELS = {"float", "str", "int", "bool", "list", "dict", "none"}
_KNOWN_PROPERTIES = sorted(
    {
        name
        for value in vars(model).values()
        if isinstance(value, type) and issubclass(value, model.StrictModel)
        for name in value.model_fields
    }
)


def _describe(details: ErrorDetails, data: object) -> tuple[str, str]:
    path = _real_path(details["loc"], data, details["type"])
    kind, ctx, given = details["type"], details.get("ctx") or {}, details["input"]
    leaf = path[-1] if path and isinstance(path[-1], str) else ""
    if kind == "missing":
        return _render_path(path[:-1], data), f"missing required property '{leaf}'; add it"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(leaf, _KNOWN_PROPERTIES, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "remove it or fix its spelling"
        return _render_path(path[:-1], data), f"unknown property {_show(leaf)}; {hint}"
    if kind == "enum" and leaf == "type" and _parent_list(path) == "items":
        kinds = ", ".join(field_type.value for field_type in FieldType)
        return (
            _render_path(path[:-1], data),
            f"unknown field type {_show(given)}; use one of {kinds} (or content for static text)",
        )
    return _render_path(path, data), _problem(kind, leaf, path, ctx, given, details["msg"])


def _problem(
    kind: str, leaf: str, path: Sequence[str | int], ctx: dict[str, Any], given: Any, msg: str
) -> str:
    if kind == "value_error":
        return str(ctx.get("error", msg)).removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        return f"{_show(given)} is not allowed here; use {ctx.get('expected', 'another value')}"
    if kind == "string_pattern_mismatch":
        if leaf in ("key", "field"):
            return (
                f"{_show(given)} is not a valid field key; use letters, digits and _"
                " (at most 64, not starting with a digit)"
            )
        if path == ["id"]:
            return (
                f"{_show(given)} is not a valid form id; use lowercase letters, digits, - and _"
                " (at most 64, starting with a letter or digit)"
            )
        return f"{_show(given)} does not match the pattern {ctx.get('pattern')}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"should be an object, not {_kind(given)}"
    if kind == "list_type":
        return f"should be a list, not {_kind(given)}"
    if kind == "string_type":
        return f"should be text, not {_kind(given)}"
    if kind in ("int_type", "int_parsing", "float_type", "float_parsing"):
        if _is_number(given):  # a number refused as a number is one too large for a float
            return "the number is too large; use a smaller one"
        return f"should be a number, not {_kind(given)}"
    if kind == "int_from_float":
        return f"should be a whole number, not {_show(given)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"should be true or false, not {_kind(given)}"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    text = msg.removeprefix("Input ")
    return text[:1].lower() + text[1:]


def _real_path(loc: Sequence[str | int], data: object, kind: str) -> list[str | int]:
    """The error location as a path in the data, without pydantic's union branch labels."""
    path: list[str | int] = []
    node: object = data
    index = 0
    while index < len(loc):
        segment = loc[index]
        index += 1
        if isinstance(segment, int):
            path.append(segment)
            node = node[segment] if isinstance(node, list) and segment < len(node) else None
            tags = _TAGGED_LISTS.get(str(path[-2]) if len(path) > 1 else "", set())
            if index < len(loc) and loc[index] in tags:
                index += 1
            continue
        is_key = isinstance(node, dict) and (
            segment in node or kind in ("missing", "extra_forbidden") or index < len(loc)
        )
        if segment in _BRANCH_LABELS and not is_key:
            continue
        path.append(segment)
        node = node.get(segment) if isinstance(node, dict) else None
    return path


def _render_path(path: Sequence[str | int], data: object) -> str:
    """`pages[0].items[2] ('serial').pattern`: indices, plus the key of keyed objects."""
    text = ""
    node: object = data
    previous: str | int = ""
    for segment in path:
        if isinstance(segment, int):
            text += f"[{segment}]"
            node = node[segment] if isinstance(node, list) and 0 <= segment < len(node) else None
            # Items (fields and content) are named by their key: that is what authors search for.
            key = node.get("key") if isinstance(node, dict) else None
            if isinstance(key, str) and previous == "items" and re.match(UNIQUE_KEY_PATTERN, key):
                text += f" ({_show(key)})"
        else:
            text += f".{segment}" if text else segment
            node = node.get(segment) if isinstance(node, dict) else None
        previous = segment
    return text


def _parent_list(path: Sequence[str | int]) -> str:
    return str(path[-3]) if len(path) >= 3 and isinstance(path[-2], int) else ""


class _NotJsonError(ValueError):
    """A value Python's json accepts but JSON does not (NaN, Infinity, overflowing numbers)."""


def _reject_constant(name: str) -> Any:
    raise _NotJsonError(f"{name} is not a JSON value; use a number or null")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJsonError(f"the number {_clip(text)} is too large; use a smaller number")
    return value


def _object(pairs: list[tuple[str, Any]], repeated: dict[int, str]) -> dict[str, Any]:
    """Build a JSON object, noting (by id) objects that repeat a property name."""
    result = dict(pairs)
    if len(result) != len(pairs):
        names = [name for name, _ in pairs]
        repeated[id(result)] = next(name for name in names if names.count(name) > 1)
    return result


def _first_repeated(data: object, repeated: dict[int, str]) -> tuple[list[str | int], str]:
    """Path to the first object (in document order) that repeats a name, and that name."""
    stack: list[tuple[object, list[str | int]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if id(node) in repeated:
            return path, repeated[id(node)]
        children: list[tuple[str | int, object]] = []
        if isinstance(node, dict):
            children = list(node.items())
        elif isinstance(node, list):
            children = list(enumerate(node))
        stack.extend((child, [*path, name]) for name, child in reversed(children))
    raise AssertionError("a repeated name was recorded for an object that is not in the data")


def _whole_numbers(value: Any) -> Any:
    """Write 10.0 as 10: pydantic turns JSON integers into floats for float fields."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {name: _whole_numbers(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _kind(value: object) -> str:
    if isinstance(value, dict | BaseModel):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if _is_number(value):
        return "a number"
    return "null" if value is None else type(value).__name__


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: object) -> str:
    """A short rendering of a user's value for a message: strings quoted, long values clipped."""
    if isinstance(value, str):
        return repr(_clip(value))
    if isinstance(value, int) and value.bit_length() > 128:
        return "a very long number"
    return _clip(json.dumps(value, default=str))
