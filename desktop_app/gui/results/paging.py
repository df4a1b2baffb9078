"""OutboxPages: which submissions the table has read, kept exact while the store changes under it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
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

    Every part of the filter (status, profile, form, text) is a store query, so a page read
    is a page shown, and a rare match deep in 100,000 rows costs one query, not a scan here.
    Pages are read by key: each starts right after the last row read (`after`) in the order,
    so a change that moves a submission (to the top, ordered by most recently updated) never
    makes a page skip a row, and a row read again (moved past what is read, ordered by least
    recently updated) is skipped by id. A submission entering the filtered set before that
    point is put in place here; one after it comes with a later page. `store_total` is the number of matching submissions; with a text
    filter a change can make a row match or stop matching out of sight (its message or ticket
    changed), so there it goes `total_exact = False` and the owner counts again. Qt-free;
    StoreError goes to the caller.
    """

    def __init__(self, store: Store, sink: RowSink, page_size: int) -> None:
        self._store = store
        self._sink = sink
        self.page_size = page_size
        self.filter = OutboxFilter()
        self.order: Order = DEFAULT_ORDER
        self.rows = RowList()
        self.after: tuple[datetime, str] | None = None  # time and id of the last row read
        self.boundary: tuple[int, str] | None = None  # its sort key
        self.exhausted = False
        self.store_total = 0
        self.total_exact = True

    def reset(self, new_filter: OutboxFilter, order: Order) -> None:
        """Forget everything and read the first page (rows set directly, no sink calls)."""
        self.filter, self.order = new_filter, order
        self.rows, self.after, self.boundary = RowList(), None, None
        self.exhausted, self.store_total = True, 0
        self.store_total = self.count()
        self.total_exact = True
        self.exhausted = False
        self.rows = RowList(self.read_more())

    def count(self) -> int:
        """The matching submissions in the store now."""
        flt = self.filter
        return self._store.submission_count(
            flt.store_statuses, flt.profile, form_id=flt.form_id, text=flt.text
        )

    def read_more(self) -> list[OutboxRow]:
        """The next page of rows to show."""
        added: list[OutboxRow] = []
        flt = self.filter
        # A page can hold only rows shown already (they moved past what is read): read on.
        while not added and not self.exhausted:
            self.exhausted = True  # stays so if the store fails
            records = self._store.submissions(
                flt.store_statuses,
                flt.profile,
                # One more than a page, to know without another query whether more follow.
                limit=self.page_size + 1,
                order=self.order,
                after=self.after,
                form_id=flt.form_id,
                text=flt.text,
            )
            self.exhausted = len(records) <= self.page_size
            seen: set[str] = set()
            for record in records[: self.page_size]:
                row = OutboxRow.from_record(record)
                moment = row.created if self.order.endswith("created") else row.updated
                self.after, self.boundary = (moment, row.id), row.sort_key(self.order)
                if row.id in self.rows or row.id in seen:
                    continue  # read again after it moved past what is read: shown already
                seen.add(row.id)
                added.append(row)
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
        matching: set[str] | None = None
        flt = self.filter
        if flt.text and rows:
            # Whether the text matches is the store's to say (one query for the chunk).
            matching = self._store.matching_submission_ids(
                list(rows), flt.store_statuses, flt.profile, form_id=flt.form_id, text=flt.text
            )
        for change in wanted:
            row = rows.get(change.submission_id)
            in_set = row is not None and flt.matches_without_text(row)
            if matching is not None:
                in_set = in_set and change.submission_id in matching
            self._follow(change, row, in_set, to_top, changed)

    def _wants_row(self, change: SubmissionChanged) -> bool:
        """Whether following `change` needs the submission as it is now (else it is done)."""
        sid, flt = change.submission_id, self.filter
        if sid in self.rows or flt.status_accepts(change.status):
            return True
        if not flt.status_accepts(change.previous_status):
            return False  # never in the filtered set: nothing to do, not even a read
        if flt.text:
            self.total_exact = False  # it may have matched; not shown, so nothing else to do
            return False
        if flt.profile is None and flt.form_id is None:
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
        in_set: bool,
        to_top: list[OutboxRow],
        changed: set[str],
    ) -> None:
        sid, flt = change.submission_id, self.filter
        shown = self.rows.row_of(sid)
        if flt.text:
            # Whether it matched before is not known (its message may have changed).
            self.total_exact = False
        else:
            # Profile and form never change: the row as it is now says if it was in the set.
            was_in_set = flt.status_accepts(change.previous_status) and (
                flt.matches_origin(row)
                if row is not None
                else flt.profile is None and flt.form_id is None
            )
            self.store_total += int(in_set) - int(was_in_set)
        if row is None or not in_set:
            self._forget(shown)
            return
        if shown is not None:
            # Ordered by "updated", a change moves the row past what is read; it stays shown
            # where it is, and is skipped when a later page reads it again.
            self.rows.replace(shown, row)
            changed.add(sid)
            return
        position = self._entry_position(row)
        if position is None:
            return  # beyond what is read: it comes with a later page
        if self.order == "-updated":
            to_top.append(row)
        else:
            self._sink.insert_rows(position, [row])

    def _forget(self, shown: int | None) -> None:
        """The submission no longer matches (or is gone): drop it from what is shown."""
        if shown is not None:
            self._sink.remove_row(shown)

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
