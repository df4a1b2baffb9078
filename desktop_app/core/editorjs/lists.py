"""Renderers of Editor.js lists: list v1 (strings), nested list v2 and the checklist block."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.core.editorjs.base import (
    Malformed,
    Target,
    flag,
    integer,
    is_mapping,
    mapping,
    text,
)
from desktop_app.core.editorjs.sanitize import sanitize_inline

# Deeper levels are flattened into the deepest list: nobody reads 33 levels of indentation,
# and it bounds recursion whatever the data.
MAX_DEPTH = 32
# Shared or cyclic item lists (possible in Python objects, not in JSON) could otherwise
# multiply without end.
MAX_ITEMS = 100_000
CHECKED, UNCHECKED = "☑", "☐"
# Editor.js counter types as the `type` attribute of <ol> (HTML and Qt both understand it).
COUNTER_TYPES = {
    "numeric": "1",
    "lower-roman": "i",
    "upper-roman": "I",
    "lower-alpha": "a",
    "upper-alpha": "A",
    "lower-latin": "a",
    "upper-latin": "A",
}


# The start of an item, by (kind, target, checked): the markers are written with the tag.
_ITEM_START = {
    **{(kind, target, checked): "<li>" for kind in ("ordered", "unordered")
       for target in ("web", "qt") for checked in (False, True)},
    ("checklist", "qt", False): f"<li>{UNCHECKED} ",
    ("checklist", "qt", True): f"<li>{CHECKED} ",
    ("checklist", "web", False): f'<li class="ejs-checklist-item ejs-unchecked">{UNCHECKED} ',
    ("checklist", "web", True): f'<li class="ejs-checklist-item ejs-checked">{CHECKED} ',
}  # fmt: skip


def _opening(kind: str, target: Target, counter: str | None, start: int | None, top: bool) -> str:
    qt = target == "qt"
    if kind == "ordered":
        attributes = "" if qt else ' class="ejs-list ejs-list-ordered"'
        if start is not None and start != 1:
            attributes += f' start="{start}"'
        if counter is not None and counter != "1":
            attributes += f' type="{counter}"'
        return f"<ol{attributes}>"
    if kind == "checklist" or kind == "checklist-block":
        # The box characters are the markers; bullets next to them would be noise. The old
        # checklist block says what it is, so reading the HTML back gives the same block.
        block = " ejs-checklist-block" if kind == "checklist-block" and top else ""
        css = "" if qt else f' class="ejs-list ejs-checklist{block}"'
        return f'<ul{css} style="list-style-type:none">'
    return "<ul>" if qt or not top else '<ul class="ejs-list ejs-list-unordered">'


class _Renderer:
    """Writes one list into `parts`; `budget` counts the items still allowed."""

    __slots__ = ("budget", "closing", "counter", "kind", "parts", "starts", "target")

    def __init__(self, kind: str, target: Target, counter: str | None) -> None:
        self.kind, self.target, self.counter = kind, target, counter
        item_kind = "checklist" if kind == "checklist-block" else kind
        self.starts = (_ITEM_START[item_kind, target, False], _ITEM_START[item_kind, target, True])
        self.closing = "</ol>" if kind == "ordered" else "</ul>"
        self.budget = MAX_ITEMS
        self.parts: list[str] = []

    def render(self, items: list[Any], depth: int, start: int | None) -> None:
        # One loop per nesting level with the item data read inline: list items are a large
        # share of a document's strings, and a call and an object per item showed in profiles.
        parts, target, starts = self.parts, self.target, self.starts
        # Only checklists mark items: other lists need not read `checked` at all.
        marks = starts[False] != starts[True]
        append = parts.append
        append(_opening(self.kind, target, self.counter, start, depth == 1))
        budget = self.budget
        for raw in items:
            if budget <= 0:
                break
            if type(raw) is str:  # list v1
                content, checked, children = raw, False, None
            elif type(raw) is dict or (not isinstance(raw, str) and is_mapping(raw)):
                # v2 items carry `content`; checklist items and some converters carry `text`.
                value = raw.get("content")
                if not (value and isinstance(value, str)):
                    value = raw.get("text")
                content = value if isinstance(value, str) else ""
                checked = False
                if marks:
                    meta = raw.get("meta")
                    mark = meta.get("checked") if type(meta) is dict or is_mapping(meta) else None
                    own = raw.get("checked")
                    checked = mark is True or own is True
                    if not checked and (isinstance(mark, str) or isinstance(own, str)):
                        checked = flag(mark) or flag(own)
                children = raw.get("items")
            elif isinstance(raw, str):
                content, checked, children = raw, False, None
            else:
                continue
            budget -= 1
            append(starts[checked])
            append(sanitize_inline(content, target))
            if children and isinstance(children, list):
                self.budget = budget
                if depth < MAX_DEPTH:
                    self.render(children, depth + 1, None)
                    budget = self.budget
                else:
                    append("</li>")
                    self.flattened(children)
                    budget = self.budget
                    continue
            append("</li>")
        self.budget = budget
        append(self.closing)

    def flattened(self, children: list[Any]) -> None:
        """Descendants below the depth limit, in reading order, as sibling items."""
        stack: list[tuple[list[Any], int]] = [(children, 0)]
        seen = {id(children)}
        while stack and self.budget > 0:
            items, index = stack.pop()
            if index >= len(items):
                continue
            stack.append((items, index + 1))
            raw = items[index]
            if isinstance(raw, str):
                content, checked, nested = raw, False, None
            elif is_mapping(raw):
                content = text(raw, "content") or text(raw, "text")
                checked = flag(mapping(raw.get("meta")).get("checked")) or flag(raw.get("checked"))
                nested = raw.get("items")
            else:
                continue
            self.budget -= 1
            self.parts += (self.starts[checked], sanitize_inline(content, self.target), "</li>")
            if isinstance(nested, list) and nested and id(nested) not in seen:
                seen.add(id(nested))
                stack.append((nested, 0))

    def html(self, items: list[Any], start: int | None) -> str:
        self.render(items, 1, start)
        return "".join(self.parts)


def list_block(data: Mapping[str, Any], target: Target) -> str:
    items = data.get("items")
    if not isinstance(items, list):
        raise Malformed("items is not a list")
    kind = data.get("style")
    kind = kind.lower() if isinstance(kind, str) else ""
    kind = kind if kind in ("ordered", "checklist") else "unordered"
    meta = mapping(data.get("meta"))
    counter = meta.get("counterType", data.get("counterType"))
    counter_type = COUNTER_TYPES.get(counter.lower()) if isinstance(counter, str) else None
    start = integer(meta.get("start", data.get("start")))
    if start is not None:
        start = max(-(10**9), min(10**9, start))
    return _Renderer(kind, target, counter_type).html(items, start)


def checklist(data: Mapping[str, Any], target: Target) -> str:
    items = data.get("items")
    if not isinstance(items, list):
        raise Malformed("items is not a list")
    return _Renderer("checklist-block", target, None).html(items, None)
