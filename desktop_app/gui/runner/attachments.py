"""Answer widget for attachments: a file list with Add…/Remove, drag and drop, limits checked at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.form.model import AttachmentLimits
from desktop_app.core.form.validation import file_name, format_number
from desktop_app.gui.runner.field_base import ERROR_STYLE, FieldWidget
from desktop_app.store.attachments import guess_mime

FileChooser = Callable[[QWidget, AttachmentLimits], list[str]]


def choose_files(parent: QWidget, limits: AttachmentLimits) -> list[str]:
    """Ask for files with the system dialog, offering only accepted types when they are extensions."""
    patterns = [f"*{e}" if e.startswith(".") else e for e in limits.accept if "/" not in e]
    name_filter = ""
    if patterns and len(patterns) == len(limits.accept):
        name_filter = f"Accepted files ({' '.join(patterns)});;All files (*)"
    paths, _ = QFileDialog.getOpenFileNames(parent, "Add files", "", name_filter)
    return list(paths)


def human_size(size: int) -> str:
    """1.2 MB, 340 KB, 12 bytes."""
    if size < 1024:
        return f"{size} bytes" if size != 1 else "1 byte"
    if size < 1024 * 1024:
        return f"{format_number(round(size / 1024, 1))} KB"
    return f"{format_number(round(size / (1024 * 1024), 1))} MB"


def accepts(accept: list[str], name: str) -> bool:
    """Whether a file name matches the form's accepted extensions or MIME types (empty: any)."""
    if not accept:
        return True
    lowered = name.lower()
    mime = guess_mime(lowered)
    for entry in (rule.strip().lower() for rule in accept):
        if "/" in entry:
            major, _, minor = entry.partition("/")
            mime_major, _, mime_minor = mime.partition("/")
            if major in ("*", mime_major) and minor in ("*", mime_minor):
                return True
        elif entry and lowered.endswith(entry if entry.startswith(".") else "." + entry):
            return True
    return False


def item_name(item: Any) -> str:
    """The name a path or {"path"/"name"} attachment answer shows."""
    if isinstance(item, Mapping):
        name = item.get("name") or item.get("path") or f"#{item.get('id')}"
        return file_name(str(name))
    return file_name(str(item))


def item_path(item: Any) -> str | None:
    """The path of a path or {"path"} attachment answer (None for uploaded {"id"} items)."""
    if isinstance(item, str):
        return item
    path = item.get("path") if isinstance(item, Mapping) else None
    return path if isinstance(path, str) else None


class AttachmentsField(FieldWidget):
    """Files to attach: Add…, Remove (or Delete), and files dropped on the field.

    Every new file is checked against the form's limits (count, size, type) when it is added;
    refused files are named in a message under the list and `files_rejected` carries it. The
    answer is the list of file paths (restored drafts may hold {"path", "name", ...} items,
    which are kept as they are). The runner copies each file into the store.
    """

    files_rejected = Signal(str)

    def _build(self) -> QWidget:
        self.choose: FileChooser = choose_files
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(box)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * 7)
        self.list.installEventFilter(self)
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add files…", box)
        self.remove_button = QPushButton("Remove", box)
        self.remove_button.setEnabled(False)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.notice = QLabel(box)
        self.notice.setObjectName("attachments_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(ERROR_STYLE)
        self.notice.hide()
        layout.addWidget(self.notice)
        limits = self.field.attachment_limits
        hint = f"Up to {limits.max_files} file(s), {format_number(limits.max_file_size_mb)} MB each"
        if limits.accept:
            hint += f"; {', '.join(limits.accept)}"
        self.add_button.setToolTip(hint + ". You can also drop files here.")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.list.itemSelectionChanged.connect(self._on_list_item_selection_changed)
        self.setAcceptDrops(True)
        self._items: list[Any] = []
        return box

    def focus_target(self) -> QWidget:
        return self.add_button

    def accessible_widgets(self) -> list[QWidget]:
        return [self.input, self.list]

    def value(self) -> list[Any] | None:
        return list(self._items) or None

    def set_value(self, value: Any) -> None:
        items = value if isinstance(value, list | tuple) else [] if value is None else [value]
        self._items = [item for item in items if isinstance(item, str | Mapping)]
        self._show_notice(None)
        self._refill()
        self.changed.emit()

    def add_files(self, paths: Iterable[str | Path]) -> list[str]:
        """Add files that pass the limits; returns (and shows) why the others were refused."""
        limits = self.field.attachment_limits
        known = {item_path(item) for item in self._items}
        problems: list[str] = []
        added = False
        for raw in paths:
            path = Path(raw)
            text = str(path)
            if text in known:
                continue  # the same file twice is a slip, not two attachments
            problem = self._refusal(path, limits)
            if problem is not None:
                problems.append(problem)
                continue
            self._items.append(text)
            known.add(text)
            added = True
        self._show_notice(" ".join(problems) or None)
        if added:
            self._refill()
            self.changed.emit()
        if problems:
            self.files_rejected.emit(" ".join(problems))
        return problems

    def remove_selected(self) -> None:
        rows = sorted({self.list.row(item) for item in self.list.selectedItems()}, reverse=True)
        if not rows:
            return
        for row in rows:
            del self._items[row]
        self._show_notice(None)
        self._refill()
        self.changed.emit()

    def notice_text(self) -> str:
        """The message about refused files, or ""."""
        return self.notice.text() if self.notice.isVisibleTo(self) else ""

    def _refusal(self, path: Path, limits: AttachmentLimits) -> str | None:
        name = path.name
        if len(self._items) >= limits.max_files:
            return f"'{name}' was not added: you can attach at most {limits.max_files} file(s)."
        if not accepts(limits.accept, name):
            return f"'{name}' was not added: only {', '.join(limits.accept)} files are accepted."
        try:
            if not path.is_file():
                return f"'{name}' was not added: it is not a file."
            size = path.stat().st_size
        except OSError as error:
            return f"'{name}' was not added: {error.strerror or error}."
        if size > limits.max_file_size_mb * 1024 * 1024:
            limit = format_number(limits.max_file_size_mb)
            return f"'{name}' was not added: it is {human_size(size)}, over the {limit} MB limit."
        return None

    def _refill(self) -> None:
        self.list.clear()
        for item in self._items:
            size = item.get("size") if isinstance(item, Mapping) else None
            if size is None and isinstance(item, str):
                try:
                    size = Path(item).stat().st_size
                except OSError:
                    size = None
            label = item_name(item) + (f" — {human_size(size)}" if isinstance(size, int) else "")
            row = QListWidgetItem(label, self.list)
            path = item_path(item)
            if path is not None and not path.startswith("sha256:"):
                row.setToolTip(path)
        self.list.setVisible(bool(self._items))
        self.remove_button.setEnabled(False)

    def _show_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setAccessibleName(text or "")
        self.notice.setVisible(text is not None)

    def _on_add_button_clicked(self) -> None:
        paths = self.choose(self, self.field.attachment_limits)
        if paths:
            self.add_files(paths)

    def _on_remove_button_clicked(self) -> None:
        self.remove_selected()

    def _on_list_item_selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self.remove_selected()
            return True
        return super().eventFilter(watched, event)

    # --- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)
