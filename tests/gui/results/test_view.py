"""The results view: detail pane, row actions, export, clipboard, progress and the filter bar."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QStyle, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.events import EventBus
from desktop_app.gui.bridge import EventsBridge
from desktop_app.gui.results.actions import Prompts
from desktop_app.gui.results.detail import GENERAL
from desktop_app.gui.results.export import ExportFormat
from desktop_app.gui.results.rows import Column, OutboxRow
from desktop_app.gui.results.view import ResultsView
from desktop_app.gui.theme import apply_appearance
from desktop_app.outbox import Progress
from desktop_app.store import Status, Store
from tests.gui.results.conftest import (
    START,
    in_status,
    make_uncertain,
    queue,
    queue_many,
    send,
)

EMAIL_MESSAGE = {
    "text": "Not a valid e-mail address.",
    "ticket_index": 0,
    "property": "requester.email",
    "field_key": "email",
}
CATEGORY_MESSAGE = {"text": "Category is required.", "ticket_index": 0, "property": "category"}


class Answers:
    """What the operator answers to the view's questions, and what was asked."""

    def __init__(self) -> None:
        self.ticket_id: int | None = None
        self.path: Path | None = None
        self.confirm = True
        self.asked: list[str] = []

    def prompts(self) -> Prompts:
        return Prompts(ticket_id=self._ticket_id, save_path=self._save_path, confirm=self._confirm)

    def _ticket_id(self, _parent: QWidget, row: OutboxRow) -> int | None:
        self.asked.append(f"ticket id for {row.id}")
        return self.ticket_id

    def _save_path(self, _parent: QWidget, name: str, fmt: ExportFormat) -> Path | None:
        self.asked.append(f"save {fmt} as {name}")
        return self.path

    def _confirm(self, _parent: QWidget, text: str) -> bool:
        self.asked.append(text)
        return self.confirm


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def view(qtbot: QtBot, store: Store, bus: EventBus, answers: Answers) -> Iterator[ResultsView]:
    widget = ResultsView(store, bus, prompts=answers.prompts())
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    yield widget
    widget.model.close()


def tree_rows(tree: QTreeWidget) -> list[list[str]]:
    return [
        [tree.topLevelItem(row).text(col) for col in range(tree.columnCount())]
        for row in range(tree.topLevelItemCount())
    ]


def status_of(store: Store, submission_id: str) -> Status:
    return store.submission(submission_id).status


def settle(qtbot: QtBot, view: ResultsView) -> None:
    """Let queued store events reach the model."""
    with qtbot.waitSignal(view.model.submissions_updated, timeout=1000):
        pass


def test_the_detail_pane_shows_attempts_and_server_messages_by_their_fields(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    sid = queue(store, "Mail broken")
    send(store, sid, Status.FAILED, message="DeskHero is unavailable (503).")
    send(
        store,
        sid,
        Status.REJECTED,
        message="DeskHero refused the ticket: fix the answers.",
        messages=[EMAIL_MESSAGE, CATEGORY_MESSAGE],
    )
    settle(qtbot, view)
    view.select_submissions([sid])

    detail = view.detail
    assert detail.submission_id == sid
    assert "Rejected: Mail broken" in detail.header.text()
    assert "DeskHero refused the ticket" in detail.header.text()
    answers = {row[0]: row for row in tree_rows(detail.answers_tree)}
    assert answers["Your e-mail"][1:] == ["ada@example.com", "Not a valid e-mail address."]
    assert answers["Summary"][2] == ""
    assert answers[GENERAL][2] == "category: Category is required."
    attempts = tree_rows(detail.attempts_tree)
    assert [row[1:4] for row in attempts] == [
        ["42 ms", "503", "unavailable"],
        ["42 ms", "400", "rejected"],
    ]
    assert attempts[1][4] == "DeskHero refused the ticket: fix the answers."
    assert '"kind": "rejected"' in detail.reply_text.toPlainText()


def test_the_detail_pane_shows_the_ticket_sent_and_the_ticket_returned(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    sid = queue(store, "Printer jams")
    returned = {
        "id": 1001,
        "subject": "Printer jams",
        "sys_content_rich": {
            "editorjs": {
                "blocks": [{"type": "paragraph", "data": {"text": "Thanks, <b>on it</b>"}}]
            }
        },
        "sys_attachments": [{"id": 5, "label": "log.txt", "status": 2, "size_kb": 3}],
    }
    send(store, sid, Status.ACCEPTED, ticket_json=json.dumps(returned))
    settle(qtbot, view)
    view.select_submissions([sid])

    detail = view.detail
    sent = detail.sent_text.toPlainText()
    assert '"subject": "Printer jams"' in sent and "ada@example.com" in sent
    qtbot.waitUntil(lambda: "Thanks, on it" in detail.ticket_preview.toPlainText())
    assert tree_rows(detail.attachments_tree) == [["log.txt", "ok", "3 KB"]]
    assert '"id": 1001' in detail.reply_text.toPlainText()
    assert "ticket #1001" in detail.header.text()


def test_the_detail_pane_follows_the_shown_submission(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    sid = queue(store, "Watch me")
    settle(qtbot, view)
    view.select_submissions([sid])
    assert view.detail.header.text().startswith("Queued")
    send(store, sid, Status.ACCEPTED, ticket_id=1077)
    qtbot.waitUntil(lambda: "ticket #1077" in view.detail.header.text())
    assert len(tree_rows(view.detail.attempts_tree)) == 1


def test_send_now_retries_failed_rows_and_asks_the_engine_to_send(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    failed = [in_status(store, Status.FAILED, f"Failed {n}") for n in range(2)]
    accepted = in_status(store, Status.ACCEPTED)
    settle(qtbot, view)
    view.select_submissions([*failed, accepted])
    actions = view.row_actions
    assert actions.send_now.isEnabled() and not actions.arrived.isEnabled()

    with qtbot.waitSignal(view.send_requested):
        actions.send_now.trigger()
    for sid in failed:
        due = store.submission(sid).next_attempt_at
        assert due is not None and due < START.replace(hour=10)  # due now, not in an hour
    assert view.notice.text() == "2 submissions will be sent now."
    assert status_of(store, accepted) is Status.ACCEPTED


def test_resolving_uncertain_rows_arrived_send_again_and_discard(
    qtbot: QtBot, store: Store, view: ResultsView, answers: Answers
) -> None:
    arrived, again, dropped, kept = queue_many(store, 4)
    make_uncertain(store, [arrived, again, dropped, kept])
    settle(qtbot, view)
    actions = view.row_actions

    view.select_submissions([arrived, again])
    assert not actions.arrived.isEnabled()  # one ticket number per submission
    view.select_submissions([arrived])
    assert actions.arrived.isEnabled()
    answers.ticket_id = 4242
    actions.arrived.trigger()
    assert store.submission(arrived).ticket_id == 4242
    settle(qtbot, view)
    row = view.model.row_of(arrived)
    assert row is not None
    assert view.model.data(view.model.index(row, Column.TICKET)) == "#4242"
    assert view.model.data(view.model.index(row, Column.STATUS)) == "Accepted"

    view.select_submissions([again])
    with qtbot.waitSignal(view.send_requested):
        actions.send_again.trigger()
    assert status_of(store, again) is Status.QUEUED
    assert "may already have arrived" in answers.asked[-1]

    view.select_submissions([dropped])
    actions.discard.trigger()
    assert status_of(store, dropped) is Status.CANCELLED

    answers.confirm = False  # the operator changes their mind
    view.select_submissions([kept])
    actions.discard.trigger()
    assert status_of(store, kept) is Status.UNCERTAIN


def test_cancel_withdraws_queued_rows_by_shortcut(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    first, second = queue_many(store, 2)
    settle(qtbot, view)
    view.select_submissions([first, second])
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert status_of(store, first) is status_of(store, second) is Status.CANCELLED
    assert view.notice.text() == "2 submissions cancelled."


def test_an_expected_failure_is_one_line_in_the_view(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    sid = in_status(store, Status.FAILED)
    settle(qtbot, view)
    view.select_submissions([sid])
    store.cancel(sid)  # changed elsewhere; the table has not heard yet
    view.row_actions.discard.trigger()
    text = view.notice.text()
    assert text.startswith(f"Cannot discard submission {sid}: it is cancelled")
    assert "\n" not in text and "Traceback" not in text
    assert view.notice.isVisible()


def test_copy_ticket_ids_to_the_clipboard(qtbot: QtBot, store: Store, view: ResultsView) -> None:
    first, second, queued = queue_many(store, 3)
    send(store, first, Status.ACCEPTED, ticket_id=1001)
    send(store, second, Status.ACCEPTED, ticket_id=1002)
    settle(qtbot, view)
    view.select_submissions([first, second, queued])
    view.row_actions.copy_ticket.trigger()
    assert QGuiApplication.clipboard().text() == "1002\n1001"  # in table order
    assert view.notice.text() == "Copied ticket id #1002, #1001."


def test_export_selected_to_csv_and_json(
    qtbot: QtBot, store: Store, view: ResultsView, answers: Answers, tmp_path: Path
) -> None:
    accepted, rejected, _other = queue_many(store, 3)
    send(store, accepted, Status.ACCEPTED, ticket_id=1001)
    send(store, rejected, Status.REJECTED, message="Refused.", messages=[EMAIL_MESSAGE])
    settle(qtbot, view)
    view.select_submissions([accepted, rejected])

    answers.path = tmp_path / "results.csv"
    view.row_actions.export_csv.trigger()
    with answers.path.open(newline="", encoding="utf-8") as file:
        rows = {row["id"]: row for row in csv.DictReader(file)}
    assert set(rows) == {accepted, rejected}
    assert rows[accepted]["ticket_id"] == "1001" and rows[accepted]["status"] == "accepted"
    assert rows[rejected]["messages"] == "email: Not a valid e-mail address."
    assert rows[rejected]["message"] == "Refused."

    answers.path = tmp_path / "results.json"
    view.row_actions.export_json.trigger()
    data = json.loads(answers.path.read_text(encoding="utf-8"))
    assert {item["id"]: item["ticket_id"] for item in data} == {accepted: 1001, rejected: None}
    rejected_item = next(item for item in data if item["id"] == rejected)
    assert rejected_item["messages"][0]["field_key"] == "email"
    assert view.notice.text() == f"Exported 2 submissions to {answers.path}."

    answers.path = tmp_path / "missing-folder" / "results.json"
    view.row_actions.export_json.trigger()
    assert view.notice.text().startswith("Not exported: ")


def test_a_progress_bar_while_a_batch_sends(qtbot: QtBot, bus: EventBus, view: ResultsView) -> None:
    assert not view.progress.isVisible()
    bus.publish(Progress(done=3, total=10, in_flight=4))
    qtbot.waitUntil(view.progress.isVisible)
    assert (view.progress.value(), view.progress.maximum()) == (3, 10)
    bus.publish(Progress(done=10, total=10, in_flight=0))
    qtbot.waitUntil(lambda: not view.progress.isVisible())


def test_the_filter_bar_filters_by_status_at_once_and_by_text_after_a_pause(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    printer = queue(store, "Printer on fire")
    failed = in_status(store, Status.FAILED, "VPN down")
    view.refresh()
    assert view.model.rowCount() == 2
    assert view.filters.status_boxes[Status.FAILED].text() == "Failed (1)"

    view.filters.status_boxes[Status.FAILED].setChecked(True)
    assert [view.model.submission_id(0)] == [failed] and view.model.rowCount() == 1
    view.filters.status_boxes[Status.FAILED].setChecked(False)

    qtbot.keyClicks(view.filters.search, "printer")
    assert view.model.filter.text == ""  # not on every key
    qtbot.waitUntil(lambda: view.model.filter.text == "printer")
    assert view.model.rowCount() == 1 and view.model.submission_id(0) == printer
    assert view.counts.text() == "1 matching"


def test_scrolling_the_table_reads_more_rows(qtbot: QtBot, store: Store, view: ResultsView) -> None:
    queue_many(store, 1000)
    view.refresh()
    assert view.model.rowCount() == 200
    assert view.counts.text() == "200 of 1,000 submissions"
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > 200)
    assert view.counts.text() == f"{view.model.rowCount():,} of 1,000 submissions"


def test_unsortable_headers_keep_the_order(store: Store, view: ResultsView) -> None:
    header = view.table.horizontalHeader()
    header.setSortIndicator(Column.SUMMARY, Qt.SortOrder.AscendingOrder)
    assert view.model.order == "-updated"
    assert header.sortIndicatorSection() == Column.UPDATED
    header.setSortIndicator(Column.CREATED, Qt.SortOrder.AscendingOrder)
    assert view.model.order == "created"


def test_the_selection_survives_a_filter_change(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    keep = in_status(store, Status.FAILED, "Keep me selected")
    queue_many(store, 5)
    view.refresh()
    view.select_submissions([keep])
    view.filters.status_boxes[Status.FAILED].setChecked(True)
    assert [row.id for row in view.selected_rows()] == [keep]
    assert view.detail.submission_id == keep


def test_a_store_that_cannot_be_read_shows_a_message(store: Store, view: ResultsView) -> None:
    store.close()
    view.refresh()
    assert view.notice.text() == "The store is closed."
    assert view.model.rowCount() == 0


def test_the_view_takes_the_events_bridge_and_lets_go_of_the_bus_when_destroyed(
    qtbot: QtBot, store: Store, bus: EventBus
) -> None:
    bridge = EventsBridge(bus)
    before = bus.subscriber_count
    widget = ResultsView(store, bridge)  # not given to qtbot: the test deletes it
    assert bus.subscriber_count == before + 2  # the table's events and the view's progress
    with qtbot.waitSignal(widget.model.rowsInserted):
        new_id = queue(store, "Through the bridge")
    assert widget.model.submission_id(0) == new_id

    shiboken6.delete(widget)
    assert bus.subscriber_count == before
    queue(store, "Nobody listens")  # publishing to a destroyed view is harmless
    bridge.detach()


def _cut_headers(view: ResultsView) -> list[str]:
    """Column titles that do not fit their section (margins and the sort arrow included)."""
    header = view.table.horizontalHeader()
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    metrics = header.fontMetrics()
    cut = []
    for column in Column:
        text = str(view.model.headerData(column, Qt.Orientation.Horizontal))
        needed = metrics.horizontalAdvance(text) + 2 * margin + arrow + margin
        if needed > header.sectionSize(column):
            cut.append(f"{text!r} needs {needed} px, has {header.sectionSize(column)}")
    return cut


def _hidden_actions(view: ResultsView) -> list[str]:
    """Actions meant to show whose button is out of sight (hidden, clipped or cut off)."""
    bar = view.toolbar
    problems = []
    for action in [*view.row_actions.all, view.refresh_action]:
        if not action.isVisible():
            continue
        button = bar.buttons.get(action)
        if button is None or not button.isVisible():
            problems.append(f"{action.text()!r} has no button in sight")
            continue
        inside = bar.rect().contains(button.geometry())
        if not inside or button.width() < button.minimumSizeHint().width():
            problems.append(f"{action.text()!r} is cut off at {button.geometry()}")
    if not view.rect().contains(bar.geometry()):
        problems.append(f"the action bar {bar.geometry()} leaves the view {view.rect()}")
    return problems


def test_at_double_font_size_headers_fit_and_no_action_hides_in_an_overflow(
    qtbot: QtBot, store: Store, bus: EventBus, app: QApplication
) -> None:
    view = ResultsView(store, bus)
    qtbot.addWidget(view)
    view.set_fix_enabled(True)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    assert _cut_headers(view) == [] and _hidden_actions(view) == []
    normal = view.table.horizontalHeader().sectionSize(Column.ATTEMPTS)

    apply_appearance(app, "system", 2.0)  # while the view is shown: it follows
    qtbot.wait(10)
    layout = view.layout()
    assert layout is not None
    layout.activate()

    assert _cut_headers(view) == []
    assert view.table.horizontalHeader().sectionSize(Column.ATTEMPTS) > normal
    assert view.table.verticalHeader().defaultSectionSize() >= view.table.fontMetrics().height()
    assert _hidden_actions(view) == []
    bar = view.toolbar
    rows = {button.y() for button in bar.buttons.values() if button.isVisible()}
    assert len(rows) > 1  # it wrapped rather than hiding actions


def test_the_ticket_preview_survives_selecting_a_ticket_again(
    qtbot: QtBot, store: Store, view: ResultsView
) -> None:
    """Reported: selecting an accepted ticket again (or another row and back) raised
    "Internal C++ object (QTextDocument) already deleted" from the ticket preview."""
    import gc

    rich = {
        "editorjs": {
            "blocks": [
                {"type": "header", "data": {"text": "Reply", "level": 2}},
                {"type": "paragraph", "data": {"text": "Thanks, <b>on it</b>"}},
                {"type": "list", "data": {"style": "ordered", "items": ["Restart", "Wait"]}},
            ]
        }
    }
    accepted = queue(store, "Printer jams")
    send(store, accepted, Status.ACCEPTED, ticket_json=json.dumps({"sys_content_rich": rich}))
    other = in_status(store, Status.QUEUED, "Other")
    settle(qtbot, view)
    view.detail.tabs.setCurrentIndex(2)  # the Reply tab, where the preview shows
    preview = view.detail.ticket_preview

    for step in ([accepted], [accepted], [other], [accepted], [], [accepted], [other, accepted]):
        view.select_submissions(step)
        gc.collect()
        qtbot.wait(5)
        shown = view.detail.submission_id == accepted
        assert ("Thanks, on it" in preview.toPlainText()) == shown, step
    view.detail.reload()
    send(store, other, Status.ACCEPTED, ticket_json=json.dumps({"sys_content_rich": rich}))
    view.select_submissions([other])
    qtbot.waitUntil(lambda: "Restart" in preview.toPlainText())
