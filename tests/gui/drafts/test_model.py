"""The drafts model: lazy pages over a real store, live from the bridge's events, filter and sort."""

from __future__ import annotations

import random
from datetime import datetime

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.gui.context import AppContext
from desktop_app.gui.drafts.model import ID_ROLE, VALID_ROLE, DraftsModel
from desktop_app.gui.drafts.rows import NO_ANSWERS, SUMMARY_LENGTH, Column
from desktop_app.store import Store
from tests.gui.drafts.conftest import (
    ROOT,
    cell,
    fetch_all,
    help_form,
    ids,
    save,
    save_many,
    visit_form,
)

TOOLTIP = Qt.ItemDataRole.ToolTipRole


def make_model(context: AppContext, page_size: int = 200) -> DraftsModel:
    return DraftsModel(context.store, context.bridge, page_size=page_size)


def test_the_model_passes_the_model_tester_while_drafts_change(
    qtbot: QtBot, qtmodeltester: ModelTester, context: AppContext, store: Store
) -> None:
    created = save_many(store, 12)
    model = make_model(context, page_size=5)
    assert model.rowCount() == 5 and model.canFetchMore(ROOT)
    qtmodeltester.check(model)  # the C++ tester stays attached and checks every change below

    with qtbot.waitSignal(model.rowsInserted):
        save(store, "Arrives later")
    with qtbot.waitSignal(model.rowsMoved):
        save(store, "Edited", draft_id=created[-3])  # a loaded row moves to the top
    with qtbot.waitSignal(model.rowsRemoved):
        store.delete_draft(created[-2])
    model.fetchMore(ROOT)
    model.set_filter_text("draft 1")
    fetch_all(model)
    model.sort(Column.UPDATED, Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(model.rowsRemoved):
        store.delete_draft(model.draft_id(0))
    fetch_all(model)
    assert model.complete


def test_drafts_are_read_a_page_at_a_time(context: AppContext, store: Store) -> None:
    created = save_many(store, 25)
    model = make_model(context, page_size=10)
    assert model.rowCount() == 10 and model.store_total == 25
    counts = []
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)
        counts.append(model.rowCount())
    assert counts == [20, 25]
    assert ids(model) == created[::-1]  # most recently changed first
    assert model.complete


def test_a_draft_saved_through_the_store_appears_at_the_top(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    save_many(store, 3)
    model = make_model(context)
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        new_id = save(store, "Printer on fire")
    assert (blocker.args[1], blocker.args[2]) == (0, 0)
    assert model.draft_id(0) == new_id
    assert cell(model, 0, Column.SUMMARY) == "Printer on fire"
    assert model.rowCount() == 4 and model.store_total == 4


def test_an_autosave_updates_and_moves_the_row_without_a_reset(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    first, second, third = save_many(store, 3)
    model = make_model(context)
    resets: list[object] = []
    model.modelReset.connect(lambda: resets.append(True))
    assert ids(model) == [third, second, first]

    with qtbot.waitSignals([model.rowsMoved, model.dataChanged]):
        save(store, "Now with details", draft_id=first)
    assert ids(model) == [first, third, second]
    assert cell(model, 0, Column.SUMMARY) == "Now with details"
    # Saved again while on top: updated in place.
    with qtbot.waitSignal(model.dataChanged) as blocker:
        save(store, "Now with more details", draft_id=first)
    assert blocker.args[0].row() == 0 == blocker.args[1].row()
    assert cell(model, 0, Column.SUMMARY) == "Now with more details"
    assert resets == []


def test_deleting_a_draft_removes_its_row(qtbot: QtBot, context: AppContext, store: Store) -> None:
    first, second, third = save_many(store, 3)
    model = make_model(context)
    with qtbot.waitSignal(model.rowsRemoved) as blocker:
        store.delete_draft(second)
    assert blocker.args[1] == 1
    assert ids(model) == [third, first]
    assert model.store_total == 2


def test_queueing_a_draft_removes_its_row(qtbot: QtBot, context: AppContext, store: Store) -> None:
    draft_id = save(store, "Send me", email="ada@example.com")
    model = make_model(context)
    with qtbot.waitSignal(model.rowsRemoved):
        store.queue_submission(
            help_form(),
            {"summary": "Send me", "email": "ada@example.com"},
            context.active_profile,
            draft_id=draft_id,
        )
    assert model.rowCount() == 0


def test_the_columns(context: AppContext, store: Store) -> None:
    complete = save(store, "Printer jams", email="ada@example.com")
    missing = store.save_draft(help_form(), {"email": "not an address"})
    long_text = "word " * 60
    visit = store.save_draft(visit_form(), {"name": "Ada Lovelace", "reason": long_text})
    empty = store.save_draft(visit_form(), {})
    model = make_model(context)
    row = {draft_id: model.row_of(draft_id) for draft_id in (complete, missing, visit, empty)}

    r = row[complete]
    assert r is not None
    assert cell(model, r, Column.FORM) == "IT help"
    assert "version 3" in cell(model, r, Column.FORM, TOOLTIP)
    assert cell(model, r, Column.SUMMARY) == "Printer jams"
    assert cell(model, r, Column.VALID) == "✔ Complete"
    assert cell(model, r, Column.VALID, VALID_ROLE) is True
    assert cell(model, r, Column.FORM, ID_ROLE) == complete
    updated = store.draft(complete).updated
    assert cell(model, r, Column.UPDATED) == updated.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    datetime.strptime(cell(model, r, Column.UPDATED), "%Y-%m-%d %H:%M:%S")

    r = row[missing]
    assert r is not None
    assert cell(model, r, Column.VALID) == "2 problems"
    assert cell(model, r, Column.VALID, VALID_ROLE) is False
    tooltip = cell(model, r, Column.VALID, TOOLTIP)
    assert "Summary: Please fill in this field." in tooltip
    assert "Your e-mail: Enter an e-mail address" in tooltip

    r = row[visit]  # no subject: the first typed answers, cut short
    assert r is not None
    summary = cell(model, r, Column.SUMMARY)
    assert summary.startswith("Ada Lovelace · word word")
    assert len(summary) == SUMMARY_LENGTH and summary.endswith("…")
    assert cell(model, r, Column.SUMMARY, TOOLTIP).endswith("word")
    assert cell(model, row[empty] or 0, Column.SUMMARY) == NO_ANSWERS


def test_new_pages_neither_repeat_nor_skip_while_drafts_change(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    randomizer = random.Random(7)
    created = save_many(store, 40)
    for oldest_first in (False, True):
        model = make_model(context, page_size=4)
        if oldest_first:
            model.sort(Column.UPDATED, Qt.SortOrder.AscendingOrder)
        while model.canFetchMore(ROOT):
            for _ in range(randomizer.randint(0, 3)):
                action = randomizer.random()
                live = [d.id for d in store.drafts(limit=1000)]
                if action < 0.4:
                    created.append(save(store, "new"))
                elif action < 0.8 and live:
                    save(store, "edited", draft_id=randomizer.choice(live))
                elif live:
                    store.delete_draft(randomizer.choice(live))
            model.fetchMore(ROOT)
        model.apply_pending()
        expected = [d.id for d in store.drafts(limit=1000, oldest_first=oldest_first)]
        assert ids(model) == expected, oldest_first
        model.close()


def test_the_text_filter_matches_form_and_answers_and_follows_changes(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    printer = save(store, "Printer jams", details="Third floor, by the window")
    save(store, "VPN is down")
    visit = store.save_draft(visit_form(), {"name": "Grace"})
    model = make_model(context)

    model.set_filter_text("  THIRD floor")
    assert ids(model) == [printer]
    model.set_filter_text("visitor")
    assert ids(model) == [visit]
    model.set_filter_text("it-help")
    assert len(ids(model)) == 2

    model.set_filter_text("keyboard")
    assert ids(model) == []
    with qtbot.waitSignal(model.rowsInserted):
        save(store, "Keyboard sticky", draft_id=printer)
    assert ids(model) == [printer]
    with qtbot.waitSignal(model.rowsRemoved):
        save(store, "Mouse sticky", draft_id=printer)
    assert ids(model) == []


def test_a_filter_scans_on_past_pages_without_matches(context: AppContext, store: Store) -> None:
    target = save(store, "The needle")
    save_many(store, 30)
    model = DraftsModel(store, context.bridge, page_size=5, scan_limit=10)
    model.set_filter_text("needle")
    assert ids(model) == [] and model.canFetchMore(ROOT)
    fetch_all(model)
    assert ids(model) == [target]


def test_sorting_by_last_change(qtbot: QtBot, context: AppContext, store: Store) -> None:
    first, second, third = save_many(store, 3)
    model = make_model(context)
    model.sort(Column.SUMMARY, Qt.SortOrder.AscendingOrder)  # not sortable: nothing happens
    assert ids(model) == [third, second, first]
    model.sort(Column.UPDATED, Qt.SortOrder.AscendingOrder)
    assert ids(model) == [first, second, third]
    with qtbot.waitSignal(model.rowsMoved):
        save(store, "edited", draft_id=first)  # everything is read: it moves to the end
    assert ids(model) == [second, third, first]
    assert model.headerData(Column.UPDATED, Qt.Orientation.Horizontal) == "Last change"


def test_closed_models_ignore_events(qtbot: QtBot, context: AppContext, store: Store) -> None:
    model = make_model(context)
    model.close()
    save(store, "Unseen")
    qtbot.wait(10)
    assert model.rowCount() == 0
