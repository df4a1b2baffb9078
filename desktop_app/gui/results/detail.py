"""The detail pane: one submission's answers, the ticket sent, the server's reply and its attempts."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QStyle,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.enums import AttachmentStatus
from desktop_app.core.form.mapping import display_text
from desktop_app.core.form.model import FieldType, Form
from desktop_app.gui.editorjs.preview import EditorJsPreview
from desktop_app.gui.results.rows import HELD_MESSAGE, STATUS_LABELS, is_held, local_time
from desktop_app.outbox import stored_messages
from desktop_app.outbox.messages import field_key_for
from desktop_app.outbox.preparation import NotReady, build
from desktop_app.store import AttemptRecord, Status, Store, StoreError, SubmissionRecord

GENERAL = "(whole ticket)"
_MAX_COLUMN_WIDTH = 360
_NO_SELECTION = "Select a submission to see its answers, the ticket sent and the server's reply."


def pretty_json(text: str | None) -> str:
    if not text:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def messages_by_field(record: SubmissionRecord, form: Form | None) -> dict[str, list[str]]:
    """The server's messages keyed by the form question they concern; GENERAL for the rest."""
    keys = {field.key for field in form.fields} if form is not None else set()
    found: dict[str, list[str]] = {}
    for message in stored_messages(record.messages):
        key = message.field_key if message.field_key in keys else None
        if key is None and message.property in keys:
            key = message.property
        if key is None and form is not None:
            key = field_key_for(form, message.property)
        if key is None:
            found.setdefault(GENERAL, []).append(message.located())
        else:
            found.setdefault(key, []).append(message.text)
    return found


def _status_name(status: AttachmentStatus | None) -> str:
    if status is None:
        return ""
    return (status.name or str(int(status))).replace("_", " ").lower()


def _read_only_text(name: str) -> QPlainTextEdit:
    text = QPlainTextEdit()
    text.setReadOnly(True)
    text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    text.setFont(QFont("monospace"))
    text.setAccessibleName(name)
    return text


def _tree(name: str, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setWordWrap(True)
    tree.setAccessibleName(name)
    return tree


class DetailPane(QWidget):
    """Shows one submission (`show_submission`); read-only, reloaded from the store each time."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.submission_id: str | None = None
        self.header = QLabel(_NO_SELECTION)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.answers_tree = _tree("Answers", ["Question", "Answer", "Server message"])
        self.sent_text = _read_only_text("Ticket sent")
        self.reply_text = _read_only_text("Server reply")
        self.ticket_preview = EditorJsPreview()
        self.ticket_preview.setAccessibleName("Returned ticket text")
        self.attachments_tree = _tree("Returned attachments", ["Attachment", "Status", "Size"])
        self.attempts_tree = _tree(
            "Attempts", ["Started", "Duration", "HTTP", "Outcome", "Message"]
        )
        reply = QSplitter(Qt.Orientation.Vertical)
        reply.addWidget(self.ticket_preview)
        reply.addWidget(self.attachments_tree)
        reply.addWidget(self.reply_text)
        self.tabs.addTab(self.answers_tree, "&Answers")
        self.tabs.addTab(self.sent_text, "Ticket &sent")
        self.tabs.addTab(reply, "&Reply")
        self.tabs.addTab(self.attempts_tree, "A&ttempts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.tabs.setEnabled(False)

    def show_submission(self, submission_id: str | None) -> None:
        """Show this submission (None clears); a store error shows in the header."""
        self.submission_id = submission_id
        if submission_id is None:
            self._clear(_NO_SELECTION)
            return
        try:
            record = self._store.submission(submission_id)
            attempts = self._store.attempts(submission_id)
        except StoreError as error:
            self._clear(str(error))
            return
        self.tabs.setEnabled(True)
        try:
            form: Form | None = record.form
        except StoreError:
            form = None
        self.header.setText(self._header_text(record))
        self._fill_answers(record, form)
        self.sent_text.setPlainText(self._sent_text(record))
        self._fill_reply(record, attempts)
        self._fill_attempts(attempts)

    def reload(self) -> None:
        self.show_submission(self.submission_id)

    # -- parts ------------------------------------------------------------------------------

    def _clear(self, text: str) -> None:
        self.header.setText(text)
        self.tabs.setEnabled(False)
        for tree in (self.answers_tree, self.attempts_tree, self.attachments_tree):
            tree.clear()
        self.sent_text.clear()
        self.reply_text.clear()
        self.ticket_preview.clear()

    def _header_text(self, record: SubmissionRecord) -> str:
        parts = [f"{STATUS_LABELS[record.status]}: {record.summary}"]
        if record.ticket_id is not None:
            parts.append(f"ticket #{record.ticket_id}")
        parts.append(f"{record.form_id} v{record.form_version} → {record.profile}")
        text = " · ".join(parts) + f"\nSubmission {record.id}"
        if record.last_message:
            text += f"\n{record.last_message}"
        if record.status is Status.FAILED and record.next_attempt_at is not None:
            text += f"\nNext try: {local_time(record.next_attempt_at)}"
        if is_held(record):
            text += f"\n{HELD_MESSAGE}"
        return text

    def _fill_answers(self, record: SubmissionRecord, form: Form | None) -> None:
        tree = self.answers_tree
        tree.clear()
        messages = messages_by_field(record, form)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        answers = record.answers_with_attachments()
        rows: list[tuple[str, str, str]] = []
        if GENERAL in messages:
            rows.append((GENERAL, "", GENERAL))
        if form is not None:
            for field in form.fields:
                if field.type is FieldType.HIDDEN:
                    continue
                rows.append((field.label, display_text(field, answers.get(field.key)), field.key))
        else:
            rows.extend((key, json.dumps(value), key) for key, value in answers.items())
        for label, answer, key in rows:
            item = QTreeWidgetItem([label, answer, "\n".join(messages.get(key, []))])
            item.setData(0, Qt.ItemDataRole.UserRole, key)
            if key in messages:
                item.setIcon(2, warning)
                item.setToolTip(2, item.text(2))
            tree.addTopLevelItem(item)
        for column in (0, 1):
            tree.resizeColumnToContents(column)
            tree.setColumnWidth(column, min(tree.columnWidth(column), _MAX_COLUMN_WIDTH))

    def _sent_text(self, record: SubmissionRecord) -> str:
        try:
            profile = self._store.profile(record.profile)
            tickets = build(self._store, record, profile)
        except (StoreError, NotReady) as error:
            return f"The ticket cannot be rebuilt: {error}"
        body: Any = [t.model_dump(mode="json", exclude_none=True) for t in tickets]
        note = "// Rebuilt from the stored answers and form version, as the outbox sends it.\n"
        return note + json.dumps(body[0] if len(body) == 1 else body, indent=2, ensure_ascii=False)

    def _fill_reply(self, record: SubmissionRecord, attempts: list[AttemptRecord]) -> None:
        finished = [attempt for attempt in attempts if attempt.outcome_json]
        parts: list[str] = []
        if finished:
            parts.append("// The server's reply to the last attempt\n")
            parts.append(pretty_json(finished[-1].outcome_json))
        if record.ticket_json:
            parts.append("\n\n// The ticket DeskHero returned\n")
            parts.append(pretty_json(record.ticket_json))
        self.reply_text.setPlainText("".join(parts) or "No reply from the server yet.")
        self.attachments_tree.clear()
        try:
            ticket = record.ticket
        except ValueError:
            ticket = None
        if ticket is not None and ticket.sys_content_rich is not None:
            self.ticket_preview.set_document(ticket.sys_content_rich)
        else:
            self.ticket_preview.clear()
        for attachment in (ticket.sys_attachments or []) if ticket is not None else []:
            label = attachment.label if isinstance(attachment.label, str) else None
            status = attachment.status_message or _status_name(attachment.status)
            size = "" if attachment.size_kb is None else f"{attachment.size_kb} KB"
            self.attachments_tree.addTopLevelItem(
                QTreeWidgetItem([label or f"#{attachment.id}", status, size])
            )
        self.attachments_tree.setVisible(self.attachments_tree.topLevelItemCount() > 0)

    def _fill_attempts(self, attempts: list[AttemptRecord]) -> None:
        tree = self.attempts_tree
        tree.clear()
        for attempt in attempts:
            duration = "" if attempt.duration_ms is None else f"{attempt.duration_ms} ms"
            http = "" if attempt.http_status is None else str(attempt.http_status)
            outcome = attempt.outcome_kind or "in flight"
            item = QTreeWidgetItem(
                [local_time(attempt.started_at), duration, http, outcome, attempt.message or ""]
            )
            item.setToolTip(4, attempt.message or "")
            tree.addTopLevelItem(item)
