"""ImportRowsDialog: many answers at once from a CSV or JSON Lines file, checked, then queued."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.form.model import Form
from desktop_app.core.form.rows import (
    RowChecker,
    RowResult,
    RowsFileError,
    RowsFormat,
    RowsTable,
    decode_rows_file,
    guess_format,
    invalid_rows_csv,
    mapping_notes,
    read_rows,
    suggest_mapping,
)
from desktop_app.gui.runner.import_rows_model import (
    STATE_ROLE,
    ColumnMappingModel,
    FieldChoiceDelegate,
    RowsPreviewModel,
)
from desktop_app.store import Store, StoreError

# Rows checked per trip to the executor: ~25 ms of work, so progress moves smoothly and a
# stale check (the mapping changed) stops soon.
CHUNK_ROWS = 250
# Bigger files are refused before they are read: this is for batches, not databases.
MAX_FILE_BYTES = 50 * 1024 * 1024
ROWS_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json")
FILE_FILTER = "Answers files (*.csv *.tsv *.txt *.jsonl *.ndjson *.json);;All files (*)"
_ERROR_STYLE = "color: #611a15;"

T = TypeVar("T")


def read_table_file(path: Path) -> RowsTable:
    """Read and parse an answers file (runs in an executor); RowsFileError says what is wrong."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RowsFileError(
                f"{path.name} is {size // (1024 * 1024)} MB; split it into files of at most"
                f" {MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        data = path.read_bytes()
    except OSError as error:
        raise RowsFileError(f"{path} could not be read ({error.strerror or error}).") from None
    text = decode_rows_file(data)
    return read_rows(text, guess_format(path.name, text))


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


class ImportRowsDialog(QDialog):
    """Import a file of answers for `form`: map columns to fields, check every row, queue.

    Non-modal: `open()` shows it and the main window stays usable. Reading and checking run in the asyncio loop's default
    executor a chunk at a time (the window keeps responding and shows progress); without a
    running loop they run in place. **Queue** puts all valid rows in the outbox in one store
    transaction and emits `queued` with the new submission ids; it is then disabled until
    another file is loaded, so a batch cannot be queued twice.
    """

    queued = Signal(list)  # list[str] submission ids

    def __init__(
        self, form: Form, store: Store, profile_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.store = store
        self.profile_name = profile_name
        self.path: Path | None = None
        self._table: RowsTable | None = None
        self._results: list[RowResult | None] = []
        self._task: asyncio.Task[None] | None = None
        self._generation = 0
        self._busy = False
        self._queued_ids: list[str] = []
        self.setModal(False)
        self.setAcceptDrops(True)
        self.setWindowTitle(f"Import answers — {form.title}")
        self.setObjectName("import-rows-dialog")
        self.resize(960, 680)
        self.mapping_model = ColumnMappingModel(form, self)
        self.preview_model = RowsPreviewModel(self)
        self.invalid_filter = QSortFilterProxyModel(self)
        self.invalid_filter.setSourceModel(self.preview_model)
        self.invalid_filter.setFilterRole(STATE_ROLE)
        self.invalid_filter.setFilterKeyColumn(RowsPreviewModel.STATUS)
        self._build()
        self.mapping_model.mapping_changed.connect(self._on_mapping_model_mapping_changed)
        self._update_buttons()

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Queue many tickets for “{self.form.title}” from a CSV file (with a header row)"
            " or a JSON Lines file. Choose which field each column fills; rows that do not"
            " pass the form's checks are listed with the reasons and are not queued.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        chooser = QHBoxLayout()
        self.choose_button = QPushButton("&Choose file…", self)
        self.choose_button.setToolTip("Choose a CSV or JSON Lines file of answers")
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.file_label = QLabel("No file chosen — or drop a .csv or .jsonl file here.", self)
        self.file_label.setAccessibleName("Chosen file")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chooser.addWidget(self.choose_button)
        chooser.addWidget(self.file_label, 1)
        layout.addLayout(chooser)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("import-message")
        self.message_label.setAccessibleName("Import message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.notes_label = QLabel(self)
        self.notes_label.setAccessibleName("Notes about the columns")
        self.notes_label.setWordWrap(True)
        self.notes_label.hide()
        layout.addWidget(self.notes_label)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_mapping())
        splitter.addWidget(self._build_preview())
        splitter.setSizes([200, 400])
        layout.addWidget(splitter, 1)

        progress = QHBoxLayout()
        self.progress_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Import progress")
        self.progress.setTextVisible(False)
        self.progress_label.hide()
        self.progress.hide()
        progress.addWidget(self.progress_label)
        progress.addWidget(self.progress, 1)
        layout.addLayout(progress)

        buttons = QHBoxLayout()
        self.counts_label = QLabel(self)
        self.counts_label.setAccessibleName("Row counts")
        self.export_button = QPushButton("&Export invalid rows…", self)
        self.export_button.setToolTip(
            "Save the invalid rows, with a column of problems, as a CSV file to fix and import"
        )
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.queue_button = QPushButton(self)
        self.queue_button.setToolTip("Put every valid row in the outbox as a ticket to send")
        self.queue_button.clicked.connect(self._on_queue_button_clicked)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        for button in (self.choose_button, self.export_button, self.queue_button):
            button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        buttons.addWidget(self.counts_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.queue_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _build_mapping(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Colu&mns and the fields they fill", box)
        self.mapping_view = QTableView(box)
        self.mapping_view.setObjectName("import-mapping")
        self.mapping_view.setAccessibleName("Columns and the fields they fill")
        self.mapping_view.setModel(self.mapping_model)
        self.mapping_view.setItemDelegateForColumn(
            ColumnMappingModel.FIELD_COLUMN, FieldChoiceDelegate(self.mapping_view)
        )
        self.mapping_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.mapping_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mapping_view.setTabKeyNavigation(False)
        self.mapping_view.verticalHeader().hide()
        header = self.mapping_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.mapping_view.setColumnWidth(0, 200)
        self.mapping_view.setColumnWidth(1, 260)
        label.setBuddy(self.mapping_view)
        layout.addWidget(label)
        layout.addWidget(self.mapping_view)
        return box

    def _build_preview(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        label = QLabel("&Rows", box)
        self.invalid_only = QCheckBox("Show only &invalid rows", box)
        self.invalid_only.toggled.connect(self._on_invalid_only_toggled)
        top.addWidget(label)
        top.addStretch(1)
        top.addWidget(self.invalid_only)
        self.preview_view = QTableView(box)
        self.preview_view.setObjectName("import-preview")
        self.preview_view.setAccessibleName("Rows of the file and whether they are valid")
        self.preview_view.setModel(self.invalid_filter)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_view.setTabKeyNavigation(False)
        self.preview_view.setWordWrap(False)
        self.preview_view.verticalHeader().hide()
        self.preview_view.setColumnWidth(RowsPreviewModel.LINE, 60)
        self.preview_view.setColumnWidth(RowsPreviewModel.STATUS, 320)
        label.setBuddy(self.preview_view)
        layout.addLayout(top)
        layout.addWidget(self.preview_view)
        return box

    # --- public API -----------------------------------------------------------------------

    def open(self) -> None:
        """Show the dialog without blocking anything: the main window stays usable (QDialog's
        own open() would make it window-modal)."""
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.show()
        self.activateWindow()

    def load_file(self, path: Path) -> None:
        """Read, map and check `path` in the background (a file being loaded is dropped)."""
        self._start(self.load(path))

    async def load(self, path: Path) -> None:
        """Read, map and check `path`; returns when every row is checked (or it was replaced)."""
        generation = self._begin()
        self.path = path
        self.file_label.setText(str(path))
        self._queued_ids = []
        self._show_message("")
        self._show_progress(f"Reading {path.name}…", 0, 0)
        try:
            table = await self._in_worker(read_table_file, path)
        except RowsFileError as error:
            if generation == self._generation:
                self._set_table(None)
                self._finish(str(error))
            return
        if generation != self._generation:
            return
        self._set_table(table)
        await self._check(generation)

    def set_column_field(self, column: str, key: str | None) -> bool:
        """Let `column` fill field `key` (None: ignore it), as its combo box does; rows are
        checked again. False if the column is unknown or nothing changed."""
        columns = list(self.mapping_model.mapping())
        if column not in columns:
            return False
        return self.mapping_model.set_field(columns.index(column), key)

    def mapping(self) -> dict[str, str | None]:
        return self.mapping_model.mapping()

    def results(self) -> list[RowResult]:
        """The rows checked so far, in file order."""
        return [result for result in self._results if result is not None]

    def valid_count(self) -> int:
        return sum(1 for result in self._results if result is not None and result.ok)

    def invalid_count(self) -> int:
        return sum(1 for result in self._results if result is not None and not result.ok)

    def is_busy(self) -> bool:
        return self._busy

    async def wait_idle(self) -> None:
        """Return once no reading or checking is running (for callers that started one)."""
        while (task := self._task) is not None and not task.done():
            await asyncio.wait([task])

    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisibleTo(self) else ""

    def queue_valid(self) -> list[str]:
        """Queue every valid row in one transaction; the new submission ids ([] if none)."""
        if self._busy or self._queued_ids:
            return []
        answers = [r.answers for r in self._results if r is not None and r.answers is not None]
        if not answers:
            return []
        try:
            ids = self.store.queue_submissions(self.form, answers, self.profile_name)
        except StoreError as error:
            self._show_message(f"Nothing was queued: {error}", error=True)
            return []
        self._queued_ids = ids
        self._update_buttons()
        self._show_message(
            f"Queued {_plural(len(ids), 'ticket')} with profile “{self.profile_name}”: the"
            " outbox sends them in the background. Choose another file to import more."
        )
        self.queued.emit(ids)
        return ids

    def export_invalid(self, path: Path) -> bool:
        """Write the invalid rows, with their problems, as a CSV file; False if it failed."""
        if self._table is None or not self.invalid_count():
            return False
        text = invalid_rows_csv(self._table, self.results())
        temporary = path.with_name(path.name + ".tmp")
        try:
            # With a BOM, so spreadsheet programs read the file as UTF-8.
            temporary.write_text(text, encoding="utf-8-sig", newline="")
            os.replace(temporary, path)
        except OSError as error:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            self._show_message(
                f"{path} could not be written ({error.strerror or error}); choose another place.",
                error=True,
            )
            return False
        self._show_message(
            f"Saved {_plural(self.invalid_count(), 'invalid row')} to {path}. Fix them there"
            " and import that file."
        )
        return True

    def ask_export_file(self) -> QFileDialog:
        """A non-blocking Save dialog; choosing a file writes the invalid rows to it."""
        folder = self.path.parent if self.path else Path.home()
        stem = self.path.stem if self.path else "answers"
        dialog = QFileDialog(
            self, "Export invalid rows", str(folder / f"{stem}-invalid.csv"), "CSV files (*.csv)"
        )
        dialog.setObjectName("export-invalid-dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._on_export_dialog_file_selected)
        dialog.open()
        return dialog

    def ask_rows_file(self) -> QFileDialog:
        """A non-blocking Open dialog; choosing a file loads it."""
        folder = self.path.parent if self.path else Path.home()
        dialog = QFileDialog(self, "Import answers", str(folder), FILE_FILTER)
        dialog.setObjectName("import-rows-file-dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._on_rows_dialog_file_selected)
        dialog.open()
        return dialog

    # --- background work --------------------------------------------------------------------

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` as the one task of this dialog (a running one is cancelled)."""
        self._cancel()
        loop = _running_loop()
        if loop is not None:
            self._task = loop.create_task(work, name="deskforms-import-rows")
            return
        # No asyncio loop (a script or a test without one): `_in_worker` then does the work
        # in place, so the coroutine runs to its end in one step.
        try:
            work.send(None)
        except StopIteration:
            return
        work.close()
        raise RuntimeError("import work waited for something without an event loop")

    async def _in_worker(self, function: Callable[..., T], *args: Any) -> T:
        loop = _running_loop()
        if loop is None:
            return function(*args)
        return await loop.run_in_executor(None, function, *args)

    def _cancel(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    def _begin(self) -> int:
        """A new piece of work: what an older one still delivers is ignored."""
        self._generation += 1
        self._busy = True
        self._update_buttons()
        return self._generation

    async def _check(self, generation: int) -> None:
        table = self._table
        if table is None:
            return
        self._results = [None] * len(table.rows)
        self.preview_model.clear_results()
        self._show_notes()
        total = len(table.rows)
        try:
            checker = await self._in_worker(RowChecker, self.form, table, self.mapping())
        except ValueError as error:  # the model never lets a field be fed twice; be safe
            if generation == self._generation:
                self._finish(str(error))
            return
        for start in range(0, total, CHUNK_ROWS):
            if generation != self._generation:
                return
            self._show_progress(f"Checking rows: {start:,} of {total:,}", start, total)
            chunk = await self._in_worker(checker.check_all, table.rows[start : start + CHUNK_ROWS])
            if generation != self._generation:
                return
            self._results[start : start + len(chunk)] = chunk
            self.preview_model.set_results(start, chunk)
            self._update_counts()
        if generation == self._generation:
            self._finish()

    def _recheck(self) -> None:
        self._cancel()
        self._start(self._check(self._begin()))

    # --- state shown --------------------------------------------------------------------------

    def _set_table(self, table: RowsTable | None) -> None:
        self._table = table
        self._results = [None] * (len(table.rows) if table else 0)
        self.preview_model.set_table(table)
        if table is None:
            self.mapping_model.set_columns(RowsTable(RowsFormat.CSV, []), {})
        else:
            self.mapping_model.set_columns(table, suggest_mapping(self.form, table.columns))
        for row in range(self.mapping_model.rowCount()):
            self.mapping_view.openPersistentEditor(
                self.mapping_model.index(row, ColumnMappingModel.FIELD_COLUMN)
            )
        self._update_counts()

    def _finish(self, error: str | None = None) -> None:
        self._busy = False
        self.progress.hide()
        self.progress_label.hide()
        if error is not None:
            self._show_message(error, error=True)
        self._update_counts()
        self._update_buttons()

    def _show_progress(self, text: str, value: int, total: int) -> None:
        self.progress_label.setText(text)
        self.progress.setRange(0, total)
        self.progress.setValue(value)
        self.progress_label.show()
        self.progress.show()

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(_ERROR_STYLE if error else "")
        self.message_label.setAccessibleDescription(("Error: " if error else "") + text)
        self.message_label.setVisible(bool(text))

    def _show_notes(self) -> None:
        notes = mapping_notes(self.form, self.mapping()) if self._table is not None else []
        if self._table is not None and not self._table.rows:
            notes.insert(0, "The file has a header row but no rows of answers.")
        self.notes_label.setText("\n".join(f"• {note}" for note in notes))
        self.notes_label.setVisible(bool(notes))

    def _update_counts(self) -> None:
        if self._table is None:
            self.counts_label.setText("")
            return
        valid, invalid = self.valid_count(), self.invalid_count()
        text = f"{valid:,} valid, {invalid:,} invalid"
        pending = len(self._results) - valid - invalid
        if pending:
            text += f", {pending:,} to check"
        self.counts_label.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        valid = self.valid_count()
        if self._queued_ids:
            self.queue_button.setText(f"Queued {_plural(len(self._queued_ids), 'ticket')}")
        else:
            self.queue_button.setText(
                f"&Queue {valid:,} valid {'ticket' if valid == 1 else 'tickets'}"
            )
        self.queue_button.setEnabled(not self._busy and valid > 0 and not self._queued_ids)
        self.export_button.setEnabled(not self._busy and self.invalid_count() > 0)

    # --- Qt overrides -------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_path(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.load_file(path)

    def done(self, result: int) -> None:
        self._cancel()
        self._generation += 1
        self._busy = False
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._cancel()
        self._generation += 1
        self._busy = False
        super().closeEvent(event)

    # --- handlers -------------------------------------------------------------------------

    def _on_choose_button_clicked(self) -> None:
        self.ask_rows_file()

    def _on_rows_dialog_file_selected(self, path: str) -> None:
        if path:
            self.load_file(Path(path))

    def _on_export_button_clicked(self) -> None:
        self.ask_export_file()

    def _on_export_dialog_file_selected(self, path: str) -> None:
        if path:
            self.export_invalid(Path(path))

    def _on_queue_button_clicked(self) -> None:
        self.queue_valid()

    def _on_mapping_model_mapping_changed(self) -> None:
        self._recheck()

    def _on_invalid_only_toggled(self, checked: bool) -> None:
        self.invalid_filter.setFilterRegularExpression("^invalid$" if checked else "")


def _dropped_path(event: QDragEnterEvent | QDropEvent) -> Path | None:
    urls = event.mimeData().urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.name.lower().endswith(ROWS_SUFFIXES) else None
