"""DTO_rich_text built from Editor.js data: the HTML twin, the preview and the reading time."""

from __future__ import annotations

from typing import Any

from desktop_app.core.dto import EditorJs, RichText
from desktop_app.core.editorjs.render import render_html
from desktop_app.core.editorjs.text import text_facts


def rich_text_from_editorjs(editorjs: EditorJs | dict[str, Any]) -> RichText:
    """The DTO_rich_text for an Editor.js document, with `html` rendered for the web.

    A dict is validated into `EditorJs` first (raises pydantic's ValidationError when it is
    not a document); everything derived is computed from the validated blocks, so it
    describes exactly what is sent.
    """
    model = editorjs if isinstance(editorjs, EditorJs) else EditorJs.model_validate(editorjs)
    preview, minutes = text_facts(model)
    return RichText(
        editorjs=model,
        html=render_html(model, "web"),
        plain_preview=preview,
        read_minutes=minutes,
    )
