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
# Such text needs no HTML parser: one regular expression proves that every "<" starts one of
# these tags (links with a double-quoted href and nothing else), nesting is checked, links are
# checked like any other URL, and anything else (another tag or attribute, a stray < or >, a
# comment, unbalanced nesting) makes the caller use the nh3 sanitizer instead. The result is
# the same document nh3 would produce (a property test compares the two).
_NAMES = "b|strong|i|em|u|s|strike|del|code|mark"
_SIMPLE_TAG = (
    rf'</?(?:{_NAMES})>|<br ?/?>|<mark class="cdx-marker">|<code class="inline-code">|</a>'
)
_LINK = re.compile(r'<a href="([^"<>]*)">')
# Possessive quantifiers: a failed match gives up at once instead of backtracking through
# every way to split a long run of text.
_SIMPLE_MARKUP = re.compile(rf'(?:[^<>\x00\r]++|{_SIMPLE_TAG}|<a href="[^"<>]*+">)*+')
_TAG_NAME = re.compile(r"<(/?)([a-z]+)")
_QT_TAG = re.compile(
    r'<(?:/?(?:strike|del|mark)|mark class="cdx-marker"|code(?: class="inline-code")?)>'
)
_QT_SPELLING = {
    "<strike>": "<s>",
    "</strike>": "</s>",
    "<del>": "<s>",
    "</del>": "</s>",
    "<mark>": f'<span style="background-color:{MARKER_BACKGROUND}">',
    '<mark class="cdx-marker">': f'<span style="background-color:{MARKER_BACKGROUND}">',
    "</mark>": "</span>",
    "<code>": f'<code style="background-color:{CODE_BACKGROUND}">',
    '<code class="inline-code">': f'<code style="background-color:{CODE_BACKGROUND}">',
}


def _balanced(markup: str) -> bool:
    stack: list[str] = []
    for closing, name in _TAG_NAME.findall(markup):
        if name == "br":
            continue
        if closing:
            if not stack or stack.pop() != name:
                return False
        elif name == "a" and "a" in stack:
            return False  # nested links are split up by parsers
        else:
            stack.append(name)
    return not stack


def _href(match: re.Match[str]) -> str:
    raw = match.group(1)
    url = clean_url(html.unescape(raw) if "&" in raw else raw)
    return "" if url is None else f' href="{html.escape(url)}"'


def _web_link(match: re.Match[str]) -> str:
    return f"<a{_href(match)}{REL}>"


def _qt_link(match: re.Match[str]) -> str:
    return f"<a{_href(match)}>"


def _qt_tag(match: re.Match[str]) -> str:
    return _QT_SPELLING[match.group()]


def fast_inline(markup: str, target: Target) -> str | None:
    """Sanitized `markup` when it is in Editor.js's own simple shape, else None."""
    if "<" not in markup and ">" not in markup:
        # The parser drops NUL and rewrites carriage returns; let it.
        return None if "\x00" in markup or "\r" in markup else markup
    if _SIMPLE_MARKUP.fullmatch(markup) is None or not _balanced(markup):
        return None
    out = markup
    if "<br" in out:
        out = out.replace("<br/>", "<br>").replace("<br />", "<br>")
    if "<a " in out:
        out = _LINK.sub(_qt_link if target == "qt" else _web_link, out)
    if target == "qt":
        out = _QT_TAG.sub(_qt_tag, out)
    return out
