"""DraftPages: which drafts the table has read, kept exact while drafts are saved and deleted."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from desktop_app.gui.drafts.rows import DraftRow
from desktop_app.store import NotFound, Store


class RowSink(Protocol):
    """Where changes to the shown rows go (the Qt model wraps them in its begin/end signals)."""

    def insert_rows(self, position: int, rows: list[DraftRow]) -> None: ...

    def remove_row(self, position: int) -> None: ...

    def move_row(self, source: int, destination: int) -> None: ...

    def replace_row(self, position: int, row: DraftRow) -> None: ...


class DraftPages:
    """The drafts read so far, in the store's order by last change, and how far that reaches.

    The store pages by offset and every save moves a draft to the newest end of that order.
    `consumed` counts the rows of the store's order already read (a prefix of it). Changes
    are applied in batches, always before the next page is read (the model makes sure), so
    the prefix stays exact: newest first, the drafts changed since the last batch are exactly
    the top of the order; oldest first, they leave the prefix for the end (and come with a
    later page), unless everything is read. Rows the text filter rejects are read but `hidden`.
    Qt-free; StoreError goes to the caller.
    """

    def __init__(self, store: Store, sink: RowSink, page_size: int, scan_limit: int) -> None:
        self._store = store
        self._sink = sink
        self.page_size = max(1, page_size)
        self.scan_limit = max(scan_limit, self.page_size)
        self.needle = ""
        self.oldest_first = False
        self.rows: list[DraftRow] = []
        self.hidden: set[str] = set()
        self.consumed = 0
        self.exhausted = True
        self.store_total = 0
        self._positions: dict[str, int] | None = None

    def reset(self, needle: str, oldest_first: bool) -> None:
        """Forget everything and read the first page (rows set directly, no sink calls)."""
        self.needle, self.oldest_first = needle.casefold().strip(), oldest_first
        self.rows, self.hidden, self._positions = [], set(), None
        self.consumed, self.exhausted = 0, True
        self.store_total = self._store.draft_count()
        self.exhausted = False
        self.rows = self.read_more()
        self.rows_changed()

    def row_of(self, draft_id: str) -> int | None:
        if self._positions is None:
            self._positions = {row.id: index for index, row in enumerate(self.rows)}
        return self._positions.get(draft_id)

    def rows_changed(self) -> None:
        """The sink changed `rows`: the id -> row index is rebuilt when next needed."""
        self._positions = None

    def read_more(self) -> list[DraftRow]:
        """The next rows to show; with a filter, more pages until a page of matches (or the limit)."""
        added: list[DraftRow] = []
        seen: set[str] = set()
        scanned = 0
        while not self.exhausted and len(added) < self.page_size and scanned < self.scan_limit:
            self.exhausted = True  # stays so if the store fails
            records = self._store.drafts(
                # One more than a page, to know without another query whether more follow.
                limit=self.page_size + 1,
                offset=self.consumed,
                oldest_first=self.oldest_first,
            )
            self.exhausted = len(records) <= self.page_size
            records = records[: self.page_size]
            scanned += len(records)
            for record in records:
                self.consumed += 1
                if (
                    record.id in seen
                    or record.id in self.hidden
                    or self.row_of(record.id) is not None
                ):
                    continue  # cannot happen while changes are applied first; never show it twice
                seen.add(record.id)
                row = DraftRow(record)
                if row.matches(self.needle):
                    added.append(row)
                else:
                    self.hidden.add(row.id)
        return added

    def apply(self, draft_ids: Iterable[str]) -> list[str]:
        """Follow drafts saved or deleted since the last batch; the ids of rows changed in place."""
        present: list[DraftRow] = []
        for draft_id in dict.fromkeys(draft_ids):
            try:
                present.append(DraftRow(self._store.draft(draft_id)))
            except NotFound:
                self._forget(draft_id)
        self.store_total = self._store.draft_count()
        if self.oldest_first:
            present.sort(key=lambda row: (row.updated, row.id))
            return self._to_bottom(present)
        present.sort(key=lambda row: row.id)
        present.sort(key=lambda row: row.updated, reverse=True)  # the store's order
        return self._to_top(present)

    def _to_top(self, present: list[DraftRow]) -> list[str]:
        changed = []
        target = 0
        for row in present:
            shown = self.row_of(row.id)
            if shown is None and row.id not in self.hidden:
                self.consumed += 1  # it joins the part of the order that is read
            if not row.matches(self.needle):
                if shown is not None:
                    self._sink.remove_row(shown)
                self.hidden.add(row.id)
                continue
            self.hidden.discard(row.id)
            if shown is None:
                self._sink.insert_rows(target, [row])
            else:
                if shown != target:
                    self._sink.move_row(shown, target)
                self._sink.replace_row(target, row)
                changed.append(row.id)
            target += 1
        return changed

    def _to_bottom(self, present: list[DraftRow]) -> list[str]:
        changed = []
        for row in present:
            shown = self.row_of(row.id)
            loaded = shown is not None or row.id in self.hidden
            if not self.exhausted:
                # It moved past what is read: a later page brings it.
                if loaded:
                    self._forget(row.id)
                continue
            if not loaded:
                self.consumed += 1
            if not row.matches(self.needle):
                if shown is not None:
                    self._sink.remove_row(shown)
                self.hidden.add(row.id)
                continue
            self.hidden.discard(row.id)
            last = len(self.rows) - 1
            if shown is None:
                self._sink.insert_rows(last + 1, [row])
            else:
                if shown != last:
                    self._sink.move_row(shown, last + 1)
                self._sink.replace_row(last, row)
                changed.append(row.id)
        return changed

    def _forget(self, draft_id: str) -> None:
        """The draft left what is read (deleted, or moved past it)."""
        shown = self.row_of(draft_id)
        if shown is not None:
            self._sink.remove_row(shown)
        elif draft_id in self.hidden:
            self.hidden.discard(draft_id)
        else:
            return  # never read: nothing to correct
        self.consumed -= 1
