"""The editor's view of Editor.js blocks: which it can edit, as models of what they say."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop_app.gui.editorjs.editor_inline import LINE_BREAK, Run, Runs, parse_inline

ALIGNMENTS = ("left", "center", "right", "justify")
LIST_STYLES = ("unordered", "ordered", "checklist")
COUNTER_TYPES = ("numeric", "lower-roman", "upper-roman", "lower-alpha", "upper-alpha")
# Spellings other converters use for the same counters; written back in the List tool's words.
_COUNTER_ALIASES = {
    "lower-latin": "lower-alpha",
    "upper-latin": "upper-alpha",
    "decimal": "numeric",
}
# Deeper lists are kept untouched rather than edited: nobody indents 32 levels by hand.
MAX_LIST_DEPTH = 32
# A start outside this range is kept untouched (Qt counts in an int; nobody numbers from 10^9).
MAX_START = 1_000_000


@dataclass(frozen=True)
class TextModel:
    """A paragraph (level 0) or a header (level 1-6)."""

    runs: Runs
    level: int = 0
    alignment: str = "left"


@dataclass(frozen=True)
class ListItem:
    runs: Runs
    level: int = 0
    checked: bool = False


@dataclass(frozen=True)
class ListModel:
    """A list of any version, flattened to items with a nesting level."""

    style: str
    items: tuple[ListItem, ...]
    start: int = 1
    counter: str = "numeric"


@dataclass(frozen=True)
class QuoteModel:
    text: Runs
    caption: Runs = ()
    alignment: str = "left"


@dataclass(frozen=True)
class CodeModel:
    code: str


@dataclass(frozen=True)
class DelimiterModel:
    pass


@dataclass(frozen=True, eq=True)
class KeptModel:
    """A block the editor does not edit: shown as a placeholder, written back as loaded."""

    block: Any = field(compare=True, hash=False)


Model = TextModel | ListModel | QuoteModel | CodeModel | DelimiterModel | KeptModel


class _Unsupported(Exception):
    """The block's data is not something the editor can represent exactly."""


def _string(data: Mapping[str, Any], key: str, *, optional: bool = False) -> str:
    value = data.get(key, "" if optional else None)
    if not isinstance(value, str):
        raise _Unsupported(key)
    return value


def _alignment(data: Mapping[str, Any]) -> str:
    value = data.get("alignment", "left")
    if value not in ALIGNMENTS:
        raise _Unsupported("alignment")
    return str(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_START:
        raise _Unsupported("integer")
    return value


def _v2_items(items: Any, level: int, style: str, out: list[ListItem]) -> None:
    if not isinstance(items, list) or level >= MAX_LIST_DEPTH:
        raise _Unsupported("items")
    for item in items:
        if not isinstance(item, Mapping):
            raise _Unsupported("item")
        meta = item.get("meta", {})
        if not isinstance(meta, Mapping):
            raise _Unsupported("item meta")
        checked = meta.get("checked", False) if style == "checklist" else False
        if not isinstance(checked, bool):
            raise _Unsupported("checked")
        out.append(ListItem(parse_inline(_string(item, "content")), level, checked))
        _v2_items(item.get("items", []), level + 1, style, out)


def _list(data: Mapping[str, Any]) -> ListModel:
    style, items = data.get("style"), data.get("items")
    if style not in LIST_STYLES or not isinstance(items, list) or not items:
        raise _Unsupported("list")
    if all(isinstance(item, str) for item in items):  # list v1
        if style == "checklist":
            raise _Unsupported("v1 checklist")
        return ListModel(str(style), tuple(ListItem(parse_inline(item)) for item in items))
    flat: list[ListItem] = []
    _v2_items(items, 0, str(style), flat)
    meta = data.get("meta", {})
    if not isinstance(meta, Mapping):
        raise _Unsupported("meta")
    start, counter = 1, "numeric"
    if style == "ordered":
        start = _integer(meta.get("start", 1))
        raw_counter = meta.get("counterType", "numeric")
        if not isinstance(raw_counter, str):
            raise _Unsupported("counterType")
        counter = _COUNTER_ALIASES.get(raw_counter, raw_counter)
        if counter not in COUNTER_TYPES:
            raise _Unsupported("counterType")
    return ListModel(str(style), tuple(flat), start, counter)


def _checklist(data: Mapping[str, Any]) -> ListModel:
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise _Unsupported("items")
    flat: list[ListItem] = []
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("checked", False), bool):
            raise _Unsupported("item")
        flat.append(ListItem(parse_inline(_string(item, "text")), 0, item.get("checked", False)))
    return ListModel("checklist", tuple(flat))


def _model(kind: str, data: Mapping[str, Any]) -> Model:
    if kind == "paragraph":
        return TextModel(parse_inline(_string(data, "text")), 0, _alignment(data))
    if kind == "header":
        level = _integer(data.get("level"))
        if not 1 <= level <= 6:
            raise _Unsupported("level")
        return TextModel(parse_inline(_string(data, "text")), level)
    if kind == "list":
        return _list(data)
    if kind == "checklist":
        return _checklist(data)
    if kind == "quote":
        text = parse_inline(_string(data, "text"))
        caption = parse_inline(_string(data, "caption", optional=True))
        return QuoteModel(text, caption, _alignment(data))
    if kind == "code":
        return CodeModel(_string(data, "code"))
    if kind == "delimiter":
        return DelimiterModel()
    raise _Unsupported(kind)


def model_from_block(block: Any) -> Model:
    """The editable model of a block, or a KeptModel when the editor must not touch it."""
    if not isinstance(block, Mapping) or not isinstance(block.get("type"), str):
        return KeptModel(block)
    data = block.get("data", {})
    if not isinstance(data, Mapping) or not isinstance(block.get("id", ""), str):
        return KeptModel(block)
    try:
        return _model(block["type"], data)
    except _Unsupported:
        return KeptModel(block)


def joined(parts: list[Runs]) -> Runs:
    """Runs of several lines joined with line breaks (quote text typed over several blocks)."""
    out: list[Run] = []
    for index, runs in enumerate(parts):
        if index:
            out.append(Run(LINE_BREAK))
        out.extend(runs)
    return tuple(out)


@dataclass(frozen=True)
class Entry:
    """One Editor.js block as read from the editor, with its source block's JSON if loaded."""

    model: Model
    source: str | None
