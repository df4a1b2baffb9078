"""Plain text of Editor.js content: block text, previews and reading time."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from desktop_app.core.editorjs.document import editorjs_blocks, read_blocks

PREVIEW_LIMIT = 200
WORDS_PER_MINUTE = 200
ELLIPSIS = "…"

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Script and style bodies are code, not text a reader would see.
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# Blocks that carry content even without text (a picture is an answer).
MEDIA_BLOCKS = frozenset({"image", "simple-image", "embed", "attaches", "linkTool"})
_MAX_ITEMS = 100_000  # bounds shared or cyclic item lists (Python objects, never JSON)


def inline_html_text(fragment: Any) -> str:
    """Plain text of an Editor.js inline-HTML string (tags dropped, entities decoded)."""
    if not isinstance(fragment, str):
        return ""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    # Each pass only when its tag can be there (checked without lower(), which copies): the
    # text of every block is read for the reading time of a whole document.
    visible = fragment
    if "<s" in visible or "<S" in visible:
        visible = _HIDDEN.sub("", visible)
    if "<b" in visible or "<B" in visible:
        visible = _BREAK.sub("\n", visible)
    if "<" in visible:
        visible = _TAG.sub("", visible)
    return html.unescape(visible) if "&" in visible else visible


def _list_item_texts(items: Any) -> list[str]:
    """Texts of list v1 strings, v2 `content` items and checklist `text` items, in order."""
    texts: list[str] = []
    stack: list[tuple[list[Any], int]] = [(items, 0)] if isinstance(items, list) else []
    seen = {id(items)}
    while stack and len(texts) < _MAX_ITEMS:
        current, index = stack.pop()
        if index >= len(current):
            continue
        stack.append((current, index + 1))
        item = current[index]
        if isinstance(item, str):
            texts.append(inline_html_text(item))
        elif isinstance(item, Mapping):
            texts.append(inline_html_text(item.get("content", item.get("text"))))
            children = item.get("items")
            if isinstance(children, list) and id(children) not in seen:
                seen.add(id(children))
                stack.append((children, 0))
    return texts


def block_plain_text(block: Any) -> str:
    """Plain text of one Editor.js block (any type; unknown shapes give "")."""
    if not isinstance(block, Mapping):
        return ""
    data = block.get("data")
    if not isinstance(data, Mapping):
        return ""
    kind = block.get("type")
    parts: list[str]
    if kind in ("list", "checklist"):
        parts = _list_item_texts(data.get("items"))
    elif kind == "table":
        rows = data.get("content")
        rows = rows if isinstance(rows, list) else []
        parts = [inline_html_text(cell) for row in rows if isinstance(row, list) for cell in row]
    elif kind == "code":
        parts = [data["code"]] if isinstance(data.get("code"), str) else []
    elif kind == "raw":
        parts = [inline_html_text(data.get("html"))]
    elif kind == "attaches":
        file = data.get("file")
        name = file.get("name") if isinstance(file, Mapping) else None
        parts = [inline_html_text(data.get("title") or name)]
    elif kind == "linkTool":
        meta = data.get("meta")
        title = meta.get("title") if isinstance(meta, Mapping) else None
        parts = [inline_html_text(title or data.get("link"))]
    else:
        keys = ("text", "title", "message", "caption")
        parts = [inline_html_text(data.get(key)) for key in keys]
    return "\n".join(part.strip() for part in parts if part.strip())


def block_has_content(block: Any) -> bool:
    """Whether a block shows anything: text, or a media block with data."""
    if block_plain_text(block):
        return True
    kind = block.get("type") if isinstance(block, Mapping) else None
    if isinstance(kind, str) and kind in MEDIA_BLOCKS:
        data = block.get("data")
        return isinstance(data, Mapping) and bool(data)
    return False


def editorjs_plain_text(document: Any) -> str:
    """Plain text of a bare Editor.js document: one line per block, blank blocks skipped."""
    blocks = editorjs_blocks(document) or []
    return "\n".join(text for text in map(block_plain_text, blocks) if text)


def plain_text(doc: object) -> str:
    """Plain text of Editor.js content in any wrapping `document_blocks` accepts."""
    blocks = read_blocks(doc) or []
    return "\n".join(text for text in map(block_plain_text, blocks) if text)


def cut_preview(text: str, limit: int = PREVIEW_LIMIT) -> str:
    """Text with whitespace folded, cut at a word boundary to at most `limit` characters.

    When cut, the result ends with "…" (counted in the limit); a single word longer than the
    limit is cut inside the word.
    """
    folded = " ".join(text.split())
    if len(folded) <= limit:
        return folded
    if limit < 1:
        return ""
    room = limit - len(ELLIPSIS)
    cut = folded[:room]
    if folded[room] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + ELLIPSIS


def _preview(texts: Iterable[str], limit: int) -> str:
    # Folded block texts are joined by one space, so once they exceed the limit the rest
    # cannot change the preview: a 10,000-block document needs only its first blocks.
    shown: list[str] = []
    size = -1
    for text in texts:
        if text:
            folded = " ".join(text.split())
            shown.append(folded)
            size += len(folded) + 1
            if size > limit:
                break
    return cut_preview(" ".join(shown), limit)


def plain_preview(doc: object, limit: int = PREVIEW_LIMIT) -> str:
    """A one-line text preview of the content, at most `limit` characters (see cut_preview)."""
    return _preview(map(block_plain_text, read_blocks(doc) or []), limit)


def _minutes(blocks: list[Any], texts: Iterable[str]) -> int:
    words = sum(len(text.split()) for text in texts)
    if words:
        return math.ceil(words / WORDS_PER_MINUTE)
    return 1 if any(map(block_has_content, blocks)) else 0


def read_minutes(doc: object) -> int:
    """Minutes to read at ~200 words a minute, rounded up.

    0 for content with nothing in it; at least 1 when there is text, and also for content
    that is only media (an image or attachment still takes a moment to look at).
    """
    blocks = read_blocks(doc) or []
    return _minutes(blocks, map(block_plain_text, blocks))


def text_facts(doc: object, limit: int = PREVIEW_LIMIT) -> tuple[str, int]:
    """`plain_preview` and `read_minutes` of the content, reading each block's text once."""
    blocks = read_blocks(doc) or []
    texts = [block_plain_text(block) for block in blocks]
    return _preview(texts, limit), _minutes(blocks, texts)
