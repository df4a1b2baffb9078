"""Editor.js content: sanitized rendering for the web and Qt, plain text and rich-text DTOs."""

from desktop_app.core.editorjs.base import Target
from desktop_app.core.editorjs.document import document_blocks, editorjs_blocks
from desktop_app.core.editorjs.from_html import EDITORJS_VERSION, html_to_blocks, html_to_editorjs
from desktop_app.core.editorjs.media import human_size
from desktop_app.core.editorjs.render import (
    ALIASES,
    BLOCK_TYPES,
    clear_cache,
    not_a_document,
    render_block,
    render_html,
)
from desktop_app.core.editorjs.richtext import rich_text_from_editorjs
from desktop_app.core.editorjs.sanitize import sanitize_html, sanitize_inline
from desktop_app.core.editorjs.text import (
    PREVIEW_LIMIT,
    WORDS_PER_MINUTE,
    block_has_content,
    block_plain_text,
    cut_preview,
    editorjs_plain_text,
    inline_html_text,
    plain_preview,
    plain_text,
    read_minutes,
)
from desktop_app.core.editorjs.urls import clean_url, is_remote, safe_url

__all__ = [
    "ALIASES",
    "BLOCK_TYPES",
    "EDITORJS_VERSION",
    "PREVIEW_LIMIT",
    "WORDS_PER_MINUTE",
    "Target",
    "block_has_content",
    "block_plain_text",
    "clean_url",
    "clear_cache",
    "cut_preview",
    "document_blocks",
    "editorjs_blocks",
    "editorjs_plain_text",
    "html_to_blocks",
    "html_to_editorjs",
    "human_size",
    "inline_html_text",
    "is_remote",
    "not_a_document",
    "plain_preview",
    "plain_text",
    "read_minutes",
    "render_block",
    "render_html",
    "rich_text_from_editorjs",
    "safe_url",
    "sanitize_html",
    "sanitize_inline",
]
