"""FormRunner: fill a form page by page, autosaved as a draft, reviewed, then queued to send."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.form.conditions import Visibility, visibility
from desktop_app.core.form.mapping import answers_summary
from desktop_app.core.form.model import FieldType, Form
from desktop_app.core.form.validation import validate_answers
from desktop_app.gui.runner.attachments import AttachmentsField
from desktop_app.gui.runner.copies import AttachmentCopies
from desktop_app.gui.runner.field_base import FieldWidget
from desktop_app.gui.runner.page import PageView
from desktop_app.gui.runner.review import ReviewView, ticket_preview
from desktop_app.gui.runner.status import MessageLine, PageIndicator
from desktop_app.store import Store, StoredFile, StoreError

# However fast someone keeps typing, no change waits longer than this to be saved.
MAX_AUTOSAVE_WAIT_MS = 1000


def _name_button(button: QPushButton, name: str, tip: str) -> None:
    """A screen reader hears `name`; the tooltip says what the button does and its shortcut."""
    button.setAccessibleName(name)
    shortcut = QKeySequence.mnemonic(button.text())
    keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
    button.setToolTip(f"{tip} ({keys})" if keys else tip)


class FormRunner(QWidget):
    """Fill one form: pages with Back/Next, live conditions, inline validation, Review, Send.

    Every change is saved as a draft after `autosave_ms` of quiet (at most a second after the
    first unsaved change, and on close); `draft_saved` carries the draft id. **Send** queues
    the answers in the store's outbox (the draft goes in the same transaction), emits `queued`
    with the submission id and resets the form for the next ticket; the outbox engine sends.
    Store errors show in the message line above the buttons. `sent(submission_id, text)` follows
    once the form is reset, with the "Queued …" line it shows.

    The Send button goes through `request_send`, which first asks "Send this ticket to …?"
    (a non-blocking message box) when `confirm_send` is set; `send` itself never asks.

    A corrected copy of a rejected submission names it in `replaces` (or its draft does):
    sending cancels that submission in the same transaction. `server_errors` (field key ->
    the server's message) show next to their fields until the answer is changed; they do not
    keep the form from being sent again.
    """

    draft_saved = Signal(str)
    queued = Signal(str)
    sent = Signal(str, str)

    def __init__(
        self,
        form: Form,
        store: Store,
        profile_name: str,
        parent: QWidget | None = None,
        *,
        draft_id: str | None = None,
        autosave_ms: int = 800,
        replaces: str | None = None,
        server_errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.store = store
        self.profile_name = profile_name
        self._draft_id: str | None = None
        self._replaces = replaces
        self._server_errors: dict[str, str] = {}
        self._loading = False
        self._dirty = False
        self._copies = AttachmentCopies(store.attachments)
        self._copy_problems: dict[str, str] = {}
        self._autosave_ms = autosave_ms
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.timeout.connect(self._on_autosave_timeout)
        self._unsaved_since = QElapsedTimer()
        self.confirm_send = False  # the Send button asks first (the app's settings set this)
        self.confirm_box: QMessageBox | None = None  # the question while it is open
        self._build()
        self.fields: dict[str, FieldWidget] = {}
        for page in self.pages:
            self.fields.update(page.fields)
        for widget in self.fields.values():
            widget.changed.connect(partial(self._on_field_changed, widget))
            widget.editing_finished.connect(partial(self._on_field_editing_finished, widget))
            if isinstance(widget, AttachmentsField):
                widget.use_store(store.attachments)  # files are copied the moment they are attached
        self._shown: Visibility = visibility(form, {})
        self._refresh()
        if draft_id is not None:
            self._restore(draft_id)
        self._go_to(self._visible_pages()[0] if self._visible_pages() else len(self.pages))
        if server_errors:
            self.show_server_errors(server_errors)

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        title = QLabel(self.form.title, self)
        title.setObjectName("form_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        layout.addWidget(title)
        if self.form.description:
            description = QLabel(self.form.description, self)
            description.setObjectName("form_description")
            description.setWordWrap(True)
            layout.addWidget(description)
        self.indicator = PageIndicator(self)
        self.page_label, self.progress = self.indicator.label, self.indicator.progress
        layout.addWidget(self.indicator)
        self.stack = QStackedWidget(self)
        self.pages = [
            PageView(page, index, self.stack) for index, page in enumerate(self.form.pages)
        ]
        for page in self.pages:
            self.stack.addWidget(page)
        self.review = ReviewView(self.stack)
        self.stack.addWidget(self.review)
        layout.addWidget(self.stack, 1)
        self.message_line = MessageLine(self)
        layout.addWidget(self.message_line)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("← &Back", self)
        self.next_button = QPushButton("&Next →", self)
        self.review_button = QPushButton("&Review", self)
        self.send_button = QPushButton("&Send", self)
        _name_button(self.back_button, "Previous page", "Go back to the previous page")
        _name_button(self.next_button, "Next page", "Check this page and go to the next one")
        _name_button(self.review_button, "Review the ticket", "Check every answer and review")
        _name_button(
            self.send_button,
            "Send the ticket",
            "Queue the ticket; the outbox sends it in the background",
        )
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.next_button, self.review_button, self.send_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.review_button.clicked.connect(self._on_review_button_clicked)
        self.send_button.clicked.connect(self._on_send_button_clicked)

    # --- answers --------------------------------------------------------------------------

    @property
    def draft_id(self) -> str | None:
        """The draft the answers are saved in (None until the first change is saved)."""
        return self._draft_id

    @property
    def replaces(self) -> str | None:
        """The submission that sending these answers replaces (a corrected copy), if any."""
        return self._replaces

    def show_server_errors(self, errors: Mapping[str, str]) -> None:
        """Show the server's message next to each field it names (unknown keys are skipped)
        and go to the first; each stays until that answer changes."""
        self._server_errors = {key: text for key, text in errors.items() if key in self.fields}
        flagged = [w for w in self.fields.values() if w.field.key in self._server_errors]
        for widget in flagged:
            widget.set_error(self._server_errors[widget.field.key])
        if flagged:
            page = next(p for p in self.pages if flagged[0].field.key in p.fields)
            if self._shown.page_visible(page.index):
                self._go_to(page.index)

    def answers(self) -> dict[str, Any]:
        """The answers in the form format; fields without an answer are left out."""
        values = {key: widget.value() for key, widget in self.fields.items()}
        return {key: value for key, value in values.items() if value is not None}

    def load_answers(self, answers: Mapping[str, Any]) -> None:
        """Show these answers (e.g. a restored draft); fields they do not name are cleared.

        Loading is not an edit, so it is not saved by itself; the next change is.
        """
        self._loading = True
        try:
            for key, widget in self.fields.items():
                widget.set_value(answers.get(key))
                widget.set_error(None)
        finally:
            self._loading = False
        self._copy_problems.clear()
        self._server_errors.clear()
        self._refresh()
        self._go_to(self._visible_pages()[0] if self._visible_pages() else len(self.pages))

    def reset(self) -> None:
        """Empty the form (defaults shown) for the next ticket; the next change starts a draft."""
        self._autosave.stop()
        self._unsaved_since.invalidate()
        self._dirty = False
        self._draft_id = None
        self._replaces = None
        self.load_answers({f.key: f.default for f in self.form.fields if f.default is not None})

    def message(self) -> str:
        """The message line's text ("" when none is shown)."""
        return self.message_line.message()

    def field_widget(self, key: str) -> FieldWidget:
        return self.fields[key]

    def _restore(self, draft_id: str) -> None:
        try:
            record = self.store.draft(draft_id)
        except StoreError as error:
            self.message_line.show_message(str(error), "restore", error=True)
            return
        self.load_answers(record.answers_with_attachments())
        self._draft_id = draft_id
        self._replaces = self._replaces or record.replaces

    # --- autosave -------------------------------------------------------------------------

    def save_draft(self) -> str | None:
        """Save unsaved changes now; the draft id, or None when saving failed (message shown)."""
        self._autosave.stop()
        self._unsaved_since.invalidate()
        if not self._dirty:
            return self._draft_id
        files, _problems = self._stored_files()
        try:
            self._draft_id = self.store.save_draft(
                self.form,
                self.answers(),
                draft_id=self._draft_id,
                attachments=files,
                replaces=self._replaces,
            )
        except StoreError as error:
            text = f"Your answers could not be saved: {error}"
            self.message_line.show_message(text, "save", error=True)
            return None
        self._dirty = False
        self.message_line.clear_kind("save")
        self.draft_saved.emit(self._draft_id)
        return self._draft_id

    def _schedule_autosave(self) -> None:
        self._dirty = True
        if not self._unsaved_since.isValid():
            self._unsaved_since.start()
        cap = max(self._autosave_ms, MAX_AUTOSAVE_WAIT_MS)
        remaining = cap - self._unsaved_since.elapsed()
        self._autosave.start(max(0, min(self._autosave_ms, remaining)))

    def _stored_files(self) -> tuple[dict[str, list[StoredFile]], dict[str, str]]:
        """Every attachments field's stored copies (copied now if new) and copy problems."""
        files: dict[str, list[StoredFile]] = {}
        problems: dict[str, str] = {}
        for key, widget in self.fields.items():
            if widget.field.type is FieldType.ATTACHMENTS:
                files[key], found = self._copies.stored_all(widget.value() or [])
                if found:
                    problems[key] = " ".join(found)
        self._copy_problems = problems
        return files, problems

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_draft()
        super().closeEvent(event)

    # --- conditions and validation ----------------------------------------------------------

    def _refresh(self) -> None:
        self._shown = visibility(self.form, self.answers())
        for page in self.pages:
            page.apply(self._shown)
        self._update_navigation()

    def _visible_pages(self) -> list[int]:
        return [index for index in range(len(self.pages)) if self._shown.page_visible(index)]

    def _check(self, widgets: list[FieldWidget]) -> list[FieldWidget]:
        """Show each widget's errors (or none); the ones with errors, in order."""
        errors = validate_answers(self.form, self.answers()).errors
        invalid = []
        for widget in widgets:
            texts = list(errors.get(widget.field.key, []))
            if widget.field.key in self._copy_problems:
                texts.append(self._copy_problems[widget.field.key])
            server = self._server_errors.get(widget.field.key)
            widget.set_error(" ".join([*texts, server] if server else texts) or None)
            if texts:
                invalid.append(widget)
        return invalid

    def _focus_first(self, invalid: list[FieldWidget]) -> None:
        first = invalid[0]
        page = next(p for p in self.pages if first.field.key in p.fields)
        self._go_to(page.index)
        page.ensureWidgetVisible(first)
        first.focus_input()

    # --- navigation -------------------------------------------------------------------------

    def current_page(self) -> int | None:
        """The index of the form page shown, None on the review page."""
        index = self.stack.currentIndex()
        return index if index < len(self.pages) else None

    def is_reviewing(self) -> bool:
        return self.current_page() is None

    def go_next(self) -> bool:
        """Check the page; if it is fine, go to the next page that shows (False if it stayed)."""
        current = self.current_page()
        if current is None:
            return False
        invalid = self._check(self.pages[current].visible_fields())
        if invalid:
            self._focus_first(invalid)
            return False
        following = [index for index in self._visible_pages() if index > current]
        if not following:
            return self.go_review()
        self._go_to(following[0])
        return True

    def go_back(self) -> bool:
        """Go to the previous page that shows (from Review: the last one); False if none."""
        current = self.current_page()
        shown = self._visible_pages()
        earlier = [i for i in shown if current is None or i < current]
        if not earlier:
            return False
        self._go_to(earlier[-1])
        return True

    def go_review(self) -> bool:
        """Check every page; show Review, or the first field to fix (False)."""
        shown = [w for index in self._visible_pages() for w in self.pages[index].visible_fields()]
        copying = [w for w in shown if isinstance(w, AttachmentsField) and w.is_copying()]
        if copying:  # a file still being copied would be left out of the ticket
            self.message_line.show_message(copying[0].copying_message(), "review", error=True)
            self._focus_first([copying[0]])
            return False
        self._stored_files()
        invalid = self._check(shown)
        if invalid:
            self._focus_first(invalid)
            return False
        try:
            preview = ticket_preview(self.form, self.answers(), uuid_property=self._uuid_property())
        except ValueError as error:
            text = f"The ticket cannot be built: {error}"
            self.message_line.show_message(text, "review", error=True)
            return False
        self.review.show_preview(preview)
        self._go_to(len(self.pages))
        return True

    def _uuid_property(self) -> str | None:
        try:
            return self.store.profile(self.profile_name).settings.ticket_uuid_property
        except StoreError:
            return None  # Send says so, in words

    def send(self) -> str | None:
        """Queue the answers for sending; the submission id, or None (the reason is shown)."""
        if not self.go_review():
            return None
        files, problems = self._stored_files()
        if problems:
            self._check([self.fields[key] for key in problems])
            self._focus_first([self.fields[key] for key in problems])
            return None
        answers = self.answers()
        self._autosave.stop()  # a save after queueing would bring the draft back
        try:
            submission_id = self.store.queue_submission(
                self.form,
                answers,
                self.profile_name,
                draft_id=self._draft_id,
                attachments=files,
                replaces=self._replaces,
            )
        except StoreError as error:
            self.message_line.show_message(f"Not queued: {error}", "send", error=True)
            if self._dirty:
                self._schedule_autosave()
            return None
        self._dirty = False
        replaced = self._replaces
        self.queued.emit(submission_id)
        self.reset()
        summary = answers_summary(self.form, answers)
        queued = f"Queued “{summary}”"
        if replaced is not None:
            queued += f" in place of submission {replaced[:8]}"
        if self.store.hold_new:
            text = f"{queued}: it waits in Outbox & results until you press Send now there."
        else:
            text = f"{queued}: the outbox sends it in the background."
        self.message_line.show_message(text, "queued")
        self.sent.emit(submission_id, text)
        return submission_id

    def request_send(self) -> None:
        """What the Send button does: `send`, after a "Send this ticket?" when `confirm_send`.

        The question is a window-modal box that does not block the event loop (the outbox
        keeps sending meanwhile); only Yes queues the ticket.
        """
        if not self.confirm_send:
            self.send()
            return
        if self.confirm_box is not None:
            self.confirm_box.raise_()
            return
        if not self.go_review():  # nothing to confirm while answers are missing
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Send ticket",
            f"Send this ticket to '{self.profile_name}'?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_confirm_box_finished)
        self.confirm_box = box
        box.open()

    def _go_to(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self._update_navigation()

    def _update_navigation(self) -> None:
        shown = self._visible_pages()
        current = self.current_page()
        position = None if current is None else shown.index(current) + 1 if current in shown else 1
        self.indicator.show_page(position, len(shown))
        for number, index in enumerate(shown, start=1):
            self.pages[index].set_position(number, len(shown))
        later = current is not None and any(i > current for i in shown)
        earlier = any(current is None or i < current for i in shown)
        self.back_button.setEnabled(earlier)
        self.next_button.setVisible(later)
        self.review_button.setVisible(current is not None and not later)
        self.send_button.setVisible(current is None)

    # --- handlers ---------------------------------------------------------------------------

    def _on_field_changed(self, widget: FieldWidget) -> None:
        if self._loading:
            return
        self._server_errors.pop(widget.field.key, None)  # the answer it was about changed
        self.message_line.clear_kind("queued", "review", "send", "restore")
        self._refresh()
        if widget.field.type is FieldType.ATTACHMENTS:
            self._stored_files()  # copy new files into the store the moment they are attached
            self._check([widget])
        elif widget.error() is not None:
            self._check([widget])  # once flagged, the error goes as soon as it is fixed
        self._schedule_autosave()

    def _on_field_editing_finished(self, widget: FieldWidget) -> None:
        if not widget.isHidden() and self._shown.field_visible(widget.field.key):
            self._check([widget])

    def _on_autosave_timeout(self) -> None:
        self.save_draft()

    def _on_back_button_clicked(self) -> None:
        self.go_back()

    def _on_next_button_clicked(self) -> None:
        self.go_next()

    def _on_review_button_clicked(self) -> None:
        self.go_review()

    def _on_send_button_clicked(self) -> None:
        self.request_send()

    def _on_confirm_box_finished(self, _result: int) -> None:
        box, self.confirm_box = self.confirm_box, None
        if box is None:
            return
        clicked = box.clickedButton()  # None when closed without a button: not a Yes
        if clicked is not None and box.standardButton(clicked) == QMessageBox.StandardButton.Yes:
            self.send()
