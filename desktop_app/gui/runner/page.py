"""One page of a form as widgets: its title, fields and static content blocks, shown by conditions."""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop_app.core.form.conditions import Visibility
from desktop_app.core.form.model import ContentBlock, FormField, Page
from desktop_app.gui.editorjs.preview import EditorJsPreview
from desktop_app.gui.runner.field_base import FieldWidget
from desktop_app.gui.runner.fields import make_field_widget

# A content block's accessible name: its first heading, else its first words, this long at most.
NAME_WORDS = 8
NAME_CHARS = 60
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _plain(markup: object) -> str:
    """The words of a block's inline HTML (tags dropped, entities kept readable)."""
    if not isinstance(markup, str):
        return ""
    return " ".join(html.unescape(_TAG.sub("", _BREAK.sub(" ", markup))).split())


def content_name(blocks: list[Any]) -> str:
    """What a screen reader calls a content block: its first heading, else its first words."""
    texts: list[tuple[bool, str]] = []
    for block in blocks:
        if not isinstance(block, dict) or not isinstance(block.get("data"), dict):
            continue
        data = block["data"]
        items = data.get("items")
        text = _plain(data.get("text")) or (
            _plain(" ".join(i for i in items if isinstance(i, str)))
            if isinstance(items, list)
            else ""
        )
        if text:
            texts.append((block.get("type") == "header", text))
    heading = next((text for is_heading, text in texts if is_heading), None)
    if heading is not None:
        return _shorten(heading, len(heading.split()))
    return _shorten(texts[0][1], NAME_WORDS) if texts else "Information"


def _shorten(text: str, words: int) -> str:
    kept = " ".join(text.split()[:words])
    if len(kept) > NAME_CHARS:
        kept = kept[:NAME_CHARS].rsplit(" ", 1)[0] or kept[:NAME_CHARS]
    return kept if kept == text else f"{kept}…"


class ContentView(EditorJsPreview):
    """Read-only Editor.js content that is exactly as tall as its text (no inner scrolling).

    It stays a Tab stop, so keyboard and screen-reader users can reach and read it, and is
    named after its first heading or first words (a review page names it after its field).
    """

    def __init__(self, document: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setAutoFillBackground(False)
        layout = self.document().documentLayout()
        layout.documentSizeChanged.connect(self._on_layout_document_size_changed)
        self.set_document(document)
        self._fit(self.document().size())
        self.setAccessibleName(content_name(self.blocks()))
        self.setAccessibleDescription("Information, read-only; arrow keys scroll")

    def _fit(self, size: QSizeF) -> None:
        margins = self.contentsMargins()
        self.setFixedHeight(int(size.height()) + margins.top() + margins.bottom() + 2)

    def _on_layout_document_size_changed(self, size: QSizeF) -> None:
        self._fit(size)


class PageView(QScrollArea):
    """The widgets of one page; `apply` shows and hides its items for the current answers.

    The fields exist from the start; the scroll area takes their body (`widget()`) when the
    page is first shown or scrolled to a field.
    """

    def __init__(self, page: Page, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.index = index
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # It takes focus so the keyboard can scroll a long page: say which page it is.
        self.setAccessibleDescription("A page of the form; arrow keys scroll")
        self.set_position(index + 1, None)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setSpacing(8)
        if page.title:
            title = QLabel(page.title, body)
            title.setObjectName("page_title")
            font = title.font()
            font.setPointSizeF(font.pointSizeF() * 1.25)
            font.setBold(True)
            title.setFont(font)
            title.setWordWrap(True)
            layout.addWidget(title)
        if page.description:
            description = QLabel(page.description, body)
            description.setObjectName("page_description")
            description.setWordWrap(True)
            layout.addWidget(description)
        self.fields: dict[str, FieldWidget] = {}
        self.items: list[QWidget | None] = []
        for item in page.items:
            widget: QWidget | None
            if isinstance(item, ContentBlock):
                widget = ContentView(item.editorjs.model_dump(mode="json"), body)
                if item.key:
                    widget.setObjectName(f"content_{item.key}")
            else:
                widget = self._field_widget(item, body)
            self.items.append(widget)
            if widget is not None:
                layout.addWidget(widget)
        layout.addStretch(1)
        # The body goes into the scroll area when the page is first shown: sizing it (word-
        # wrapped labels) is most of what a page costs, and a long form's pages wait unseen.
        self._body: QWidget | None = body

    def set_position(self, position: int, total: int | None) -> None:
        """Name the page for screen readers: "Page 2 of 3: <title>" (the title when it has one)."""
        where = f"Page {position}" if total is None else f"Page {position} of {total}"
        self.setAccessibleName(f"{where}: {self.page.title}" if self.page.title else where)

    def showEvent(self, event: QShowEvent) -> None:
        self._place_body()
        super().showEvent(event)

    def ensureWidgetVisible(self, child: QWidget, xmargin: int = 50, ymargin: int = 50) -> None:
        self._place_body()
        super().ensureWidgetVisible(child, xmargin, ymargin)

    def _place_body(self) -> None:
        body, self._body = self._body, None
        if body is not None:
            self.setWidget(body)

    def _field_widget(self, field: FormField, parent: QWidget) -> FieldWidget | None:
        widget = make_field_widget(field, parent)
        if widget is not None:
            self.fields[field.key] = widget
        return widget

    def apply(self, shown: Visibility) -> None:
        """Show the items the conditions show; hidden fields lose their error."""
        for item_index, widget in enumerate(self.items):
            if widget is None:
                continue
            visible = shown.item_visible(self.index, item_index)
            if widget.isHidden() == visible:  # a change: showing a widget polishes it at once
                widget.setVisible(visible)
            if not visible and isinstance(widget, FieldWidget):
                widget.set_error(None)

    def visible_fields(self) -> list[FieldWidget]:
        """The field widgets shown now, in page order."""
        return [w for w in self.fields.values() if not w.isHidden()]
