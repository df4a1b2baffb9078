"""The outbox model's form and text filters are store queries: rare matches, counts, live updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.core.events import EventBus
from desktop_app.gui.results.model import OutboxTableModel
from desktop_app.gui.results.rows import OutboxFilter
from desktop_app.gui.results.view import ResultsView
from desktop_app.store import Status, Store
from tests.gui.results.conftest import in_status, make_form, queue, queue_many, send

ROOT = QModelIndex()


def ids(model: OutboxTableModel) -> list[str]:
    return [model.submission_id(row) for row in range(model.rowCount())]


class Reads:
    """Counts the pages the model asks the store for."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[dict[str, Any]] = []
        original: Callable[..., Any] = store.submissions

        def spy(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(kwargs)
            return original(*args, **kwargs)

        monkeypatch.setattr(store, "submissions", spy)


def test_a_rare_text_match_deep_in_many_rows_is_one_store_read(
    store: Store, bus: EventBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_many(store, 4000, prefix="Noise")
    answers = {"summary": "Needle in the stack", "email": "ada@example.com", "details": "x"}
    needle = store.queue_submission(make_form(), answers, "acme")
    queue_many(store, 6000, prefix="Noise")
    model = OutboxTableModel(store, bus, page_size=20)
    reads = Reads(store, monkeypatch)

    model.set_filter(OutboxFilter.of(text="NEEDLE stack"))
    assert ids(model) == [needle]
    assert model.complete and not model.canFetchMore(ROOT)
    assert model.store_total == 1
    assert len(reads.calls) == 1 and reads.calls[0]["text"] == "NEEDLE stack"


def test_a_form_filter_reads_only_that_form_and_counts_it(
    store: Store, bus: EventBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    facilities = make_form("facilities")
    wanted = [queue(store, f"Door {n}", form=facilities) for n in range(3)]
    queue_many(store, 500)
    model = OutboxTableModel(store, bus, page_size=10)
    reads = Reads(store, monkeypatch)
    model.set_filter(OutboxFilter.of(form_id="facilities"))
    assert sorted(ids(model)) == sorted(wanted)
    assert model.store_total == 3 and model.complete
    assert [call["form_id"] for call in reads.calls] == ["facilities"]


def test_live_updates_under_a_text_filter_enter_leave_and_recount(
    qtbot: QtBot, qtmodeltester: ModelTester, store: Store, bus: EventBus
) -> None:
    shown = in_status(store, Status.FAILED, "Mailbox quota one")
    hidden = queue(store, "Printer")
    queue_many(store, 300)
    model = OutboxTableModel(store, bus, page_size=10, recount_delay_ms=10)
    model.set_filter(OutboxFilter.of(text="quota"))
    qtmodeltester.check(model)
    assert ids(model) == [shown] and model.store_total == 1

    # A submission not shown gets a message with the word: it enters at the top.
    send(store, hidden, Status.REJECTED, message="Mailbox QUOTA exceeded.")
    qtbot.waitUntil(lambda: ids(model) == [hidden, shown])
    qtbot.waitUntil(lambda: model.store_total == 2)
    # The shown one is sent: its summary still matches, so it stays, updated in place.
    store.retry_now([shown])
    send(store, shown, Status.ACCEPTED, message="Created ticket #1001.")
    qtbot.waitUntil(lambda: model.row_at(1).status is Status.ACCEPTED)
    # Sent again after the fix, its message no longer says quota: it leaves.
    store.resolve_resend(hidden)
    qtbot.waitUntil(lambda: ids(model) == [shown])
    qtbot.waitUntil(lambda: model.store_total == 1)
    # A brand-new submission that matches enters; one that does not stays out.
    with qtbot.waitSignal(model.submissions_updated):
        new = queue(store, "Quota for the shared drive")
        queue(store, "Nothing to see")
    qtbot.waitUntil(lambda: ids(model) == [new, shown])
    qtbot.waitUntil(lambda: model.store_total == 2)


def test_live_updates_under_a_form_filter_keep_the_count_without_recounting(
    qtbot: QtBot, store: Store, bus: EventBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    facilities = make_form("facilities")
    first = queue(store, "Door", form=facilities)
    queue_many(store, 50)
    model = OutboxTableModel(store, bus, page_size=10, recount_delay_ms=0)
    model.set_filter(OutboxFilter.of([Status.QUEUED], form_id="facilities"))
    assert ids(model) == [first] and model.store_total == 1
    counts: list[int] = []
    monkeypatch.setattr(
        store,
        "submission_count",
        lambda *a, **k: counts.append(1) or 0,  # type: ignore[func-returns-value]
    )

    with qtbot.waitSignal(model.submissions_updated):
        second = queue(store, "Window", form=facilities)
        queue(store, "Other form")
    qtbot.waitUntil(lambda: ids(model) == [second, first])
    assert model.store_total == 2
    with qtbot.waitSignal(model.submissions_updated):
        store.cancel(first)
    assert ids(model) == [second] and model.store_total == 1
    qtbot.wait(20)
    assert counts == []  # kept exact from the events alone


def test_the_form_filter_offers_every_form_with_submissions_by_title(
    qtbot: QtBot, store: Store, bus: EventBus
) -> None:
    rare = make_form("hr-leave").model_copy(update={"title": "Leave request"})
    deep = queue(store, "Two weeks in May", form=rare)
    queue_many(store, 500)
    view = ResultsView(store, bus, page_size=20)
    qtbot.addWidget(view)
    box = view.filters.form_box
    offered = {box.itemData(i): box.itemText(i) for i in range(1, box.count())}
    assert offered == {"hr-leave": "Leave request (hr-leave)", "it-help": "IT help (it-help)"}

    box.setCurrentIndex(box.findData("hr-leave"))
    assert ids(view.model) == [deep]
    assert view.counts.text() == "1 matching"
    box.setCurrentIndex(0)
    assert view.counts.text() == "20 of 501 submissions"
    view.set_filter(OutboxFilter.of(text="ticket"))
    assert view.counts.text() == "20 of 500 matching"

    # A new form shows up in the list once a submission of it is queued.
    queue(store, "Lights out", form=make_form("facilities"))
    qtbot.waitUntil(lambda: box.findData("facilities") > 0, timeout=3000)
    view.model.close()
