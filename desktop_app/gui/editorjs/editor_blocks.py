"""The editor's models written back as Editor.js blocks, shaped like the blocks loaded."""

from __future__ import annotations

import copy
import functools
import json
import secrets
import string
from collections.abc import Mapping
from typing import Any

from desktop_app.gui.editorjs.editor_inline import is_blank, write_inline
from desktop_app.gui.editorjs.editor_model import (
    CodeModel,
    Entry,
    KeptModel,
    ListModel,
    Model,
    QuoteModel,
    TextModel,
    model_from_block,
)

_ID_ALPHABET = string.ascii_letters + string.digits + "_-"


def new_block_id() -> str:
    """A fresh block id in Editor.js's own style (ten characters of a URL-safe alphabet)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


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
    if not isinstance(data, Mapping):
        return "v2"
    items = data.get("items")
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
    # Members the editor does not model (and an unordered list's start) stay as they were.
    meta: dict[str, Any] = copy.deepcopy(dict(source_meta)) if source_meta is not None else {}
    if model.style == "ordered":
        for key, value, default in (
            ("start", model.start, 1),
            ("counterType", model.counter, "numeric"),
        ):
            if _keep(key, source_meta, value == default):
                meta[key] = value
    data = {"style": model.style, "meta": meta, "items": _list_items_v2(model, True)}
    return "list", data


def _source_data(source: Mapping[str, Any] | None) -> Mapping[str, Any]:
    data = source.get("data") if source is not None else None
    return data if isinstance(data, Mapping) else {}


def block_type(model: Model) -> str:
    """The Editor.js type the editor writes a model as (lists may still become checklists)."""
    if isinstance(model, TextModel):
        return "header" if model.level else "paragraph"
    if isinstance(model, ListModel):
        return "list"
    if isinstance(model, QuoteModel):
        return "quote"
    return "code" if isinstance(model, CodeModel) else "delimiter"


def _editable_block(model: Model, source: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    # Optional members follow the source only if it was of the same type (not converted).
    same_type = source is not None and source.get("type") == block_type(model)
    src = _source_data(source) if same_type else None
    if isinstance(model, TextModel) and model.level == 0:
        data: dict[str, Any] = {"text": write_inline(model.runs)}
        # The plain paragraph tool has no alignment: write it if it was there or is not left.
        if model.alignment != "left" or (src is not None and "alignment" in src):
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
        kept: dict[str, Any] = copy.deepcopy(model.block)
        if block_id is not None and "id" in kept:
            kept["id"] = block_id
        return kept
    kind, data = _editable_block(model, source)
    source_type = source.get("type") if source is not None else None
    extra_data: dict[str, Any] = {}
    if source is not None and source_type == kind:
        modelled = _MODELLED.get(kind, set())
        extra_data = {
            k: copy.deepcopy(v) for k, v in _source_data(source).items() if k not in modelled
        }
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


def _source_id(source: Any) -> str | None:
    if isinstance(source, Mapping) and isinstance(source.get("id"), str):
        return str(source["id"])
    return None


def assemble(entries: list[Entry]) -> list[dict[str, Any]]:
    """Editor.js blocks from what the editor holds, with ids kept where a block still is.

    A loaded block's id goes to the block that still equals it, else to the first block made
    from it (a split paragraph, say); copies get fresh ids. Blank paragraphs and headers are
    dropped, as Editor.js drops them when saving, unless they were loaded that way and kept.
    """
    sources: list[Any] = []
    unchanged: list[bool] = []
    for entry in entries:
        if isinstance(entry.model, KeptModel):
            sources.append(entry.model.block)
            unchanged.append(True)
            continue
        source = json.loads(entry.source) if entry.source is not None else None
        sources.append(source)
        unchanged.append(source is not None and _source_model(entry.source) == entry.model)
    keep = [
        index
        for index, entry in enumerate(entries)
        if unchanged[index]
        or not (isinstance(entry.model, TextModel) and is_blank(entry.model.runs))
    ]
    taken: set[str] = set()
    ids: dict[int, str] = {}
    for wanted in (True, False):
        for index in keep:
            block_id = _source_id(sources[index])
            if unchanged[index] == wanted and block_id is not None and block_id not in taken:
                taken.add(block_id)
                ids[index] = block_id
    blocks: list[dict[str, Any]] = []
    for index in keep:
        model, source = entries[index].model, sources[index]
        block_id = ids.get(index)
        if block_id is None and (source is None or _source_id(source) is not None):
            block_id = new_block_id()
            while block_id in taken:
                block_id = new_block_id()
            taken.add(block_id)
        editable_source = None if isinstance(model, KeptModel) else source
        blocks.append(block_from_model(model, editable_source, block_id))
    return blocks


@functools.lru_cache(maxsize=4096)
def _source_model(source: str) -> Model:
    return model_from_block(json.loads(source))
