"""A fast path for inline markup that is already in the exact shape Editor.js writes."""

from __future__ import annotations

import html
import re

from desktop_app.core.editorjs.base import Target
from desktop_app.core.editorjs.urls import clean_url

MARKER_BACKGROUND = "#fff3a3"
CODE_BACKGROUND = "#eeeeee"
REL = ' rel="noopener noreferrer"'

# Most inline text holds only a handful of tags spelled exactly as Editor.js writes them.
# Such text needs no HTML parser: every tag is looked up in this table, links are checked
# like any other URL, and anything else (another tag or attribute, a stray < or >, a
# comment, unbalanced nesting) makes the caller use the nh3 sanitizer instead. The result
# is the same document nh3 would produce (a property test compares the two).
_OPEN, _CLOSE, _VOID = 0, 1, 2
_SIMPLE_NAMES = ("b", "strong", "i", "em", "u", "s", "strike", "del", "code", "mark")
_QT_SPELLING = {
    "strike": ("<s>", "</s>"),
    "del": ("<s>", "</s>"),
    "mark": (f'<span style="background-color:{MARKER_BACKGROUND}">', "</span>"),
    "code": (f'<code style="background-color:{CODE_BACKGROUND}">', "</code>"),
}


def _table(target: Target) -> dict[str, tuple[str, int, str]]:
    table: dict[str, tuple[str, int, str]] = {}
    for name in _SIMPLE_NAMES:
        opening, closing = f"<{name}>", f"</{name}>"
        if target == "qt":
            opening, closing = _QT_SPELLING.get(name, (opening, closing))
        table[f"<{name}>"] = (name, _OPEN, opening)
        table[f"</{name}>"] = (name, _CLOSE, closing)
    marker, code = '<mark class="cdx-marker">', '<code class="inline-code">'
    table[marker] = ("mark", _OPEN, _QT_SPELLING["mark"][0] if target == "qt" else marker)
    table[code] = ("code", _OPEN, _QT_SPELLING["code"][0] if target == "qt" else code)
    table["</a>"] = ("a", _CLOSE, "</a>")
    for spelling in ("<br>", "<br/>", "<br />"):
        table[spelling] = ("br", _VOID, "<br>")
    return table


_TABLES = {"web": _table("web"), "qt": _table("qt")}
_TAG = re.compile(r"<[^<>]*>")
_LINK = re.compile(r'<a href="([^"<>]*)">')


def fast_inline(markup: str, target: Target) -> str | None:
    """Sanitized `markup` when it is in Editor.js's own simple shape, else None."""
    if "\x00" in markup or "\r" in markup:
        return None  # the parser drops or rewrites these; let it
    if "<" not in markup and ">" not in markup:
        return markup
    table = _TABLES[target]
    out: list[str] = []
    stack: list[str] = []
    position = 0
    for match in _TAG.finditer(markup):
        between = markup[position : match.start()]
        if "<" in between or ">" in between:
            return None
        out.append(between)
        position = match.end()
        tag = match.group()
        known = table.get(tag)
        if known is not None:
            name, kind, spelling = known
            if kind == _OPEN:
                stack.append(name)
            elif kind == _CLOSE and (not stack or stack.pop() != name):
                return None
            out.append(spelling)
            continue
        link = _LINK.fullmatch(tag)
        if link is None or "a" in stack:
            return None
        stack.append("a")
        url = clean_url(html.unescape(link.group(1)))
        href = "" if url is None else f' href="{html.escape(url)}"'
        out.append(f"<a{href}{REL if target == 'web' else ''}>")
    rest = markup[position:]
    if stack or "<" in rest or ">" in rest:
        return None
    out.append(rest)
    return "".join(out)
