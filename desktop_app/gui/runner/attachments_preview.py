"""Quick look at the selected attachment: the image, the start of a text file, a PDF's first pages."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QStackedWidget, QVBoxLayout, QWidget

from desktop_app.gui.runner.attachments_images import ImageCache
from desktop_app.gui.runner.attachments_items import Entry, human_size
from desktop_app.gui.runner.attachments_model import is_image

IMAGE_SIDE = 480
TEXT_LIMIT = 64 * 1024
PDF_PAGES = 2
TEXT_MIMES = {
    "application/json",
    "application/xml",
    "application/x-yaml",
    "application/yaml",
    "application/toml",
    "application/x-sh",
    "application/sql",
    "application/javascript",
}
TEXT_EXTENSIONS = {".log", ".txt", ".csv", ".md", ".json", ".xml", ".yaml", ".yml", ".ini", ".cfg"}


def qt_pdf() -> Any | None:
    """PySide6.QtPdf when this PySide6 build has it (not every wheel does)."""
    try:
        return importlib.import_module("PySide6.QtPdf")
    except ImportError:
        return None


def looks_like_text(entry: Entry, head: bytes) -> bool:
    """Text by type or extension; unknown types when the start has no NUL and is UTF-8."""
    if entry.mime.startswith("text/") or entry.mime in TEXT_MIMES:
        return True
    if Path(entry.name).suffix.lower() in TEXT_EXTENSIONS:
        return True
    if entry.mime != "application/octet-stream" or b"\0" in head:
        return False
    try:
        head[:4096].decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > 4090  # a character cut at the end of the sample is fine
    return True


def render_pdf(path: Path, side: int, pages: int = PDF_PAGES) -> tuple[QImage | None, int]:
    """The first pages of a PDF stacked in one image, and the page count (None: no QtPdf)."""
    module = qt_pdf()
    if module is None:
        return None, 0
    document = module.QPdfDocument(None)
    document.load(str(path))
    count = int(document.pageCount())
    rendered: list[QImage] = []
    for page in range(min(count, pages)):
        points: QSizeF = document.pagePointSize(page)
        size = points.scaled(QSizeF(side, side * 1.5), Qt.AspectRatioMode.KeepAspectRatio)
        rendered.append(document.render(page, size.toSize()))
    document.close()
    if not rendered:
        return QImage(), count
    width = max(image.width() for image in rendered)
    sheet = QImage(QSize(width, sum(i.height() + 6 for i in rendered)), QImage.Format.Format_ARGB32)
    sheet.fill(QColor("transparent"))
    painter = QPainter(sheet)
    top = 0
    for image in rendered:
        painter.fillRect(0, top, image.width(), image.height(), QColor("white"))
        painter.drawImage(0, top, image)
        top += image.height() + 6
    painter.end()
    return sheet, count


class PreviewPane(QWidget):
    """Shows one entry: a scaled image, plain text (never HTML), a PDF's first pages, or facts."""

    def __init__(self, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachments_preview")
        self._images = images
        self._images.loaded.connect(self._on_images_loaded)
        self._entry: Entry | None = None
        self._image: QImage | None = None
        self._kind = "empty"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.caption)
        self.stack = QStackedWidget(self)
        self.image_label = QLabel(self.stack)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setMinimumSize(80, 80)
        self.text_view = QPlainTextEdit(self.stack)
        self.text_view.setReadOnly(True)
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.info_page = QWidget(self.stack)
        info_layout = QVBoxLayout(self.info_page)
        self.info_icon = QLabel(self.info_page)
        self.info_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info = QLabel(self.info_page)
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        info_layout.addStretch(1)
        info_layout.addWidget(self.info_icon)
        info_layout.addWidget(self.info)
        info_layout.addStretch(1)
        for widget in (self.image_label, self.text_view, self.info_page):
            self.stack.addWidget(widget)
        layout.addWidget(self.stack, 1)
        self.show_entry(None)

    def kind(self) -> str:
        """What is shown: "empty", "image", "text", "pdf", "loading" or "info"."""
        return self._kind

    def image(self) -> QImage | None:
        """The image shown (an image file or rendered PDF pages), if any."""
        return self._image if self._kind in ("image", "pdf") else None

    def text(self) -> str:
        return self.text_view.toPlainText() if self._kind == "text" else self.info.text()

    def show_entry(self, entry: Entry | None, icon: QIcon | None = None, kind: str = "") -> None:
        """Preview `entry` (None: nothing selected); `icon`/`kind` describe other files."""
        self._entry = entry
        self._image = None
        if entry is None:
            self.caption.setText("")
            self._show_info("empty", "Select a file to preview it.")
            return
        size = human_size(entry.size) if entry.size is not None else "size unknown"
        self.caption.setText(f"{entry.name} · {size}" + (f" · {kind}" if kind else ""))
        if entry.copying:
            self._show_info("info", f"Copying {entry.name} into DeskForms…")
            return
        local = entry.local
        if local is None:
            self._show_info("info", f"{entry.name}\n{size}\nAlready uploaded; nothing to preview.")
            return
        if is_image(entry):
            self._show_image()
            return
        try:
            with local.open("rb") as stream:
                head = stream.read(TEXT_LIMIT + 1)
        except OSError as error:
            self._show_info("info", f"{entry.name} cannot be read: {error.strerror or error}.")
            return
        if entry.mime == "application/pdf" or head.startswith(b"%PDF-"):
            self._show_pdf(local)
        elif looks_like_text(entry, head):
            text = head[:TEXT_LIMIT].decode("utf-8", errors="replace")
            if len(head) > TEXT_LIMIT:
                text += "\n\n[… only the first 64 KB are shown …]"
            self.text_view.setPlainText(text)
            self._kind = "text"
            self.stack.setCurrentWidget(self.text_view)
        else:
            self._show_info("info", f"{entry.name}\n{size}\n{kind}", icon)

    # --- kinds --------------------------------------------------------------------------------

    def _show_image(self) -> None:
        entry = self._entry
        assert entry is not None and entry.local is not None
        image = self._images.image(entry.cache_key, str(entry.local), IMAGE_SIDE)
        if image is not None:
            self._set_image("image", image)
        elif self._images.is_loading(entry.cache_key, IMAGE_SIDE):
            self._show_info("loading", "Loading preview…")
        else:
            self._show_info("info", f"{entry.name} is not an image DeskForms can show.")

    def _show_pdf(self, local: Path) -> None:
        image, count = render_pdf(local, IMAGE_SIDE)
        if image is None:
            note = "PDF preview needs Qt PDF, which this installation lacks. Use Open to view it."
            self._show_info("info", note)
        elif image.isNull():
            self._show_info("info", "This PDF has no pages DeskForms can show. Use Open.")
        else:
            self.caption.setText(self.caption.text() + f" · {count} page(s)")
            self._set_image("pdf", image)

    def _set_image(self, kind: str, image: QImage) -> None:
        self._kind = kind
        self._image = image
        self.stack.setCurrentWidget(self.image_label)
        self._fit_image()

    def _show_info(self, kind: str, text: str, icon: QIcon | None = None) -> None:
        self._kind = kind
        self.info.setText(text)
        self.image_label.clear()
        self.text_view.clear()
        self.info_icon.clear()
        if icon is not None and not icon.isNull():
            self.info_icon.setPixmap(icon.pixmap(64, 64))
        self.info_icon.setVisible(icon is not None)
        self.stack.setCurrentWidget(self.info_page)

    def _fit_image(self) -> None:
        if self._image is None:
            return
        room = self.image_label.size()
        pixmap = QPixmap.fromImage(self._image)
        if pixmap.width() > room.width() or pixmap.height() > room.height():
            pixmap = pixmap.scaled(
                room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        self.image_label.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_image()

    def _on_images_loaded(self, key: str, side: int) -> None:
        entry = self._entry
        if side == IMAGE_SIDE and entry is not None and entry.cache_key == key:
            self._show_image()
