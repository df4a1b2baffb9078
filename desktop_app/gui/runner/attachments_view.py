"""The attachments list view: drop files on it, drag rows to reorder them."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.form.model import AttachmentLimits
from desktop_app.core.form.validation import format_number
from desktop_app.gui.runner.attachments_model import ROW_MIME, THUMBNAIL_SIDE, AttachmentsModel
from desktop_app.gui.runner.attachments_preview import PreviewPane
from desktop_app.gui.runner.field_base import ERROR_STYLE


def local_files(data: QMimeData | None) -> list[str]:
    """The local files a drag or the clipboard carries."""
    if data is None or not data.hasUrls():
        return []
    return [url.toLocalFile() for url in data.urls() if url.isLocalFile()]


def choose_files(parent: QWidget, limits: AttachmentLimits) -> list[str]:
    """Ask for files with the system dialog, offering only accepted types when they are extensions."""
    patterns = [f"*{e}" if e.startswith(".") else e for e in limits.accept if "/" not in e]
    name_filter = ""
    if patterns and len(patterns) == len(limits.accept):
        name_filter = f"Accepted files ({' '.join(patterns)});;All files (*)"
    paths, _ = QFileDialog.getOpenFileNames(parent, "Add files", "", name_filter)
    return list(paths)


def clipboard_content(data: QMimeData | None) -> tuple[list[str], QImage | None, str]:
    """What can be attached from the clipboard: local files, else an image; else why not."""
    paths = local_files(data)
    image = data.imageData() if data is not None and data.hasImage() and not paths else None
    if isinstance(image, QPixmap):
        image = image.toImage()
    if not isinstance(image, QImage) or image.isNull():
        image = None
    if data is not None and data.hasText() and data.text().strip():
        why = "The clipboard holds text, not a file or an image: nothing was attached."
    else:
        why = "The clipboard holds nothing that can be attached (copy a file or an image)."
    return paths, image, why


class AttachmentsView(QListView):
    """Rows with icons or thumbnails; files dropped here are offered, rows dragged reorder."""

    files_dropped = Signal(list)
    row_dropped = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachments_list")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setIconSize(QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        self.setUniformItemSizes(True)
        self.setWordWrap(False)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(ROW_MIME) or local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(ROW_MIME) or local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        if data.hasFormat(ROW_MIME):
            rows = bytes(data.data(ROW_MIME).data()).decode().split(",")
            target = self.indexAt(event.position().toPoint())
            to = target.row() if target.isValid() else self.model().rowCount() - 1
            # Copy, not Move: the model already moved the row; a Move would make the view
            # remove the dragged rows afterwards.
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if len(rows) == 1 and rows[0].isdigit():
                self.row_dropped.emit(int(rows[0]), to)
            return
        paths = local_files(data)
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            event.ignore()


class ButtonBar(QWidget):
    """Add files…, Paste, Remove, Move up, Move down, Open, and the Preview toggle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add = QPushButton("Add files…", self)
        self.paste = QPushButton("Paste", self)
        self.remove = QPushButton("Remove", self)
        self.up = QPushButton("Move up", self)
        self.down = QPushButton("Move down", self)
        self.open = QPushButton("Open", self)
        self.preview = QPushButton("Preview", self)
        self.preview.setCheckable(True)
        self.preview.setChecked(True)
        self.paste.setToolTip("Attach the file(s) or image on the clipboard (Ctrl+V).")
        self.remove.setToolTip("Remove the selected files (Delete).")
        self.up.setToolTip("Move the selected file up (Alt+Up).")
        self.down.setToolTip("Move the selected file down (Alt+Down).")
        self.open.setToolTip("Open the attached copy with the system viewer (Enter).")
        self.preview.setToolTip("Show or hide the preview of the selected file.")
        for button in (self.add, self.paste, self.remove, self.up, self.down, self.open):
            layout.addWidget(button)
        layout.addWidget(self.preview)
        layout.addStretch(1)


class AttachmentsPanel(QWidget):
    """The field's controls: the list beside a collapsible preview, the buttons, the notice."""

    def __init__(
        self, model: AttachmentsModel, limits: AttachmentLimits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        hint = f"Up to {limits.max_files} file(s), {format_number(limits.max_file_size_mb)} MB each"
        if limits.accept:
            hint += f"; {', '.join(limits.accept)}"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.view = AttachmentsView(self.splitter)
        self.view.setModel(model)
        self.preview = PreviewPane(model.images, self.splitter)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setFixedHeight(self.fontMetrics().lineSpacing() * 14)
        layout.addWidget(self.splitter)
        self.buttons = ButtonBar(self)
        self.buttons.add.setToolTip(hint + ". You can also drop or paste files here.")
        layout.addWidget(self.buttons)
        self.notice = QLabel(self)
        self.notice.setObjectName("attachments_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(ERROR_STYLE)
        self.notice.hide()
        layout.addWidget(self.notice)
