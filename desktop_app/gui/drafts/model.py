"""The drafts table model: drafts read from the store a page at a time, kept live by store events."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer

from desktop_app.core.events import DraftDeleted, DraftSaved
from desktop_app.gui.bridge import EventsBridge
from desktop_app.gui.drafts.paging import DraftPages
from desktop_app.gui.drafts.rows import HEADERS, Column, DraftRow
from desktop_app.gui.paged_model import PagedTableModel
from desktop_app.store import Store, StoreError

PAGE_SIZE = 200
# With a text filter, one fetch reads at most this many drafts looking for a page of matches.
SCAN_LIMIT = 5000
ID_ROLE = Qt.ItemDataRole.UserRole + 1
UPDATED_ROLE = Qt.ItemDataRole.UserRole + 2
VALID_ROLE = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex
_ASCENDING = Qt.SortOrder.AscendingOrder
_DESCENDING = Qt.SortOrder.DescendingOrder


class DraftsModel(PagedTableModel):
    """Every draft matching the text filter, by last change, read lazily (`canFetchMore`).

    The first page is read at once; the view asks for more as it scrolls. A draft saved or
    deleted anywhere (the runner's autosave, the Drafts page, queueing) arrives as an event
    through the EventsBridge, never by polling; the events of one loop turn are applied
    together: a saved draft moves to the top (newest first) with `rowsMoved` and
    `dataChanged`, a new one is inserted, a deleted one removed; no reset. Only the
    "Last change" column sorts (in the store); the others keep the current order.
    """

    def __init__(
        self,
        store: Store,
        bridge: EventsBridge,
        *,
        page_size: int = PAGE_SIZE,
        scan_limit: int = SCAN_LIMIT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(len(Column), parent)
        self._store = store
        self._pages: DraftPages = DraftPages(store, self, page_size, scan_limit)
        self._pending: list[str] = []
        # One update per loop turn, however many drafts a batch saves or deletes.
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self.apply_pending)
        self._bridge: EventsBridge | None = bridge
        bridge.draft_saved.connect(self._on_bridge_draft_changed)
        bridge.draft_deleted.connect(self._on_bridge_draft_changed)
        self._reset("", oldest_first=False)

    # -- public API -------------------------------------------------------------------------

    @property
    def filter_text(self) -> str:
        return self._pages.needle

    def set_filter_text(self, text: str) -> None:
        """Show only drafts whose form or typed text contains `text` (any case)."""
        if text.casefold().strip() != self._pages.needle:
            self._refresh(text, self._pages.oldest_first)

    @property
    def oldest_first(self) -> bool:
        return self._pages.oldest_first

    @property
    def store_total(self) -> int:
        """Drafts in the store, filter not applied."""
        return self._pages.store_total

    @property
    def complete(self) -> bool:
        """Every draft has been read."""
        return self._pages.exhausted

    def refresh(self) -> None:
        """Read everything again from the first page."""
        self._refresh(self._pages.needle, self._pages.oldest_first)

    def close(self) -> None:
        """Stop following the store's events."""
        bridge, self._bridge = self._bridge, None
        if bridge is not None:
            bridge.draft_saved.disconnect(self._on_bridge_draft_changed)
            bridge.draft_deleted.disconnect(self._on_bridge_draft_changed)
        self._pending.clear()

    def row_at(self, row: int) -> DraftRow:
        return self._pages.rows[row]

    def draft_id(self, row: int) -> str:
        return self._pages.rows[row].id

    def row_of(self, draft_id: str) -> int | None:
        return self._pages.row_of(draft_id)

    def apply_pending(self) -> None:
        """Apply the store events received so far now (they are otherwise applied next turn)."""
        self._flush_timer.stop()
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            changed = self._pages.apply(pending)
        except StoreError as error:
            self.load_failed.emit(str(error))
            return
        self._emit_changed(changed)
        self.counts_changed.emit()

    # -- Qt model ---------------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._pages.rows
        if not index.isValid() or index.row() >= len(rows):
            return None
        row = rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Column.FORM:
                return row.form_title
            if column is Column.SUMMARY:
                return row.summary
            if column is Column.UPDATED:
                return row.updated_text
            return row.valid_text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole and column is Column.VALID:
            return "Complete" if not row.problems else row.valid_text
        if role == ID_ROLE:
            return row.id
        if role == UPDATED_ROLE:
            return row.updated.isoformat()
        if role == VALID_ROLE:
            return not row.problems
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
            if column is Column.UPDATED:
                return "Sort by the time of the last change"
            return "Drafts sort by their last change only"
        return None

    def sort(self, column: int, order: Qt.SortOrder = _ASCENDING) -> None:
        """Last change sorts in the store; the other columns keep the current order."""
        if column != Column.UPDATED:
            return
        oldest_first = order == _ASCENDING
        if oldest_first != self._pages.oldest_first:
            self._refresh(self._pages.needle, oldest_first)

    def sort_order(self) -> Qt.SortOrder:
        """The direction of the "Last change" column now."""
        return _ASCENDING if self._pages.oldest_first else _DESCENDING

    # -- row bookkeeping (DraftPages' RowSink) ------------------------------------------------

    def insert_rows(self, position: int, rows: list[DraftRow]) -> None:
        self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
        self._pages.rows[position:position] = rows
        self._pages.rows_changed()
        self.endInsertRows()

    def remove_row(self, position: int) -> None:
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._pages.rows[position]
        self._pages.rows_changed()
        self.endRemoveRows()

    def move_row(self, source: int, destination: int) -> None:
        """Move one row to before `destination` (Qt's numbering, before the move)."""
        root = QModelIndex()
        if not self.beginMoveRows(root, source, source, root, destination):
            return
        rows = self._pages.rows
        row = rows.pop(source)
        rows.insert(destination if destination < source else destination - 1, row)
        self._pages.rows_changed()
        self.endMoveRows()

    def replace_row(self, position: int, row: DraftRow) -> None:
        """The same draft with new values (`apply_pending` emits dataChanged)."""
        self._pages.rows[position] = row

    # -- internals --------------------------------------------------------------------------

    def _apply_waiting(self) -> None:
        # Changes first: the next page is read at an offset that must count them.
        self.apply_pending()

    def _on_bridge_draft_changed(self, event: DraftSaved | DraftDeleted) -> None:
        self._pending.append(event.draft_id)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _refresh(self, text: str, oldest_first: bool) -> None:
        self._reset_with(lambda: self._reset(text, oldest_first))

    def _reset(self, text: str, oldest_first: bool) -> None:
        self._pending.clear()  # the first page is read now: it already holds those changes
        self._flush_timer.stop()
        try:
            self._pages.reset(text, oldest_first)
        except StoreError as error:
            self.load_failed.emit(str(error))

    def _tooltip(self, row: DraftRow, column: Column) -> str | None:
        if column is Column.FORM:
            return row.form_tooltip
        if column is Column.SUMMARY:
            return row.full_summary
        if column is Column.UPDATED:
            return f"Last changed {row.updated_text}"
        if not row.problems:
            return "Complete: every required answer is there and valid"
        return "Needs fixing before it can be sent:\n" + "\n".join(
            f"• {problem}" for problem in row.problems
        )
