"""The import dialog: a file of answers is read, mapped, checked, and its valid rows queued."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.core.form.rows import read_csv
from desktop_app.gui.runner.import_rows import CHUNK_ROWS, ImportRowsDialog
from desktop_app.gui.runner.import_rows_model import STATE_ROLE, ColumnMappingModel
from desktop_app.store import Status, Store
from tests.gui.runner.conftest import PROFILE, sample_form

FORM = sample_form("it-support")
HEADER = ["E-mail", "Your name", "subject", "category", "serial", "urgency", "details"]
VALID = [
    [
        "ada@example.com",
        "Ada Lovelace",
        "Laptop dead",
        "hardware",
        "PF3X9K2L",
        "High: I cannot work",
        "Black screen",
    ],
    ["bob@example.com", "Bob", "VPN down", "Network, Wi-Fi or VPN", "", "", "Since 9"],
    ["cy@example.com", "Cy", "Password", "access", "", "low", "Locked out"],
]
INVALID = [
    ["carl@example", "", "Printer", "hardware", "bad", "low", "Jammed"],
    ["dora@example.com", "Dora", "Mouse", "hardware", "", "normal", "Broken"],
]
EXPECTED_ANSWERS = [
    {
        "email": "ada@example.com",
        "name": "Ada Lovelace",
        "subject": "Laptop dead",
        "category": "hardware",
        "serial": "PF3X9K2L",
        "urgency": "high",
        "details": {"blocks": [{"type": "paragraph", "data": {"text": "Black screen"}}]},
    },
    {
        "email": "bob@example.com",
        "name": "Bob",
        "subject": "VPN down",
        "category": "network",
        "urgency": "normal",
        "details": {"blocks": [{"type": "paragraph", "data": {"text": "Since 9"}}]},
    },
    {
        "email": "cy@example.com",
        "name": "Cy",
        "subject": "Password",
        "category": "access",
        "urgency": "low",
        "details": {"blocks": [{"type": "paragraph", "data": {"text": "Locked out"}}]},
    },
]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")  # as Excel saves it
    return path


@pytest.fixture
def answers_csv(tmp_path: Path) -> Path:
    # Valid and invalid rows mixed, so order and selection both count.
    rows = [HEADER, VALID[0], INVALID[0], VALID[1], INVALID[1], VALID[2]]
    return write_csv(tmp_path / "answers.csv", rows)


@pytest.fixture
def dialog(qtbot: QtBot, store: Store) -> ImportRowsDialog:
    opened = ImportRowsDialog(FORM, store, PROFILE)
    qtbot.addWidget(opened)
    opened.open()
    return opened


def combo_for(dialog: ImportRowsDialog, column: str) -> QComboBox:
    row = list(dialog.mapping()).index(column)
    index = dialog.mapping_model.index(row, ColumnMappingModel.FIELD_COLUMN)
    combo = dialog.mapping_view.indexWidget(index)
    assert isinstance(combo, QComboBox)
    return combo


def test_valid_rows_are_queued_in_one_go_and_invalid_rows_are_not(
    qtbot: QtBot,
    dialog: ImportRowsDialog,
    store: Store,
    answers_csv: Path,
    qasync_runner: asyncio.Runner,
) -> None:
    assert not dialog.isModal() and dialog.isVisible()
    assert not dialog.queue_button.isEnabled()
    qasync_runner.run(dialog.load(answers_csv))

    assert dialog.mapping() == {
        "E-mail": "email",
        "Your name": "name",
        "subject": "subject",
        "category": "category",
        "serial": "serial",
        "urgency": "urgency",
        "details": "details",
    }
    assert dialog.counts_label.text() == "3 valid, 2 invalid"
    assert dialog.queue_button.text() == "&Queue 3 valid tickets"
    assert dialog.queue_button.isEnabled() and dialog.export_button.isEnabled()
    assert not dialog.progress.isVisible()

    with qtbot.waitSignal(dialog.queued, timeout=1000) as blocker:
        qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    ids = blocker.args[0]
    assert isinstance(ids, list) and len(ids) == 3
    records = store.submissions_by_id(ids)
    assert [record.answers for record in records] == EXPECTED_ANSWERS
    assert {(r.status, r.profile, r.form_id) for r in records} == {
        (Status.QUEUED, PROFILE, "it-support")
    }
    assert store.submission_count() == 3
    assert "Queued 3 tickets" in dialog.message()

    # A second click must not queue the batch again.
    assert not dialog.queue_button.isEnabled()
    assert dialog.queue_button.text() == "Queued 3 tickets"
    assert dialog.queue_valid() == []
    assert store.submission_count() == 3


def test_invalid_rows_are_highlighted_with_every_reason(
    dialog: ImportRowsDialog,
    answers_csv: Path,
    qasync_runner: asyncio.Runner,
    qtmodeltester: ModelTester,
) -> None:
    qasync_runner.run(dialog.load(answers_csv))
    model = dialog.preview_model
    qtmodeltester.check(model)
    qtmodeltester.check(dialog.mapping_model)
    assert model.rowCount() == 5
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Line",
        "Status",
        "E-mail",
    ]
    carl = 1  # the second data row, on line 3
    assert model.index(carl, 0).data() == "3"
    assert model.index(0, 1).data() == "Valid"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    status = model.index(carl, 1).data()
    assert status.startswith("Invalid: Column “E-mail” (Your e-mail address): Enter an e-mail")
    assert status.endswith("(+2 more)")
    assert model.index(carl, 4).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(carl, 4).data(Qt.ItemDataRole.ToolTipRole) == (
        "Column “E-mail” (Your e-mail address): Enter an e-mail address like name@example.com.\n"
        "Column “Your name” (Your name): Please fill in this field.\n"
        "Column “serial” (Serial number of the device): Use 8 to 12 capital letters and digits,"
        " without spaces."
    )
    dora = model.index(3, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert dora == "Column “serial” (Serial number of the device): Please fill in this field."

    dialog.invalid_only.setChecked(True)
    shown = dialog.invalid_filter
    assert shown.rowCount() == 2
    assert [shown.index(r, 0).data() for r in range(2)] == ["3", "5"]
    assert {shown.index(r, 0).data(STATE_ROLE) for r in range(2)} == {"invalid"}
    dialog.invalid_only.setChecked(False)
    assert shown.rowCount() == 5


def test_choosing_fields_by_hand_checks_the_rows_again(
    dialog: ImportRowsDialog, tmp_path: Path, qasync_runner: asyncio.Runner
) -> None:
    rows = [
        ["mail", "who", "subject", "kind", "text"],
        ["ada@example.com", "Ada", "Mouse", "software", "It clicks twice"],
        ["bob@example.com", "Bob", "Screen", "other", "Flickers"],
    ]
    path = write_csv(tmp_path / "odd-names.csv", rows, delimiter="\t")
    qasync_runner.run(dialog.load(path))
    assert dialog.mapping() == {
        "mail": None,
        "who": None,
        "subject": "subject",
        "kind": None,
        "text": None,
    }
    assert dialog.counts_label.text() == "0 valid, 2 invalid"
    assert "No column fills the required field “Your e-mail address”" in dialog.notes_label.text()
    assert combo_for(dialog, "mail").accessibleName() == "Field for column “mail”"

    async def choose(column: str, key: str) -> None:
        combo = combo_for(dialog, column)
        combo.setCurrentIndex(combo.findData(key))
        assert dialog.is_busy()  # checked in the background, not inside the click
        await dialog.wait_idle()

    for column, key in [("mail", "email"), ("who", "name"), ("kind", "category")]:
        qasync_runner.run(choose(column, key))
    assert dialog.counts_label.text() == "0 valid, 2 invalid"
    qasync_runner.run(choose("text", "details"))
    assert dialog.counts_label.text() == "2 valid, 0 invalid"
    # Only the serial is left without a column; these rows are not about hardware.
    assert dialog.notes_label.text() == (
        "• No column fills the required field “Serial number of the device”: every row that"
        " shows it will be invalid."
    )
    assert not dialog.export_button.isEnabled()

    # A field fills from one column only: choosing it elsewhere ignores the first column.
    qasync_runner.run(choose("who", "subject"))
    assert dialog.mapping()["subject"] is None and dialog.mapping()["who"] == "subject"
    assert combo_for(dialog, "subject").currentText() == "(ignore)"
    assert dialog.counts_label.text() == "0 valid, 2 invalid"


def test_a_mapping_change_without_an_event_loop_checks_in_place(
    dialog: ImportRowsDialog, answers_csv: Path
) -> None:
    dialog.load_file(answers_csv)  # no asyncio loop runs here: the work happens now
    assert dialog.counts_label.text() == "3 valid, 2 invalid"
    assert dialog.set_column_field("serial", None)
    assert not dialog.is_busy()
    # Hardware rows now lack the serial they need; the others do not ask for it.
    assert dialog.counts_label.text() == "2 valid, 3 invalid"
    ada = dialog.preview_model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert ada == "Serial number of the device (no column): Please fill in this field."
    assert not dialog.set_column_field("serial", None)
    assert not dialog.set_column_field("no such column", "email")


def test_invalid_rows_export_to_a_csv_file_to_fix(
    dialog: ImportRowsDialog, answers_csv: Path, tmp_path: Path, qasync_runner: asyncio.Runner
) -> None:
    qasync_runner.run(dialog.load(answers_csv))
    target = tmp_path / "to-fix.csv"
    assert dialog.export_invalid(target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets then read UTF-8
    table = read_csv(target.read_text(encoding="utf-8-sig"))
    assert table.columns == [*HEADER, "problems"]
    assert [[row.cells[c] for c in HEADER] for row in table.rows] == INVALID
    assert table.rows[1].cells["problems"] == (
        "Column “serial” (Serial number of the device): Please fill in this field."
    )
    assert "Saved 2 invalid rows" in dialog.message()
    assert not list(tmp_path.glob("*.tmp"))


def test_export_failure_is_shown(
    dialog: ImportRowsDialog, answers_csv: Path, tmp_path: Path
) -> None:
    dialog.load_file(answers_csv)
    assert not dialog.export_invalid(tmp_path / "missing-folder" / "x.csv")
    assert "could not be written" in dialog.message()


def test_a_file_that_cannot_be_read_says_why_and_offers_nothing(
    dialog: ImportRowsDialog, tmp_path: Path, qasync_runner: asyncio.Runner
) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("email;name\nj@example.com;José\n".encode("latin-1"))
    qasync_runner.run(dialog.load(path))
    assert "not UTF-8" in dialog.message()
    assert dialog.preview_model.rowCount() == 0 and dialog.mapping_model.rowCount() == 0
    assert not dialog.queue_button.isEnabled() and not dialog.is_busy()
    qasync_runner.run(dialog.load(tmp_path / "gone.csv"))
    assert "could not be read" in dialog.message()


def test_json_lines_with_a_bad_line_import_the_good_ones(
    dialog: ImportRowsDialog, store: Store, tmp_path: Path, qasync_runner: asyncio.Runner
) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text(
        '{"email": "ada@example.com", "name": "Ada", "subject": "Hi", "category": "software",'
        ' "details": "Text"}\n\n{"email": oops}\n',
        encoding="utf-8",
    )
    qasync_runner.run(dialog.load(path))
    assert dialog.counts_label.text() == "1 valid, 1 invalid"
    bad = dialog.preview_model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert bad.startswith("Line 3 is not valid JSON")
    [submission_id] = dialog.queue_valid()
    assert store.submission(submission_id).answers["category"] == "software"


def test_a_store_error_is_shown_and_nothing_is_queued(
    qtbot: QtBot, store: Store, answers_csv: Path
) -> None:
    dialog = ImportRowsDialog(FORM, store, "nobody")
    qtbot.addWidget(dialog)
    dialog.load_file(answers_csv)
    assert dialog.queue_valid() == []
    assert "Nothing was queued" in dialog.message() and "nobody" in dialog.message()
    assert store.submission_count() == 0
    assert dialog.queue_button.isEnabled()  # fix the profile, then try again


def _drag_events(path: Path, mime: QMimeData) -> tuple[QDragEnterEvent, QDropEvent]:
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    return enter, drop


def test_dropping_a_csv_file_loads_it(dialog: ImportRowsDialog, answers_csv: Path) -> None:
    # The events do not own their data: it must outlive them.
    picture, mime = answers_csv.with_name("screenshot.png"), QMimeData()
    enter, _ = _drag_events(picture, mime)
    QApplication.sendEvent(dialog, enter)
    assert not enter.isAccepted()

    csv_mime = QMimeData()
    enter, drop = _drag_events(answers_csv, csv_mime)
    QApplication.sendEvent(dialog, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(dialog, drop)
    assert drop.isAccepted()
    assert dialog.file_label.text() == str(answers_csv)
    assert dialog.counts_label.text() == "3 valid, 2 invalid"


def test_choose_file_opens_a_non_blocking_file_dialog(
    qtbot: QtBot, dialog: ImportRowsDialog, answers_csv: Path
) -> None:
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    chooser = dialog.findChild(QFileDialog, "import-rows-file-dialog")
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    chooser.fileSelected.emit(str(answers_csv))
    chooser.close()
    assert dialog.counts_label.text() == "3 valid, 2 invalid"

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    saver = dialog.findChild(QFileDialog, "export-invalid-dialog")
    assert isinstance(saver, QFileDialog)
    assert saver.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    target = answers_csv.with_name("fix-me.csv")
    saver.fileSelected.emit(str(target))
    saver.close()
    assert target.exists()


def test_a_large_file_is_checked_in_chunks_while_the_loop_keeps_running(
    dialog: ImportRowsDialog, store: Store, tmp_path: Path, qasync_runner: asyncio.Runner
) -> None:
    count = 10_000
    rows = [["email", "name", "subject", "category", "details"]]
    rows += [
        [f"u{i}@example.com", f"User {i}", f"Subject {i}", "software", "Text"]
        if i % 100
        else [f"broken {i}", "", "", "", ""]
        for i in range(count)
    ]
    path = write_csv(tmp_path / "big.csv", rows, delimiter=",")
    progress: list[int] = []
    dialog.progress.valueChanged.connect(progress.append)

    async def load_while_ticking() -> int:
        ticks = 0
        loading = asyncio.ensure_future(dialog.load(path))
        while not loading.done():
            ticks += 1
            await asyncio.sleep(0)
        await loading
        return ticks

    ticks = qasync_runner.run(load_while_ticking())
    chunks = count // CHUNK_ROWS
    # The loop ran between chunks (each chunk is a trip to the executor), and progress moved.
    assert ticks >= chunks
    assert len(set(progress)) >= chunks - 1 and progress == sorted(progress)
    assert dialog.counts_label.text() == "9,900 valid, 100 invalid"
    assert dialog.queue_button.text() == "&Queue 9,900 valid tickets"
    ids = dialog.queue_valid()
    assert len(ids) == 9_900 and store.submission_count() == 9_900


def test_loading_another_file_replaces_the_one_being_checked(
    dialog: ImportRowsDialog, answers_csv: Path, tmp_path: Path, qasync_runner: asyncio.Runner
) -> None:
    other = write_csv(tmp_path / "other.csv", [HEADER, VALID[0]])

    async def both() -> None:
        dialog.load_file(answers_csv)
        dialog.load_file(other)
        await dialog.wait_idle()

    qasync_runner.run(both())
    assert dialog.file_label.text() == str(other)
    assert dialog.counts_label.text() == "1 valid, 0 invalid"
    assert dialog.preview_model.rowCount() == 1


def test_widgets_have_accessible_names_and_keyboard_mnemonics(dialog: ImportRowsDialog) -> None:
    for widget in (
        dialog.mapping_view,
        dialog.preview_view,
        dialog.counts_label,
        dialog.progress,
        dialog.file_label,
    ):
        assert widget.accessibleName()
    for button in (dialog.choose_button, dialog.export_button, dialog.invalid_only):
        assert "&" in button.text()
    assert not dialog.queue_button.autoDefault()  # Enter never queues a batch by accident
