"""HTML to Editor.js blocks: stored `html` content and pasted markup become editable blocks."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from desktop_app.core.editorjs import from_rendered
from desktop_app.core.editorjs.html_inline import Inline, Marks, inside
from desktop_app.core.editorjs.html_tree import (
    BLOCK,
    HEADINGS,
    LISTS,
    MAX_DEPTH,
    MAX_INPUT_CHARS,
    Element,
    find,
    hidden,
    integer,
    parse,
    plain,
    text_of,
)
from desktop_app.core.editorjs.urls import clean_url

__all__ = [
    "EDITORJS_VERSION",
    "MAX_COLSPAN",
    "MAX_DEPTH",
    "MAX_INPUT_CHARS",
    "html_to_blocks",
    "html_to_editorjs",
]

EDITORJS_VERSION = "2.31.0"
MAX_COLSPAN = 50

Block = dict[str, Any]

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
_ORDINAL = re.compile(r"^\(?(\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]")
_WORD_LEVEL = re.compile(r"level(\d+)")


def _alignment(element: Element) -> str | None:
    if element.tag == "center":
        return "center"
    value = element.style().get("text-align") or element.attrs.get("align", "").strip().lower()
    return _ALIGNMENTS.get(value)


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


def _word_list_level(node: Element | str) -> int | None:
    """The level of a Word list paragraph (`style="mso-list:l0 level2 lfo1"`), else None."""
    if (
        not isinstance(node, Element)
        or node.tag != "p"
        or "mso-list" not in node.attrs.get("style", "")
    ):
        return None
    value = node.style().get("mso-list", "")
    if value in ("", "ignore", "none"):
        return None
    found = _WORD_LEVEL.search(value)
    return int(found.group(1)) if found else 1


def _source(element: Element) -> str | None:
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
        self._paragraph: Inline | None = None
        self._paragraph_alignment: str | None = None

    # Flow content: blocks and paragraphs.

    def flow(self, parent: Element, marks: Marks, align: str | None) -> None:
        children, index = parent.children, 0
        while index < len(children):
            child = children[index]
            if isinstance(child, str):
                self._text(child, marks, align)
            elif _word_list_level(child) is not None:
                run: list[Element] = []
                while index < len(children):
                    node = children[index]
                    if isinstance(node, Element) and _word_list_level(node) is not None:
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

    def _open_paragraph(self, align: str | None) -> Inline:
        if self._paragraph is None:
            self._paragraph, self._paragraph_alignment = Inline(), align
        return self._paragraph

    def _text(self, data: str, marks: Marks, align: str | None) -> None:
        if self._paragraph is None and not data.strip(" \t\n\f"):
            return  # whitespace between blocks
        self._open_paragraph(align).text(data, marks)

    def _element(self, element: Element, marks: Marks, align: str | None) -> None:
        tag = element.tag
        if hidden(element) or element.has_class("ejs-unsupported"):
            return  # a renderer's note about a block it could not show is not content
        if tag == "br":
            self._open_paragraph(align).br(marks)
            return
        if tag not in BLOCK and tag not in ("img", "hr"):
            self.flow(element, inside(marks, element), align)
            return
        if tag in ("img", "iframe") and _source(element) is None:
            return  # a picture that cannot be shown does not split the text around it
        self.end_paragraph()
        align = _alignment(element) or align
        rendered = next((name for name in from_rendered.CLASSES if element.has_class(name)), None)
        if rendered is not None:
            self._rendered(rendered, element, marks)
        elif tag == "img":
            self._image(element, None, element)
        elif tag == "iframe":
            self._embed(element, "")
        elif tag == "hr":
            self._add("delimiter", {})
        elif tag in HEADINGS:
            self._header(element, marks, align)
        elif tag in LISTS:
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
        parent: Element,
        marks: Marks,
        out: Inline,
        on_list: Callable[[Element, Marks], None] | None = None,
    ) -> None:
        for child in parent.children:
            if isinstance(child, str):
                out.text(child, marks)
                continue
            tag = child.tag
            if hidden(child):
                continue
            if tag == "br":
                out.br(marks)
            elif tag == "input":
                if child.attrs.get("type", "").lower() == "checkbox":
                    out.checkbox("checked" in child.attrs)
            elif tag in LISTS and on_list is not None:
                on_list(child, marks)
            elif tag in ("img", "iframe"):
                continue  # inline-only content has no place for pictures
            elif tag in BLOCK or tag == "hr":
                out.soft_break(marks)
                self.inline(child, marks, out, on_list)
                out.soft_break(marks)
            else:
                self.inline(child, inside(marks, child), out, on_list)

    def _inline_html(self, parent: Element, marks: Marks = ()) -> tuple[str, bool]:
        out = Inline()
        self.inline(parent, marks, out)
        return out.finish(), out.visible

    # Blocks.

    def _header(self, element: Element, marks: Marks, align: str | None) -> None:
        text, visible = self._inline_html(element, marks)
        if visible:
            data: Block = {"text": text, "level": int(element.tag[1])}
            if align not in (None, "left"):
                data["alignment"] = align
            self._add("header", data)

    def _items(self, parent: Element, marks: Marks, boxes: bool) -> list[_Item]:
        items: list[_Item] = []
        stray: list[Element | str] = []

        def flush_stray() -> None:
            # Text or elements directly inside <ul> (broken HTML) read as one more item.
            if stray:
                item = self._item(Element("li", {}, stray.copy()), marks, boxes)
                if item.visible or item.children:
                    items.append(item)
                stray.clear()

        for child in parent.children:
            if isinstance(child, Element) and child.tag == "li":
                flush_stray()
                if not hidden(child):
                    items.append(self._item(child, marks, boxes))
            elif isinstance(child, Element) and child.tag in LISTS:
                flush_stray()
                # A list right inside a list (as some editors write it) nests under the item above.
                nested = self._items(child, marks, boxes)
                (items[-1].children if items else items).extend(nested)
            else:
                stray.append(child)
        flush_stray()
        return items

    def _item(self, element: Element, marks: Marks, boxes: bool) -> _Item:
        out, children = Inline(boxes=boxes), []

        def nested(sub: Element, at: Marks) -> None:
            children.extend(self._items(sub, at, boxes))

        self.inline(element, marks, out, nested)
        return _Item(out.finish(), out.checked, out.visible, children)

    def _list(self, element: Element, marks: Marks) -> None:
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
            start = integer(element.attrs.get("start"), 1)
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

    def _word_list(self, paragraphs: list[Element], marks: Marks) -> None:
        bullet = find(paragraphs[0], lambda e: e.style().get("mso-list") == "ignore")
        ordered = bullet is not None and _ORDINAL.match(text_of(bullet)) is not None
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
        self, quote: Element, captions: list[Element], marks: Marks, align: str | None
    ) -> None:
        text, caption = Inline(), Inline()
        significant = [c for c in quote.children if isinstance(c, Element) or c.strip()]
        for index, child in enumerate(significant):
            if not isinstance(child, Element):
                continue
            # <footer> names the source, as figcaption does; so does a <cite> on its own last
            # line ("<p>…</p><cite>Author</cite>"), but not one inside a sentence.
            before = significant[index - 1] if index else None
            own_line = isinstance(before, Element) and (before.tag in BLOCK or before.tag == "br")
            last = index == len(significant) - 1
            if child.tag in ("footer", "figcaption") or (child.tag == "cite" and last and own_line):
                captions = [*captions, child]
        body = Element("blockquote", {}, [c for c in quote.children if c not in captions])
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

    def _code(self, element: Element) -> None:
        parts: list[str] = []
        plain(element, parts)
        code = "".join(parts)
        # Like browsers, drop the one newline that directly follows <pre>.
        if element.children and isinstance(element.children[0], str) and code.startswith("\n"):
            code = code[1:]
        self._add("code", {"code": code})

    def _table(self, table: Element, marks: Marks, align: str | None) -> None:
        head: list[Element] = []
        body: list[Element] = []
        foot: list[Element] = []
        caption: Element | None = None
        if table.attrs.get("role") == "presentation" or find(table, lambda e: e.tag == "table"):
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
                    if isinstance(row, Element) and row.tag == "tr":
                        sections[child.tag].append(row)
                    elif isinstance(row, Element) or row.strip():
                        self.flow(Element("div", {}, [row]), marks, align)
            elif child.tag == "caption":
                caption = child
            elif child.tag not in ("colgroup", "col"):
                self._element(child, marks, align)
        self.end_paragraph()
        if caption is not None:
            self.flow(Element("p", {}, caption.children), marks, align)
            self.end_paragraph()
        rows: list[list[str]] = []
        heading_row = False
        for row in [*head, *body, *foot]:
            cells = [c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")]
            if not cells:
                continue
            if not rows:
                heading_row = row in head or all(cell.tag == "th" for cell in cells)
            texts: list[str] = []
            for cell in cells:
                texts.append(self._inline_html(cell, marks)[0])
                span = integer(cell.attrs.get("colspan"), 1) or 1
                texts.extend([""] * (min(max(span, 1), MAX_COLSPAN) - 1))
            rows.append(texts)
        width = max((len(row) for row in rows), default=0)
        if width:
            content = [row + [""] * (width - len(row)) for row in rows]
            self._add("table", {"withHeadings": heading_row, "content": content})

    def _figure(self, figure: Element, marks: Marks, align: str | None) -> None:
        captions = [c for c in figure.children if isinstance(c, Element) and c.tag == "figcaption"]
        rest = Element("div", {}, [c for c in figure.children if c not in captions])
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

    def _sole_content(self, node: Element) -> Element | None:
        """The one picture, quote or frame that is all a figure shows, else None."""
        found: list[Element] = []
        stack: list[Element | str] = list(node.children)
        while stack:
            child = stack.pop()
            if isinstance(child, str):
                if child.strip():
                    return None
            elif child.tag in ("img", "blockquote", "iframe", "table", "pre", "ul", "ol"):
                found.append(child)
            elif not hidden(child):
                stack.extend(child.children)
        return found[0] if len(found) == 1 else None

    def _image(self, img: Element, caption: str | None, holder: Element) -> None:
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
                **from_rendered.image_flags(holder),
            },
        )

    def _embed(self, frame: Element, caption: str) -> None:
        url = _source(frame)
        if url is None:
            return
        data: Block = {"service": _service(url), "source": url, "embed": url}
        for key in ("width", "height"):
            number = integer(frame.attrs.get(key))
            if number is not None:
                data[key] = number
        data["caption"] = caption
        self._add("embed", data)

    def _rendered(self, kind: str, element: Element, marks: Marks) -> None:
        """A block of the renderer's own web output that has no plain-HTML element."""

        def inline_html(node: Element) -> str:
            return self._inline_html(node, marks)[0]

        block: Block | None
        if kind == "ejs-warning":
            block = from_rendered.warning(element, inline_html)
        elif kind == "ejs-raw":
            block = from_rendered.raw(element)
        elif kind == "ejs-attaches":
            block = from_rendered.attaches(element)
        elif kind == "ejs-link-tool":
            block = from_rendered.link_tool(element)
            if block is None:
                # A card without a usable link is its text; its markup was the card's.
                self.flow(element, (), None)
                return
        else:
            block = from_rendered.embed(element, inline_html)
        if block is None:
            self.flow(element, marks, None)
        else:
            self.blocks.append(block)


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
        converter.flow(parse(markup), (), None)
        converter.end_paragraph()
    return converter.blocks


def html_to_editorjs(markup: str, *, time: int | None = None) -> dict[str, Any]:
    """An Editor.js document of `html_to_blocks(markup)`; `time` (ms since epoch) if given."""
    document: dict[str, Any] = {} if time is None else {"time": time}
    document["version"] = EDITORJS_VERSION
    document["blocks"] = html_to_blocks(markup)
    return document
