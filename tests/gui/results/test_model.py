"""The outbox table model: lazy paging over a real store, live updates from events, filters, sort."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.core.events import EventBus
from desktop_app.gui.results.model import ID_ROLE, OutboxTableModel
from desktop_app.gui.results.rows import Column, OutboxFilter
from desktop_app.store import Status, Store
from desktop_app.store.submissions import Order
from tests.gui.results.conftest import in_status, make_form, queue, queue_many, send

ROOT = QModelIndex()


def ids(model: OutboxTableModel) -> list[str]:
    return [model.submission_id(row) for row in range(model.rowCount())]


def cell(model: OutboxTableModel, row: int, column: Column) -> str:
    return str(model.data(model.index(row, column)))


def fetch_all(model: OutboxTableModel) -> None:
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)


def test_the_model_passes_the_model_tester_with_data_and_while_it_changes(
    qtbot: QtBot, qtmodeltester: ModelTester, store: Store, bus: EventBus
) -> None:
    for status in Status:
        in_status(store, status, f"Row {status.value}")
    queue_many(store, 30)
    model = OutboxTableModel(store, bus, page_size=10)
    assert model.rowCount() == 10 and model.canFetchMore(ROOT)
    qtmodeltester.check(model)  # the C++ tester stays attached and checks every change below

    new_id = queue(store, "Arrives later")
    with qtbot.waitSignal(model.rowsInserted):
        pass
    send(store, new_id, Status.ACCEPTED)
    with qtbot.waitSignal(model.dataChanged):
        pass
    model.set_filter(OutboxFilter.of([Status.QUEUED]))
    first = model.submission_id(0)
    store.cancel(first)
    with qtbot.waitSignal(model.rowsRemoved):
        pass
    model.sort(Column.CREATED, Qt.SortOrder.AscendingOrder)
    fetch_all(model)
    assert model.complete
    assert model.data(model.index(0, Column.STATUS), Qt.ItemDataRole.DecorationRole) is not None


def test_rows_are_read_a_page_at_a_time_as_the_view_asks(store: Store, bus: EventBus) -> None:
    created = queue_many(store, 1000)
    model = OutboxTableModel(store, bus)

    assert model.rowCount() == 200
    assert model.store_total == 1000
    assert model.canFetchMore(ROOT)
    # Most recently updated first: the last one queued is on top.
    assert model.submission_id(0) == created[-1]
    counts = []
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)
        counts.append(model.rowCount())
    assert counts == [400, 600, 800, 1000]
    assert ids(model) == created[::-1]
    assert model.complete


def test_a_state_change_updates_its_row_in_place_without_polling(
    qtbot: QtBot, store: Store, bus: EventBus
) -> None:
    first, second, third = queue_many(store, 3)
    model = OutboxTableModel(store, bus)
    row = model.row_of(second)
    assert row == 1 and cell(model, row, Column.STATUS) == "Queued"

    with qtbot.waitSignal(model.dataChanged) as blocker:
        attempt = store.mark_sending(second)
    assert blocker.args[0].row() == row == blocker.args[1].row()
    assert cell(model, row, Column.STATUS) == "Sending"
    assert cell(model, row, Column.ATTEMPTS) == "1"

    with qtbot.waitSignal(model.dataChanged):
        store.record_outcome(
            second,
            attempt,
            status=Status.ACCEPTED,
            http_status=201,
            outcome_kind="accepted",
            message="Created ticket #1042.",
            outcome_json="{}",
            duration_ms=10,
            ticket_id=1042,
        )
    # The row stays where it is (the table does not jump while a batch is sent).
    assert ids(model) == [third, second, first]
    assert cell(model, row, Column.STATUS) == "Accepted"
    assert cell(model, row, Column.TICKET) == "#1042"
    assert cell(model, row, Column.MESSAGE) == "Created ticket #1042."
    assert model.data(model.index(row, Column.SUMMARY), ID_ROLE) == second


def test_a_new_submission_appears_at_the_top(qtbot: QtBot, store: Store, bus: EventBus) -> None:
    queue_many(store, 250)
    model = OutboxTableModel(store, bus)
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        new_id = queue(store, "Brand new")
    assert (blocker.args[1], blocker.args[2]) == (0, 0)
    assert model.submission_id(0) == new_id
    assert cell(model, 0, Column.SUMMARY) == "Brand new"
    assert model.rowCount() == 201 and model.store_total == 251
    # The next page neither repeats nor skips a row although everything moved down by one.
    fetch_all(model)
    assert len(set(ids(model))) == model.rowCount() == 251


def test_many_events_in_one_turn_arrive_as_one_insert(
    qtbot: QtBot, store: Store, bus: EventBus
) -> None:
    model = OutboxTableModel(store, bus)
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        created = queue_many(store, 50)
    assert (blocker.args[1], blocker.args[2]) == (0, 49)
    assert ids(model) == created[::-1]


def test_a_burst_of_changes_is_applied_a_chunk_per_loop_turn(
    qtbot: QtBot, qtmodeltester: ModelTester, store: Store, bus: EventBus
) -> None:
    model = OutboxTableModel(store, bus, apply_chunk=10)
    qtmodeltester.check(model)
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    created = queue_many(store, 35)
    qtbot.waitUntil(lambda: model.rowCount() == 35)
    # Four turns, each putting its chunk on top: the newest still comes first.
    assert inserts == [(0, 9)] * 3 + [(0, 4)]
    assert ids(model) == created[::-1]
    assert model.store_total == 35

    # Changes to rows still waiting in the backlog merge with it; counts stay exact.
    for sid in created[:12]:
        store.cancel(sid)
    queue(store, "One more")
    for sid in created[12:15]:
        send(store, sid, Status.ACCEPTED)
    qtbot.waitUntil(lambda: model.rowCount() == 36)
    qtbot.waitUntil(
        lambda: cell(model, model.row_of(created[14]) or 0, Column.STATUS) == "Accepted"
    )
    assert {cell(model, model.row_of(sid) or 0, Column.STATUS) for sid in created[:12]} == {
        "Cancelled"
    }
    assert model.store_total == 36


def test_a_page_read_while_changes_wait_neither_skips_nor_repeats_a_row(
    qtbot: QtBot, store: Store, bus: EventBus
) -> None:
    older = queue_many(store, 60, "Older")
    model = OutboxTableModel(store, bus, page_size=10, apply_chunk=5)
    rows_when_fetched: list[int] = []

    def fetch() -> None:  # the view scrolls down while the rest of the changes wait
        rows_when_fetched.append(model.rowCount())
        model.fetchMore(ROOT)

    def on_rows_inserted(*_args: object) -> None:
        if not rows_when_fetched:
            QTimer.singleShot(0, fetch)  # posted: runs before the model's next chunk

    model.rowsInserted.connect(on_rows_inserted)
    newer = queue_many(store, 12, "Newer")
    qtbot.waitUntil(lambda: all(model.row_of(sid) is not None for sid in newer))
    assert rows_when_fetched == [15]
    fetch_all(model)
    assert ids(model) == newer[::-1] + older[::-1]
    assert model.store_total == 72 and model.complete


def test_a_status_filter_is_a_store_query_and_follows_changes(
    qtbot: QtBot, store: Store, bus: EventBus
) -> None:
    failed = [in_status(store, Status.FAILED, f"Failed {n}") for n in range(3)]
    queued = queue_many(store, 5)
    accepted = in_status(store, Status.ACCEPTED)
    model = OutboxTableModel(store, bus)
    model.set_filter(OutboxFilter.of([Status.FAILED, Status.ACCEPTED]))
    assert sorted(ids(model)) == sorted([*failed, accepted])
    assert model.store_total == 4

    # A queued one fails: it enters at the top. A failed one is sent: it leaves.
    send(store, queued[0], Status.FAILED)
    with qtbot.waitSignal(model.rowsInserted):
        pass
    assert model.submission_id(0) == queued[0]
    with qtbot.waitSignal(model.rowsRemoved):
        store.mark_sending(failed[1])
    assert failed[1] not in ids(model)
    assert model.store_total == 4


def test_text_form_and_profile_filters(qtbot: QtBot, store: Store, bus: EventBus) -> None:
    printer = queue(store, "Printer on fire")
    queue(store, "VPN is down")
    other_form = queue(store, "Printer toner", form=make_form("facilities"))
    beta = queue(store, "Badge lost", profile="beta")
    accepted = in_status(store, Status.ACCEPTED, "Laptop broken")
    model = OutboxTableModel(store, bus)

    model.set_filter(OutboxFilter.of(text="printer"))
    assert sorted(ids(model)) == sorted([printer, other_form])
    model.set_filter(OutboxFilter.of(text="FIRE printer"))
    assert ids(model) == [printer]
    model.set_filter(OutboxFilter.of(text="#1001"))  # the ticket number
    assert ids(model) == [accepted]
    model.set_filter(OutboxFilter.of(form_id="facilities"))
    assert ids(model) == [other_form]
    model.set_filter(OutboxFilter.of(profile="beta"))
    assert ids(model) == [beta] and model.store_total == 1

    # Live: a change that makes a row match the text shows it; one that unmatches hides it.
    model.set_filter(OutboxFilter.of(text="quota"))
    assert ids(model) == []
    send(store, printer, Status.REJECTED, message="Mailbox quota exceeded.")
    with qtbot.waitSignal(model.rowsInserted):
        pass
    assert ids(model) == [printer]


def test_a_text_filter_reads_on_until_it_finds_a_page(store: Store, bus: EventBus) -> None:
    queue_many(store, 120, prefix="Noise")
    needles = queue_many(store, 3, prefix="Needle")
    queue_many(store, 120, prefix="Noise")
    model = OutboxTableModel(store, bus, page_size=20)
    model.set_filter(OutboxFilter.of(text="needle"))
    fetch_all(model)
    assert sorted(ids(model)) == sorted(needles)


def test_sorting_by_created_or_updated_only(store: Store, bus: EventBus) -> None:
    created = queue_many(store, 5)
    send(store, created[0], Status.ACCEPTED)  # the oldest is now the most recently updated
    model = OutboxTableModel(store, bus)
    assert model.submission_id(0) == created[0]

    model.sort(Column.CREATED, Qt.SortOrder.AscendingOrder)
    assert ids(model) == created
    model.sort(Column.CREATED, Qt.SortOrder.DescendingOrder)
    assert ids(model) == created[::-1]
    model.sort(Column.SUMMARY, Qt.SortOrder.AscendingOrder)  # not a store order: ignored
    assert ids(model) == created[::-1]
    assert model.sort_column() == (Column.CREATED, Qt.SortOrder.DescendingOrder)
    model.sort(Column.UPDATED, Qt.SortOrder.AscendingOrder)
    assert ids(model)[-1] == created[0]


@pytest.mark.parametrize("order", ["-updated", "updated", "-created", "created"])
@pytest.mark.parametrize(
    "flt",
    [OutboxFilter(), OutboxFilter.of([Status.QUEUED, Status.FAILED]), OutboxFilter.of(text="7")],
    ids=["all", "queued-or-failed", "text"],
)
def test_paging_stays_exact_while_rows_change_between_pages(
    qtbot: QtBot, store: Store, bus: EventBus, order: Order, flt: OutboxFilter
) -> None:
    created = queue_many(store, 300)
    model = OutboxTableModel(store, bus, page_size=40)
    model.set_filter(flt)
    column = Column.CREATED if order.endswith("created") else Column.UPDATED
    direction = Qt.SortOrder.DescendingOrder if order[0] == "-" else Qt.SortOrder.AscendingOrder
    model.sort(column, direction)
    model.fetchMore(ROOT)
    picker = random.Random(order + repr(flt))
    # Changes inside and beyond what is read: sends, failures, cancels, new submissions.
    with qtbot.waitSignal(model.submissions_updated):
        for submission_id in picker.sample(created, 60):
            action = picker.choice(["fail", "accept", "cancel", "sending"])
            if action == "cancel":
                store.cancel(submission_id)
            elif action == "sending":
                store.mark_sending(submission_id)
            else:
                send(store, submission_id, Status.FAILED if action == "fail" else Status.ACCEPTED)
        queue_many(store, 7, prefix="Late")
    fetch_all(model)

    expected = [
        record.id for record in store.submissions(flt.store_statuses, limit=10_000, text=flt.text)
    ]
    assert sorted(ids(model)) == sorted(expected)
    assert len(ids(model)) == len(set(ids(model)))
