"""PagedTableModel: a table read from the store a page at a time, which the view asks to extend."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Sized
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Signal,
)

from desktop_app.gui.results.rowlist import runs
from desktop_app.store import StoreError

_Index = QModelIndex | QPersistentModelIndex


class Pages(Protocol):
    """What has been read so far (the drafts' DraftPages, the outbox's OutboxPages)."""

    @property
    def rows(self) -> Sized: ...

    @property
    def exhausted(self) -> bool: ...

    def read_more(self) -> Sequence[Any]: ...


class PagedTableModel(QAbstractTableModel):
    """The lazy part the Drafts and Outbox tables share: rows and columns, `canFetchMore` /
    `fetchMore`, a reset delivered without fetching in the middle, and `dataChanged` for the
    rows of changed ids.

    A subclass sets `_pages` in its `__init__`, and provides `insert_rows` (the pages add
    rows through it), `row_of` and `_apply_waiting` (store events not applied yet, which the
    next page read must count).
    """

    counts_changed = Signal()
    """The rows shown or the number of matching items changed."""
    load_failed = Signal(str)
    """Reading the store failed; a one-line message."""

    _pages: Pages

    def __init__(self, column_count: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._column_count = column_count
        self._busy = False  # delivering a reset or a row change: no fetching meanwhile

    # -- what a subclass provides -------------------------------------------------------------

    def insert_rows(self, position: int, rows: Any) -> None:
        raise NotImplementedError

    def row_of(self, item_id: str) -> int | None:
        raise NotImplementedError

    def _apply_waiting(self) -> None:
        raise NotImplementedError

    # -- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._pages.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._column_count

    def canFetchMore(self, parent: _Index) -> bool:
        # Not while rows change or the model resets: a listener that fetched in the middle
        # of those signals would make the ones not yet told see rows of the wrong size.
        return not parent.isValid() and not self._pages.exhausted and not self._busy

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent):
            return
        # Where the next page starts is counted from the changes applied: apply them first.
        self._apply_waiting()
        try:
            added = self._pages.read_more()
        except StoreError as error:
            self.load_failed.emit(str(error))
            return
        if added:
            self.insert_rows(len(self._pages.rows), added)
        self.counts_changed.emit()

    # -- helpers for subclasses ---------------------------------------------------------------

    def _reset_with(self, reset: Callable[[], None]) -> None:
        """A model reset around `reset()` (which reads the first page again)."""
        self.beginResetModel()
        reset()
        # No fetching while `modelReset` is being delivered: a listener that fetched would
        # make the ones not yet told of the reset see rows inserted into the old model.
        self._busy = True
        try:
            self.endResetModel()
        finally:
            self._busy = False
        self.counts_changed.emit()

    def _emit_changed(self, ids: Iterable[str]) -> None:
        """`dataChanged` for the shown rows of `ids`, one signal per run of adjacent rows."""
        rows = sorted(row for item_id in ids if (row := self.row_of(item_id)) is not None)
        last = self._column_count - 1
        for first, end in runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))


def select_ids(
    selection_model: QItemSelectionModel, model: PagedTableModel, ids: Iterable[str]
) -> QModelIndex | None:
    """Select the whole rows of `ids` (those shown); the first becomes current and is returned."""
    selection = QItemSelection()
    first: QModelIndex | None = None
    last_column = model.columnCount() - 1
    for item_id in ids:
        row = model.row_of(item_id)
        if row is None:
            continue
        index = model.index(row, 0)
        first = first or index
        selection.select(index, model.index(row, last_column))
    flags = QItemSelectionModel.SelectionFlag
    selection_model.select(selection, flags.ClearAndSelect | flags.Rows)
    if first is not None:
        selection_model.setCurrentIndex(first, flags.NoUpdate)
    return first
