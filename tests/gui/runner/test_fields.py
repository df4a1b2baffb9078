"""Every field type has a widget whose value() / set_value() round-trip answers, empty included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QRadioButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.form.model import FieldType, FormField
from desktop_app.gui.runner.attachments import AttachmentsField
from desktop_app.gui.runner.choices import CHOOSE, ChoiceField, YesNoField
from desktop_app.gui.runner.field_base import FieldWidget
from desktop_app.gui.runner.fields import NumberField, TextField, make_field_widget
from desktop_app.gui.runner.temporal import TemporalField
from tests.gui.runner.conftest import make_field_form

OPTIONS = [{"id": f"o{n}", "label": f"Option {n}", "reference_id": 100 + n} for n in range(3)]
RICH = {"blocks": [{"id": "a1", "type": "paragraph", "data": {"text": "Hello <b>there</b>"}}]}

# (field item, an answer) for every type with a widget.
CASES: list[tuple[dict[str, Any], Any]] = [
    ({"type": "text", "max_length": 20, "placeholder": "Type"}, "Printer jams"),
    ({"type": "multiline"}, "line one\nline two"),
    ({"type": "richtext"}, RICH),
    ({"type": "email"}, "ada@example.com"),
    ({"type": "phone"}, "+1 555 0100"),
    ({"type": "url"}, "https://example.com/a?b=c"),
    ({"type": "integer"}, -42),
    ({"type": "decimal"}, 12.5),
    ({"type": "date"}, "2026-12-31"),
    ({"type": "time"}, "17:30"),
    ({"type": "datetime"}, "2026-12-01T09:30"),
    ({"type": "choice", "options": OPTIONS}, "o1"),
    ({"type": "choice", "options": OPTIONS, "display": "dropdown"}, "o2"),
    ({"type": "multichoice", "options": OPTIONS}, ["o0", "o2"]),
    ({"type": "yesno"}, True),
    ({"type": "yesno"}, False),
    ({"type": "attachments", "maps_to": "sys_attachments"}, ["/tmp/a.png", "/tmp/b.log"]),
]


def field_of(item: dict[str, Any], **extra: Any) -> FormField:
    data = {"key": "q", "label": "Question", **item, **extra}
    return make_field_form(data).fields[0]


def widget_for(qtbot: QtBot, item: dict[str, Any], **extra: Any) -> FieldWidget:
    widget = make_field_widget(field_of(item, **extra))
    assert widget is not None
    qtbot.addWidget(widget)
    return widget


def without_time(value: Any) -> Any:
    return {k: v for k, v in value.items() if k != "time"} if isinstance(value, dict) else value


@pytest.mark.parametrize(("item", "answer"), CASES, ids=lambda c: str(c)[:30])
def test_value_round_trips_and_empty_is_none(
    qtbot: QtBot, item: dict[str, Any], answer: Any
) -> None:
    widget = widget_for(qtbot, item)
    assert widget.value() is None  # no default: unanswered
    with qtbot.waitSignal(widget.changed):
        widget.set_value(answer)
    value = widget.value()
    if item["type"] == "richtext":
        assert [b["data"] for b in value["blocks"]] == [b["data"] for b in RICH["blocks"]]
    else:
        assert value == answer and type(value) is type(answer)
    widget.set_value(None)
    assert widget.value() is None
    widget.set_value(value)
    assert without_time(widget.value()) == without_time(value)


def test_hidden_fields_have_no_widget() -> None:
    assert make_field_widget(field_of({"type": "hidden", "default": "kiosk"})) is None


def test_defaults_are_shown(qtbot: QtBot) -> None:
    assert widget_for(qtbot, {"type": "yesno", "default": True}).value() is True
    choice = widget_for(qtbot, {"type": "choice", "options": OPTIONS, "default": "o2"})
    assert choice.value() == "o2"


def test_label_marks_required_and_names_the_input(qtbot: QtBot) -> None:
    widget = widget_for(qtbot, {"type": "email"}, required=True, help="We write to you here.")
    assert isinstance(widget, TextField)
    assert widget.label.text() == "Question *"
    assert widget.label.buddy() is widget.edit
    assert widget.edit.accessibleName() == "Question"
    assert widget.edit.accessibleDescription() == "We write to you here."
    widget.set_error("Enter an e-mail address like name@example.com.")
    assert not widget.error_label.isHidden()
    assert widget.error_label.text() == "Enter an e-mail address like name@example.com."
    assert widget.edit.accessibleDescription().startswith("Error: Enter an e-mail")
    widget.set_error(None)
    assert widget.error_label.isHidden() and widget.error() is None
    assert widget.edit.accessibleDescription() == "We write to you here."


def test_text_limits_and_typing(qtbot: QtBot) -> None:
    widget = widget_for(qtbot, {"type": "text", "max_length": 5})
    assert isinstance(widget, TextField)
    with qtbot.waitSignal(widget.changed):
        qtbot.keyClicks(widget.edit, "abcdefgh")
    assert widget.value() == "abcde"


def test_numbers_accept_only_number_text_and_keep_unfinished_text(qtbot: QtBot) -> None:
    integer = widget_for(qtbot, {"type": "integer"})
    assert isinstance(integer, NumberField)
    qtbot.keyClicks(integer.edit, "1x2.5")
    assert integer.value() == 125  # letters and the dot are refused by the validator
    integer.set_value(None)
    qtbot.keyClicks(integer.edit, "-")
    assert integer.value() == "-"  # validation will ask for a whole number
    decimal = widget_for(qtbot, {"type": "decimal"})
    assert isinstance(decimal, NumberField)
    qtbot.keyClicks(decimal.edit, "3,25")
    assert decimal.value() == 3.25
    decimal.set_value(1234567.89)
    assert decimal.edit.text() == "1234567.89"


def test_choice_display_auto_uses_radio_up_to_four_options(qtbot: QtBot) -> None:
    few = widget_for(qtbot, {"type": "choice", "options": OPTIONS})
    assert few.findChildren(QRadioButton) and not few.findChildren(QComboBox)
    many = [{"id": f"m{n}", "label": f"M {n}"} for n in range(5)]
    dropdown = widget_for(qtbot, {"type": "choice", "options": many})
    assert isinstance(dropdown, ChoiceField) and dropdown.combo is not None
    assert dropdown.combo.itemText(0) == CHOOSE
    dropdown.combo.setCurrentIndex(3)
    assert dropdown.value() == "m2"
    dropdown.combo.setCurrentIndex(0)
    assert dropdown.value() is None


def test_choice_understands_reference_ids_and_labels(qtbot: QtBot) -> None:
    widget = widget_for(qtbot, {"type": "choice", "options": OPTIONS})
    widget.set_value(102)
    assert widget.value() == "o2"
    widget.set_value("Option 0")
    assert widget.value() == "o0"


def test_radio_choice_by_click_and_clear(qtbot: QtBot) -> None:
    widget = widget_for(qtbot, {"type": "choice", "options": OPTIONS})
    assert isinstance(widget, ChoiceField) and widget.radios is not None
    widget.show()
    with qtbot.waitSignal(widget.changed):
        qtbot.mouseClick(widget.radios.buttons[1], Qt.MouseButton.LeftButton)
    assert widget.value() == "o1"
    assert widget.radios.clear_button.isVisible()
    with qtbot.waitSignal(widget.changed):
        qtbot.mouseClick(widget.radios.clear_button, Qt.MouseButton.LeftButton)
    assert widget.value() is None


def test_yes_no_is_unanswered_until_clicked(qtbot: QtBot) -> None:
    widget = widget_for(qtbot, {"type": "yesno"}, required=True)
    assert isinstance(widget, YesNoField)
    widget.show()
    assert widget.value() is None
    assert not widget.radios.clear_button.isVisible()  # required: no way back to "no answer"
    qtbot.mouseClick(widget.radios.buttons[1], Qt.MouseButton.LeftButton)
    assert widget.value() is False
    qtbot.mouseClick(widget.radios.buttons[0], Qt.MouseButton.LeftButton)
    assert widget.value() is True


def test_temporal_check_box_gives_and_removes_the_answer(qtbot: QtBot) -> None:
    widget = widget_for(
        qtbot, {"type": "date", "min_value": "2026-01-01", "max_value": "2026-12-31"}
    )
    assert isinstance(widget, TemporalField)
    assert not widget.edit.isEnabled()
    widget.answered.setChecked(True)
    assert widget.edit.isEnabled()
    assert widget.value() is not None and "2026-01-01" <= widget.value() <= "2026-12-31"
    widget.set_value("2030-05-05")  # out of range: the edit keeps to the form's range
    assert widget.value() == "2026-12-31"
    widget.answered.setChecked(False)
    assert widget.value() is None


def test_datetime_with_seconds_reads_as_minutes(qtbot: QtBot) -> None:
    widget = widget_for(qtbot, {"type": "datetime"})
    widget.set_value("2026-12-01T09:30:00")
    assert widget.value() == "2026-12-01T09:30"
    widget.set_value("not a date")
    assert widget.value() is None


LIMITS = {
    "type": "attachments",
    "maps_to": "sys_attachments",
    "attachments": {"max_files": 2, "max_file_size_mb": 0.001, "accept": [".png", ".txt"]},
}


def attachments_widget(qtbot: QtBot) -> AttachmentsField:
    widget = widget_for(qtbot, LIMITS)
    assert isinstance(widget, AttachmentsField)
    return widget


def test_attachments_limits_are_checked_when_adding(qtbot: QtBot, tmp_path: Path) -> None:
    widget = attachments_widget(qtbot)
    small = [tmp_path / name for name in ("a.png", "b.txt", "c.png")]
    for path in small:
        path.write_bytes(b"x" * 10)
    (tmp_path / "big.png").write_bytes(b"x" * 2000)
    (tmp_path / "tool.exe").write_bytes(b"MZ")
    problems = widget.add_files([tmp_path / "big.png", tmp_path / "tool.exe"])
    assert len(problems) == 2
    assert "over the 0.001 MB limit" in problems[0]
    assert "only .png, .txt files are accepted" in problems[1]
    assert widget.value() is None
    assert "big.png" in widget.notice_text()
    with qtbot.waitSignal(widget.files_rejected) as rejected:
        widget.add_files(small)
    assert widget.value() == [str(small[0]), str(small[1])]
    assert "at most 2 file(s)" in rejected.args[0]
    assert widget.model.rowCount() == 2
    assert widget.model.index(0).data().startswith("a.png\n10 bytes · ")
    widget.view.setCurrentIndex(widget.model.index(0))
    assert widget.remove_button.isEnabled()
    with qtbot.waitSignal(widget.changed):
        qtbot.mouseClick(widget.remove_button, Qt.MouseButton.LeftButton)
    assert widget.value() == [str(small[1])]
    assert widget.notice_text() == ""


def test_attachments_add_button_and_drop(qtbot: QtBot, tmp_path: Path) -> None:
    widget = attachments_widget(qtbot)
    first, second = tmp_path / "one.png", tmp_path / "two.txt"
    first.write_bytes(b"1")
    second.write_bytes(b"2")
    widget.choose = lambda _parent, _limits: [str(first)]
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    assert widget.value() == [str(first)]
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(second))])
    drop = QDropEvent(
        QPoint(5, 5).toPointF(),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(drop)
    assert widget.value() == [str(first), str(second)]


def test_focus_leaving_the_field_is_announced_once(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    widget = make_field_widget(field_of({"type": "choice", "options": OPTIONS}), window)
    assert isinstance(widget, ChoiceField) and widget.radios is not None
    other = QLineEdit(window)
    layout.addWidget(widget)
    layout.addWidget(other)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    widget.radios.buttons[0].setFocus()
    with qtbot.assertNotEmitted(widget.editing_finished):
        widget.radios.buttons[1].setFocus()  # moving inside the field is not leaving it
    with qtbot.waitSignal(widget.editing_finished, timeout=1000):
        other.setFocus()


def test_every_type_but_hidden_has_a_widget() -> None:
    covered = {item["type"] for item, _ in CASES}
    assert covered == {t.value for t in FieldType} - {"hidden"}
