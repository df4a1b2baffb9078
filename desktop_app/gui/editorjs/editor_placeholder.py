"""The placeholder drawn for a block the editor keeps untouched (table, image, embed, ...)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QObject, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPen,
    QPyTextObject,
    QTextDocument,
    QTextFormat,
)

from desktop_app.gui.editorjs.editor_format import KEPT_OBJECT, P_KEPT

KIND_NAMES = {
    "table": "Table",
    "image": "Image",
    "simple-image": "Image",
    "embed": "Embed",
    "warning": "Warning",
    "raw": "Raw HTML",
    "attaches": "Attachment",
    "linkTool": "Link card",
}
_PADDING = 6.0
_BORDER = QColor(128, 128, 128, 160)
_FILL = QColor(128, 128, 128, 40)


def placeholder_label(block: Any) -> str:
    """What the placeholder says, e.g. "Table — kept as is"."""
    kind = block.get("type") if isinstance(block, dict) else None
    if not isinstance(kind, str) or not kind:
        name = "Block"
    else:
        name = KIND_NAMES.get(kind, kind[:40])
        if kind not in KIND_NAMES and kind[:1].islower():
            name = name[:1].upper() + name[1:]
    return f"{name} — kept as is"


def _label(fmt: QTextFormat) -> str:
    try:
        return placeholder_label(json.loads(str(fmt.property(P_KEPT))))
    except ValueError:
        return placeholder_label(None)


class PlaceholderObject(QPyTextObject):
    """Lays out and paints kept blocks as one grey, full-width, uneditable box each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def intrinsicSize(self, doc: QTextDocument, posInDocument: int, format: QTextFormat) -> QSizeF:
        metrics = QFontMetricsF(doc.defaultFont())
        label_width = metrics.horizontalAdvance(_label(format)) + 4 * _PADDING
        available = doc.textWidth() - 2 * doc.documentMargin() - 2 if doc.textWidth() > 0 else 0.0
        return QSizeF(max(label_width, available), metrics.height() + 2 * _PADDING)

    def drawObject(
        self,
        painter: QPainter,
        rect: QRectF | QRect,
        doc: QTextDocument,
        posInDocument: int,
        format: QTextFormat,
    ) -> None:
        painter.save()
        painter.setPen(QPen(_BORDER, 1.0, Qt.PenStyle.DashLine))
        painter.setBrush(_FILL)
        box = QRectF(rect)
        painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 4.0, 4.0)
        painter.setPen(painter.pen().color().darker(150))
        painter.setFont(doc.defaultFont())
        text_rect = box.adjusted(2 * _PADDING, 0, -_PADDING, 0)
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            _label(format),
        )
        painter.restore()


def install_placeholders(document: QTextDocument, handler: PlaceholderObject) -> None:
    """Let the document's layout size and paint kept blocks."""
    document.documentLayout().registerHandler(KEPT_OBJECT, handler)
