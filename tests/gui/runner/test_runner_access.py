"""The runner for keyboard and screen-reader users: named pages, content and buttons, and the
optional "Send this ticket?" question before Send."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.gui.runner.page import ContentView, content_name
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.store import Store
from tests.gui.runner.conftest import PROFILE, RunnerFactory
from tests.gui.runner.test_runner_flow import branching_form
from tests.gui.runner.test_runner_store import example


def test_pages_are_named_by_position_and_title_as_conditions_change(
    make_runner: RunnerFactory,
) -> None:
    runner = make_runner(branching_form())
    names = [page.accessibleName() for page in runner.pages]
    assert names[0] == "Page 1 of 2: First" and names[2] == "Page 2 of 2: Last"
    runner.field_widget("device").set_value(True)  # the device page shows now
    assert [page.accessibleName() for page in runner.pages] == [
        "Page 1 of 3: First",
        "Page 2 of 3: Device",
        "Page 3 of 3: Last",
    ]


def test_content_blocks_are_named_after_their_first_heading_or_words(
    make_runner: RunnerFactory,
) -> None:
    runner = make_runner("it-support")
    (view,) = runner.pages[0].findChildren(ContentView)
    assert view.accessibleName() == "Before you start"
    assert view.focusPolicy() & Qt.FocusPolicy.TabFocus  # still reachable, to be read
    paragraph = {
        "type": "paragraph",
        "data": {"text": "Please <b>wait</b> at the<br>desk until called"},
    }
    assert content_name([paragraph]) == "Please wait at the desk until called"
    long = {"type": "paragraph", "data": {"text": " ".join(f"word{n}" for n in range(20))}}
    assert content_name([long]) == "word0 word1 word2 word3 word4 word5 word6 word7…"
    assert content_name([{"type": "delimiter", "data": {}}]) == "Information"


def test_the_buttons_say_what_they_do_and_their_keys(make_runner: RunnerFactory) -> None:
    runner = make_runner("it-support")
    buttons = {
        runner.back_button: ("Previous page", "Alt+B"),
        runner.next_button: ("Next page", "Alt+N"),
        runner.review_button: ("Review the ticket", "Alt+R"),
        runner.send_button: ("Send the ticket", "Alt+S"),
    }
    for button, (name, keys) in buttons.items():
        assert button.accessibleName() == name
        assert button.toolTip().endswith(f"({keys})"), button.toolTip()


def _answered(make_runner: RunnerFactory, *, confirm: bool) -> FormRunner:
    runner = make_runner("walk-in-intake")
    runner.confirm_send = confirm
    runner.load_answers(example("walk-in-intake"))
    assert runner.go_review()
    return runner


def test_send_asks_first_when_confirming_and_queues_only_on_yes(
    qtbot: QtBot, make_runner: RunnerFactory, store: Store
) -> None:
    runner = _answered(make_runner, confirm=True)
    queued: list[str] = []
    runner.queued.connect(queued.append)

    qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
    box = runner.confirm_box
    assert box is not None and box.isVisible() and not queued  # asked; nothing queued yet
    assert box.text() == f"Send this ticket to '{PROFILE}'?"
    assert box.windowModality() != Qt.WindowModality.NonModal  # open(), not exec()
    no = box.button(QMessageBox.StandardButton.No)
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert runner.confirm_box is None and queued == [] and not any(store.count_by_status().values())
    assert runner.is_reviewing()

    qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
    box = runner.confirm_box
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert len(queued) == 1 and "Queued" in runner.message()
    assert runner.answers() == {}  # reset for the next ticket


def test_send_queues_at_once_without_confirming(qtbot: QtBot, make_runner: RunnerFactory) -> None:
    runner = _answered(make_runner, confirm=False)
    with qtbot.waitSignal(runner.sent, timeout=1000) as sent:
        qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
    assert runner.confirm_box is None
    submission_id, text = sent.args
    assert submission_id and text == runner.message() and text.startswith("Queued")


def test_send_itself_never_asks(make_runner: RunnerFactory) -> None:
    runner = _answered(make_runner, confirm=True)
    assert runner.send() is not None and runner.confirm_box is None
