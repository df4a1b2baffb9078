"""Editor.js blocks and documents to sanitized HTML, for the web (DeskHero) or Qt's rich text."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from desktop_app.core.editorjs import blocks, lists, media
from desktop_app.core.editorjs.base import (
    NO_TYPE,
    NOT_A_BLOCK,
    NOTE_STYLE_QT,
    Malformed,
    Target,
    data_of,
    is_mapping,
    note,
)
from desktop_app.core.editorjs.document import document_blocks

Renderer = Callable[[Mapping[str, Any], Target], str]

RENDERERS: dict[str, Renderer] = {
    "paragraph": blocks.paragraph,
    "header": blocks.header,
    "list": lists.list_block,
    "checklist": lists.checklist,
    "quote": blocks.quote,
    "code": blocks.code,
    "delimiter": blocks.delimiter,
    "table": blocks.table,
    "image": media.image,
    "simple-image": media.image,
    "embed": media.embed,
    "warning": blocks.warning,
    "raw": blocks.raw,
    "attaches": media.attaches,
    "linkTool": media.link_tool,
}
BLOCK_TYPES = frozenset(RENDERERS)
# Names the same tools are often registered under in Editor.js configurations.
ALIASES = {
    "nestedList": "list",
    "nestedlist": "list",
    "nested-list": "list",
    "simpleImage": "simple-image",
}

# Enough for two targets of a 10,000-block document plus edits; entries are a few hundred bytes.
CACHE_SIZE = 65_536


def _render(block: object, target: Target) -> str:
    kind: object = None
    try:
        if not is_mapping(block):
            return note(NOT_A_BLOCK, target)
        kind = block.get("type")
        if not isinstance(kind, str):
            return note(NO_TYPE, target)
        renderer = RENDERERS.get(ALIASES.get(kind, kind))
        if renderer is None:
            return note(kind, target)
        return renderer(data_of(block), target)
    except Malformed:
        return note(str(kind), target, invalid=True)
    except Exception:
        # Content comes from anywhere (pasted, imported, sent back by a server): one block
        # that breaks a renderer in an unforeseen way must not take the document down.
        return note(kind if isinstance(kind, str) else NO_TYPE, target, invalid=True)


@lru_cache(maxsize=CACHE_SIZE)
def _render_cached(key: bytes, target: Target, block: _Uncompared) -> str:
    return _render(block.value, target)


class _Uncompared:
    """Carries the block into a cache miss without taking part in the cache key."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Uncompared)


def _key(block: object) -> bytes | None:
    # marshal (format 2, which has no back-references) writes equal JSON-like values the same
    # way and keeps types apart (list/tuple, int/bool/float), so equal keys mean equal blocks;
    # it is ~6x faster than canonical JSON, which dominated the cost of a full render.
    try:
        return marshal.dumps(block, 2)  # type: ignore[arg-type]
    except (ValueError, RecursionError):  # not plain data (a model, a dict subclass): uncached
        return None


def render_block(block: object, target: Target = "web") -> str:
    """One block as sanitized HTML for `target`; never raises.

    An unknown type, or data a type cannot use, gives a visible "Unsupported block" or
    "Invalid block" note instead. The result depends only on the block's data and is cached.
    For "qt" the fragment stands alone, so a viewer can insert blocks one at a time.
    """
    if target != "qt":
        target = "web"
    key = _key(block)
    if key is None:
        return _render(block, target)
    # The carrier is cleared afterwards so the cache does not keep blocks alive.
    carrier = _Uncompared(block)
    try:
        return _render_cached(key, target, carrier)
    finally:
        carrier.value = None


def not_a_document(target: Target = "web") -> str:
    """The note shown in place of content that is not Editor.js data at all."""
    if target == "qt":
        return f'<p style="{NOTE_STYLE_QT}"><i>Not an Editor.js document</i></p>'
    return '<p class="ejs-unsupported">Not an Editor.js document</p>'


def render_html(doc: object, target: Target = "web") -> str:
    """A whole document (any wrapping `document_blocks` accepts) as HTML; never raises."""
    try:
        found = document_blocks(doc)
    except Exception:  # a foreign mapping or model that fails when read is not a document
        found = None
    if found is None:
        return not_a_document(target)
    return "".join(render_block(block, target) for block in found)


def clear_cache() -> None:
    """Forget cached block renderings (tests and memory pressure)."""
    _render_cached.cache_clear()
