"""Conditions over answers: rule evaluation, emptiness, and which pages, fields and blocks show."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

# The Editor.js text helpers live in core/editorjs; re-exported here for existing importers.
from desktop_app.core.editorjs import block_has_content, editorjs_blocks
from desktop_app.core.editorjs import block_plain_text as block_plain_text
from desktop_app.core.editorjs import editorjs_plain_text as editorjs_plain_text
from desktop_app.core.editorjs import inline_html_text as inline_html_text
from desktop_app.core.form.model import (
    CHOICE_TYPES,
    Condition,
    FieldType,
    Form,
    FormField,
    Operator,
    Rule,
)

NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
_TIME_PART = r"\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_ISO_TIME = re.compile(rf"^{_TIME_PART}$", re.ASCII)
_ISO_DATETIME = re.compile(rf"^\d{{4}}-\d{{2}}-\d{{2}}[T ]{_TIME_PART}$", re.ASCII)
_TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0", "off"})


# --- emptiness and comparison ---------------------------------------------------------------


def is_empty(value: Any) -> bool:
    """True for no answer: None, blank text, [], {} or an Editor.js document without content."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) == 0
    if isinstance(value, Mapping):
        blocks = editorjs_blocks(value)
        if blocks is not None:
            return not any(block_has_content(block) for block in blocks)
        return len(value) == 0
    return False


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if isinstance(value, str) and NUMBER_TEXT.match(value.strip()):
        try:
            return float(value.strip())
        except (ValueError, OverflowError):
            return None
    return None


def parse_iso(value: Any) -> date | time | datetime | None:
    """An ISO 8601 date (2026-12-31), time (14:30[:00]) or date-time string parsed, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        if _ISO_TIME.match(text):
            return time.fromisoformat(text)
        if _ISO_DATETIME.match(text):
            return datetime.fromisoformat(text)
    except ValueError:  # well-formed but impossible, e.g. 2026-02-30 or 25:00
        return None
    return None


def _comparable_temporals(left: Any, right: Any) -> tuple[Any, Any] | None:
    a, b = parse_iso(left), parse_iso(right)
    if a is None or b is None:
        return None
    # A bare date compares with a date-time as its midnight (`datetime` is a `date` subclass).
    if isinstance(a, datetime) != isinstance(b, datetime):
        if isinstance(a, time) or isinstance(b, time):
            return None
        a = a if isinstance(a, datetime) else datetime.combine(a, time())
        b = b if isinstance(b, datetime) else datetime.combine(b, time())
    elif isinstance(a, time) != isinstance(b, time):
        return None
    # Naive against aware cannot be ordered; compare wall-clock readings instead of failing.
    if (
        isinstance(a, datetime | time)
        and isinstance(b, datetime | time)
        and (a.tzinfo is None) != (b.tzinfo is None)
    ):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a, b


def as_bool(value: Any) -> bool | None:
    """A yes/no reading of a bool or a word like "yes", "false", "1"; None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _equal(answer: Any, expected: Any) -> bool:
    """Loose equality of one answer and one rule value (numbers, ISO times, text, yes/no)."""
    if isinstance(answer, bool) or isinstance(expected, bool):
        return as_bool(answer) is not None and as_bool(answer) == as_bool(expected)
    number_a, number_b = _as_number(answer), _as_number(expected)
    if number_a is not None and number_b is not None:
        return number_a == number_b
    temporals = _comparable_temporals(answer, expected)
    if temporals is not None:
        try:
            return bool(temporals[0] == temporals[1])
        except TypeError:
            return False
    if isinstance(answer, str) and isinstance(expected, str):
        return answer.strip() == expected.strip()
    try:
        return bool(answer == expected)
    except Exception:  # an exotic object with a broken __eq__ must not break a form
        return False


def _order(answer: Any, expected: Any) -> int | None:
    """-1, 0 or 1 comparing answer with expected; None when they cannot be ordered."""
    pair: tuple[Any, Any] | None
    number_a, number_b = _as_number(answer), _as_number(expected)
    if number_a is not None and number_b is not None:
        pair = (number_a, number_b)
    else:
        pair = _comparable_temporals(answer, expected)
    if pair is None and isinstance(answer, str) and isinstance(expected, str):
        # Plain text orders alphabetically; a number or time against text does not order.
        typed = (_as_number(v) is not None or parse_iso(v) is not None for v in (answer, expected))
        pair = None if any(typed) else (answer.strip(), expected.strip())
    if pair is None:
        return None
    left: Any = pair[0]
    right: Any = pair[1]
    try:
        return int(left > right) - int(left < right)
    except TypeError:
        return None


def _check_rule(rule: Rule, answers: Mapping[str, Any]) -> bool:
    answer = answers.get(rule.field)
    expected = rule.value
    op = rule.op
    if op is Operator.EMPTY:
        return is_empty(answer)
    if op is Operator.NOT_EMPTY:
        return not is_empty(answer)
    items = list(answer) if isinstance(answer, list | tuple) else None
    if op in (Operator.EQUALS, Operator.NOT_EQUALS):
        if items is None:
            hit = not is_empty(answer) and _equal(answer, expected)
        elif isinstance(expected, list):
            # A list against a list: the same selection, order ignored.
            hit = all(any(_equal(a, e) for e in expected) for a in items) and all(
                any(_equal(a, e) for a in items) for e in expected
            )
        else:
            hit = any(_equal(item, expected) for item in items)  # "contains"
        return hit if op is Operator.EQUALS else not hit
    if op is Operator.ONE_OF:
        choices = expected if isinstance(expected, list) else [expected]
        candidates = items if items is not None else ([] if is_empty(answer) else [answer])
        return any(_equal(a, e) for a in candidates for e in choices)
    if items is not None or is_empty(answer):
        return False
    order = _order(answer, expected)
    if order is None:
        return False
    return order > 0 if op is Operator.GREATER_THAN else order < 0


def evaluate(condition: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for `answers`; no condition always holds. Never raises."""
    if condition is None:
        return True
    results = (
        evaluate(rule, answers) if isinstance(rule, Condition) else _check_rule(rule, answers)
        for rule in condition.rules
    )
    return all(results) if condition.match == "all" else any(results)


# --- visibility -----------------------------------------------------------------------------


def condition_value(field: FormField, answer: Any) -> Any:
    """The value conditions read for a field: defaults filled, choice reference ids as ids."""
    if field.type is FieldType.HIDDEN or answer is None:
        answer = field.default
    if field.type in CHOICE_TYPES:
        by_reference = {o.reference_id: o.id for o in field.options if o.reference_id is not None}

        def option_id(value: Any) -> Any:
            if isinstance(value, int) and not isinstance(value, bool):
                return by_reference.get(value, value)
            return value

        if isinstance(answer, list):
            return [option_id(value) for value in answer]
        return option_id(answer)
    return answer


@dataclass(frozen=True)
class Visibility:
    """What a form shows for some answers. Items are addressed as (page index, item index)."""

    pages: frozenset[int]
    items: frozenset[tuple[int, int]]
    fields: frozenset[str]

    def page_visible(self, page_index: int) -> bool:
        """Whether the page at this index is shown."""
        return page_index in self.pages

    def item_visible(self, page_index: int, item_index: int) -> bool:
        """Whether the field or content block at this position is shown."""
        return (page_index, item_index) in self.items

    def field_visible(self, key: str) -> bool:
        """Whether the field with this key is shown (so validated and sent)."""
        return key in self.fields


def _step(form: Form, answers: Mapping[str, Any], shown: frozenset[str]) -> Visibility:
    effective = {
        field.key: condition_value(field, answers.get(field.key)) if field.key in shown else None
        for field in form.fields
    }
    pages: set[int] = set()
    items: set[tuple[int, int]] = set()
    fields: set[str] = set()
    for page_index, page in enumerate(form.pages):
        if not evaluate(page.visible_when, effective):
            continue
        pages.add(page_index)
        for item_index, item in enumerate(page.items):
            if evaluate(item.visible_when, effective):
                items.add((page_index, item_index))
                if isinstance(item, FormField):
                    fields.add(item.key)
    return Visibility(frozenset(pages), frozenset(items), frozenset(fields))


def visibility(form: Form, answers: Mapping[str, Any]) -> Visibility:
    """Which pages, fields and content blocks show; answers of hidden fields count as empty.

    Starting from "everything shows", conditions are re-evaluated until nothing changes, so a
    chain (C shown when B set, B shown when A = x) resolves whatever the order on the form.
    A condition cycle can flip forever (A shown when B is empty and B when A is empty); then
    only what shows in every state of that loop is shown, which terminates deterministically.
    """
    everything = frozenset(field.key for field in form.fields)
    state = _step(form, answers, everything)
    history = [state]
    while True:
        following = _step(form, answers, state.fields)
        if following == state:
            return state
        if following in history:
            loop = history[history.index(following) :]
            return Visibility(
                frozenset.intersection(*(s.pages for s in loop)),
                frozenset.intersection(*(s.items for s in loop)),
                frozenset.intersection(*(s.fields for s in loop)),
            )
        history.append(following)
        state = following


def visible_fields(form: Form, answers: Mapping[str, Any]) -> list[FormField]:
    """The fields shown for these answers, in form order."""
    shown = visibility(form, answers).fields
    return [field for field in form.fields if field.key in shown]
