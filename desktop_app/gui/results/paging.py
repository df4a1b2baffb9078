"""OutboxPages: which submissions the table has read, kept exact while the store changes under it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Protocol

from desktop_app.core.events import SubmissionChanged
from desktop_app.gui.results.rowlist import RowList
from desktop_app.gui.results.rows import DEFAULT_ORDER, OutboxFilter, OutboxRow
from desktop_app.store import NotFound, Store
from desktop_app.store.submissions import Order


class RowSink(Protocol):
    """Where changes to the shown rows go (the Qt model wraps them in begin/end signals)."""

    def insert_rows(self, position: int, rows: Sequence[OutboxRow]) -> None: ...

    def remove_row(self, position: int) -> None: ...


class OutboxPages:
    """The rows read so far for one filter and order, and how far into the store they go.

    The store pages by offset, and every change can move a submission in its order (to the
    top, ordered by most recently updated). So `consumed` counts the rows of the store's
    order already read, and each change that moves a submission into or out of that part
    corrects it: too high would skip rows, too low only reads a row again, and rows read again
    are skipped by id. Rows the form or text filter rejects are read but `hidden`.
    Qt-free; StoreError goes to the caller.
    """

    def __init__(self, store: Store, sink: RowSink, page_size: int, scan_limit: int) -> None:
        self._store = store
        self._sink = sink
        self.page_size = page_size
        # With a form or text filter a read goes on past empty pages, but only this far.
        self.scan_limit = max(scan_limit, page_size)
        self.filter = OutboxFilter()
        self.order: Order = DEFAULT_ORDER
        self.rows = RowList()
        self.hidden: set[str] = set()
        # Read, then moved past what is read (order "updated"): already counted out.
        self.stale: set[str] = set()
        self.consumed = 0
        self.boundary: tuple[int, str] | None = None  # sort key of the last row read
        self.exhausted = False
        self.store_total = 0
        self.form_ids: set[str] = set()

    def reset(self, new_filter: OutboxFilter, order: Order) -> None:
        """Forget everything and read the first page (rows set directly, no sink calls)."""
        self.filter, self.order = new_filter, order
        self.rows, self.hidden, self.stale = RowList(), set(), set()
        self.consumed, self.boundary, self.exhausted, self.store_total = 0, None, True, 0
        self.store_total = self._store.submission_count(
            new_filter.store_statuses, new_filter.profile
        )
        self.exhausted = False
        self.rows = RowList(self.read_more())

    def read_more(self) -> list[OutboxRow]:
        """The next page of rows to show (more store pages when the form/text filter skips)."""
        added: list[OutboxRow] = []
        seen: set[str] = set()
        scanned = 0
        while not self.exhausted and len(added) < self.page_size and scanned < self.scan_limit:
            self.exhausted = True  # stays so if the store fails
            records = self._store.submissions(
                self.filter.store_statuses,
                self.filter.profile,
                # One more than a page, to know without another query whether more follow.
                limit=self.page_size + 1,
                offset=self.consumed,
                order=self.order,
            )
            self.exhausted = len(records) <= self.page_size
            records = records[: self.page_size]
            scanned += len(records)
            for record in records:
                row = OutboxRow.from_record(record)
                self.consumed += 1
                self.boundary = row.sort_key(self.order)
                self.form_ids.add(row.form_id)
                if row.id in self.rows or row.id in self.hidden or row.id in seen:
                    self.stale.discard(row.id)  # read again after it moved: skip it
                    continue
                seen.add(row.id)
                if self.filter.matches_locally(row):
                    added.append(row)
                else:
                    self.hidden.add(row.id)
        return added

    def apply(self, change: SubmissionChanged, to_top: list[OutboxRow], changed: set[str]) -> None:
        """Follow one change: rows for the top go to `to_top`, ids updated in place to `changed`."""
        self.apply_all([change], to_top, changed)

    def apply_all(
        self, changes: Sequence[SubmissionChanged], to_top: list[OutboxRow], changed: set[str]
    ) -> None:
        """Follow changes of distinct submissions, in order, reading those it needs in one go
        (a batch of 1000 outcomes: a few queries, not one per submission)."""
        wanted = [change for change in changes if self._wants_row(change)]
        rows = self._read([change.submission_id for change in wanted])
        for change in wanted:
            self._follow(change, rows.get(change.submission_id), to_top, changed)

    def _wants_row(self, change: SubmissionChanged) -> bool:
        """Whether following `change` needs the submission as it is now (else it is done)."""
        sid, flt = change.submission_id, self.filter
        loaded = sid in self.rows or sid in self.hidden
        if loaded or flt.status_accepts(change.status):
            return True
        if not flt.status_accepts(change.previous_status):
            return False  # never in the filtered set: nothing to do, not even a read
        if flt.profile is None:
            self.store_total -= 1  # left the filtered set from beyond what is read
            return False
        return True

    def _read(self, ids: list[str]) -> dict[str, OutboxRow]:
        """The rows of these submissions as they are now; those gone are left out."""
        if not ids:
            return {}
        try:
            records = self._store.submissions_by_id(ids)
        except NotFound:  # one is gone meanwhile: read them one by one
            records = []
            for sid in ids:
                with contextlib.suppress(NotFound):
                    records.append(self._store.submission(sid))
        return {record.id: OutboxRow.from_record(record) for record in records}

    def _follow(
        self,
        change: SubmissionChanged,
        row: OutboxRow | None,
        to_top: list[OutboxRow],
        changed: set[str],
    ) -> None:
        sid, flt = change.submission_id, self.filter
        shown = self.rows.row_of(sid)
        loaded = shown is not None or sid in self.hidden
        in_set = row is not None and flt.matches_in_store(row)
        was_in_set = flt.status_accepts(change.previous_status) and (
            flt.profile is None or (row is not None and row.profile == flt.profile)
        )
        self.store_total += int(in_set) - int(was_in_set)
        if row is None or not in_set:
            self._forget(sid, shown)
            return
        self.form_ids.add(row.form_id)
        local = flt.matches_locally(row)
        if loaded:
            self._update_loaded(row, shown, local, to_top, changed)
            return
        position = self._entry_position(row)
        if position is None:
            return  # beyond what is read: it comes with a later page
        self.consumed += 1
        if not local:
            self.hidden.add(sid)
        elif self.order == "-updated":
            to_top.append(row)
        else:
            self._sink.insert_rows(position, [row])

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
            self.rows.replace(shown, row)
            changed.add(sid)
        elif shown is not None:
            self._sink.remove_row(shown)
            self.hidden.add(sid)
        elif local:
            self.hidden.discard(sid)
            if self.order == "-updated":
                to_top.append(row)
            elif self.order == "updated":
                self._sink.insert_rows(len(self.rows), [row])
            else:
                self._sink.insert_rows(self._sorted_position(row), [row])
        # Ordered by "updated", a change moves the row past what is read; it stays shown
        # where it is, and is skipped when a later page reads it again.
        if self.order == "updated" and not self.exhausted and sid not in self.stale:
            self.stale.add(sid)
            self.consumed -= 1

    def _forget(self, sid: str, shown: int | None) -> None:
        """The submission no longer matches (or is gone): drop it from what is read."""
        if shown is not None:
            self._sink.remove_row(shown)
        elif sid not in self.hidden:
            return
        self.hidden.discard(sid)
        if sid in self.stale:
            self.stale.discard(sid)  # it was already past what is read
        else:
            self.consumed -= 1

    def _entry_position(self, row: OutboxRow) -> int | None:
        """Where a submission entering the filtered set goes, or None if past what is read."""
        if self.order == "-updated":
            return 0
        if self.order == "updated":
            return len(self.rows) if self.exhausted else None
        if not self.exhausted and (
            self.boundary is None or row.sort_key(self.order) > self.boundary
        ):
            return None
        return self._sorted_position(row)

    def _sorted_position(self, row: OutboxRow) -> int:
        order = self.order
        return self.rows.bisect(row.sort_key(order), lambda r: r.sort_key(order))
