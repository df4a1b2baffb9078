"""The outbox table model: submissions read from the store a page at a time, kept live by events."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop_app.core.events import Event, EventBus, SubmissionChanged
from desktop_app.gui.paged_model import PagedTableModel
from desktop_app.gui.results.paging import OutboxPages
from desktop_app.gui.results.relay import EventRelay
from desktop_app.gui.results.rows import (
    DEFAULT_ORDER,
    HEADERS,
    SORT_ORDERS,
    STATUS_LABELS,
    Column,
    OutboxFilter,
    OutboxRow,
)
from desktop_app.store import Status, Store, StoreError
from desktop_app.store.submissions import Order

PAGE_SIZE = 200
# With a text filter a change can make a submission not shown match or stop matching: the
# matching ones are counted again (one query), at most once per this many ms while changes come.
RECOUNT_DELAY_MS = 500
# A burst of changes (1000 tickets queued or answered at once) is applied this many at a
# time, one chunk per loop turn (~5 ms each here), so the window keeps painting meanwhile.
APPLY_CHUNK = 100
ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_SP = QStyle.StandardPixmap
_STATUS_PIXMAPS: dict[Status, QStyle.StandardPixmap] = {
    Status.QUEUED: _SP.SP_ArrowRight,
    Status.SENDING: _SP.SP_BrowserReload,
    Status.ACCEPTED: _SP.SP_DialogApplyButton,
    Status.REJECTED: _SP.SP_MessageBoxCritical,
    Status.FAILED: _SP.SP_MessageBoxWarning,
    Status.UNCERTAIN: _SP.SP_MessageBoxQuestion,
    Status.CANCELLED: _SP.SP_DialogCancelButton,
}
_DISPLAY: dict[Column, Callable[[OutboxRow], str]] = {
    Column.STATUS: lambda row: STATUS_LABELS[row.status],
    Column.FORM: lambda row: row.form_id,
    Column.SUMMARY: lambda row: row.summary,
    Column.PROFILE: lambda row: row.profile,
    Column.TICKET: lambda row: "" if row.ticket_id is None else f"#{row.ticket_id}",
    Column.ATTEMPTS: lambda row: str(row.attempts),
    Column.MESSAGE: lambda row: row.last_message,
    Column.CREATED: lambda row: row.created_text,
    Column.UPDATED: lambda row: row.updated_text,
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class OutboxTableModel(PagedTableModel):
    """Every submission matching `filter`, in `order`, read lazily (`canFetchMore`/`fetchMore`).

    The first page is read at once; the view asks for more as it scrolls, so 100,000
    submissions cost a page of memory until someone scrolls through them. `data()` is a list
    and dict look-up. Store events (delivered by an EventRelay, never by polling) update a
    row in place (`dataChanged`), put a new or newly matching submission where the order
    puts it (at the top for the default, most recently updated first), and drop rows that
    stop matching. Rows stay where they are when they change, so a batch being sent does not
    shuffle the table under the operator; `refresh()` re-reads in the store's order. A burst
    of changes is applied `apply_chunk` submissions per loop turn, each chunk read from the
    store in one query, so a thousand outcomes never hold up the window's painting.

    What has been read, and how that stays exact while the store changes, is OutboxPages';
    this class adds Qt's signals and the look of each cell.
    """

    submissions_updated = Signal(list)
    """Ids of submissions that changed in the store (shown or not), once per batch of events."""

    def __init__(
        self,
        store: Store,
        events: EventBus | None = None,
        *,
        page_size: int = PAGE_SIZE,
        apply_chunk: int = APPLY_CHUNK,
        recount_delay_ms: int = RECOUNT_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(len(Column), parent)
        self._store = store
        self._page_size = page_size
        self._pages: OutboxPages = OutboxPages(store, self, page_size)
        self._icons: dict[Status, QIcon] = {}
        self._relay = EventRelay(events or store.events, SubmissionChanged, parent=self)
        self._relay.received.connect(self._on_relay_received)
        # Changes not applied yet (merged per submission), in the order they came.
        self._backlog: dict[str, SubmissionChanged] = {}
        self._apply_chunk = apply_chunk
        self._backlog_timer = QTimer(self)
        self._backlog_timer.setSingleShot(True)
        self._backlog_timer.setInterval(0)
        self._backlog_timer.timeout.connect(self._apply_backlog)
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(recount_delay_ms)
        self._recount_timer.timeout.connect(self._recount)
        self._reset(OutboxFilter(), DEFAULT_ORDER)

    # -- public API -------------------------------------------------------------------------

    @property
    def filter(self) -> OutboxFilter:
        return self._pages.filter

    def set_filter(self, new_filter: OutboxFilter) -> None:
        if new_filter != self._pages.filter:
            self._refresh(new_filter, self._pages.order)

    @property
    def order(self) -> Order:
        return self._pages.order

    @property
    def store_total(self) -> int:
        """Submissions in the store matching the filter (with a text filter, as last counted:
        it is counted again shortly after changes)."""
        return self._pages.store_total

    @property
    def complete(self) -> bool:
        """Every matching submission has been read."""
        return self._pages.exhausted

    def refresh(self) -> None:
        """Read everything again from the first page."""
        self._refresh(self._pages.filter, self._pages.order)

    def _refresh(self, new_filter: OutboxFilter, order: Order) -> None:
        self._reset_with(lambda: self._reset(new_filter, order))

    def close(self) -> None:
        """Stop following the store's events."""
        self._relay.close()
        self._backlog.clear()
        self._backlog_timer.stop()
        self._recount_timer.stop()

    def row_at(self, row: int) -> OutboxRow:
        return self._pages.rows[row]

    def submission_id(self, row: int) -> str:
        return self._pages.rows[row].id

    def row_of(self, submission_id: str) -> int | None:
        return self._pages.rows.row_of(submission_id)

    # -- Qt model ---------------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._pages.rows
        if not index.isValid() or index.row() >= len(rows):
            return None
        row = rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _DISPLAY[column](row)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATUS:
            return self._icon(row.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.STATUS:
                return f"{STATUS_LABELS[row.status]} — submission {row.id}"
            if column in (Column.SUMMARY, Column.MESSAGE):
                return _DISPLAY[column](row) or None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.TICKET, Column.ATTEMPTS):
            return _RIGHT
        if role == ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return row.status.value
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return super().headerData(section, orientation, role)
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in SORT_ORDERS:
                return f"Sort by {HEADERS[column].lower()} time"
            return "Sorting is by the created or updated time only"
        return None

    def _apply_waiting(self) -> None:
        while self._backlog:
            self._apply_backlog()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Created and updated sort in the store; other columns keep the current order."""
        orders = SORT_ORDERS.get(Column(column)) if 0 <= column < len(Column) else None
        if orders is None:
            return
        wanted = orders[0] if order == Qt.SortOrder.AscendingOrder else orders[1]
        if wanted != self._pages.order:
            self._refresh(self._pages.filter, wanted)

    def sort_column(self) -> tuple[Column, Qt.SortOrder]:
        """The header section and direction that show the current order."""
        for column, (ascending, descending) in SORT_ORDERS.items():
            if self._pages.order == ascending:
                return column, Qt.SortOrder.AscendingOrder
            if self._pages.order == descending:
                return column, Qt.SortOrder.DescendingOrder
        raise AssertionError(self._pages.order)

    def _reset(self, new_filter: OutboxFilter, order: Order) -> None:
        # What waits is in the store already: the rows read now include it.
        self._backlog.clear()
        self._backlog_timer.stop()
        self._recount_timer.stop()
        try:
            self._pages.reset(new_filter, order)
        except StoreError as error:
            self.load_failed.emit(str(error))

    # -- live updates -----------------------------------------------------------------------

    def _on_relay_received(self, events: list[Event]) -> None:
        backlog = self._backlog
        for event in events:
            if not isinstance(event, SubmissionChanged):
                continue
            first = backlog.get(event.submission_id)
            previous = event.previous_status if first is None else first.previous_status
            backlog[event.submission_id] = SubmissionChanged(
                event.submission_id, event.status, previous
            )
        if backlog and not self._backlog_timer.isActive():
            self._apply_backlog()

    def _apply_backlog(self) -> None:
        """Apply the next `APPLY_CHUNK` changes waiting; the rest go on the next loop turn."""
        backlog = self._backlog
        if not backlog:
            return
        ids = list(itertools.islice(backlog, self._apply_chunk))
        chunk = [backlog.pop(sid) for sid in ids]
        total = self._pages.store_total
        to_top: list[OutboxRow] = []
        changed: set[str] = set()
        try:
            self._pages.apply_all(chunk, to_top, changed)
        except StoreError as error:
            self.load_failed.emit(str(error))
            backlog.clear()  # the store cannot be read now; refresh() reads it all again
        if to_top:
            self.insert_rows(0, to_top[::-1])  # the last one changed goes on top
        self._emit_changed(changed)
        self.submissions_updated.emit(ids)
        if total != self._pages.store_total or to_top or changed:
            self.counts_changed.emit()
        if backlog:
            self._backlog_timer.start()
        elif not self._pages.total_exact and not self._recount_timer.isActive():
            self._recount_timer.start()

    def _recount(self) -> None:
        """Count the matching submissions again (a text filter after changes)."""
        if self._backlog:
            return  # counted once the backlog is applied
        try:
            total = self._pages.count()
        except StoreError as error:
            self.load_failed.emit(str(error))
            return
        self._pages.store_total, self._pages.total_exact = total, True
        self.counts_changed.emit()

    # -- row bookkeeping --------------------------------------------------------------------

    def insert_rows(self, position: int, rows: Sequence[OutboxRow]) -> None:
        """RowSink: OutboxPages adds shown rows through here."""
        self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
        self._pages.rows.insert(position, rows)
        self._busy = True
        try:
            self.endInsertRows()
        finally:
            self._busy = False

    def remove_row(self, position: int) -> None:
        """RowSink: OutboxPages drops shown rows through here."""
        self.beginRemoveRows(QModelIndex(), position, position)
        self._pages.rows.remove(position)
        self._busy = True
        try:
            self.endRemoveRows()
        finally:
            self._busy = False

    def _icon(self, status: Status) -> QIcon:
        icon = self._icons.get(status)
        if icon is None:
            style = QApplication.style()
            icon = style.standardIcon(_STATUS_PIXMAPS[status]) if style else QIcon()
            self._icons[status] = icon
        return icon
