"""The runner on its own: live conditions, inline validation, focus on errors, page navigation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.form.model import Form
from desktop_app.core.form.validation import FILL_IN, MUST_BE_YES
from desktop_app.gui.runner.choices import ChoiceField, MultichoiceField, YesNoField
from desktop_app.gui.runner.field_base import FieldWidget
from desktop_app.gui.runner.fields import NumberField, TextField
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.gui.runner.temporal import TemporalField
from tests.gui.runner.conftest import RunnerFactory, click, focused


def text_field(runner: FormRunner, key: str) -> TextField:
    widget = runner.fields[key]
    assert isinstance(widget, TextField)
    return widget


def check_options(qtbot: QtBot, runner: FormRunner, widget: FieldWidget, labels: list[str]) -> None:
    assert isinstance(widget, MultichoiceField)
    for box in widget.boxes:
        if box.text() in labels:
            click(qtbot, runner, box)


def fill_contact_page(qtbot: QtBot, runner: FormRunner) -> None:
    qtbot.keyClicks(text_field(runner, "email").edit, "ada@example.com")
    qtbot.keyClicks(text_field(runner, "name").edit, "Ada Lovelace")


def test_serial_shows_only_for_hardware(qtbot: QtBot, make_runner: RunnerFactory) -> None:
    runner = make_runner("it-support")
    fill_contact_page(qtbot, runner)
    assert runner.go_next() and runner.current_page() == 1
    serial, category = runner.fields["serial"], runner.fields["category"]
    assert isinstance(category, ChoiceField) and category.combo is not None  # 5 options
    assert not serial.isVisible()
    category.combo.setCurrentIndex(category.combo.findData("hardware"))
    assert serial.isVisible()
    category.combo.setCurrentIndex(category.combo.findData("software"))
    assert not serial.isVisible()


def test_leaving_a_field_shows_its_error_and_fixing_clears_it(
    qtbot: QtBot, make_runner: RunnerFactory
) -> None:
    runner = make_runner("it-support")
    email, name = text_field(runner, "email"), text_field(runner, "name")
    email.focus_input()
    qtbot.keyClicks(email.edit, "ada")
    assert email.error() is None  # nothing is said while typing
    qtbot.keyClick(email.edit, Qt.Key.Key_Tab)
    assert focused() is name.edit
    assert email.error() == "Enter an e-mail address like name@example.com."
    assert email.error_label.isVisible()
    qtbot.keyClicks(email.edit, "@example.com")
    assert email.error() is None  # a flagged field is re-checked as it is fixed
    assert name.error() is None  # never visited


def test_next_checks_the_page_and_focuses_the_first_error(
    qtbot: QtBot, make_runner: RunnerFactory
) -> None:
    runner = make_runner("it-support")
    email, name = text_field(runner, "email"), text_field(runner, "name")
    runner.next_button.setFocus()
    qtbot.mouseClick(runner.next_button, Qt.MouseButton.LeftButton)
    assert runner.current_page() == 0
    assert email.error() == FILL_IN and name.error() == FILL_IN
    assert focused() is email.edit
    qtbot.keyClicks(email.edit, "ada@example.com")
    qtbot.mouseClick(runner.next_button, Qt.MouseButton.LeftButton)
    assert focused() is name.edit
    qtbot.keyClicks(name.edit, "Ada")
    qtbot.mouseClick(runner.next_button, Qt.MouseButton.LeftButton)
    assert runner.current_page() == 1
    assert runner.page_label.text() == "Page 2 of 2"
    assert runner.progress.value() == 2
    assert runner.review_button.isVisible() and not runner.next_button.isVisible()


def test_review_goes_to_the_page_of_the_first_error(
    qtbot: QtBot, make_runner: RunnerFactory
) -> None:
    runner = make_runner("it-support")
    fill_contact_page(qtbot, runner)
    runner.go_next()
    category = runner.fields["category"]
    assert isinstance(category, ChoiceField) and category.combo is not None
    category.combo.setCurrentIndex(category.combo.findData("hardware"))
    qtbot.keyClicks(text_field(runner, "subject").edit, "Laptop dead")
    qtbot.keyClicks(runner.fields["details"].focus_target(), "It does not start.")
    runner.go_back()
    text_field(runner, "email").edit.clear()
    qtbot.mouseClick(runner.back_button, Qt.MouseButton.LeftButton)  # already first: stays
    runner.go_next()  # page 1 is not valid: stays
    assert runner.current_page() == 0
    text_field(runner, "email").set_value("ada@example.com")
    assert runner.go_next()
    assert not runner.go_review()  # serial is required for hardware
    assert runner.current_page() == 1
    serial = text_field(runner, "serial")
    assert serial.error() == FILL_IN
    assert focused() is serial.edit
    qtbot.keyClicks(serial.edit, "pf3")
    assert serial.error() == "Use 8 to 12 capital letters and digits, without spaces."
    serial.edit.clear()
    qtbot.keyClicks(serial.edit, "PF3X9K2L")
    qtbot.mouseClick(runner.review_button, Qt.MouseButton.LeftButton)
    assert runner.is_reviewing() and runner.page_label.text() == "Review"
    assert runner.send_button.isVisible() and runner.back_button.isEnabled()


def branching_form() -> Form:
    def page(key: str, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        return {"key": key, "title": key.title(), "items": items, **extra}

    return Form.model_validate(
        {
            "id": "branch",
            "title": "Branching",
            "target": {"form": "branch"},
            "pages": [
                page("first", [{"type": "yesno", "key": "device", "label": "A device?"}]),
                page(
                    "device",
                    [{"type": "text", "key": "model", "label": "Model", "required": True}],
                    visible_when={"rules": [{"field": "device", "op": "equals", "value": True}]},
                ),
                page("last", [{"type": "text", "key": "note", "label": "Note"}]),
            ],
        }
    )


def test_next_and_back_skip_pages_that_do_not_show(
    qtbot: QtBot, make_runner: RunnerFactory
) -> None:
    runner = make_runner(branching_form())
    assert runner.page_label.text() == "Page 1 of 2"
    assert not runner.back_button.isEnabled()
    assert runner.go_next() and runner.current_page() == 2  # the device page is skipped
    assert runner.page_label.text() == "Page 2 of 2"
    assert runner.go_back() and runner.current_page() == 0
    device = runner.fields["device"]
    assert isinstance(device, YesNoField)
    click(qtbot, runner, device.radios.buttons[0])
    assert runner.page_label.text() == "Page 1 of 3"
    assert runner.go_next() and runner.current_page() == 1
    assert not runner.go_next()  # the model is required there
    qtbot.keyClicks(text_field(runner, "model").edit, "X1")
    assert runner.go_next() and runner.current_page() == 2
    assert runner.page_label.text() == "Page 3 of 3"
    assert runner.go_review()
    assert runner.go_back() and runner.current_page() == 2


def test_walk_in_consent_must_be_yes(qtbot: QtBot, make_runner: RunnerFactory) -> None:
    runner = make_runner("walk-in-intake")
    assert runner.page_label.text() == "Page 1 of 1"
    qtbot.keyClicks(text_field(runner, "name").edit, "Grace Hopper")
    reason, consent = runner.fields["reason"], runner.fields["consent"]
    assert isinstance(reason, ChoiceField) and reason.radios is not None
    assert isinstance(consent, YesNoField)
    assert consent.label.text().endswith(" *")
    assert consent.value() is None
    click(qtbot, runner, reason.radios.buttons[1])
    click(qtbot, runner, consent.radios.buttons[1])  # No
    assert not runner.go_review()
    assert consent.error() == MUST_BE_YES
    assert focused() is consent.radios.buttons[1]
    click(qtbot, runner, consent.radios.buttons[0])  # Yes
    assert consent.error() is None
    assert runner.go_review()
    assert '"channel": "kiosk"' in runner.review.json_view.toPlainText()


def test_bug_report_values_from_the_widgets(qtbot: QtBot, make_runner: RunnerFactory) -> None:
    runner = make_runner("bug-report")
    qtbot.keyClicks(text_field(runner, "email").edit, "linus@example.com")
    assert runner.go_next()
    qtbot.keyClicks(text_field(runner, "summary").edit, "Export crashes")
    component, severity = runner.fields["component"], runner.fields["severity"]
    assert isinstance(component, ChoiceField) and component.radios is not None
    assert isinstance(severity, ChoiceField) and severity.radios is not None
    click(qtbot, runner, component.radios.buttons[0])
    click(qtbot, runner, severity.radios.buttons[2])
    assert runner.go_next() and runner.current_page() == 2
    check_options(qtbot, runner, runner.fields["platforms"], ["Windows", "Linux"])
    assert runner.go_next() and runner.current_page() == 3
    occurred = runner.fields["occurred_at"]
    assert isinstance(occurred, TemporalField)
    click(qtbot, runner, occurred.answered)
    occurred.edit.setFocus()
    occurred.edit.setSelectedSection(occurred.edit.Section.YearSection)
    qtbot.keyClicks(occurred.edit, "202612010930")
    affected = runner.fields["affected_users"]
    assert isinstance(affected, NumberField)
    affected.focus_input()
    qtbot.keyClicks(affected.edit, "250000")
    qtbot.keyClick(affected.edit, Qt.Key.Key_Tab)
    assert affected.error() == "Must be 100000 or less."
    affected.edit.clear()
    qtbot.keyClicks(affected.edit, "12")
    answers = runner.answers()
    assert answers["platforms"] == ["windows", "linux"]
    assert answers["occurred_at"] == "2026-12-01T09:30"
    assert answers["affected_users"] == 12 and type(answers["affected_users"]) is int
    assert "reproducible" not in answers  # yes/no left unanswered
    assert runner.go_next() and runner.current_page() == 4
    qtbot.keyClicks(runner.fields["steps"].focus_target(), "Open a report, press Export.")
    assert runner.go_review()
    body = runner.review.preview
    assert body is not None
    ticket = body.body[0]
    assert ticket["subject"] == "[Desktop app] Export crashes"
    assert ticket["platforms"] == [{"id": 141}, {"id": 143}]
    assert ticket["affected_users"] == 12
    assert ticket["occurred_at"] == "2026-12-01T09:30"
    assert ticket["sys_tags"] == [{"id": 203}]
