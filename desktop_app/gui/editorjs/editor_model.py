"""The editor's view of Editor.js blocks: what it can edit, and how it writes blocks back."""

from __future__ import annotations

import copy
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop_app.gui.editorjs.editor_inline import LINE_BREAK, Run, Runs, parse_inline, write_inline

ALIGNMENTS = ("left", "center", "right", "justify")
LIST_STYLES = ("unordered", "ordered", "checklist")
COUNTER_TYPES = ("numeric", "lower-roman", "upper-roman", "lower-alpha", "upper-alpha")
# Spellings other converters use for the same counters; written back in the List tool's words.
_COUNTER_ALIASES = {"lower-latin": "lower-alpha", "upper-latin": "upper-alpha", "decimal": "numeric"}
# Deeper lists are kept untouched rather than edited: nobody indents 32 levels by hand.
MAX_LIST_DEPTH = 32
# A start outside this range is kept untouched (Qt counts in an int; nobody numbers from 10^9).
MAX_START = 1_000_000

_ID_ALPHABET = string.ascii_letters + string.digits + "_-"


def new_block_id() -> str:
    """A fresh block id in Editor.js's own style (ten characters of a URL-safe alphabet)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


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

# Data members each type's model covers; anything else in `data` is carried over unchanged.
_MODELLED = {
    "paragraph": {"text", "alignment"},
    "header": {"text", "level"},
    "list": {"style", "meta", "items"},
    "checklist": {"items"},
    "quote": {"text", "caption", "alignment"},
    "code": {"code"},
    "delimiter": set(),
}


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


def _keep(key: str, source: Mapping[str, Any] | None, default: bool) -> bool:
    """Whether to write an optional member: a new block writes it, an old one as it was."""
    return source is None or key in source or not default


def _list_items_v2(model: ListModel, with_meta: bool) -> list[dict[str, Any]]:
    root: list[dict[str, Any]] = []
    path: list[list[dict[str, Any]]] = [root]
    for item in model.items:
        level = min(item.level, len(path) - 1)
        del path[level + 1 :]
        entry: dict[str, Any] = {"content": write_inline(item.runs)}
        if with_meta:
            entry["meta"] = {"checked": item.checked} if model.style == "checklist" else {}
        entry["items"] = []
        path[level].append(entry)
        path.append(entry["items"])
    return root


def _source_shape(source: Mapping[str, Any] | None) -> str:
    """How the loaded list was written: "v1", "checklist", "v2" or "v2-no-meta" (nested-list 1.x)."""
    if source is None:
        return "v2"
    if source.get("type") == "checklist":
        return "checklist"
    data = source.get("data")
    items = data.get("items") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not items:
        return "v2"
    if all(isinstance(item, str) for item in items):
        return "v1"
    first = items[0]
    if isinstance(first, Mapping) and "meta" not in first and "meta" not in data:
        return "v2-no-meta"
    return "v2"


def _list_block(model: ListModel, source: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    shape = _source_shape(source)
    flat = all(item.level == 0 for item in model.items)
    plain = model.start == 1 and model.counter == "numeric"
    if shape == "checklist" and flat and model.style == "checklist":
        items = [{"text": write_inline(i.runs), "checked": i.checked} for i in model.items]
        return "checklist", {"items": items}
    if shape == "v1" and flat and plain and model.style != "checklist":
        return "list", {"style": model.style, "items": [write_inline(i.runs) for i in model.items]}
    if shape == "v2-no-meta" and plain and model.style != "checklist":
        return "list", {"style": model.style, "items": _list_items_v2(model, False)}
    source_meta = _source_data(source).get("meta")
    source_meta = source_meta if isinstance(source_meta, Mapping) else None
    meta: dict[str, Any] = {}
    if model.style == "ordered":
        if _keep("start", source_meta if source else None, model.start == 1):
            meta["start"] = model.start
        if _keep("counterType", source_meta if source else None, model.counter == "numeric"):
            meta["counterType"] = model.counter
    if source_meta is not None:  # members the editor does not model stay as they were
        meta.update({k: v for k, v in source_meta.items() if k not in ("start", "counterType")})
    data = {"style": model.style, "meta": meta, "items": _list_items_v2(model, True)}
    return "list", data


def _source_data(source: Mapping[str, Any] | None) -> Mapping[str, Any]:
    data = source.get("data") if source is not None else None
    return data if isinstance(data, Mapping) else {}


def _editable_block(model: Model, source: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    src = _source_data(source) if source is not None else None
    if isinstance(model, TextModel) and model.level == 0:
        data: dict[str, Any] = {"text": write_inline(model.runs)}
        if _keep("alignment", src, model.alignment == "left") and src is not None:
            data["alignment"] = model.alignment
        elif model.alignment != "left":
            data["alignment"] = model.alignment
        return "paragraph", data
    if isinstance(model, TextModel):
        return "header", {"text": write_inline(model.runs), "level": model.level}
    if isinstance(model, ListModel):
        return _list_block(model, source)
    if isinstance(model, QuoteModel):
        data = {"text": write_inline(model.text), "caption": write_inline(model.caption)}
        if _keep("alignment", src, model.alignment == "left"):
            data["alignment"] = model.alignment
        return "quote", data
    if isinstance(model, CodeModel):
        return "code", {"code": model.code}
    return "delimiter", {}


def block_from_model(
    model: Model, source: Mapping[str, Any] | None, block_id: str | None
) -> dict[str, Any]:
    """The Editor.js block for a model, shaped like its source block where it had one.

    `source` is the block as loaded (None for a block made in the editor): its optional
    members, list version, and members the editor does not model are carried over.
    """
    if isinstance(model, KeptModel):
        kept = copy.deepcopy(model.block)
        if isinstance(kept, dict) and block_id is not None and "id" in kept:
            kept["id"] = block_id
        return kept if isinstance(kept, dict) else {"data": kept}
    kind, data = _editable_block(model, source)
    source_type = source.get("type") if source is not None else None
    extra_data: dict[str, Any] = {}
    if source is not None and source_type == kind:
        modelled = _MODELLED.get(kind, set())
        extra_data = {k: copy.deepcopy(v) for k, v in _source_data(source).items() if k not in modelled}
    block: dict[str, Any] = {}
    if block_id is not None:
        block["id"] = block_id
    block["type"] = kind
    block["data"] = {**data, **extra_data}
    if source is not None:  # block tunes and other members Editor.js keeps next to `data`
        for key, value in source.items():
            if key not in ("id", "type", "data"):
                block[key] = copy.deepcopy(value)
    return block


def joined(parts: list[Runs]) -> Runs:
    """Runs of several lines joined with line breaks (quote text typed over several blocks)."""
    out: list[Run] = []
    for index, runs in enumerate(parts):
        if index:
            out.append(Run(LINE_BREAK))
        out.extend(runs)
    return tuple(out)
