"""The attachments list as an item model: icon or thumbnail, name, size and type per file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QFileInfo,
    QMimeData,
    QMimeDatabase,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAbstractFileIconProvider, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QFileIconProvider

from desktop_app.gui.runner.attachments_images import ImageCache
from desktop_app.gui.runner.attachments_items import Entry, human_size

ModelIndex = QModelIndex | QPersistentModelIndex
ROW_MIME = "application/x-deskforms-attachment-row"
THUMBNAIL_SIDE = 48
# Formats QImageReader reads everywhere; others (HEIC, RAW) only show their icon.
IMAGE_MIMES = {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/x-icon"}


def is_image(entry: Entry) -> bool:
    return entry.mime in IMAGE_MIMES and entry.local is not None


class AttachmentsModel(QAbstractListModel):
    """The field's files in order; thumbnails of images are read lazily, off the UI thread."""

    NameRole = Qt.ItemDataRole.UserRole + 1
    SizeRole = Qt.ItemDataRole.UserRole + 2
    MimeRole = Qt.ItemDataRole.UserRole + 3
    CopyingRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self.images = ImageCache(self)
        self.images.loaded.connect(self._on_images_loaded)
        self._mimes = QMimeDatabase()
        self._provider = QFileIconProvider()
        self._icons: dict[str, QIcon] = {}
        self._thumbnails: dict[str, QIcon] = {}

    # --- reading ------------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def row_of_token(self, token: int) -> int | None:
        return next((r for r, e in enumerate(self._entries) if e.token == token and token), None)

    def type_text(self, entry: Entry) -> str:
        """ "PNG image", "plain text document"… (the MIME type itself when Qt has no name)."""
        mime = self._mimes.mimeTypeForName(entry.mime)
        return mime.comment() if mime.isValid() and mime.comment() else entry.mime

    def icon(self, entry: Entry) -> QIcon:
        """The icon of the file's type (the theme's, else the platform's file icon)."""
        icon = self._icons.get(entry.mime)
        if icon is None:
            mime = self._mimes.mimeTypeForName(entry.mime)
            icon = QIcon()
            for name in (mime.iconName(), mime.genericIconName()) if mime.isValid() else ():
                if name and QIcon.hasThemeIcon(name):
                    icon = QIcon.fromTheme(name)
                    break
            if icon.isNull():
                icon = self._provider.icon(QFileInfo(entry.name))
            if icon.isNull():
                icon = self._provider.icon(QAbstractFileIconProvider.IconType.File)
            self._icons[entry.mime] = icon
        return icon

    def thumbnail(self, row: int) -> QImage | None:
        """The row's thumbnail (None for non-images, and until it is read)."""
        entry = self._entries[row]
        if not is_image(entry) or entry.copying:
            return None
        return self.images.image(entry.cache_key, str(entry.local), THUMBNAIL_SIDE)

    # --- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        size = human_size(entry.size) if entry.size is not None else "size unknown"
        if role == Qt.ItemDataRole.DisplayRole:
            detail = f"copying… ({size})" if entry.copying else f"{size} · {self.type_text(entry)}"
            return f"{entry.name}\n{detail}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(index.row(), entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"copied from {entry.source}" if entry.source and entry.sha256 else entry.source
            return f"{entry.name} ({where})" if where else entry.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = "copying" if entry.copying else self.type_text(entry)
            return f"{entry.name}, {size}, {state}"
        if role == self.NameRole:
            return entry.name
        if role == self.SizeRole:
            return entry.size
        if role == self.MimeRole:
            return entry.mime
        if role == self.CopyingRole:
            return entry.copying
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def mimeTypes(self) -> list[str]:
        return [ROW_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        # Dragging a row only reorders: the payload is its row number, read by the list view.
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data.setData(ROW_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    # --- changing -----------------------------------------------------------------------------

    def set_entries(self, entries: Iterable[Entry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def append(self, entry: Entry) -> None:
        row = len(self._entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self._entries.append(entry)
        self.endInsertRows()

    def replace(self, row: int, entry: Entry) -> None:
        self._entries[row] = entry
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def remove_rows(self, rows: Iterable[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._entries):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._entries[row]
                self.endRemoveRows()

    def move_row(self, row: int, to: int) -> bool:
        """Move one row to position `to` (counted after taking it out); False if it cannot."""
        count = len(self._entries)
        if row == to or not (0 <= row < count and 0 <= to < count):
            return False
        # beginMoveRows counts the destination before the row is taken out.
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to + 1 if to > row else to)
        self._entries.insert(to, self._entries.pop(row))
        self.endMoveRows()
        return True

    # --- thumbnails ---------------------------------------------------------------------------

    def _decoration(self, row: int, entry: Entry) -> QIcon:
        cached = self._thumbnails.get(entry.cache_key)
        if cached is not None:
            return cached
        image = self.thumbnail(row)
        if image is None:
            return self.icon(entry)
        icon = QIcon(QPixmap.fromImage(image))
        self._thumbnails[entry.cache_key] = icon
        return icon

    def _on_images_loaded(self, key: str, side: int) -> None:
        if side != THUMBNAIL_SIDE:
            return
        for row, entry in enumerate(self._entries):
            if entry.cache_key == key:
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
