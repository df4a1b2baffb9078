"""RowList keeps the row of every id right through inserts and removals anywhere."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from desktop_app.gui.results.rowlist import RowList, runs
from desktop_app.gui.results.rows import OutboxRow
from desktop_app.store import Status

MOMENT = datetime(2026, 5, 1, tzinfo=UTC)


def row(name: str) -> OutboxRow:
    return OutboxRow(name, Status.QUEUED, "form", name, "acme", None, 0, "", MOMENT, MOMENT)


@pytest.mark.parametrize("seed", range(5))
def test_row_of_matches_a_plain_list_after_random_changes(seed: int) -> None:
    picker = random.Random(seed)
    rows = RowList(row(f"r{n}") for n in range(20))
    plain = [f"r{n}" for n in range(20)]
    for step in range(400):
        if plain and picker.random() < 0.4:
            position = picker.randrange(len(plain))
            assert rows.remove(position).id == plain.pop(position)
        else:
            position = picker.choice([0, len(plain), picker.randint(0, len(plain))])
            new = [f"s{step}-{k}" for k in range(picker.randint(1, 3))]
            rows.insert(position, [row(name) for name in new])
            plain[position:position] = new
        assert rows.ids() == plain
    assert all(rows.row_of(name) == index for index, name in enumerate(plain))
    assert rows.row_of("r-missing") is None


def test_replace_keeps_the_submission() -> None:
    rows = RowList([row("a"), row("b")])
    rows.replace(1, row("b"))
    with pytest.raises(ValueError):
        rows.replace(1, row("c"))


def test_runs_groups_consecutive_rows() -> None:
    assert runs([0, 1, 2, 5, 7, 8]) == [(0, 2), (5, 5), (7, 8)]
    assert runs([]) == []
