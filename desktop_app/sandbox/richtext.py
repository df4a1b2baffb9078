"""Plain text, preview and reading time of a DTO_rich_text, as the tenant derives them."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterator
from typing import Any

PREVIEW_LIMIT = 200
WORDS_PER_MINUTE = 200

_TAG = re.compile(r"<[^>]*>")
# Script and style bodies are code, not text a reader would see.
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def html_to_text(markup: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, whitespace folded."""
    without_tags = _TAG.sub(" ", _BREAK.sub(" ", _HIDDEN.sub(" ", markup)))
    return fold(html.unescape(without_tags))


def fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value


def _list_items(items: Any) -> Iterator[str]:
    """Texts of list v1 (strings), list v2 (nested objects) and checklist items."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from _strings(item.get("content"))
            yield from _strings(item.get("text"))
            yield from _list_items(item.get("items"))


def _block_texts(block: dict[str, Any]) -> Iterator[str]:
    data = block.get("data")
    if not isinstance(data, dict):
        return
    kind = block.get("type")
    if kind in ("list", "checklist"):
        yield from _list_items(data.get("items"))
    elif kind == "table":
        for row in data.get("content") or []:
            for cell in row if isinstance(row, list) else []:
                yield from _strings(cell)
    elif kind == "code":
        # Code is plain text, never HTML: escape it so the tag stripper leaves it intact.
        yield from (html.escape(code) for code in _strings(data.get("code")))
    elif kind == "attaches":
        yield from _strings(data.get("title"))
    elif kind == "linkTool":
        meta = data.get("meta")
        if isinstance(meta, dict):
            yield from _strings(meta.get("title"))
    else:
        for key in ("text", "title", "message", "caption", "html"):
            yield from _strings(data.get(key))


def plain_text(rich: dict[str, Any]) -> str:
    """The whole text of a rich text: Editor.js blocks when present, else its HTML."""
    editorjs = rich.get("editorjs")
    if isinstance(editorjs, dict) and isinstance(editorjs.get("blocks"), list):
        parts = [
            html_to_text(text)
            for block in editorjs["blocks"]
            if isinstance(block, dict)
            for text in _block_texts(block)
        ]
        return fold(" ".join(parts))
    markup = rich.get("html")
    return html_to_text(markup) if isinstance(markup, str) else ""


def preview(text: str) -> str:
    """At most PREVIEW_LIMIT characters, cut at a word with an ellipsis when too long."""
    if len(text) <= PREVIEW_LIMIT:
        return text
    cut = text[: PREVIEW_LIMIT - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def read_minutes(text: str) -> int:
    """Minutes to read at 200 words a minute, rounded up; 0 only for no words at all."""
    words = len(text.split())
    return math.ceil(words / WORDS_PER_MINUTE)


def derive(rich: dict[str, Any]) -> dict[str, Any]:
    """The rich text with the server-derived `plain_preview` and `read_minutes` set."""
    text = plain_text(rich)
    return {**rich, "plain_preview": preview(text), "read_minutes": read_minutes(text)}
