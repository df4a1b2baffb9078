"""The Forms library: the form files of the sample and data folders, valid or not, in a list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.form.loading import FormFileError, parse_form
from desktop_app.core.form.model import Form

FORM_SUFFIX = ".json"
FormRole = Qt.ItemDataRole.UserRole + 1
PathRole = Qt.ItemDataRole.UserRole + 2
ErrorRole = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class FormEntry:
    """One form file: its parsed form, or the one-line reason it cannot be used."""

    path: Path
    form: Form | None = None
    error: str | None = None

    @property
    def title(self) -> str:
        return self.form.title if self.form is not None else self.path.name


def read_form_file(path: Path) -> Form:
    """Read and parse a form file; FormFileError (one line, names the file) for any problem."""
    source = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FormFileError(source, "not a text file (expected UTF-8 JSON)") from None
    except OSError as error:
        raise FormFileError(source, f"cannot be read ({error.strerror or error})") from None
    return parse_form(text, source)


def load_entry(path: Path) -> FormEntry:
    try:
        return FormEntry(path, form=read_form_file(path))
    except FormFileError as error:
        return FormEntry(path, error=str(error))


def scan_folders(folders: Iterable[Path]) -> list[FormEntry]:
    """Every `*.json` directly in each folder (missing folders are skipped), folder by folder."""
    entries: list[FormEntry] = []
    seen: set[Path] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        paths = sorted(
            (p for p in folder.iterdir() if p.suffix.lower() == FORM_SUFFIX and p.is_file()),
            key=lambda p: p.name.lower(),
        )
        for path in paths:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                entries.append(load_entry(path))
    return entries


class FormLibraryModel(QAbstractListModel):
    """A list model of FormEntry; `refresh()` reads the folders again."""

    def __init__(self, folders: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folders = list(folders)
        self._entries: list[FormEntry] = []
        self.refresh()

    def refresh(self) -> None:
        # Small JSON files parse in well under a frame; a library of hundreds would move this
        # to an executor (architecture.md: CPU work over ~16 ms leaves the loop).
        entries = scan_folders(self.folders)
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def entries(self) -> list[FormEntry]:
        return list(self._entries)

    def entry(self, index: _Index) -> FormEntry | None:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        return self._entries[index.row()]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index)
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.title if entry.form is not None else f"{entry.path.name}: cannot be opened"
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry.form is None:
                return f"{entry.error}\n{entry.path}"
            return "\n".join(filter(None, [entry.form.description, str(entry.path)]))
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return entry.error if entry.form is None else (entry.form.description or "")
        if role == Qt.ItemDataRole.DecorationRole:
            style = _style()
            if style is None:
                return None
            pixmap = (
                QStyle.StandardPixmap.SP_FileIcon
                if entry.form is not None
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            return style.standardIcon(pixmap)
        if role == FormRole:
            return entry.form
        if role == PathRole:
            return str(entry.path)
        if role == ErrorRole:
            return entry.error
        return None


def _style() -> QStyle | None:
    app = QApplication.instance()
    return app.style() if isinstance(app, QApplication) else None


class FormLibrary(QWidget):
    """The Forms page's list; Enter or double-click opens a form (`form_opened(Form)`).

    An invalid file stays in the list with its error (shown under the list when selected);
    activating it emits `open_failed(str)` with that one-line error.
    """

    form_opened = Signal(object)  # Form
    open_failed = Signal(str)

    def __init__(self, folders: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FormLibraryModel(folders, self)
        heading = QLabel("Forms", self)
        heading.setStyleSheet("font-weight: bold;")
        self.refresh_button = QToolButton(self)
        self.refresh_button.setText("Refresh")
        self.refresh_button.setToolTip("Read the form folders again (F5)")
        self.refresh_button.setAccessibleName("Refresh the form list")
        self.refresh_button.clicked.connect(self.refresh)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Form library")
        self.view.setAccessibleDescription("Press Enter to open the selected form")
        # Long titles wrap (large fonts, a narrow pane) instead of hiding behind a scroll bar.
        self.view.setWordWrap(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self._on_view_activated)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Selected form")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        selection = self.view.selectionModel()
        selection.currentChanged.connect(self._on_selection_current_changed)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        self._opened_elsewhere = False
        self._select_first()

    def refresh(self) -> None:
        current = self.model.entry(self.view.currentIndex())
        self.model.refresh()
        if current is not None and self._select_path(current.path):
            return  # the highlighted form stays highlighted
        if current is None and self._opened_elsewhere:
            return  # the open form is not one of the list's: keep nothing highlighted
        self._select_first()

    def select_opened(self, form: Form, path: Path | None = None) -> bool:
        """Highlight the entry of a form opened elsewhere (a file, a draft), if it is listed.

        The entry of `path`, else one whose form is `form`; when none is, nothing stays
        highlighted (the first row must not look like the open form). True when one is.
        """
        if path is not None and self._select_path(path):
            return True
        for row, entry in enumerate(self.model.entries()):
            if entry.form is not None and entry.form == form:
                self.view.setCurrentIndex(self.model.index(row, 0))
                return True
        self._opened_elsewhere = True
        self.view.selectionModel().clear()  # clears the current index too
        where = f" from {path.name}" if path is not None else ""
        self.detail.setText(f"Open now: {form.title}{where} (not in this list)")
        return False

    def _select_path(self, path: Path) -> bool:
        target = path.resolve()
        for row, entry in enumerate(self.model.entries()):
            if entry.path.resolve() == target:
                self.view.setCurrentIndex(self.model.index(row, 0))
                return True
        return False

    def open_index(self, index: _Index) -> None:
        entry = self.model.entry(index)
        if entry is None:
            return
        if entry.form is not None:
            self.form_opened.emit(entry.form)
        else:
            self.open_failed.emit(entry.error or f"{entry.path.name} cannot be opened")

    def _select_first(self) -> None:
        if self.model.rowCount() > 0:
            self.view.setCurrentIndex(self.model.index(0, 0))
        else:
            self.detail.setText(
                "No forms yet: put form files in the forms folder, or use Open form…."
            )

    def _on_view_activated(self, index: QModelIndex) -> None:
        self.open_index(index)

    def _on_selection_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        entry = self.model.entry(current)
        if entry is not None:
            self._opened_elsewhere = False
        if entry is None:
            self.detail.clear()
        elif entry.form is not None:
            fields = len(entry.form.fields)
            self.detail.setText(
                f"{entry.form.description or entry.form.title}\n{fields} fields · {entry.path.name}"
            )
        else:
            self.detail.setText(entry.error or "")
