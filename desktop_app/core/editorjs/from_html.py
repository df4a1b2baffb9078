"""HTML to Editor.js blocks: stored `html` content and pasted markup become editable blocks."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

from desktop_app.core.editorjs.media import SERVICES
from desktop_app.core.editorjs.sanitize import sanitize_html, sanitize_inline
from desktop_app.core.editorjs.urls import clean_url

EDITORJS_VERSION = "2.31.0"
# Elements nested deeper than this are ignored (their text is kept): it bounds recursion
# whatever the input. It leaves room for the renderer's 32 list levels (<ul><li> each).
MAX_DEPTH = 80
# Input beyond this is cut off: far more than any ticket body, and it bounds the work.
MAX_INPUT_CHARS = 2_000_000
MAX_COLSPAN = 50

Block = dict[str, Any]

_VOID = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
        "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip
# Removed with everything inside: code, metadata, form controls and fallback content.
_DROPPED = frozenset(
    {
        "applet", "audio", "base", "canvas", "datalist", "frameset", "link", "map", "math",
        "meta", "noembed", "noframes", "noscript", "object", "script", "select", "style", "svg",
        "template", "textarea", "title", "video", "xml",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
# Start tags that end an open <p>, as in a browser.
_CLOSES_P = _HEADINGS | _LISTS | frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "div", "dl",
        "dd", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
        "hr", "li", "main", "nav", "p", "pre", "search", "section", "summary", "table",
    }
)  # fmt: skip
_TABLE_PARTS = frozenset({"caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"})
_BLOCK = _CLOSES_P | _TABLE_PARTS | frozenset({"legend", "iframe"})
_P_SCOPE = frozenset({"td", "th", "table", "caption", "button", "marquee"})
_ALIGNMENTS = {"left": "left", "start": "left", "center": "center", "middle": "center",
               "-webkit-center": "center", "right": "right", "end": "right",
               "justify": "justify"}  # fmt: skip
_COUNTERS = {"1": "numeric", "a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman",
             "I": "upper-roman", "decimal": "numeric", "lower-alpha": "lower-alpha",
             "lower-latin": "lower-alpha", "upper-alpha": "upper-alpha",
             "upper-latin": "upper-alpha", "lower-roman": "lower-roman",
             "upper-roman": "upper-roman"}  # fmt: skip
# Embed services by host (the host and its subdomains), as Editor.js's embed tool names them.
_EMBED_HOSTS = (
    ("youtube.com", "youtube"), ("youtu.be", "youtube"), ("youtube-nocookie.com", "youtube"),
    ("vimeo.com", "vimeo"), ("coub.com", "coub"), ("twitch.tv", "twitch-video"),
    ("facebook.com", "facebook"), ("instagram.com", "instagram"), ("twitter.com", "twitter"),
    ("x.com", "twitter"), ("codepen.io", "codepen"), ("imgur.com", "imgur"),
    ("gfycat.com", "gfycat"), ("pinterest.com", "pinterest"), ("gist.github.com", "github"),
    ("miro.com", "miro"), ("aparat.com", "aparat"), ("music.yandex.ru", "yandex-music-track"),
)  # fmt: skip
_LABEL_SERVICES = {label: name for name, label in SERVICES.items()}
# Checkbox characters as the Qt renderer (and plain-text checklists) write them.
_BOXES = {"☐": False, "☑": True, "☒": True}
_TOKEN = re.compile(r"[ \t\n\f]+|[^ \t\n\f]+")
_ORDINAL = re.compile(r"^\(?(\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]")
_WORD_LEVEL = re.compile(r"level(\d+)")
_SIZE = re.compile(r"([0-9.]+) (B|KB|MB|GB|TB|PB)")
_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_.:-]*$")
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")


@dataclass(eq=False, slots=True)
class _Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Element | str] = field(default_factory=list)

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


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: implied end tags as browsers add them, junk ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root")
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
        if tag not in _BLOCK:
            stops = _BLOCK  # a stray </b> must not close the paragraph around it
        elif tag in _TABLE_PARTS:
            stops = frozenset({"table"})
        elif tag == "table":
            stops = frozenset()
        elif tag == "li":
            stops = _LISTS | _P_SCOPE
        else:
            stops = _P_SCOPE
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
        if tag in _DROPPED:
            if not closed and tag not in _VOID:
                self._skip, self._skip_depth = tag, 1
            return
        self._close_implied(tag)
        if tag not in _VOID and tag != "iframe" and len(self._stack) > MAX_DEPTH:
            return
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")  # the first of repeated attributes wins
        element = _Element(tag, values)
        self._stack[-1].children.append(element)
        if tag == "iframe":
            # What an iframe holds is fallback for old browsers, not content.
            if not closed:
                self._skip, self._skip_depth = tag, 1
        elif tag not in _VOID and not closed:
            self._stack.append(element)

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._pop_to({"p"}, _P_SCOPE)
        if tag in _HEADINGS and self._stack[-1].tag in _HEADINGS:
            self._stack.pop()
        if tag == "li":
            self._pop_to({"li"}, (_BLOCK - {"p", "div", "address"}) | _LISTS)
        elif tag in ("dd", "dt"):
            self._pop_to({"dd", "dt"}, (_BLOCK - {"p", "div", "address"}) | {"dl"})
        elif tag == "a":
            self._pop_to({"a"}, _BLOCK)  # links do not nest
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


def _parse(markup: str) -> _Element:
    builder = _TreeBuilder()
    # Browsers normalize line breaks and drop NUL before parsing; the rest is the parser's.
    text = markup[:MAX_INPUT_CHARS].replace("\r\n", "\n").replace("\r", "\n").replace("\0", "")
    # The stdlib parser still asserts on a few malformed declarations; what it read so far
    # is kept rather than losing the whole paste.
    with contextlib.suppress(Exception):
        builder.feed(text)
        builder.close()
    return builder.root


@dataclass(frozen=True, slots=True, eq=False)
class _Mark:
    open: str
    close: str


Marks = tuple[_Mark, ...]


def _emphasis(value: str | None, on: tuple[str, ...], off: tuple[str, ...], default: bool) -> bool:
    if value is None:
        return default
    if any(word in value for word in on):
        return True
    return False if any(word in value for word in off) else default


def _marks(element: _Element, linked: bool) -> Marks:
    """The inline markup an element stands for (tags, or the styles pasted spans carry)."""
    tag, style = element.tag, element.style() if "style" in element.attrs else {}
    marks: list[_Mark] = []
    if tag == "a":
        url = clean_url(element.attrs.get("href"))
        if url is not None:
            marks.append(_Mark(f'<a href="{html.escape(url)}">', "</a>"))
    if tag in ("code", "kbd", "samp", "tt"):
        marks.append(_Mark('<code class="inline-code">', "</code>"))
    if tag == "mark":
        marks.append(_Mark('<mark class="cdx-marker">', "</mark>"))
    weight = style.get("font-weight")
    bold = tag in ("b", "strong")
    if weight is not None:
        # Google Docs wraps a whole paste in <b style="font-weight:normal">.
        number = _integer(weight)
        bold = (
            number >= 600
            if number is not None
            else _emphasis(weight, ("bold",), ("normal", "lighter"), bold)
        )
    italic = _emphasis(
        style.get("font-style"), ("italic", "oblique"), ("normal",), tag in ("i", "em")
    )
    decoration = " ".join(
        filter(None, (style.get("text-decoration"), style.get("text-decoration-line")))
    )
    underline = _emphasis(decoration or None, ("underline",), ("none",), tag in ("u", "ins"))
    # Pasted links carry "text-decoration:underline": that is how links look, not markup.
    underline = underline and not (linked and tag not in ("u", "ins"))
    strike = _emphasis(
        decoration or None, ("line-through",), ("none",), tag in ("s", "strike", "del")
    )
    for on, name in ((bold, "b"), (italic, "i"), (underline, "u"), (strike, "s")):
        if on:
            marks.append(_Mark(f"<{name}>", f"</{name}>"))
    return tuple(marks)


def _inside(marks: Marks, element: _Element) -> Marks:
    """The marks for the content of `element`, given the marks around it."""
    if element.tag == "a":
        # Links do not nest: an inner link ends the outer one, as in browsers.
        marks = tuple(mark for mark in marks if not mark.open.startswith("<a "))
    linked = element.tag == "a" or any(mark.open.startswith("<a ") for mark in marks)
    return marks + _marks(element, linked)


def _hidden(element: _Element) -> bool:
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


def _alignment(element: _Element) -> str | None:
    if element.tag == "center":
        return "center"
    value = element.style().get("text-align") or element.attrs.get("align", "").strip().lower()
    return _ALIGNMENTS.get(value)


def _plain(node: _Element, parts: list[str]) -> None:
    """Text as written (no folding), <br> as a newline: what a <pre> shows."""
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "br":
            parts.append("\n")
        elif not _hidden(child):
            _plain(child, parts)


def _text_of(node: _Element) -> str:
    parts: list[str] = []
    _plain(node, parts)
    return " ".join("".join(parts).split())


def _find(node: _Element, predicate: Callable[[_Element], bool]) -> _Element | None:
    for child in node.children:
        if isinstance(child, _Element):
            if predicate(child):
                return child
            found = _find(child, predicate)
            if found is not None:
                return found
    return None


def _serialize(nodes: list[_Element | str]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(html.escape(node, quote=False))
            continue
        attributes = "".join(
            f' {name}="{html.escape(value)}"'
            for name, value in node.attrs.items()
            if _ATTRIBUTE_NAME.match(name)
        )
        parts.append(f"<{node.tag}{attributes}>")
        if node.tag not in _VOID:
            parts.append(f"{_serialize(node.children)}</{node.tag}>")
    return "".join(parts)


def _integer(value: str | None, default: int | None = None) -> int | None:
    # ASCII digits only: "²".isdigit() is true, but int("²") raises.
    text = (value or "").strip()
    return int(text) if _INTEGER.fullmatch(text) else default


class _Inline:
    """Editor.js inline HTML written as a browser lays the text out.

    Whitespace is folded; a space or line break is written only once content follows it, so
    leading and trailing ones vanish. Marks are opened lazily and identified by the element
    that made them, so markup keeps its nesting and `<b>a</b><b>b</b>` stays two elements.
    """

    def __init__(self, *, boxes: bool = False) -> None:
        self._parts: list[str] = []
        self._opened: Marks = ()
        self._space: Marks | None = None
        self._breaks: list[Marks] = []
        self._line_start = True
        self._boxes = boxes
        self.visible = False
        self.checked: bool | None = None

    def text(self, data: str, marks: Marks) -> None:
        for match in _TOKEN.finditer(data):
            word = match.group()
            if word[0] in " \t\n\f":
                if not self._line_start and self._space is None:
                    self._space = marks
                continue
            if self._boxes and not self.visible and self.checked is None and word[0] in _BOXES:
                self.checked = _BOXES[word[0]]
                word = word[1:]
                if not word:
                    continue
            self._write(word, marks)

    def br(self, marks: Marks) -> None:
        self._space = None  # a space at the end of a line is not shown
        self._breaks.append(marks)
        self._line_start = True

    def soft_break(self, marks: Marks) -> None:
        """A block boundary inside inline-only content (a <p> in a list item) starts a line."""
        if not self._line_start:
            self.br(marks)

    def checkbox(self, checked: bool) -> None:
        if self.checked is None and not self.visible:
            self.checked = checked

    def finish(self) -> str:
        self._sync(())
        markup = "".join(self._parts)
        return sanitize_inline(markup) if markup else ""

    def _write(self, word: str, marks: Marks) -> None:
        for at in self._breaks:
            self._sync(at)
            self._parts.append("<br>")
        self._breaks.clear()
        if self._space is not None:
            self._sync(self._space)
            self._parts.append(" ")
            self._space = None
        self._sync(marks)
        # Editor.js writes non-breaking spaces as the entity; so does the renderer's input.
        self._parts.append(html.escape(word, quote=False).replace("\xa0", "&nbsp;"))
        self._line_start = False
        self.visible = self.visible or bool(word.strip())

    def _sync(self, marks: Marks) -> None:
        opened, same = self._opened, 0
        while same < min(len(opened), len(marks)) and opened[same] is marks[same]:
            same += 1
        self._parts.extend(mark.close for mark in reversed(opened[same:]))
        self._parts.extend(mark.open for mark in marks[same:])
        self._opened = marks


@dataclass(slots=True)
class _Item:
    content: str
    checked: bool | None
    visible: bool
    children: list[_Item] = field(default_factory=list)


def _any_box(items: list[_Item]) -> bool:
    return any(item.checked is not None or _any_box(item.children) for item in items)


def _item_data(item: _Item, style: str) -> Block:
    meta = {"checked": bool(item.checked)} if style == "checklist" else {}
    return {
        "content": item.content,
        "meta": meta,
        "items": [_item_data(child, style) for child in item.children],
    }


def _word_list_level(node: _Element | str) -> int | None:
    """The level of a Word list paragraph (`style="mso-list:l0 level2 lfo1"`), else None."""
    if (
        not isinstance(node, _Element)
        or node.tag != "p"
        or "mso-list" not in node.attrs.get("style", "")
    ):
        return None
    value = node.style().get("mso-list", "")
    if value in ("", "ignore", "none"):
        return None
    found = _WORD_LEVEL.search(value)
    return int(found.group(1)) if found else 1


def _source(element: _Element) -> str | None:
    """The usable address of an image (web or local file) or an iframe (web only)."""
    # Local files are kept for previews of attachments; the web renderer refuses them.
    local = element.tag == "img"
    return clean_url(element.attrs.get("src"), allow_images=True, allow_file=local)


def _service(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for domain, service in _EMBED_HOSTS:
        if host == domain or host.endswith("." + domain):
            return service
    return "embed"


class _Converter:
    """Walks the element tree, appending blocks; text outside blocks gathers into paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._paragraph: _Inline | None = None
        self._paragraph_alignment: str | None = None

    # Flow content: blocks and paragraphs.

    def flow(self, parent: _Element, marks: Marks, align: str | None) -> None:
        children, index = parent.children, 0
        while index < len(children):
            child = children[index]
            if isinstance(child, str):
                self._text(child, marks, align)
            elif _word_list_level(child) is not None:
                run: list[_Element] = []
                while index < len(children):
                    node = children[index]
                    if isinstance(node, _Element) and _word_list_level(node) is not None:
                        run.append(node)
                    elif not (isinstance(node, str) and not node.strip(" \t\n\f")):
                        break
                    index += 1
                self._word_list(run, marks)
                continue
            else:
                self._element(child, marks, align)
            index += 1

    def end_paragraph(self) -> None:
        paragraph, self._paragraph = self._paragraph, None
        if paragraph is None:
            return
        text = paragraph.finish()
        if paragraph.visible:
            data: Block = {"text": text}
            if self._paragraph_alignment not in (None, "left"):
                data["alignment"] = self._paragraph_alignment
            self._add("paragraph", data)

    def _add(self, kind: str, data: Block) -> None:
        self.blocks.append({"type": kind, "data": data})

    def _open_paragraph(self, align: str | None) -> _Inline:
        if self._paragraph is None:
            self._paragraph, self._paragraph_alignment = _Inline(), align
        return self._paragraph

    def _text(self, data: str, marks: Marks, align: str | None) -> None:
        if self._paragraph is None and not data.strip(" \t\n\f"):
            return  # whitespace between blocks
        self._open_paragraph(align).text(data, marks)

    def _element(self, element: _Element, marks: Marks, align: str | None) -> None:
        tag = element.tag
        if _hidden(element) or element.has_class("ejs-unsupported"):
            return  # a renderer's note about a block it could not show is not content
        if tag == "br":
            self._open_paragraph(align).br(marks)
            return
        if tag not in _BLOCK and tag not in ("img", "hr"):
            self.flow(element, _inside(marks, element), align)
            return
        if tag in ("img", "iframe") and _source(element) is None:
            return  # a picture that cannot be shown does not split the text around it
        self.end_paragraph()
        align = _alignment(element) or align
        if element.has_class("ejs-warning"):
            self._warning(element, marks)
        elif element.has_class("ejs-raw"):
            self._add("raw", {"html": sanitize_html(_serialize(element.children))})
        elif element.has_class("ejs-attaches"):
            self._attaches(element)
        elif element.has_class("ejs-link-tool"):
            self._link_tool(element)
        elif element.has_class("ejs-embed"):
            self._rendered_embed(element, marks)
        elif tag == "img":
            self._image(element, None, element)
        elif tag == "iframe":
            self._embed(element, "")
        elif tag == "hr":
            self._add("delimiter", {})
        elif tag in _HEADINGS:
            self._header(element, marks, align)
        elif tag in _LISTS:
            self._list(element, marks)
        elif tag == "blockquote":
            self._quote(element, [], marks, align)
        elif tag == "pre":
            self._code(element)
        elif tag == "table":
            self._table(element, marks, align)
        elif tag == "figure":
            self._figure(element, marks, align)
        else:
            self.flow(element, marks, align)
        self.end_paragraph()

    # Inline-only content: header text, list items, quotes, table cells, captions.

    def inline(
        self,
        parent: _Element,
        marks: Marks,
        out: _Inline,
        on_list: Callable[[_Element, Marks], None] | None = None,
    ) -> None:
        for child in parent.children:
            if isinstance(child, str):
                out.text(child, marks)
                continue
            tag = child.tag
            if _hidden(child):
                continue
            if tag == "br":
                out.br(marks)
            elif tag == "input":
                if child.attrs.get("type", "").lower() == "checkbox":
                    out.checkbox("checked" in child.attrs)
            elif tag in _LISTS and on_list is not None:
                on_list(child, marks)
            elif tag in ("img", "iframe"):
                continue  # inline-only content has no place for pictures
            elif tag in _BLOCK or tag == "hr":
                out.soft_break(marks)
                self.inline(child, marks, out, on_list)
                out.soft_break(marks)
            else:
                self.inline(child, _inside(marks, child), out, on_list)

    def _inline_html(self, parent: _Element, marks: Marks = ()) -> tuple[str, bool]:
        out = _Inline()
        self.inline(parent, marks, out)
        return out.finish(), out.visible

    # Blocks.

    def _header(self, element: _Element, marks: Marks, align: str | None) -> None:
        text, visible = self._inline_html(element, marks)
        if visible:
            data: Block = {"text": text, "level": int(element.tag[1])}
            if align not in (None, "left"):
                data["alignment"] = align
            self._add("header", data)

    def _items(self, parent: _Element, marks: Marks, boxes: bool) -> list[_Item]:
        items: list[_Item] = []
        stray: list[_Element | str] = []

        def flush_stray() -> None:
            # Text or elements directly inside <ul> (broken HTML) read as one more item.
            if stray:
                item = self._item(_Element("li", {}, stray.copy()), marks, boxes)
                if item.visible or item.children:
                    items.append(item)
                stray.clear()

        for child in parent.children:
            if isinstance(child, _Element) and child.tag == "li":
                flush_stray()
                if not _hidden(child):
                    items.append(self._item(child, marks, boxes))
            elif isinstance(child, _Element) and child.tag in _LISTS:
                flush_stray()
                # A list right inside a list (as some editors write it) nests under the item above.
                nested = self._items(child, marks, boxes)
                (items[-1].children if items else items).extend(nested)
            else:
                stray.append(child)
        flush_stray()
        return items

    def _item(self, element: _Element, marks: Marks, boxes: bool) -> _Item:
        out, children = _Inline(boxes=boxes), []

        def nested(sub: _Element, at: Marks) -> None:
            children.extend(self._items(sub, at, boxes))

        self.inline(element, marks, out, nested)
        return _Item(out.finish(), out.checked, out.visible, children)

    def _list(self, element: _Element, marks: Marks) -> None:
        # The renderer's own ordered and unordered lists say so: a "☐" in them is text.
        plain = element.has_class("ejs-list") and not element.has_class("ejs-checklist")
        items = self._items(element, marks, boxes=not plain)
        if not items:
            return
        if all(item.checked is not None for item in items):
            style = "checklist"
        else:
            style = "ordered" if element.tag == "ol" else "unordered"
            if _any_box(items):
                # A "☐" in front of one item of an ordinary list is text, not a checkbox.
                items = self._items(element, marks, boxes=False)
        meta: Block = {}
        if style == "ordered":
            counter = element.attrs.get("type", "").strip()
            counter = counter or element.style().get("list-style-type", "")
            start = _integer(element.attrs.get("start"), 1)
            meta = {"start": start, "counterType": _COUNTERS.get(counter, "numeric")}
        if style == "checklist" and element.has_class("ejs-checklist-block"):
            flat: list[_Item] = []
            stack = items[::-1]
            while stack:
                item = stack.pop()
                flat.append(item)
                stack.extend(item.children[::-1])
            data = {"items": [{"text": i.content, "checked": bool(i.checked)} for i in flat]}
            self._add("checklist", data)
            return
        self._add(
            "list",
            {"style": style, "meta": meta, "items": [_item_data(item, style) for item in items]},
        )

    def _word_list(self, paragraphs: list[_Element], marks: Marks) -> None:
        bullet = _find(paragraphs[0], lambda e: e.style().get("mso-list") == "ignore")
        ordered = bullet is not None and _ORDINAL.match(_text_of(bullet)) is not None
        top: list[_Item] = []
        levels: list[tuple[int, list[_Item]]] = [(0, top)]
        for paragraph in paragraphs:
            level = _word_list_level(paragraph) or 1
            text, visible = self._inline_html(paragraph, marks)
            item = _Item(text, None, visible)
            while len(levels) > 1 and levels[-1][0] >= level:
                levels.pop()
            levels[-1][1].append(item)
            levels.append((level, item.children))
        style = "ordered" if ordered else "unordered"
        meta: Block = {"start": 1, "counterType": "numeric"} if ordered else {}
        self._add(
            "list", {"style": style, "meta": meta, "items": [_item_data(i, style) for i in top]}
        )

    def _quote(
        self, quote: _Element, captions: list[_Element], marks: Marks, align: str | None
    ) -> None:
        text, caption = _Inline(), _Inline()
        significant = [c for c in quote.children if isinstance(c, _Element) or c.strip()]
        for index, child in enumerate(significant):
            if not isinstance(child, _Element):
                continue
            # <footer> names the source, as figcaption does; so does a <cite> on its own last
            # line ("<p>…</p><cite>Author</cite>"), but not one inside a sentence.
            before = significant[index - 1] if index else None
            own_line = isinstance(before, _Element) and (before.tag in _BLOCK or before.tag == "br")
            last = index == len(significant) - 1
            if child.tag in ("footer", "figcaption") or (child.tag == "cite" and last and own_line):
                captions = [*captions, child]
        body = _Element("blockquote", {}, [c for c in quote.children if c not in captions])
        self.inline(body, marks, text)
        for element in captions:
            caption.soft_break(marks)
            self.inline(element, marks, caption)
        if text.visible or caption.visible:
            align = _alignment(quote) or align
            data = {
                "text": text.finish(),
                "caption": caption.finish(),
                "alignment": align or "left",
            }
            self._add("quote", data)

    def _code(self, element: _Element) -> None:
        parts: list[str] = []
        _plain(element, parts)
        code = "".join(parts)
        # Like browsers, drop the one newline that directly follows <pre>.
        if element.children and isinstance(element.children[0], str) and code.startswith("\n"):
            code = code[1:]
        self._add("code", {"code": code})

    def _table(self, table: _Element, marks: Marks, align: str | None) -> None:
        head: list[_Element] = []
        body: list[_Element] = []
        foot: list[_Element] = []
        caption: _Element | None = None
        if table.attrs.get("role") == "presentation" or _find(table, lambda e: e.tag == "table"):
            # A layout table (an e-mail's skeleton) holds blocks, not data: read its cells as flow.
            self.flow(table, marks, align)
            return
        sections = {"thead": head, "tbody": body, "tfoot": foot}
        for child in table.children:
            if isinstance(child, str):
                self._text(child, marks, align)  # text browsers would move out of the table
            elif child.tag == "tr":
                body.append(child)
            elif child.tag in sections:
                for row in child.children:
                    if isinstance(row, _Element) and row.tag == "tr":
                        sections[child.tag].append(row)
                    elif isinstance(row, _Element) or row.strip():
                        self.flow(_Element("div", {}, [row]), marks, align)
            elif child.tag == "caption":
                caption = child
            elif child.tag not in ("colgroup", "col"):
                self._element(child, marks, align)
        self.end_paragraph()
        if caption is not None:
            self.flow(_Element("p", {}, caption.children), marks, align)
            self.end_paragraph()
        rows: list[list[str]] = []
        heading_row = False
        for row in [*head, *body, *foot]:
            cells = [c for c in row.children if isinstance(c, _Element) and c.tag in ("td", "th")]
            if not cells:
                continue
            if not rows:
                heading_row = row in head or all(cell.tag == "th" for cell in cells)
            texts: list[str] = []
            for cell in cells:
                texts.append(self._inline_html(cell, marks)[0])
                span = _integer(cell.attrs.get("colspan"), 1) or 1
                texts.extend([""] * (min(max(span, 1), MAX_COLSPAN) - 1))
            rows.append(texts)
        width = max((len(row) for row in rows), default=0)
        if width:
            content = [row + [""] * (width - len(row)) for row in rows]
            self._add("table", {"withHeadings": heading_row, "content": content})

    def _figure(self, figure: _Element, marks: Marks, align: str | None) -> None:
        captions = [c for c in figure.children if isinstance(c, _Element) and c.tag == "figcaption"]
        rest = _Element("div", {}, [c for c in figure.children if c not in captions])
        main = self._sole_content(rest)
        if main is None or main.tag not in ("img", "blockquote", "iframe"):
            self.flow(figure, marks, align)
            return
        if main.tag == "blockquote":
            self._quote(main, captions, marks, align)
            return
        caption, visible = "", False
        for element in captions:
            caption, visible = self._inline_html(element, marks)
            if visible:
                break
        if main.tag == "iframe":
            self._embed(main, caption if visible else "")
        else:
            self._image(main, caption if visible else None, figure)

    def _sole_content(self, node: _Element) -> _Element | None:
        """The one picture, quote or frame that is all a figure shows, else None."""
        found: list[_Element] = []
        stack: list[_Element | str] = list(node.children)
        while stack:
            child = stack.pop()
            if isinstance(child, str):
                if child.strip():
                    return None
            elif child.tag in ("img", "blockquote", "iframe", "table", "pre", "ul", "ol"):
                found.append(child)
            elif not _hidden(child):
                stack.extend(child.children)
        return found[0] if len(found) == 1 else None

    def _image(self, img: _Element, caption: str | None, holder: _Element) -> None:
        url = _source(img)
        if url is None:
            return  # data:, javascript:, relative or missing: nothing that may be shown
        if caption is None:
            caption = html.escape(" ".join(img.attrs.get("alt", "").split()), quote=False)
        self._add(
            "image",
            {
                "file": {"url": url},
                "caption": caption,
                "withBorder": holder.has_class("ejs-image--bordered"),
                "withBackground": holder.has_class("ejs-image--background"),
                "stretched": holder.has_class("ejs-image--stretched"),
            },
        )

    def _embed(self, frame: _Element, caption: str) -> None:
        url = _source(frame)
        if url is None:
            return
        data: Block = {"service": _service(url), "source": url, "embed": url}
        for key in ("width", "height"):
            number = _integer(frame.attrs.get(key))
            if number is not None:
                data[key] = number
        data["caption"] = caption
        self._add("embed", data)

    def _rendered_embed(self, figure: _Element, marks: Marks) -> None:
        link = _find(figure, lambda e: e.tag == "a")
        url = clean_url(link.attrs.get("href")) if link is not None else None
        if link is None or url is None:
            self.flow(figure, marks, None)
            return
        line = _find(figure, lambda e: e.tag == "p")
        # The renderer writes "<what>: <a>source</a>"; the words name the service.
        words = [c for c in line.children if isinstance(c, str)] if line is not None else []
        label = " ".join(" ".join(words).split()).removesuffix(":")
        service = _LABEL_SERVICES.get(label)
        if service is None:
            # "Embedded content" is what the renderer calls an embed without a service.
            generic = label == "Embedded content" or not label.endswith(" content")
            service = "" if generic else label.removesuffix(" content")
        caption = _find(figure, lambda e: e.tag == "figcaption")
        text = self._inline_html(caption, marks)[0] if caption is not None else ""
        self._add("embed", {"service": service, "source": url, "embed": url, "caption": text})

    def _warning(self, box: _Element, marks: Marks) -> None:
        title = _find(box, lambda e: e.has_class("ejs-warning-title"))
        message = _find(box, lambda e: e.has_class("ejs-warning-message"))
        if title is None and message is None:
            message = box  # a pasted box without the renderer's parts: all of it is the message
        if title is not None:
            # The renderer sets the title in bold; the bold is its, not the title's.
            inner = [c for c in title.children if isinstance(c, _Element) or c.strip()]
            if (
                len(inner) == 1
                and isinstance(inner[0], _Element)
                and inner[0].tag in ("strong", "b")
            ):
                title = inner[0]
        self._add(
            "warning",
            {
                "title": self._inline_html(title, marks)[0] if title is not None else "",
                "message": self._inline_html(message, marks)[0] if message is not None else "",
            },
        )

    def _attaches(self, box: _Element) -> None:
        link = _find(box, lambda e: e.tag == "a")
        title_element = _find(box, lambda e: e.has_class("ejs-attaches-title")) or link or box
        meta = _find(box, lambda e: e.has_class("ejs-attaches-meta"))
        file: Block = {}
        url = clean_url(link.attrs.get("href")) if link is not None else None
        if url is not None:
            file["url"] = url
            name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
            if name:
                file["name"] = name
        facts = _text_of(meta).strip("() ") if meta is not None else ""
        for fact in filter(None, (part.strip() for part in facts.split(","))):
            size = _SIZE.fullmatch(fact)
            if size is not None:
                power = ("B", "KB", "MB", "GB", "TB", "PB").index(size.group(2))
                with contextlib.suppress(ValueError):
                    file["size"] = round(float(size.group(1)) * 1024**power)
            elif "extension" not in file:
                file["extension"] = fact.lower()
        self._add("attaches", {"file": file, "title": _text_of(title_element)})

    def _link_tool(self, card: _Element) -> None:
        link = _find(card, lambda e: e.tag == "a")
        url = clean_url(link.attrs.get("href")) if link is not None else None
        if url is None:
            self.flow(card, (), None)
            return
        meta: Block = {"title": _text_of(link) if link is not None else ""}
        description = _find(card, lambda e: e.has_class("ejs-link-tool-description"))
        meta["description"] = _text_of(description) if description is not None else ""
        picture = _find(card, lambda e: e.tag == "img")
        image = clean_url(picture.attrs.get("src"), allow_images=True) if picture else None
        if image is not None:
            meta["image"] = {"url": image}
        self._add("linkTool", {"link": url, "meta": meta})


def html_to_blocks(markup: str) -> list[dict[str, Any]]:
    """Editor.js blocks (without ids) for an HTML document or fragment; never raises.

    Paragraphs keep the inline markup Editor.js knows (bold, italic, underline, strike, links
    with safe schemes, inline code, marker, line breaks); headings, lists (v2 nested format,
    checklists included), quotes, code, delimiters, tables, images, iframes (as embeds) and
    the renderer's own web output of the other block types map to their blocks. Scripts,
    styles, comments and unsafe URLs are dropped. The result is a pure function of the input.
    """
    if not isinstance(markup, str):
        return []
    converter = _Converter()
    # Pasted content comes from anywhere: a shape nobody foresaw must not break pasting, so
    # an unexpected error keeps the blocks read up to it.
    with contextlib.suppress(Exception):
        converter.flow(_parse(markup), (), None)
        converter.end_paragraph()
    return converter.blocks


def html_to_editorjs(markup: str, *, time: int | None = None) -> dict[str, Any]:
    """An Editor.js document of `html_to_blocks(markup)`; `time` (ms since epoch) if given."""
    document: dict[str, Any] = {} if time is None else {"time": time}
    document["version"] = EDITORJS_VERSION
    document["blocks"] = html_to_blocks(markup)
    return document
