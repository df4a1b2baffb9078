"""Editor.js blocks and documents to sanitized HTML, for the web (DeskHero) or Qt's rich text."""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Callable, Mapping
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
from desktop_app.core.editorjs.document import read_blocks
from desktop_app.core.editorjs.fastpath import _RESOLVERS, _TAGS, C_RENDER_BLOCKS
from desktop_app.core.editorjs.sanitize import clear_inline_cache, declined_inline

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

# Both targets of a 10,000-block document plus edits; entries are a few hundred bytes.
CACHE_SIZE = 32_768  # per target
# One lookup for a block type or any of its aliases.
_DISPATCH: dict[str, Renderer] = {
    **RENDERERS,
    **{alias: RENDERERS[name] for alias, name in ALIASES.items()},
}
# Rendered blocks by target, then by key. Insertion order is eviction order: a hit does not
# refresh an entry, because an evicted block costs only its own re-render.
_CACHES: dict[Target, dict[bytes, str]] = {"web": {}, "qt": {}}


def _render(block: object, target: Target) -> str:
    kind: object = None
    try:
        if type(block) is not dict and not is_mapping(block):
            return note(NOT_A_BLOCK, target)
        kind = block.get("type")
        if not isinstance(kind, str):
            return note(NO_TYPE, target)
        renderer = _DISPATCH.get(kind)
        if renderer is None:
            return note(kind, target)
        data = block.get("data")
        # The common case (a dict) without the call; data_of says what else is accepted.
        return renderer(data if type(data) is dict else data_of(block), target)
    except Malformed:
        return note(str(kind), target, invalid=True)
    except Exception:
        # Content comes from anywhere (pasted, imported, sent back by a server): one block
        # that breaks a renderer in an unforeseen way must not take the document down.
        return note(kind if isinstance(kind, str) else NO_TYPE, target, invalid=True)


def render_block(block: object, target: Target = "web") -> str:
    """One block as sanitized HTML for `target`; never raises.

    An unknown type, or data a type cannot use, gives a visible "Unsupported block" or
    "Invalid block" note instead. The result depends only on the block's type and data and
    is cached. For "qt" the fragment stands alone, so a viewer can insert blocks one at a time.
    """
    if target != "qt":
        target = "web"
    if type(block) is not dict:
        # Not plain JSON data (a note, a model, a mapping of another kind): not worth a key.
        return _render(block, target)
    try:
        # marshal (format 2, which has no back-references) writes equal JSON-like values the
        # same way and keeps types apart (list/tuple, int/bool/float), so equal keys mean
        # equal type and data; it is ~6x faster than canonical JSON. The id is left out: it
        # does not change the HTML, and equal blocks then share one entry.
        key = marshal.dumps((block.get("type"), block.get("data")), 2)
    except (ValueError, RecursionError):  # data that is not plain (a dict subclass, a model)
        return _render(block, target)
    cache = _CACHES[target]
    found = cache.get(key)
    if found is None:
        found = cache[key] = _render(block, target)
        if len(cache) > CACHE_SIZE:
            # Another thread may be evicting the same entry; losing that race is harmless.
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):
                del cache[next(iter(cache))]
    return found


def not_a_document(target: Target = "web") -> str:
    """The note shown in place of content that is not Editor.js data at all."""
    if target == "qt":
        return f'<p style="{NOTE_STYLE_QT}"><i>Not an Editor.js document</i></p>'
    return '<p class="ejs-unsupported">Not an Editor.js document</p>'


def render_html(doc: object, target: Target = "web") -> str:
    """A whole document (any wrapping `document_blocks` accepts) as HTML; never raises."""
    try:
        found = read_blocks(doc)
    except Exception:  # a foreign mapping or model that fails when read is not a document
        found = None
    if found is None:
        return not_a_document(target)
    if target != "qt":
        target = "web"
    # Not through the block cache: a whole document is rendered once (a ticket's html, the
    # command line), and its keys would cost about a sixth of the render. The preview, which
    # re-renders after every edit, goes block by block through `render_block`.
    if C_RENDER_BLOCKS is not None:
        # The C build writes the common blocks itself (about twice as fast in all) and hands
        # every other block to `_render`, so the result is the same (property tests compare).
        return C_RENDER_BLOCKS(found, target, _TAGS, _RESOLVERS[target], declined_inline, _render)
    return render_blocks_py(found, target)


def render_blocks_py(found: list[Any], target: Target) -> str:
    """The blocks' HTML, all in Python: the reference the C renderer is tested against."""
    return "".join([_render(block, target) for block in found])


def clear_cache() -> None:
    """Forget cached renderings of blocks and inline markup (tests and memory pressure)."""
    for cache in _CACHES.values():
        cache.clear()
    clear_inline_cache()
