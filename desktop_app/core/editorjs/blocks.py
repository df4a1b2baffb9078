"""Renderers of the Editor.js text blocks: paragraph, header, quote, code, table, warning, raw."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.core.editorjs.base import (
    Malformed,
    Target,
    align_attribute,
    alignment,
    escape,
    flag,
    integer,
    text,
)
from desktop_app.core.editorjs.sanitize import sanitize_html, sanitize_inline

Data = Mapping[str, Any]

DEFAULT_HEADER_LEVEL = 2  # what the Editor.js header tool starts with
CODE_BACKGROUND_QT = "#f4f4f4"
WARNING_BACKGROUND_QT = "#fff4e5"
TABLE_QT = 'border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse"'


def paragraph(data: Data, target: Target) -> str:
    # A third of most documents: the common case (text, no alignment) without calls.
    value = data.get("text")
    inline = sanitize_inline(
        value if type(value) is str else text(data, "text", required=True), target
    )
    align = (
        align_attribute(alignment(data), target) if "alignment" in data or "align" in data else ""
    )
    if target == "qt":
        return f"<p{align}>{inline}</p>"
    return f'<p class="ejs-paragraph"{align}>{inline}</p>'


def header(data: Data, target: Target) -> str:
    inline = sanitize_inline(text(data, "text", required=True), target)
    level = integer(data.get("level"))
    level = DEFAULT_HEADER_LEVEL if level is None else min(6, max(1, level))
    align = align_attribute(alignment(data), target)
    css = "" if target == "qt" else ' class="ejs-header"'
    return f"<h{level}{css}{align}>{inline}</h{level}>"


def quote(data: Data, target: Target) -> str:
    inline = sanitize_inline(text(data, "text", required=True), target)
    caption = sanitize_inline(text(data, "caption"), target)
    align = align_attribute(alignment(data), target)
    if target == "qt":
        # Qt indents a blockquote; italics make it read as a quotation.
        cite = f'<p align="right">— {caption}</p>' if caption else ""
        return f"<blockquote><p{align}><i>{inline}</i></p>{cite}</blockquote>"
    cite = f'<figcaption class="ejs-quote-caption">{caption}</figcaption>' if caption else ""
    return f'<figure class="ejs-quote"><blockquote{align}>{inline}</blockquote>{cite}</figure>'


def code(data: Data, target: Target) -> str:
    # Code is plain text, never HTML: escaped as a whole, whitespace kept by <pre>.
    source = text(data, "code", required=True).replace("\r\n", "\n").replace("\r", "\n")
    body = escape(source)
    if target == "qt":
        # HTML parsers swallow one newline right after <pre>; a leading one must survive.
        lead = "\n" if body.startswith("\n") else ""
        return f'<pre style="background-color:{CODE_BACKGROUND_QT}">{lead}{body}</pre>'
    return f'<pre class="ejs-code"><code>{body}</code></pre>'


def delimiter(data: Data, target: Target) -> str:
    if target == "qt":
        return '<p align="center">*&nbsp;&nbsp;&nbsp;*&nbsp;&nbsp;&nbsp;*</p>'
    return '<hr class="ejs-delimiter">'


def _cell(value: Any, target: Target) -> str:
    if isinstance(value, str):
        return sanitize_inline(value, target)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return escape(str(value))
    return ""


# A row's opening, the text between its cells and its closing, for data and heading cells.
_ROW = {
    "td": ("<tr><td>", "</td><td>", "</td></tr>"),
    "th": ("<tr><th>", "</th><th>", "</th></tr>"),
}


def _row(cells: list[str], width: int, cell: str) -> str:
    if not width:
        return "<tr></tr>"
    if len(cells) < width:
        # Ragged rows (hand-written or truncated data) are padded to every column.
        cells = cells + [""] * (width - len(cells))
    opening, between, closing = _ROW[cell]
    return opening + between.join(cells) + closing


def table(data: Data, target: Target) -> str:
    content = data.get("content")
    if not isinstance(content, list):
        raise Malformed("content is not a list of rows")
    rows = [
        [
            sanitize_inline(cell, target) if type(cell) is str else _cell(cell, target)
            for cell in row
        ]
        for row in content
        if isinstance(row, list)
    ]
    width = max((len(row) for row in rows), default=0)
    headings = flag(data.get("withHeadings", data.get("withHeaders"))) and bool(rows)
    head = ""
    if headings:
        head = f"<thead>{_row(rows[0], width, 'th')}</thead>"
        rows = rows[1:]
    body = "".join([_row(row, width, "td") for row in rows])
    body = f"<tbody>{body}</tbody>" if body else ""
    opening = f"<table {TABLE_QT}>" if target == "qt" else '<table class="ejs-table">'
    return f"{opening}{head}{body}</table>"


def warning(data: Data, target: Target) -> str:
    title = sanitize_inline(text(data, "title"), target)
    message = sanitize_inline(text(data, "message"), target)
    if not title and not message and not isinstance(data.get("title", data.get("message")), str):
        raise Malformed("title and message are missing")
    if target == "qt":
        # A one-cell table is the box with a background that Qt's rich text can draw.
        heading = f"<p><b>{title or 'Warning'}</b></p>"
        body = f"<p>{message}</p>" if message else ""
        return (
            f'<table width="100%" border="0" cellpadding="8" cellspacing="0" '
            f'bgcolor="{WARNING_BACKGROUND_QT}"><tr><td>{heading}{body}</td></tr></table>'
        )
    heading = f'<p class="ejs-warning-title"><strong>{title}</strong></p>' if title else ""
    body = f'<p class="ejs-warning-message">{message}</p>' if message else ""
    return f'<div class="ejs-warning" role="note">{heading}{body}</div>'


def raw(data: Data, target: Target) -> str:
    markup = sanitize_html(text(data, "html", required=True), target)
    return f"<div>{markup}</div>" if target == "qt" else f'<div class="ejs-raw">{markup}</div>'
