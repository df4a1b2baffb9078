"""Answer widget for attachments: add, drop or paste files; list, reorder, open and preview them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.core.form.model import AttachmentLimits
from desktop_app.gui.runner.attachments_items import (
    Entry,
    accepts,
    entry_for,
    file_refusal,
    human_size,
    item_name,
    item_path,
    pasted_name,
    pending_entry,
    refusal,
    stored_entry,
)
from desktop_app.gui.runner.attachments_jobs import failure_text, run_job, store_png, viewable_copy
from desktop_app.gui.runner.attachments_model import AttachmentsModel
from desktop_app.gui.runner.attachments_view import (
    AttachmentsPanel,
    choose_files,
    clipboard_content,
    local_files,
)
from desktop_app.gui.runner.field_base import FieldWidget
from desktop_app.store import AttachmentStore, StoredFile

__all__ = ["AttachmentsField", "accepts", "choose_files", "human_size", "item_name", "item_path"]

FileChooser = Callable[[QWidget, AttachmentLimits], list[str]]
Opener = Callable[[QUrl], bool]


class AttachmentsField(FieldWidget):
    """Files to attach: Add…, Paste (Ctrl+V), drop; Remove (Del), Move up/down (Alt+↑/↓), Open.

    Every new file is checked against the form's limits (count, size, type) at once; refused
    files are named in a message under the list and `files_rejected` carries it. With a store
    (`use_store`), each file is copied into it as soon as it is attached, in the asyncio
    executor when a loop runs (the row says "copying…" meanwhile), and the answer item becomes
    {"path": "sha256:…", "name", "size", "type"}; without one the answer holds plain paths.
    """

    files_rejected = Signal(str)

    def _build(self) -> QWidget:
        self.choose: FileChooser = choose_files
        self.opener: Opener = QDesktopServices.openUrl
        self._files: AttachmentStore | None = None
        self.model = AttachmentsModel(self)
        box = AttachmentsPanel(self.model, self.field.attachment_limits, self)
        self.splitter, self.view, self.preview = box.splitter, box.view, box.preview
        self.notice, buttons = box.notice, box.buttons
        self.add_button, self.paste_button = buttons.add, buttons.paste
        self.remove_button, self.open_button = buttons.remove, buttons.open
        self.up_button, self.down_button = buttons.up, buttons.down
        self.preview_button = buttons.preview
        self.view.installEventFilter(self)
        paste = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self._on_paste_requested)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.paste_button.clicked.connect(self._on_paste_requested)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.up_button.clicked.connect(self._on_up_button_clicked)
        self.down_button.clicked.connect(self._on_down_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.preview_button.toggled.connect(self._on_preview_button_toggled)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.files_dropped.connect(self._on_view_files_dropped)
        self.view.row_dropped.connect(self._on_view_row_dropped)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._update)
        self.model.rowsRemoved.connect(self._update)
        self.model.rowsInserted.connect(self._update)
        self.model.dataChanged.connect(self._on_model_data_changed)
        self.setAcceptDrops(True)
        self._update()
        return box

    def focus_target(self) -> QWidget:
        return self.add_button

    def accessible_widgets(self) -> list[QWidget]:
        return [self.input, self.view]

    def use_store(self, files: AttachmentStore) -> None:
        """Copy files into `files` when attached, and open and preview the stored copies."""
        self._files = files
        self.model.set_entries(
            e if e.copying else entry_for(e.item, files) for e in self.model.entries()
        )

    # --- the answer ---------------------------------------------------------------------------

    def value(self) -> list[Any] | None:
        """The attached files; files still being copied join the answer when their copy is done."""
        return [e.item for e in self.model.entries() if not e.copying] or None

    def set_value(self, value: Any) -> None:
        items = value if isinstance(value, list | tuple) else [] if value is None else [value]
        kept = [item for item in items if isinstance(item, str | Mapping)]
        self.model.set_entries(entry_for(item, self._files) for item in kept)
        self._show_notice(None)
        self.changed.emit()

    def is_copying(self) -> bool:
        """True while a file is still being copied into the store."""
        return any(e.copying for e in self.model.entries())

    def copying_message(self) -> str:
        names = ", ".join(f"'{e.name}'" for e in self.model.entries() if e.copying)
        return f"Wait a moment: {names} is still being copied into DeskForms." if names else ""

    def notice_text(self) -> str:
        """The message about refused files, or ""."""
        return self.notice.text() if self.notice.isVisibleTo(self) else ""

    # --- adding ---------------------------------------------------------------------------------

    def add_files(self, paths: Iterable[str | Path]) -> list[str]:
        """Add files that pass the limits; returns (and shows) why the others were refused."""
        limits = self.field.attachment_limits
        known = {e.source for e in self.model.entries()} | {
            item_path(e.item) for e in self.model.entries() if not e.copying
        }
        problems: list[str] = []
        added = False
        for raw in paths:
            path = Path(raw)
            text = str(path)
            if text in known:
                continue  # the same file twice is a slip, not two attachments
            problem = file_refusal(path, self.model.rowCount(), limits)
            if problem is not None:
                problems.append(problem)
                continue
            known.add(text)
            files = self._files
            if files is None:
                self.model.append(entry_for(text, None))
                added = True
                continue
            entry = pending_entry(path.name, path.stat().st_size, text)
            self.model.append(entry)
            run_job(self, partial(files.add_file, path), partial(self._on_copied, entry.token))
        self._refuse(problems)
        if added:
            self.changed.emit()
        return problems

    def paste(self) -> list[str]:
        """Attach what the clipboard holds: files, or an image as a PNG; text is refused."""
        return self.paste_data(QApplication.clipboard().mimeData())

    def paste_data(self, data: QMimeData | None) -> list[str]:
        paths, image, refused = clipboard_content(data)
        if paths:
            return self.add_files(paths)
        if image is not None:
            return self._paste_image(image)
        self._refuse([refused])
        return [refused]

    def _paste_image(self, image: QImage) -> list[str]:
        limits = self.field.attachment_limits
        name = pasted_name(datetime.now(), {e.name for e in self.model.entries()})
        problem = refusal(name, None, self.model.rowCount(), limits)
        files = self._files
        if problem is None and files is None:
            problem = f"'{name}' was not added: pasted images need DeskForms' data folder."
        if problem is not None or files is None:
            self._refuse([problem or ""])
            return [problem or ""]
        self._show_notice(None)
        entry = pending_entry(name, None, None)
        self.model.append(entry)
        max_bytes = limits.max_file_size_mb * 1024 * 1024
        work = partial(store_png, files, image.copy(), name, max_bytes)
        run_job(self, work, partial(self._on_copied, entry.token))
        return []

    def _on_copied(self, token: int, stored: StoredFile | None, error: Exception | None) -> None:
        row = self.model.row_of_token(token)
        if row is None:
            return  # removed, or the answers were replaced, while it was copying
        pending = self.model.entry(row)
        if stored is None or self._files is None:
            self.model.remove_rows([row])
            self._refuse([failure_text(pending.name, error)])
            return
        self.model.replace(row, stored_entry(pending, stored, self._files))
        self.changed.emit()

    # --- list actions -----------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.view.selectionModel().selectedRows()})

    def remove_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        self.model.remove_rows(rows)
        self._show_notice(None)
        self.changed.emit()

    def move_selected(self, step: int) -> bool:
        """Move the selected file up (-1) or down (+1); the answer's order follows."""
        rows = self.selected_rows()
        if len(rows) != 1:
            return False
        return self._move(rows[0], rows[0] + step)

    def _move(self, row: int, to: int) -> bool:
        if not self.model.move_row(row, to):
            return False
        self.view.setCurrentIndex(self.model.index(to))
        self._update()  # the selection moved with the row, so it did not announce a change
        self.changed.emit()
        return True

    def open_row(self, row: int) -> bool:
        """Open the attached copy with the system viewer (via `opener`); False if it cannot."""
        entry = self.model.entry(row)
        local, sha256 = entry.local, entry.sha256
        if entry.copying or local is None:
            self._show_notice(f"'{entry.name}' cannot be opened: it is not on this computer yet.")
            return False
        if sha256 is None:
            return self.opener(QUrl.fromLocalFile(str(local)))
        work = partial(viewable_copy, local, sha256, entry.name)
        run_job(self, work, partial(self._on_viewable, entry.name))
        return True

    def _on_viewable(self, name: str, path: Path | None, error: Exception | None) -> None:
        if path is None:
            self._show_notice(failure_text(name, error, "opened"))
        elif not self.opener(QUrl.fromLocalFile(str(path))):
            self._show_notice(f"No program is set up to open '{path.name}'.")

    # --- showing ------------------------------------------------------------------------------

    def _refuse(self, problems: list[str]) -> None:
        self._show_notice(" ".join(problems) or None)
        if problems:
            self.files_rejected.emit(" ".join(problems))

    def _show_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setAccessibleName(text or "")
        self.notice.setVisible(text is not None)

    def _update(self) -> None:
        rows = self.selected_rows()
        count = self.model.rowCount()
        self.splitter.setVisible(count > 0)
        self.remove_button.setEnabled(bool(rows))
        self.up_button.setEnabled(len(rows) == 1 and rows[0] > 0)
        self.down_button.setEnabled(len(rows) == 1 and rows[0] < count - 1)
        current = self.view.currentIndex()
        entry = self.model.entry(current.row()) if current.isValid() and rows else None
        self.open_button.setEnabled(entry is not None and not entry.copying)
        self._show_preview(entry)

    def _show_preview(self, entry: Entry | None) -> None:
        if not self.preview.isVisibleTo(self.splitter):
            return
        if entry is None:
            self.preview.show_entry(None)
        else:
            self.preview.show_entry(entry, self.model.icon(entry), self.model.type_text(entry))

    # --- handlers -------------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        paths = self.choose(self, self.field.attachment_limits)
        if paths:
            self.add_files(paths)

    def _on_paste_requested(self) -> None:
        self.paste()

    def _on_remove_button_clicked(self) -> None:
        self.remove_selected()

    def _on_up_button_clicked(self) -> None:
        self.move_selected(-1)

    def _on_down_button_clicked(self) -> None:
        self.move_selected(1)

    def _on_open_button_clicked(self) -> None:
        if self.view.currentIndex().isValid():
            self.open_row(self.view.currentIndex().row())

    def _on_preview_button_toggled(self, checked: bool) -> None:
        self.preview.setVisible(checked)
        self._update()

    def _on_view_double_clicked(self, index: Any) -> None:
        self.open_row(index.row())

    def _on_view_files_dropped(self, paths: list[str]) -> None:
        self.add_files(paths)

    def _on_view_row_dropped(self, row: int, to: int) -> None:
        self._move(row, to)

    def _on_selection_changed(self) -> None:
        self._update()

    def _on_model_data_changed(self, _top: Any, _bottom: Any, roles: list[int]) -> None:
        if roles != [Qt.ItemDataRole.DecorationRole]:  # a thumbnail changes nothing else
            self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, alt = event.key(), event.modifiers() == Qt.KeyboardModifier.AltModifier
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_selected()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.view.currentIndex().isValid():
                self.open_row(self.view.currentIndex().row())
                return True
            if alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move_selected(-1 if key == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)

    # --- files dropped on the rest of the field -------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)
