"""The Drafts page: every unsent form with its last change and validity; open or delete them."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.context import AppContext
from desktop_app.gui.drafts.model import PAGE_SIZE, DraftsModel
from desktop_app.gui.drafts.rows import Column, ellipsize, plural
from desktop_app.gui.paged_model import select_ids
from desktop_app.store import NotFound, StoreError

# Typing pauses this long before the filter reads the drafts again.
FILTER_DELAY_MS = 200
EMPTY_TEXT = (
    "<h3>No drafts</h3><p>Every form you start filling is saved here as you type, so nothing"
    " is lost. Open a form on the Forms page (Ctrl+1) to start one.</p>"
)
_WIDTHS = {Column.FORM: 180, Column.SUMMARY: 380, Column.UPDATED: 150, Column.VALID: 110}


def shortcut_text(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


class DraftsPage(QWidget):
    """The drafts list: filter box, the lazy table, Open and Delete.

    `draft_opened(draft_id)` asks the shell to open the draft in the form runner (Enter,
    double-click or Open). Delete (Del) asks first in a window-modal box that does not block
    the loop (`confirm_box`); store errors go to the app's message channel.
    """

    draft_opened = Signal(str)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Drafts")
        self._context = context
        self.model = DraftsModel(context.store, context.bridge, page_size=page_size, parent=self)
        self.confirm_box: QMessageBox | None = None
        self.table = QTableView(self)
        self.filter_edit = QLineEdit(self)
        self.empty_label = QLabel(self)
        self.counts = QLabel(self)
        self.stack = QStackedWidget(self)
        self.open_action = self._action(
            "&Open", [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)], "Open"
        )
        self.open_action.setToolTip(
            f"Open the selected draft to go on filling it ({shortcut_text(self.open_action)},"
            " or double-click)"
        )
        self.delete_action = self._action(
            "&Delete…", [QKeySequence(QKeySequence.StandardKey.Delete)], "Delete"
        )
        self.delete_action.setToolTip(
            f"Delete the selected drafts ({shortcut_text(self.delete_action)}); asks first"
        )
        self.find_action = QAction("&Find", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.find_action)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._build()
        self._connect()
        self._update_actions()
        self._on_model_counts_changed()

    # -- public API -------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.draft_id(row) for row in rows if row < self.model.rowCount()]

    def current_id(self) -> str | None:
        """The draft Open acts on: the current row if selected, else the first selected."""
        current = self.table.currentIndex()
        if current.isValid() and self.table.selectionModel().isRowSelected(current.row()):
            return self.model.draft_id(current.row())
        ids = self.selected_ids()
        return ids[0] if ids else None

    def select_drafts(self, draft_ids: list[str]) -> None:
        """Select these drafts (those shown); the first becomes current."""
        first = select_ids(self.table.selectionModel(), self.model, draft_ids)
        if first is not None:
            self.table.scrollTo(first)

    def apply_filter(self) -> None:
        """Filter by the box's text now (typing applies it after a short pause)."""
        self._filter_timer.stop()
        self.model.set_filter_text(self.filter_edit.text())

    def open_current(self) -> None:
        draft_id = self.current_id()
        if draft_id is not None:
            self.open_draft(draft_id)

    def open_draft(self, draft_id: str) -> None:
        """Ask the shell to open this draft (what Open, Enter, double-click and Restore do)."""
        self.draft_opened.emit(draft_id)

    def delete_selected(self) -> QMessageBox | None:
        """Ask whether to delete the selected drafts; the box (opened, not exec'd), or None."""
        ids = self.selected_ids()
        if not ids:
            return None
        if self.confirm_box is not None:
            self.confirm_box.close()
        if len(ids) == 1:
            name = self.model.row_at(self.model.row_of(ids[0]) or 0).summary
            text = f"Delete the draft “{ellipsize(name, 60)}”?"
        else:
            text = f"Delete {plural(len(ids), 'draft')}?"
        box = QMessageBox(QMessageBox.Icon.Question, "Delete drafts", text, parent=self)
        box.setInformativeText("What was typed in them cannot be brought back.")
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName("Delete drafts")

        def on_finished() -> None:
            if self.confirm_box is box:
                self.confirm_box = None
            if box.clickedButton() is delete:
                self._delete(ids)

        box.finished.connect(on_finished)
        self.confirm_box = box
        box.open()
        return box

    # -- building ---------------------------------------------------------------------------

    def _action(self, text: str, keys: list[QKeySequence], name: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts(keys)
        # Only while the table has focus: Enter and Del mean something else in the filter box.
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setObjectName(f"drafts-{name.lower()}")
        return action

    def _build(self) -> None:
        self.filter_edit.setPlaceholderText(
            f"Filter by form or text ({shortcut_text(self.find_action)})"
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter drafts")
        self.filter_edit.setToolTip(
            f"Show only drafts whose form or answers contain this text"
            f" ({shortcut_text(self.find_action)})"
        )
        buttons = []
        for action in (self.open_action, self.delete_action):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            buttons.append(button)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        for button in buttons:
            top.addWidget(button)
        self._setup_table()
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("drafts-empty")
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        self.counts.setAccessibleName("Number of drafts")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.counts)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setAccessibleName("Drafts")
        table.setAccessibleDescription("Enter opens the selected draft, Del deletes it")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.addAction(self.open_action)
        table.addAction(self.delete_action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        vertical = table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in _WIDTHS.items():
            table.setColumnWidth(column, width)
        header.setSortIndicator(Column.UPDATED, self.model.sort_order())
        table.setSortingEnabled(True)

    def _connect(self) -> None:
        self.open_action.triggered.connect(self.open_current)
        self.delete_action.triggered.connect(self.delete_selected)
        self.find_action.triggered.connect(self._on_find_action_triggered)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_header_sort_changed)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self._on_filter_edit_return_pressed)
        self._filter_timer.timeout.connect(self.apply_filter)
        self._fetch_timer.timeout.connect(self._on_fetch_timer_timeout)
        self.model.counts_changed.connect(self._on_model_counts_changed)
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsRemoved.connect(self._update_actions)
        self.model.load_failed.connect(self._context.messages.error)

    # -- reacting ---------------------------------------------------------------------------

    def _update_actions(self) -> None:
        selected = bool(self.selected_ids())
        self.open_action.setEnabled(selected)
        self.delete_action.setEnabled(selected)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_draft(self.model.draft_id(index.row()))

    def _on_find_action_triggered(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _on_filter_edit_return_pressed(self) -> None:
        self.apply_filter()
        if self.model.rowCount():
            self.table.setFocus()
            if not self.selected_ids():
                self.select_drafts([self.model.draft_id(0)])

    def _on_header_sort_changed(self, _section: int, _order: Qt.SortOrder) -> None:
        # Other columns do not sort: the arrow goes back to "Last change" to say so.
        header = self.table.horizontalHeader()
        wanted = (Column.UPDATED, self.model.sort_order())
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != wanted:
            header.blockSignals(True)
            header.setSortIndicator(*wanted)
            header.blockSignals(False)

    def _on_model_counts_changed(self) -> None:
        shown, total = self.model.rowCount(), self.model.store_total
        needle = self.filter_edit.text().strip()
        if needle:
            more = "" if self.model.complete else " so far"
            self.counts.setText(f"{shown:,} of {plural(total, 'draft')} match{more}")
        else:
            self.counts.setText(plural(total, "draft"))
        if shown == 0 and not self.model.complete:
            self._fetch_timer.start()  # a filter skipped a whole scan: look further
        empty = shown == 0 and self.model.complete
        if empty:
            if total and needle:
                self.empty_label.setText(
                    f"<h3>No drafts match “{_escape(needle)}”</h3>"
                    "<p>Clear the filter to see every draft.</p>"
                )
                self.empty_label.setAccessibleName("No drafts match the filter")
            else:
                self.empty_label.setText(EMPTY_TEXT)
                self.empty_label.setAccessibleName("No drafts")
        self.stack.setCurrentWidget(self.empty_label if empty else self.table)
        self._update_actions()

    def _on_fetch_timer_timeout(self) -> None:
        if self.model.rowCount() == 0 and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())

    def _delete(self, draft_ids: list[str]) -> None:
        failed = []
        for draft_id in draft_ids:
            try:
                self._context.store.delete_draft(draft_id)
            except NotFound:
                pass  # sent or deleted meanwhile: what was asked for is done
            except StoreError as error:
                failed.append(str(error))
        if failed:
            self._context.messages.error(f"A draft could not be deleted: {failed[0]}")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
