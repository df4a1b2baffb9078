"""Allow-list sanitizers (nh3) for Editor.js inline markup and for raw HTML blocks."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3

from desktop_app.core.editorjs.base import Target
from desktop_app.core.editorjs.fastpath import (
    _RESOLVERS,
    _TAGS,
    C_FAST_INLINE,
    CODE_BACKGROUND,
    MARKER_BACKGROUND,
    fast_inline,
    forget_links,
)
from desktop_app.core.editorjs.urls import LINK_SCHEMES, clean_url

# What Editor.js inline tools produce (bold, italic, underline, strike, link, inline code,
# marker, line break) under their usual spellings. `span` is not kept: no standard tool emits
# it, and pasted spans only carry styles, which are dropped anyway; its text stays.
INLINE_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "s", "strike", "del", "a", "code", "mark", "br"}
)
INLINE_CLASSES = {"code": {"inline-code"}, "mark": {"cdx-marker"}}

# Raw HTML blocks may hold whole documents: structure is kept, active content never.
RAW_TAGS = INLINE_TAGS | frozenset(
    {
        "p", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
        "dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "blockquote",
        "pre", "hr", "img", "sub", "sup", "small", "big", "kbd", "samp", "var", "cite", "q",
        "abbr", "figure", "figcaption",
    }
)  # fmt: skip
RAW_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
# Elements removed together with their content: code, or content no reader should see as text.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "object", "embed", "applet",
        "frame", "frameset", "svg", "math", "textarea", "select", "title", "xmp", "noembed",
        "noframes", "head",
    }
)  # fmt: skip

_REL = "noopener noreferrer"
# Longer inline markup is sanitized every time rather than kept in the cache.
_CACHED_LENGTH = 1024


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    # Every link gets the same check as links elsewhere (`clean_url`); images in raw HTML may
    # only come from the web (no mailto:, tel: or file: sources).
    if attribute == "href":
        return clean_url(value)
    if attribute == "src":
        return clean_url(value, allow_images=True)
    return value


def _cleaner(tags: frozenset[str], *, raw: bool, rel: str | None) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        # "*" replaces ammonia's default attributes for every tag (lang, title).
        attributes={
            "*": set(),
            **({k: set(v) for k, v in RAW_ATTRIBUTES.items()} if raw else {"a": {"href"}}),
        },
        attribute_filter=_attribute_filter,
        tag_attribute_values={"ol": {"type": {"1", "a", "A", "i", "I"}}} if raw else None,
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        link_rel=rel,
        allowed_classes=INLINE_CLASSES,
        strip_comments=True,
    )


_INLINE = {
    "web": _cleaner(INLINE_TAGS, raw=False, rel=_REL),
    "qt": _cleaner(INLINE_TAGS, raw=False, rel=None),
}
_RAW = {"web": _cleaner(RAW_TAGS, raw=True, rel=_REL), "qt": _cleaner(RAW_TAGS, raw=True, rel=None)}

# Text with none of these characters comes out of nh3 unchanged, so it can skip the parser.
_NEEDS_PARSING = re.compile(r"[<>&\x00\r\xa0]")
# nh3 output is normalized (lower-case names, double-quoted values with `>` escaped), so these
# patterns only ever see tags the sanitizer itself wrote.
_QT_INLINE_TAG = re.compile(r"<(/?)(mark|del|strike|code)\b[^>]*>")
_IMG_TAG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z\-]+)="([^"]*)"')


def _qt_inline(match: re.Match[str]) -> str:
    closing, name = match.group(1), match.group(2)
    if name == "mark":
        # Qt has no <mark>: a background colour is what a marker looks like there.
        return "</span>" if closing else f'<span style="background-color:{MARKER_BACKGROUND}">'
    if name == "code":
        return "</code>" if closing else f'<code style="background-color:{CODE_BACKGROUND}">'
    return f"<{closing}s>"  # Qt knows <s> but not <del> or <strike>


def _qt_image_link(match: re.Match[str]) -> str:
    # The Qt preview never fetches remote content: a raw image becomes a link to it.
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    src = attributes.get("src")
    if not src:
        return ""
    label = attributes.get("alt") or attributes.get("title") or src
    return f'<a href="{src}">[Image: {label}]</a>'


def _drop_empty_classes(cleaned: str) -> str:
    # Text never holds a literal "<" after nh3, so only real tags match these spellings.
    return cleaned.replace('<code class="">', "<code>").replace('<mark class="">', "<mark>")


def sanitize_inline(markup: str, target: Target = "web") -> str:
    """Editor.js inline HTML reduced to the inline allow-list, ready for `target`.

    Kept: b, strong, i, em, u, s, strike, del, br, a (href: http, https, mailto, tel; web links
    get rel="noopener noreferrer"), code (class inline-code), mark (class cdx-marker). Other
    tags are removed with their text kept, script-like elements with their content. For "qt"
    the marker becomes a background-coloured span, inline code gets a background, and
    del/strike become s, which Qt's rich-text engine understands.
    """
    if not isinstance(markup, str):
        return ""
    # `fast_inline` without its own frame when the C build is there: this is called for
    # every piece of text in a document.
    if C_FAST_INLINE is not None:
        fast = C_FAST_INLINE(markup, _TAGS[target], _RESOLVERS[target])
    else:
        fast = fast_inline(markup, target)
    if fast is not None:
        return fast
    return declined_inline(markup, target)


def declined_inline(markup: str, target: Target) -> str:
    """`sanitize_inline` of markup the fast path declined: through the parser."""
    if len(markup) > _CACHED_LENGTH:
        return nh3_inline(markup, target)
    return _parsed_inline(markup, target)


# The parser costs several microseconds a call, and the markup that needs it (pasted
# styles, spellings of other tools) tends to repeat within a document. The fast path is not
# cached: a cache lookup would cost about as much as it does.
@lru_cache(maxsize=2048)
def _parsed_inline(markup: str, target: Target) -> str:
    return nh3_inline(markup, target)


def clear_inline_cache() -> None:
    """Forget cached sanitized inline markup and the links the fast path has checked."""
    _parsed_inline.cache_clear()
    forget_links()


def nh3_inline(markup: str, target: Target = "web") -> str:
    """`sanitize_inline` without the fast path: always through the HTML parser."""
    cleaned = _drop_empty_classes(_INLINE[target].clean(markup))
    return _QT_INLINE_TAG.sub(_qt_inline, cleaned) if target == "qt" else cleaned


def sanitize_html(markup: str, target: Target = "web") -> str:
    """Arbitrary HTML (a raw block) reduced to a structural allow-list with no active content.

    Kept: the inline allow-list plus paragraphs, divs, headings, lists, tables, blockquote,
    pre, hr and img (src http/https only). No style, class, id or event attribute survives.
    For "qt" images are turned into links, so the preview never fetches them.
    """
    if not isinstance(markup, str):
        return ""
    if not _NEEDS_PARSING.search(markup):
        return markup
    cleaned = _drop_empty_classes(_RAW[target].clean(markup))
    if target != "qt":
        return cleaned
    return _IMG_TAG.sub(_qt_image_link, _QT_INLINE_TAG.sub(_qt_inline, cleaned))
