"""One page of a form as widgets: its title, fields and static content blocks, shown by conditions."""

from __future__ import annotations

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop_app.core.form.conditions import Visibility
from desktop_app.core.form.model import ContentBlock, FormField, Page
from desktop_app.gui.editorjs.preview import EditorJsPreview
from desktop_app.gui.runner.field_base import FieldWidget
from desktop_app.gui.runner.fields import make_field_widget


class ContentView(EditorJsPreview):
    """Read-only Editor.js content that is exactly as tall as its text (no inner scrolling)."""

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
