"""Editor.js inline HTML written from an element tree: marks from tags and pasted styles."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from desktop_app.core.editorjs.html_tree import Element, integer
from desktop_app.core.editorjs.sanitize import sanitize_inline
from desktop_app.core.editorjs.urls import clean_url

# Checkbox characters as the Qt renderer (and plain-text checklists) write them.
_BOXES = {"☐": False, "☑": True, "☒": True}
_TOKEN = re.compile(r"[ \t\n\f]+|[^ \t\n\f]+")


@dataclass(frozen=True, slots=True, eq=False)
class Mark:
    """One piece of inline markup around text: its opening and closing tag."""

    open: str
    close: str


Marks = tuple[Mark, ...]


def _emphasis(value: str | None, on: tuple[str, ...], off: tuple[str, ...], default: bool) -> bool:
    if value is None:
        return default
    if any(word in value for word in on):
        return True
    return False if any(word in value for word in off) else default


def _marks(element: Element, linked: bool) -> Marks:
    """The inline markup an element stands for (tags, or the styles pasted spans carry)."""
    tag, style = element.tag, element.style() if "style" in element.attrs else {}
    marks: list[Mark] = []
    if tag == "a":
        url = clean_url(element.attrs.get("href"))
        if url is not None:
            marks.append(Mark(f'<a href="{html.escape(url)}">', "</a>"))
    if tag in ("code", "kbd", "samp", "tt"):
        marks.append(Mark('<code class="inline-code">', "</code>"))
    if tag == "mark":
        marks.append(Mark('<mark class="cdx-marker">', "</mark>"))
    weight = style.get("font-weight")
    bold = tag in ("b", "strong")
    if weight is not None:
        # Google Docs wraps a whole paste in <b style="font-weight:normal">.
        number = integer(weight)
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
            marks.append(Mark(f"<{name}>", f"</{name}>"))
    return tuple(marks)


def inside(marks: Marks, element: Element) -> Marks:
    """The marks for the content of `element`, given the marks around it."""
    if element.tag == "a":
        # Links do not nest: an inner link ends the outer one, as in browsers.
        marks = tuple(mark for mark in marks if not mark.open.startswith("<a "))
    linked = element.tag == "a" or any(mark.open.startswith("<a ") for mark in marks)
    return marks + _marks(element, linked)


class Inline:
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
