"""Finding the Editor.js blocks in the shapes content arrives in (documents, DTOs, tickets)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from desktop_app.core.dto import EditorJs, EditorJsBlock, RichText, Ticket

# A DTO_rich_text nested in a ticket nested in ... is at most a few levels deep; the bound
# only stops a self-referencing mapping from looping.
_MAX_WRAPPING = 8


def _dump(block: Any) -> Any:
    if isinstance(block, BaseModel):
        return block.model_dump(mode="python")
    return block


def _view(block: Any) -> Any:
    # What the renderer and the text functions read, without pydantic's serializer: dumping
    # every block of a 10,000-block document took longer than rendering it.
    if isinstance(block, EditorJsBlock):
        return {"id": block.id, "type": block.type, "data": block.data}
    return _dump(block)


def _unwrap(obj: object, convert: Callable[[Any], Any]) -> list[Any] | None:
    for _ in range(_MAX_WRAPPING):
        if isinstance(obj, list):
            return [convert(block) for block in obj]
        if isinstance(obj, EditorJs):
            return [convert(block) for block in obj.blocks]
        if isinstance(obj, EditorJsBlock):
            return [convert(obj)]
        if isinstance(obj, RichText):
            obj = obj.editorjs
        elif isinstance(obj, Ticket):
            obj = obj.sys_content_rich
        elif isinstance(obj, Mapping):
            if isinstance(obj.get("blocks"), list):
                return list(obj["blocks"])
            if "editorjs" in obj:
                obj = obj["editorjs"]
            elif "sys_content_rich" in obj:
                obj = obj["sys_content_rich"]
            else:
                return None
        else:
            return None
    return None


def document_blocks(obj: object) -> list[Any] | None:
    """The raw blocks of an Editor.js document in any of its usual wrappings, else None.

    Accepted: a bare `{"blocks": [...]}` document, a DTO_rich_text (`{"editorjs": {...}}`),
    a ticket holding `sys_content_rich`, the `EditorJs`/`RichText`/`Ticket` models, or a list
    of blocks. Entries that are not blocks are kept, so they render as "unsupported" notes.
    Blocks of models are dumped to plain data (copies).
    """
    return _unwrap(obj, _dump)


def read_blocks(obj: object) -> list[Any] | None:
    """`document_blocks` for reading only: a model block's `data` is its own, not a copy."""
    return _unwrap(obj, _view)


def editorjs_blocks(document: Any) -> list[Any] | None:
    """The `blocks` list of a bare Editor.js document (a mapping), or None when it is not one."""
    if isinstance(document, Mapping) and isinstance(document.get("blocks"), list):
        return list(document["blocks"])
    return None
