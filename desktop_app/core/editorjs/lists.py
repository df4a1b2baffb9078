"""Renderers of Editor.js lists: list v1 (strings), nested list v2 and the checklist block."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Style:
    kind: str  # "ordered", "unordered" or "checklist"
    counter: str | None
    target: Target


@dataclass(frozen=True)
class _Item:
    content: str
    checked: bool
    children: list[Any]


def _item(raw: Any) -> _Item | None:
    if isinstance(raw, str):
        return _Item(raw, False, [])
    if not is_mapping(raw):
        return None
    # v2 items carry `content`; checklist items and some converters carry `text`.
    content = text(raw, "content") or text(raw, "text")
    checked = flag(mapping(raw.get("meta")).get("checked")) or flag(raw.get("checked"))
    children = raw.get("items")
    return _Item(content, checked, children if isinstance(children, list) else [])


def _opening(style: _Style, start: int | None, top: bool) -> str:
    qt = style.target == "qt"
    if style.kind == "ordered":
        attributes = "" if qt else ' class="ejs-list ejs-list-ordered"'
        if start is not None and start != 1:
            attributes += f' start="{start}"'
        if style.counter is not None and style.counter != "1":
            attributes += f' type="{style.counter}"'
        return f"<ol{attributes}>"
    if style.kind == "checklist":
        # The box characters are the markers; bullets next to them would be noise.
        css = "" if qt else ' class="ejs-list ejs-checklist"'
        return f'<ul{css} style="list-style-type:none">'
    return "<ul>" if qt or not top else '<ul class="ejs-list ejs-list-unordered">'


class _Renderer:
    def __init__(self, style: _Style) -> None:
        self.style = style
        self.budget = MAX_ITEMS

    def li(self, item: _Item, nested: str) -> str:
        content = sanitize_inline(item.content, self.style.target)
        if self.style.kind != "checklist":
            return f"<li>{content}{nested}</li>"
        box = CHECKED if item.checked else UNCHECKED
        if self.style.target == "qt":
            return f"<li>{box} {content}{nested}</li>"
        state = "ejs-checked" if item.checked else "ejs-unchecked"
        return f'<li class="ejs-checklist-item {state}">{box} {content}{nested}</li>'

    def flattened(self, children: list[Any]) -> list[str]:
        """Descendants below the depth limit, in reading order, as sibling items."""
        out: list[str] = []
        stack: list[tuple[list[Any], int]] = [(children, 0)]
        seen = {id(children)}
        while stack and self.budget > 0:
            items, index = stack.pop()
            if index >= len(items):
                continue
            stack.append((items, index + 1))
            item = _item(items[index])
            if item is None:
                continue
            self.budget -= 1
            out.append(self.li(item, ""))
            if item.children and id(item.children) not in seen:
                seen.add(id(item.children))
                stack.append((item.children, 0))
        return out

    def render(self, items: list[Any], depth: int, start: int | None) -> str:
        parts = [_opening(self.style, start, depth == 1)]
        for raw in items:
            if self.budget <= 0:
                break
            item = _item(raw)
            if item is None:
                continue
            self.budget -= 1
            if not item.children:
                parts.append(self.li(item, ""))
            elif depth < MAX_DEPTH:
                parts.append(self.li(item, self.render(item.children, depth + 1, None)))
            else:
                parts.append(self.li(item, ""))
                parts.extend(self.flattened(item.children))
        parts.append("</ol>" if self.style.kind == "ordered" else "</ul>")
        return "".join(parts)


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
    return _Renderer(_Style(kind, counter_type, target)).render(items, 1, start)


def checklist(data: Mapping[str, Any], target: Target) -> str:
    items = data.get("items")
    if not isinstance(items, list):
        raise Malformed("items is not a list")
    return _Renderer(_Style("checklist", None, target)).render(items, 1, None)
