"""A fast path for inline markup that is already in the exact shape Editor.js writes."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from functools import partial
from itertools import islice
from types import ModuleType

from desktop_app.core.editorjs.base import Target
from desktop_app.core.editorjs.urls import clean_url

MARKER_BACKGROUND = "#fff3a3"
CODE_BACKGROUND = "#eeeeee"
REL = ' rel="noopener noreferrer"'

# Most inline text holds only a handful of tags spelled exactly as Editor.js writes them.
# Such text needs no HTML parser: it is split at each "<", every piece must be one tag
# (closed by the only ">" in the piece) and the text after it, each tag must be one of the
# spellings below (or a link with a double-quoted href and nothing else), nesting is
# checked, links are checked like any other URL, and anything else (another tag or
# attribute, a stray < or >, a comment, unbalanced nesting) makes the caller use the nh3
# sanitizer instead. The result is the same document nh3 would produce (property tests
# compare the two). Splitting with str methods and looking tags up in a dict measured about
# twice as fast as matching the whole text with a regular expression.
_NAMES = ("b", "strong", "i", "em", "u", "s", "strike", "del", "code", "mark")
# The classes the allow-list keeps; nh3 drops every other class (and then the attribute).
_KEPT_CLASS = {"code": "inline-code", "mark": "cdx-marker"}
_QT_OPEN = {
    "strike": "<s>",
    "del": "<s>",
    "mark": f'<span style="background-color:{MARKER_BACKGROUND}">',
    "code": f'<code style="background-color:{CODE_BACKGROUND}">',
}
_QT_CLOSE = {"strike": "</s>", "del": "</s>", "mark": "</span>"}

# A tag read from the markup: (the element it opens, the element it closes, what is written).
_Tag = tuple[str | None, str | None, str]


def _open_tag(name: str, target: Target, kept_class: bool) -> _Tag:
    if target == "qt":
        return (name, None, _QT_OPEN.get(name, f"<{name}>"))
    kept = f' class="{_KEPT_CLASS[name]}"' if kept_class else ""
    return (name, None, f"<{name}{kept}>")


def _table(target: Target) -> dict[str, _Tag]:
    """What each known spelling stands for, by the text between its "<" and ">"."""
    table: dict[str, _Tag] = {}
    for name in _NAMES:
        table[name] = _open_tag(name, target, kept_class=False)
        closing = f"</{name}>"
        table[f"/{name}"] = (
            None,
            name,
            _QT_CLOSE.get(name, closing) if target == "qt" else closing,
        )
    for name, kept in _KEPT_CLASS.items():
        table[f'{name} class="{kept}"'] = _open_tag(name, target, kept_class=True)
    # The underline and strikethrough tools mark their elements with a class nh3 drops.
    table['u class="cdx-underline"'] = table["u"]
    table['s class="cdx-strikethrough"'] = table["s"]
    for spelling in ("br", "br/", "br /"):
        table[spelling] = (None, None, "<br>")
    table["/a"] = (None, "a", "</a>")
    return table


_FIXED: dict[Target, dict[str, _Tag]] = {"web": _table("web"), "qt": _table("qt")}
# The fixed spellings plus the links already checked: support content links the same pages
# again and again, and a lookup is much cheaper than checking the URL. Bounded; when full it
# starts again from the fixed spellings (a link missing meanwhile is only checked again).
_TAGS: dict[Target, dict[str, _Tag]] = {target: dict(table) for target, table in _FIXED.items()}
_KNOWN_LINKS = 4096
_CLASSED = re.compile(r'([a-z]+) class="([A-Za-z0-9_\- ]*)"')
# An http(s) link as an attribute value that needs no decoding or encoding: the only "&"
# starts "&amp;" (checked apart: a character class is much faster than an alternation) and no
# character is one html.escape would change, so it is written as it stands.
_PLAIN_HREF = re.compile(
    r"https?://[A-Za-z0-9.\-]+(?::[0-9]+)?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$()*+,;=%&]*+)?"
)
_LINK_START = 'a href="'

# The C build of `fast_inline` (setup.py compiles it where a C compiler is at hand) is about
# ten times faster: inline markup is most of a document's text, and this loop was a third of
# a full render. DESKFORMS_PURE_PYTHON=1 turns it off (to compare, or to rule it out).
_speedup: ModuleType | None
try:
    if os.environ.get("DESKFORMS_PURE_PYTHON") == "1":
        raise ImportError("DESKFORMS_PURE_PYTHON=1")
    from desktop_app.core.editorjs import _inline as _speedup
except ImportError:
    _speedup = None

# The C function itself, for the one caller that calls it for every piece of text.
CFastInline = Callable[[str, dict[str, _Tag], Callable[[str], _Tag | None]], str | None]
C_FAST_INLINE: CFastInline | None = None if _speedup is None else _speedup.fast_inline
# The C whole-document renderer (see render.render_html); None in an older build without it.
C_RENDER_BLOCKS: Callable[..., str] | None = getattr(_speedup, "render_blocks", None)


def forget_links() -> None:
    """Forget the links checked so far (tests and cold-start measurements)."""
    # Fresh tables, not cleared ones: a render in another thread keeps a complete table.
    for target, table in _FIXED.items():
        _TAGS[target] = dict(table)
    if _speedup is not None:
        _speedup.forget()  # its memo holds the old tables


def _link(body: str, target: Target) -> _Tag | None:
    # `body` holds no "<" or ">" (the caller split there): only the quotes need checking.
    if not body.endswith('"') or body.count('"') != 2:
        return None
    raw = body[len(_LINK_START) : -1]
    if _PLAIN_HREF.fullmatch(raw) and raw.count("&") == raw.count("&amp;"):
        href = f' href="{raw}"'
    else:
        url = clean_url(html.unescape(raw) if "&" in raw else raw)
        href = "" if url is None else f' href="{html.escape(url)}"'
    found: _Tag = ("a", None, f"<a{href}>" if target == "qt" else f"<a{href}{REL}>")
    if len(_TAGS[target]) > _KNOWN_LINKS:
        forget_links()
    _TAGS[target][body] = found
    return found


def _classed(body: str, target: Target) -> _Tag | None:
    match = _CLASSED.fullmatch(body)
    if match is None:
        return None
    name, classes = match.groups()
    if name == "br":
        return (None, None, "<br>")
    if name not in _NAMES:
        return None
    kept = _KEPT_CLASS.get(name)
    tokens = classes.split()
    if kept is None or kept not in tokens:
        return _open_tag(name, target, kept_class=False)
    if tokens.count(kept) > 1:
        return None  # nh3 keeps repeated classes; not worth spelling out here
    return _open_tag(name, target, kept_class=True)


def _resolve(body: str, target: Target) -> _Tag | None:
    """What a spelling outside the fixed table stands for: a link, or a tag with classes."""
    return _link(body, target) if body.startswith(_LINK_START) else _classed(body, target)


_RESOLVERS: dict[Target, Callable[[str], _Tag | None]] = {
    "web": partial(_resolve, target="web"),
    "qt": partial(_resolve, target="qt"),
}


def fast_inline(markup: str, target: Target) -> str | None:
    """Sanitized `markup` when it is in Editor.js's own simple shape, else None."""
    if C_FAST_INLINE is None:
        return fast_inline_py(markup, target)
    return C_FAST_INLINE(markup, _TAGS[target], _RESOLVERS[target])


def fast_inline_py(markup: str, target: Target) -> str | None:
    """`fast_inline` in Python: the reference the C speed-up is tested against."""
    if "<" not in markup:
        # The parser escapes a stray ">", drops NUL and rewrites carriage returns; let it.
        return None if ">" in markup or "\x00" in markup or "\r" in markup else markup
    pieces = markup.split("<")
    # With as many ">" as tags, a piece without one means another piece holds two.
    if "\x00" in markup or "\r" in markup or markup.count(">") != len(pieces) - 1:
        return None
    table = _TAGS[target]
    stack: list[str] = []
    out = [pieces[0]]
    for piece in islice(pieces, 1, None):
        body, closed, after = piece.partition(">")
        if not closed:
            return None
        found = table.get(body)
        if found is None:
            found = _resolve(body, target)
            if found is None:
                return None
        opens, closes, written = found
        if closes is not None:
            if not stack or stack.pop() != closes:
                return None
        elif opens is not None:
            if opens == "a" and "a" in stack:
                return None  # nested links are split up by parsers
            stack.append(opens)
        out.append(written)
        out.append(after)
    return None if stack else "".join(out)
