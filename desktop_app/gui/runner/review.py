"""The review page: every answer as a person reads it, and the exact ticket body that will be sent."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.form.mapping import build_tickets, display_text
from desktop_app.core.form.model import FieldType, Form, TicketProperty
from desktop_app.core.form.validation import validate_answers
from desktop_app.gui.runner.attachments import item_name
from desktop_app.gui.runner.page import ContentView


@dataclass(frozen=True)
class TicketPreview:
    """What Review shows: (label, display text) per answer, the body, and rich texts by label."""

    answers: list[tuple[str, str]]
    body: list[dict[str, Any]]
    rich_texts: list[tuple[str, dict[str, Any]]]

    @property
    def json_text(self) -> str:
        return json.dumps(self.body, indent=2, ensure_ascii=False)


def ticket_preview(
    form: Form, answers: Mapping[str, Any], *, uuid_property: str | None = None
) -> TicketPreview:
    """The review of valid answers; raises what `build_tickets` raises for invalid ones.

    Files get their DeskHero ids only when the outbox uploads them, so each attachment shows
    as {"id": "(uploaded when sent: name)"} where the real id will be; likewise the
    submission id the outbox adds under the profile's `uuid_property`, if it has one.
    """
    result = validate_answers(form, answers)
    names: dict[int, str] = {}
    ids: dict[str, int] = {}
    for field in form.fields:
        if field.type is FieldType.ATTACHMENTS:
            for item in result.values.get(field.key, []):
                if "path" in item and item["path"] not in ids:
                    ids[item["path"]] = -(len(ids) + 1)  # real ids are positive
                    names[ids[item["path"]]] = item_name(item)
    tickets = build_tickets(form, answers, attachment_ids=ids)
    body = [ticket.to_request() for ticket in tickets]
    for ticket in body:
        for reference in ticket.get("sys_attachments", []):
            if reference.get("id") in names:
                reference["id"] = f"(uploaded when sent: {names[reference['id']]})"
        if uuid_property:
            ticket[uuid_property] = "(the submission id, given when queued)"
    shown = [
        (field.label, display_text(field, result.values[field.key]))
        for field in form.fields
        # Rich text is shown rendered below, under the same label.
        if field.key in result.values and field.type not in (FieldType.HIDDEN, FieldType.RICHTEXT)
    ]
    labels = {field.target: field.label for field in form.fields}
    rich = [
        (
            labels.get(key, key) if key != TicketProperty.CONTENT else _content_label(form),
            value["editorjs"],
        )
        for ticket in body
        for key, value in ticket.items()
        if isinstance(value, dict) and isinstance(value.get("editorjs"), dict)
    ]
    return TicketPreview(answers=shown, body=body, rich_texts=rich)


def _content_label(form: Form) -> str:
    field = next((f for f in form.fields if f.target == TicketProperty.CONTENT), None)
    return field.label if field is not None else "Ticket text"


class ReviewView(QScrollArea):
    """Answers (label: value), rendered rich text, and the ticket JSON in a read-only box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # It takes focus so the keyboard can scroll the answers: say what it is.
        self.setAccessibleName("Review before sending")
        self.setAccessibleDescription("Your answers as they will be sent; arrow keys scroll")
        body = QWidget(self)
        self._layout = QVBoxLayout(body)
        heading = QLabel("Check your answers before sending", body)
        heading.setObjectName("review_title")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        self._layout.addWidget(heading)
        self.answers_box = QWidget(body)
        self.answers_layout = QFormLayout(self.answers_box)
        self.answers_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._layout.addWidget(self.answers_box)
        self.rich_box = QWidget(body)
        self.rich_layout = QVBoxLayout(self.rich_box)
        self.rich_layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.rich_box)
        caption = QLabel("Ticket body that will be sent (JSON)", body)
        self._layout.addWidget(caption)
        self.json_view = QPlainTextEdit(body)
        self.json_view.setObjectName("ticket_json")
        self.json_view.setReadOnly(True)
        self.json_view.setAccessibleName("Ticket body that will be sent")
        self.json_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.json_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_view.setMinimumHeight(self.json_view.fontMetrics().lineSpacing() * 14)
        caption.setBuddy(self.json_view)
        self._layout.addWidget(self.json_view, 1)
        self.setWidget(body)
        self.preview: TicketPreview | None = None

    def show_preview(self, preview: TicketPreview) -> None:
        """Show a new review."""
        self.preview = preview
        while self.answers_layout.rowCount():
            self.answers_layout.removeRow(0)
        for label, text in preview.answers:
            value = QLabel(text, self.answers_box)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setTextFormat(Qt.TextFormat.PlainText)
            self.answers_layout.addRow(label if label.endswith(("?", ":")) else f"{label}:", value)
        while self.rich_layout.count():
            taken = self.rich_layout.takeAt(0)
            old = taken.widget() if taken is not None else None
            if old is not None:
                old.setProperty("retired", True)
                old.hide()
                old.deleteLater()
        previous: QWidget = self
        for label, document in preview.rich_texts:
            title = QLabel(label, self.rich_box)
            title.setTextFormat(Qt.TextFormat.PlainText)
            self.rich_layout.addWidget(title)
            view = ContentView(document, self.rich_box)
            view.setAccessibleName(label)
            title.setBuddy(view)
            self.rich_layout.addWidget(view)
            # Made after the buttons below: put it back where it shows, before the JSON.
            QWidget.setTabOrder(previous, view)
            previous = view
        if previous is not self:
            QWidget.setTabOrder(previous, self.json_view)
        self.json_view.setPlainText(preview.json_text)

    def rich_views(self) -> list[ContentView]:
        """The rendered rich texts shown now."""
        return [w for w in self.rich_box.findChildren(ContentView) if not w.property("retired")]
