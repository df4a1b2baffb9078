"""The outbox table model: submissions read from the store a page at a time, kept live by events."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop_app.core.events import Event, EventBus, SubmissionChanged
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
from desktop_app.store import NotFound, Status, Store, StoreError
from desktop_app.store.submissions import Order

PAGE_SIZE = 200
# With a form or text filter, one fetch reads at most this many rows looking for a page of
# matches, so a rare match never makes a scroll read the whole table at once.
SCAN_LIMIT = 5000
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


class OutboxTableModel(QAbstractTableModel):
    """Every submission matching `filter`, in `order`, read lazily (`canFetchMore`/`fetchMore`).

    The first page is read at once; the view asks for more as it scrolls, so 100,000
    submissions cost a page of memory until someone scrolls through them. `data()` is a list
    and dict look-up. Store events (delivered by an EventRelay, never by polling) update a
    row in place (`dataChanged`), put a new or newly matching submission where the order
    puts it (at the top for the default, most recently updated first), and drop rows that
    stop matching. Rows stay where they are when they change, so a batch being sent does not
    shuffle the table under the operator; `refresh()` re-reads in the store's order.

    The store pages by offset, so the model counts how far it has read (`_consumed`) and
    corrects the count as rows enter or leave the part already read; rows read twice are
    skipped by id.
    """

    counts_changed = Signal()
    """The rows shown or the number of matching submissions changed."""
    submissions_updated = Signal(list)
    """Ids of submissions that changed in the store (shown or not), once per batch of events."""
    load_failed = Signal(str)
    """Reading the store failed; a one-line message."""

    def __init__(
        self,
        store: Store,
        events: EventBus | None = None,
        *,
        page_size: int = PAGE_SIZE,
        scan_limit: int = SCAN_LIMIT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._scan_limit = max(scan_limit, page_size)
        self._filter = OutboxFilter()
        self._order: Order = DEFAULT_ORDER
        self._rows: list[OutboxRow] = []
        # Row of an id = serial + shift, so inserting at the top (the common case) is O(1) here.
        self._serial: dict[str, int] = {}
        self._shift = 0
        self._hidden: set[str] = set()  # read, but not shown by the form/text filter
        self._stale: set[str] = set()  # read, then moved past what is read (order "updated")
        self._consumed = 0
        self._boundary: tuple[int, str] | None = None
        self._exhausted = False
        self._resetting = False
        self._store_total = 0
        self._form_ids: set[str] = set()
        self._icons: dict[Status, QIcon] = {}
        self._relay = EventRelay(events or store.events, SubmissionChanged, parent=self)
        self._relay.received.connect(self._on_relay_received)
        self._load_first_page()

    # -- public API -------------------------------------------------------------------------

    @property
    def filter(self) -> OutboxFilter:
        return self._filter

    def set_filter(self, new_filter: OutboxFilter) -> None:
        if new_filter != self._filter:
            self._filter = new_filter
            self.refresh()

    @property
    def order(self) -> Order:
        return self._order

    @property
    def store_total(self) -> int:
        """Submissions matching the status and profile filters (form and text not applied)."""
        return self._store_total

    @property
    def complete(self) -> bool:
        """Every matching submission has been read."""
        return self._exhausted

    def refresh(self) -> None:
        """Read everything again from the first page."""
        self.beginResetModel()
        self._load_first_page()
        # No fetching while `modelReset` is being delivered: a listener that fetched would
        # make the ones not yet told of the reset see rows inserted into the old model.
        self._resetting = True
        try:
            self.endResetModel()
        finally:
            self._resetting = False
        self.counts_changed.emit()

    def close(self) -> None:
        """Stop following the store's events."""
        self._relay.close()

    def row_at(self, row: int) -> OutboxRow:
        return self._rows[row]

    def submission_id(self, row: int) -> str:
        return self._rows[row].id

    def row_of(self, submission_id: str) -> int | None:
        serial = self._serial.get(submission_id)
        return None if serial is None else serial + self._shift

    def known_form_ids(self) -> list[str]:
        """Form ids seen in what has been read so far (the store has no list of them)."""
        return sorted(self._form_ids)

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
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

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._resetting

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent):
            return
        added = self._read_pages()
        if added:
            self._insert(len(self._rows), added)
        self.counts_changed.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Created and updated sort in the store; other columns keep the current order."""
        orders = SORT_ORDERS.get(Column(column)) if 0 <= column < len(Column) else None
        if orders is None:
            return
        wanted = orders[0] if order == Qt.SortOrder.AscendingOrder else orders[1]
        if wanted != self._order:
            self._order = wanted
            self.refresh()

    def sort_column(self) -> tuple[Column, Qt.SortOrder]:
        """The header section and direction that show the current order."""
        for column, (ascending, descending) in SORT_ORDERS.items():
            if self._order == ascending:
                return column, Qt.SortOrder.AscendingOrder
            if self._order == descending:
                return column, Qt.SortOrder.DescendingOrder
        raise AssertionError(self._order)

    # -- reading ----------------------------------------------------------------------------

    def _load_first_page(self) -> None:
        self._rows, self._serial, self._shift = [], {}, 0
        self._hidden, self._stale = set(), set()
        self._consumed, self._boundary, self._exhausted = 0, None, False
        try:
            self._store_total = self._store.submission_count(
                self._filter.store_statuses, self._filter.profile
            )
        except StoreError as error:
            self._store_total = 0
            self._exhausted = True
            self.load_failed.emit(str(error))
            return
        rows = self._read_pages()
        self._rows = rows
        self._serial = {row.id: index for index, row in enumerate(rows)}

    def _read_pages(self) -> list[OutboxRow]:
        """The next page of rows to show (more store pages when the form/text filter skips)."""
        added: list[OutboxRow] = []
        seen: set[str] = set()
        scanned = 0
        while not self._exhausted and len(added) < self._page_size and scanned < self._scan_limit:
            try:
                records = self._store.submissions(
                    self._filter.store_statuses,
                    self._filter.profile,
                    # One more than a page, to know without another query whether more follow.
                    limit=self._page_size + 1,
                    offset=self._consumed,
                    order=self._order,
                )
            except StoreError as error:
                self._exhausted = True
                self.load_failed.emit(str(error))
                break
            self._exhausted = len(records) <= self._page_size
            records = records[: self._page_size]
            scanned += len(records)
            for record in records:
                row = OutboxRow.from_record(record)
                self._consumed += 1
                self._boundary = row.sort_key(self._order)
                self._form_ids.add(row.form_id)
                if row.id in self._serial or row.id in self._hidden or row.id in seen:
                    self._stale.discard(row.id)  # read again after it moved: skip it
                    continue
                seen.add(row.id)
                if self._filter.matches_locally(row):
                    added.append(row)
                else:
                    self._hidden.add(row.id)
        return added

    # -- live updates -----------------------------------------------------------------------

    def _on_relay_received(self, events: list[Event]) -> None:
        merged: dict[str, SubmissionChanged] = {}
        for event in events:
            if not isinstance(event, SubmissionChanged):
                continue
            first = merged.get(event.submission_id)
            previous = event.previous_status if first is None else first.previous_status
            merged[event.submission_id] = SubmissionChanged(
                event.submission_id, event.status, previous
            )
        if not merged:
            return
        total = self._store_total
        to_top: list[OutboxRow] = []
        changed: set[str] = set()
        for change in merged.values():
            self._apply(change, to_top, changed)
        if to_top:
            self._insert(0, to_top[::-1])  # the last one changed goes on top
        self._emit_changed(changed)
        self.submissions_updated.emit(list(merged))
        if total != self._store_total or to_top or changed:
            self.counts_changed.emit()

    def _apply(self, change: SubmissionChanged, to_top: list[OutboxRow], changed: set[str]) -> None:
        sid, flt = change.submission_id, self._filter
        shown = self.row_of(sid)
        loaded = shown is not None or sid in self._hidden
        if not (loaded or flt.status_accepts(change.status)):
            if flt.status_accepts(change.previous_status) and flt.profile is None:
                self._store_total -= 1  # left the filter from beyond what is read
                return
            if not flt.status_accepts(change.previous_status):
                return
        try:
            row: OutboxRow | None = OutboxRow.from_record(self._store.submission(sid))
        except NotFound:
            row = None
        except StoreError as error:
            self.load_failed.emit(str(error))
            return
        in_set = row is not None and flt.matches_in_store(row)
        was_in_set = flt.status_accepts(change.previous_status) and (
            flt.profile is None or (row is not None and row.profile == flt.profile)
        )
        self._store_total += int(in_set) - int(was_in_set)
        if row is None or not in_set:
            self._forget(sid, shown)
            return
        self._form_ids.add(row.form_id)
        local = flt.matches_locally(row)
        if loaded:
            self._update_loaded(row, shown, local, to_top, changed)
            return
        position = self._entry_position(row)
        if position is None:
            return  # beyond what is read: it comes with a later page
        self._consumed += 1
        if not local:
            self._hidden.add(sid)
        elif self._order == "-updated":
            to_top.append(row)
        else:
            self._insert(position, [row])

    def _update_loaded(
        self,
        row: OutboxRow,
        shown: int | None,
        local: bool,
        to_top: list[OutboxRow],
        changed: set[str],
    ) -> None:
        sid = row.id
        if shown is not None and local:
            self._rows[shown] = row
            changed.add(sid)
        elif shown is not None:
            self._remove(shown)
            self._hidden.add(sid)
        elif local:
            self._hidden.discard(sid)
            if self._order == "-updated":
                to_top.append(row)
            elif self._order == "updated":
                self._insert(len(self._rows), [row])
            else:
                self._insert(self._sorted_position(row), [row])
        # Ordered by "updated", a change moves the row past what is read; it stays shown
        # where it is, and is skipped when a later page reads it again.
        if self._order == "updated" and not self._exhausted and sid not in self._stale:
            self._stale.add(sid)
            self._consumed -= 1

    def _forget(self, sid: str, shown: int | None) -> None:
        """The submission no longer matches (or is gone): drop it from what is read."""
        if shown is not None:
            self._remove(shown)
        elif sid not in self._hidden:
            return
        self._hidden.discard(sid)
        if sid in self._stale:
            self._stale.discard(sid)  # it was already past what is read
        else:
            self._consumed -= 1

    def _entry_position(self, row: OutboxRow) -> int | None:
        """Where a submission entering the filtered set goes, or None if past what is read."""
        if self._order == "-updated":
            return 0
        if self._order == "updated":
            return len(self._rows) if self._exhausted else None
        if not self._exhausted and (
            self._boundary is None or row.sort_key(self._order) > self._boundary
        ):
            return None
        return self._sorted_position(row)

    def _sorted_position(self, row: OutboxRow) -> int:
        order = self._order
        return bisect.bisect_left(self._rows, row.sort_key(order), key=lambda r: r.sort_key(order))

    def _emit_changed(self, ids: Iterable[str]) -> None:
        rows = sorted(row for sid in ids if (row := self.row_of(sid)) is not None)
        last = len(Column) - 1
        for first, end in _runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    # -- row bookkeeping --------------------------------------------------------------------

    def _insert(self, position: int, rows: Sequence[OutboxRow]) -> None:
        count = len(rows)
        self.beginInsertRows(QModelIndex(), position, position + count - 1)
        if position < len(self._rows) - position:
            # Fewer rows above: move them up by lowering the shift, keep the rest as they are.
            self._shift += count
            for existing in self._rows[:position]:
                self._serial[existing.id] -= count
        else:
            for existing in self._rows[position:]:
                self._serial[existing.id] += count
        for offset, row in enumerate(rows):
            self._serial[row.id] = position + offset - self._shift
        self._rows[position:position] = rows
        self.endInsertRows()

    def _remove(self, position: int) -> None:
        self.beginRemoveRows(QModelIndex(), position, position)
        removed = self._rows.pop(position)
        del self._serial[removed.id]
        if position < len(self._rows) - position:
            self._shift -= 1
            for existing in self._rows[:position]:
                self._serial[existing.id] += 1
        else:
            for existing in self._rows[position:]:
                self._serial[existing.id] -= 1
        self.endRemoveRows()

    def _icon(self, status: Status) -> QIcon:
        icon = self._icons.get(status)
        if icon is None:
            style = QApplication.style()
            icon = style.standardIcon(_STATUS_PIXMAPS[status]) if style else QIcon()
            self._icons[status] = icon
        return icon


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
