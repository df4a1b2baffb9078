"""RowList: the table's rows in order, with the row of an id found in O(1) as rows come and go."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence

from desktop_app.gui.results.rows import OutboxRow


class RowList:
    """Rows in display order and an id -> row index that survives inserts and removals.

    The index stores `serial = row - shift`. Inserting or removing renumbers only the rows on
    the shorter side of the change: above it by moving `shift`, below it one by one. So the
    common change, a new submission at the top, costs O(1) however many rows are loaded.
    """

    def __init__(self, rows: Iterable[OutboxRow] = ()) -> None:
        self._rows = list(rows)
        self._serial = {row.id: index for index, row in enumerate(self._rows)}
        self._shift = 0

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, row: int) -> OutboxRow:
        return self._rows[row]

    def __iter__(self) -> Iterator[OutboxRow]:
        return iter(self._rows)

    def __contains__(self, submission_id: object) -> bool:
        return submission_id in self._serial

    def row_of(self, submission_id: str) -> int | None:
        serial = self._serial.get(submission_id)
        return None if serial is None else serial + self._shift

    def ids(self) -> list[str]:
        return [row.id for row in self._rows]

    def replace(self, row: int, new: OutboxRow) -> None:
        """The same submission, new values."""
        if new.id != self._rows[row].id:
            raise ValueError("replace() keeps the submission; insert or remove to change it")
        self._rows[row] = new

    def insert(self, position: int, rows: Sequence[OutboxRow]) -> None:
        count = len(rows)
        if position < len(self._rows) - position:
            # Fewer rows above: they keep their row, so their serial drops with the shift.
            self._shift += count
            for existing in self._rows[:position]:
                self._serial[existing.id] -= count
        else:
            for existing in self._rows[position:]:
                self._serial[existing.id] += count
        for offset, row in enumerate(rows):
            self._serial[row.id] = position + offset - self._shift
        self._rows[position:position] = rows

    def remove(self, position: int) -> OutboxRow:
        removed = self._rows.pop(position)
        del self._serial[removed.id]
        if position < len(self._rows) - position:
            self._shift -= 1
            for existing in self._rows[:position]:
                self._serial[existing.id] += 1
        else:
            for existing in self._rows[position:]:
                self._serial[existing.id] -= 1
        return removed

    def bisect(self, key: tuple[int, str], row_key: Callable[[OutboxRow], tuple[int, str]]) -> int:
        """Where a row with `key` goes among rows sorted by `row_key`."""
        return bisect.bisect_left(self._rows, key, key=row_key)


def runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    found: list[tuple[int, int]] = []
    for row in rows:
        if found and found[-1][1] == row - 1:
            found[-1] = (found[-1][0], row)
        else:
            found.append((row, row))
    return found
