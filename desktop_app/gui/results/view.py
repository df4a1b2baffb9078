"""The Outbox & results view: filter bar, the lazy table, the detail pane and the row actions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.events import Event, EventBus, ProfileChanged
from desktop_app.gui.bridge import EventsBridge
from desktop_app.gui.paged_model import select_ids
from desktop_app.gui.results.actionbar import ActionBar
from desktop_app.gui.results.actions import Prompts, ResultActions
from desktop_app.gui.results.detail import DetailPane
from desktop_app.gui.results.filters import FilterBar
from desktop_app.gui.results.model import PAGE_SIZE, OutboxTableModel
from desktop_app.gui.results.relay import EventRelay
from desktop_app.gui.results.rows import Column, OutboxFilter, OutboxRow
from desktop_app.outbox import Progress
from desktop_app.store import Store, StoreError

# Status counts are one GROUP BY over the whole table: coalesce the bursts of a batch.
COUNTS_DELAY_MS = 300
# Column widths in average characters of the table's font, so they grow with the font scale;
# a column is never narrower than its header needs.
_WIDTHS = {
    Column.STATUS: 20,
    Column.FORM: 14,
    Column.SUMMARY: 34,
    Column.PROFILE: 12,
    Column.TICKET: 8,
    Column.ATTEMPTS: 8,
    Column.MESSAGE: 34,
    Column.CREATED: 18,
    Column.UPDATED: 18,
}
_CELL_PADDING = 12  # pixels around a cell's text


class _Header(QHeaderView):
    """The table's column header; says how wide a section must be to show its whole title."""

    def needed_width(self, section: int) -> int:
        # Qt's own measure: the title in bold, the style's margins and the sort arrow.
        return self.sectionSizeFromContents(section).width()


class ResultsView(QWidget):
    """Every submission and its result; actions on the selected rows.

    `send_requested` asks the shell to wake the engine (connect it to `engine.wake`);
    `fix_requested(submission_id)` asks it to open the runner on a rejected submission (the
    action shows once `set_fix_enabled(True)`); `message_shown(text, is_error)` repeats each
    one-line notice for the app's message channel. Expected failures never raise out of an
    action. `events` is the store's EventBus (an EventsBridge is accepted for its bus).
    """

    send_requested = Signal()
    fix_requested = Signal(str)
    message_shown = Signal(str, bool)

    def __init__(
        self,
        store: Store,
        events: EventBus | EventsBridge,
        parent: QWidget | None = None,
        *,
        prompts: Prompts | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._store = store
        # The view coalesces events per loop turn itself, so it listens to the bus directly.
        if isinstance(events, EventsBridge):
            events = events.events
        self.model = OutboxTableModel(store, events, page_size=page_size, parent=self)
        self.filters = FilterBar()
        self.table = QTableView()
        self.detail = DetailPane(store)
        self.notice = QLabel()
        self.notice.setWordWrap(False)
        self.notice.setAccessibleName("Message")
        self.notice.hide()
        self.counts = QLabel()
        self.progress = QProgressBar()
        self.progress.setFormat("Sending: %v of %m")
        self.progress.setAccessibleName("Sending progress")
        self.progress.setMinimumWidth(180)
        self.progress.hide()
        self._setup_table()
        self.row_actions = ResultActions(store, self, self.selected_rows, prompts)
        self.refresh_action = QAction("Re&fresh", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.refresh)
        self.find_action = QAction("&Find", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(self._on_find_action_triggered)
        for action in [*self.row_actions.all, self.refresh_action, self.find_action]:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.toolbar = self._make_toolbar()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([480, 320])  # the shell may restore the user's sizes over these
        status_line = QHBoxLayout()
        status_line.addWidget(self.notice, 1)
        status_line.addWidget(self.progress)
        status_line.addWidget(self.counts)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(status_line)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self._update_status_counts)
        self._relay = EventRelay(events, Progress, ProfileChanged, parent=self)
        self._relay.received.connect(self._on_relay_received)
        self._reselect: list[str] = []
        self._connect()
        self._update_profiles()
        self._update_status_counts()
        self._on_model_counts_changed()

    # -- public API -------------------------------------------------------------------------

    def selected_rows(self) -> list[OutboxRow]:
        selection = self.table.selectionModel()
        rows = sorted(index.row() for index in selection.selectedRows())
        return [self.model.row_at(row) for row in rows if row < self.model.rowCount()]

    def select_submissions(self, submission_ids: list[str]) -> None:
        """Select these submissions (those shown); the first becomes current."""
        select_ids(self.table.selectionModel(), self.model, submission_ids)

    def set_filter(self, new_filter: OutboxFilter) -> None:
        self.model.set_filter(new_filter)

    def refresh(self) -> None:
        self.model.refresh()
        self._update_status_counts()

    def show_message(self, text: str, error: bool = False) -> None:
        """The view's one-line message area (errors stand out); repeated on `message_shown`."""
        palette = self.palette()
        if error:
            palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.darkRed)
        self.notice.setPalette(palette)
        self.notice.setText(text)
        self.notice.setToolTip(text)
        self.notice.setVisible(bool(text))
        self.message_shown.emit(text, error)

    def set_fix_enabled(self, enabled: bool) -> None:
        self.row_actions.fix_answers.setVisible(enabled)

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        a = self.row_actions
        menu.addActions([a.send_now, a.send_again, a.arrived, a.fix_answers])
        menu.addSeparator()
        menu.addActions([a.cancel, a.discard])
        menu.addSeparator()
        menu.addActions([a.copy_ticket, a.export_csv, a.export_json])
        return menu

    # -- building ---------------------------------------------------------------------------

    def _setup_table(self) -> None:
        table = self.table
        header = self._header = _Header(Qt.Orientation.Horizontal, table)
        header.setSectionsClickable(True)
        header.setHighlightSections(True)
        table.setHorizontalHeader(header)
        table.setModel(self.model)
        table.setAccessibleName("Submissions")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        vertical = table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures rows, whatever their number.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        column, order = self.model.sort_column()
        header.setSortIndicator(column, order)
        table.setSortingEnabled(True)
        self._fit_to_font()  # with the sort arrows shown: they take room in every title

    def _make_toolbar(self) -> ActionBar:
        toolbar = ActionBar("Results actions")
        a = self.row_actions
        toolbar.add_actions([a.send_now, a.send_again, a.arrived, a.fix_answers, a.cancel])
        toolbar.add_actions([a.discard])
        toolbar.add_separator()
        toolbar.add_actions([a.copy_ticket, a.export_csv, a.export_json])
        toolbar.add_separator()
        toolbar.add_actions([self.refresh_action])
        return toolbar

    def _fit_to_font(self) -> None:
        """Row height and column widths for the table's font (again after each font change)."""
        table = self.table
        metrics = table.fontMetrics()
        table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        for column, chars in _WIDTHS.items():
            wanted = chars * metrics.averageCharWidth() + _CELL_PADDING
            table.setColumnWidth(column, max(wanted, self._header.needed_width(column)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_to_font()

    def _connect(self) -> None:
        self.filters.filter_changed.connect(self._on_filters_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_header_sort_changed)
        self.model.counts_changed.connect(self._on_model_counts_changed)
        self.model.submissions_updated.connect(self._on_model_submissions_updated)
        self.model.load_failed.connect(self._on_model_load_failed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.row_actions.reported.connect(self.show_message)
        self.row_actions.send_requested.connect(self.send_requested)
        self.row_actions.fix_requested.connect(self.fix_requested)

    # -- reacting ---------------------------------------------------------------------------

    def _on_filters_filter_changed(self, new_filter: OutboxFilter) -> None:
        self.model.set_filter(new_filter)

    def _on_table_selection_changed(self, *_args: object) -> None:
        self.row_actions.update_enabled()
        current = self.table.currentIndex()
        selection = self.table.selectionModel()
        rows = self.selected_rows()
        if current.isValid() and selection.isRowSelected(current.row()):
            sid: str | None = self.model.submission_id(current.row())
        else:
            sid = rows[0].id if rows else None
        if sid != self.detail.submission_id:
            self.detail.show_submission(sid)

    def _on_table_context_menu_requested(self, position: QPoint) -> None:
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _on_header_sort_changed(self, _section: int, _order: Qt.SortOrder) -> None:
        # Unsortable columns leave the model as it was; the arrow goes back to say so.
        column, order = self.model.sort_column()
        header = self.table.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)

    def _on_model_counts_changed(self) -> None:
        shown, total = self.model.rowCount(), self.model.store_total
        if self.model.filter.is_empty:
            self.counts.setText(f"{shown:,} of {total:,} submissions")
        elif shown == total:
            self.counts.setText(f"{total:,} matching")
        else:
            self.counts.setText(f"{shown:,} of {total:,} matching")

    def _on_model_submissions_updated(self, ids: list[str]) -> None:
        self.row_actions.update_enabled()
        if self.detail.submission_id in ids:
            self.detail.reload()
        self._counts_timer.start()

    def _on_model_load_failed(self, text: str) -> None:
        self.show_message(text, error=True)

    def _on_model_about_to_be_reset(self) -> None:
        self._reselect = [row.id for row in self.selected_rows()]

    def _on_model_reset(self) -> None:
        if self._reselect:
            self.select_submissions(self._reselect)
        self._reselect = []
        self._on_table_selection_changed()

    def _on_find_action_triggered(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def _on_relay_received(self, events: list[Event]) -> None:
        progress = [event for event in events if isinstance(event, Progress)]
        if progress:
            self._show_progress(progress[-1])
        if any(isinstance(event, ProfileChanged) for event in events):
            self._update_profiles()

    def _show_progress(self, progress: Progress) -> None:
        busy = progress.total > 0 and (progress.done < progress.total or progress.in_flight > 0)
        if busy:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(min(progress.done, progress.total))
        self.progress.setVisible(busy)

    def _update_profiles(self) -> None:
        try:
            self.filters.set_profiles(record.name for record in self._store.profiles())
        except StoreError as error:
            self.show_message(str(error), error=True)

    def _update_status_counts(self) -> None:
        """The count beside each status and the forms offered (both change with submissions)."""
        try:
            counts = self._store.count_by_status(self.model.filter.profile)
            forms = self._store.submission_forms()
        except StoreError as error:
            self.show_message(str(error), error=True)
            return
        self.filters.set_status_counts(counts)
        self.filters.set_forms(forms)
