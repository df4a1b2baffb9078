"""A tolerant, linear-time HTML element tree (stdlib parser, browser-like implied end tags)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements nested deeper than this are ignored (their text is kept): it bounds recursion
# whatever the input. It leaves room for the renderer's 32 list levels (<ul><li> each).
MAX_DEPTH = 80
# Input beyond this is cut off: far more than any ticket body, and it bounds the work.
MAX_INPUT_CHARS = 2_000_000

VOID = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
        "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip
# Removed with everything inside: code, metadata, form controls and fallback content.
DROPPED = frozenset(
    {
        "applet", "audio", "base", "canvas", "datalist", "frameset", "link", "map", "math",
        "meta", "noembed", "noframes", "noscript", "object", "script", "select", "style", "svg",
        "template", "textarea", "title", "video", "xml",
    }
)  # fmt: skip
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LISTS = frozenset({"ul", "ol", "menu", "dir"})
# Start tags that end an open <p>, as in a browser.
CLOSES_P = HEADINGS | LISTS | frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "div", "dl",
        "dd", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
        "hr", "li", "main", "nav", "p", "pre", "search", "section", "summary", "table",
    }
)  # fmt: skip
TABLE_PARTS = frozenset({"caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"})
BLOCK = CLOSES_P | TABLE_PARTS | frozenset({"legend", "iframe"})
P_SCOPE = frozenset({"td", "th", "table", "caption", "button", "marquee"})
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")


@dataclass(eq=False, slots=True)
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def style(self) -> dict[str, str]:
        declarations: dict[str, str] = {}
        for part in self.attrs.get("style", "").split(";"):
            name, _, value = part.partition(":")
            value = value.replace("!important", "").strip().lower()
            if value:
                declarations[name.strip().lower()] = value
        return declarations


class TreeBuilder(HTMLParser):
    """A forgiving element tree: implied end tags as browsers add them, junk ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self._stack = [self.root]
        self._skip: str | None = None  # inside an element dropped with its content
        self._skip_depth = 0
        self._text: list[str] = []  # text not yet added to the current element

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._flush_text()

    def _flush_text(self) -> None:
        if self._text:
            self._stack[-1].children.append("".join(self._text))
            self._text.clear()

    # The stdlib parser waits for more input when a comment, declaration or tag never ends,
    # and then rescans to the end for every "<" after it: quadratic time on "<a<a<a…". All
    # input is fed at once, so such a construct runs to the end of the input, as in browsers.

    def _to_end(self, end: int) -> int:
        return len(self.rawdata) if end < 0 else end

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # Word's <![if !supportLists]> parses, but any other keyword makes the stdlib raise;
        # browsers read such a section as a bogus comment ending at the next ">".
        try:
            return self._to_end(super().parse_marked_section(i, report))
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return len(self.rawdata) if end < 0 else end + 1

    def parse_comment(self, i: int, report: bool = True) -> int:
        return self._to_end(super().parse_comment(i, report))

    def parse_bogus_comment(self, i: int, report: bool = True) -> int:
        return self._to_end(super().parse_bogus_comment(i, report))

    def parse_html_declaration(self, i: int) -> int:
        return self._to_end(super().parse_html_declaration(i))

    def parse_pi(self, i: int) -> int:
        return self._to_end(super().parse_pi(i))

    def parse_endtag(self, i: int) -> int:
        return self._to_end(super().parse_endtag(i))

    def parse_starttag(self, i: int) -> int:
        end = super().parse_starttag(i)
        # Unfinished tags with a ">" later are read as text up to it by the stdlib (linear).
        return self._to_end(end) if end < 0 and self.rawdata.find(">", i) < 0 else end

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self._skip is not None:
            if tag == self._skip:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip = None
            return
        if tag == "br":  # browsers read </br> as <br>
            self._start("br", [], closed=True)
            return
        self._flush_text()
        if tag not in BLOCK:
            stops = BLOCK  # a stray </b> must not close the paragraph around it
        elif tag in TABLE_PARTS:
            stops = frozenset({"table"})
        elif tag == "table":
            stops = frozenset()
        elif tag == "li":
            stops = LISTS | P_SCOPE
        else:
            stops = P_SCOPE
        self._pop_to({tag}, stops)

    def handle_data(self, data: str) -> None:
        if self._skip is None:
            self._text.append(data)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        if self._skip is not None:
            if tag == self._skip and not closed:
                self._skip_depth += 1
            return
        if tag in ("html", "head", "body"):
            return  # their content is the document; head's own elements are dropped below
        self._flush_text()
        if tag in DROPPED:
            if not closed and tag not in VOID:
                self._skip, self._skip_depth = tag, 1
            return
        self._close_implied(tag)
        if tag not in VOID and tag != "iframe" and len(self._stack) > MAX_DEPTH:
            return
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")  # the first of repeated attributes wins
        element = Element(tag, values)
        self._stack[-1].children.append(element)
        if tag == "iframe":
            # What an iframe holds is fallback for old browsers, not content.
            if not closed:
                self._skip, self._skip_depth = tag, 1
        elif tag not in VOID and not closed:
            self._stack.append(element)

    def _close_implied(self, tag: str) -> None:
        if tag in CLOSES_P:
            self._pop_to({"p"}, P_SCOPE)
        if tag in HEADINGS and self._stack[-1].tag in HEADINGS:
            self._stack.pop()
        if tag == "li":
            self._pop_to({"li"}, (BLOCK - {"p", "div", "address"}) | LISTS)
        elif tag in ("dd", "dt"):
            self._pop_to({"dd", "dt"}, (BLOCK - {"p", "div", "address"}) | {"dl"})
        elif tag == "a":
            self._pop_to({"a"}, BLOCK)  # links do not nest
        elif tag == "tr":
            self._pop_to({"tr"}, {"table", "thead", "tbody", "tfoot"})
        elif tag in ("td", "th"):
            self._pop_to({"td", "th"}, {"tr", "table", "thead", "tbody", "tfoot"})
        elif tag in ("thead", "tbody", "tfoot", "caption", "colgroup"):
            self._pop_to({"thead", "tbody", "tfoot", "caption", "colgroup"}, {"table"})

    def _pop_to(self, tags: set[str] | frozenset[str], stops: set[str] | frozenset[str]) -> None:
        for index in range(len(self._stack) - 1, 0, -1):
            name = self._stack[index].tag
            if name in tags:
                del self._stack[index:]
                return
            if name in stops:
                return


def parse(markup: str) -> Element:
    """The element tree of an HTML document or fragment (never raises)."""
    builder = TreeBuilder()
    # Browsers normalize line breaks and drop NUL before parsing; the rest is the parser's.
    text = markup[:MAX_INPUT_CHARS].replace("\r\n", "\n").replace("\r", "\n").replace("\0", "")
    # The stdlib parser still asserts on a few malformed declarations; what it read so far
    # is kept rather than losing the whole paste.
    with contextlib.suppress(Exception):
        builder.feed(text)
        builder.close()
    return builder.root


def hidden(element: Element) -> bool:
    """Whether an element is not shown (hidden, display:none, Word's typed bullets)."""
    if "hidden" in element.attrs:
        return True
    if "style" not in element.attrs:
        return False
    style = element.style()
    # mso-list:Ignore wraps the bullet Word types in front of a list paragraph.
    return (
        style.get("display") == "none"
        or style.get("visibility") == "hidden"
        or style.get("mso-hide") == "all"
        or style.get("mso-list") == "ignore"
    )


def plain(node: Element, parts: list[str]) -> None:
    """Text as written (no folding), <br> as a newline: what a <pre> shows."""
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "br":
            parts.append("\n")
        elif not hidden(child):
            plain(child, parts)


def text_of(node: Element) -> str:
    """The visible text of an element on one line, whitespace folded."""
    parts: list[str] = []
    plain(node, parts)
    return " ".join("".join(parts).split())


def find(node: Element, predicate: Callable[[Element], bool]) -> Element | None:
    """The first descendant (document order) that `predicate` accepts."""
    for child in node.children:
        if isinstance(child, Element):
            if predicate(child):
                return child
            found = find(child, predicate)
            if found is not None:
                return found
    return None


def integer(value: str | None, default: int | None = None) -> int | None:
    """An integer attribute value (ASCII digits only), else `default`."""
    # ASCII digits only: "²".isdigit() is true, but int("²") raises.
    text = (value or "").strip()
    return int(text) if _INTEGER.fullmatch(text) else default
