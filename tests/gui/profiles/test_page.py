"""The Profiles page: create, edit, duplicate, delete, pause and resume, activate; keyboard and names."""

# pytest-qt's QtBot and ModelTester methods carry no annotations.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.gui.context import AppContext
from desktop_app.gui.profiles.page import ProfilesPage
from desktop_app.store import DeliverySettings, NotFound, Status
from tests.gui.conftest import sample_answers, sample_form
from tests.gui.profiles.conftest import Answers, acme


def fill_new(qtbot: QtBot, page: ProfilesPage, name: str = "Acme") -> None:
    page.new_action.trigger()
    editor = page.editor
    qtbot.keyClicks(editor.name, name)
    qtbot.keyClicks(editor.base_url, "https://help.acme.example")
    qtbot.keyClicks(editor.tenant, "acme")


def test_the_page_opens_on_the_active_profile(page: ProfilesPage) -> None:
    assert page.model.names() == ["sandbox"]
    assert page.editing == "sandbox"
    assert page.list_view.currentIndex().row() == 0
    assert not page.delete_action.isEnabled()  # the built-in profile
    assert page.sandbox_panel is None  # no sandbox runs in this context


def test_a_new_profile_is_saved_listed_and_selected(
    qtbot: QtBot, page: ProfilesPage, context: AppContext
) -> None:
    fill_new(qtbot, page)
    page.editor.concurrency.setValue(3)
    assert page.editing is None and page.dirty

    page.save_action.trigger()
    record = context.store.profile("Acme")
    assert record.profile == acme()
    assert record.settings == DeliverySettings(concurrency=3)
    assert page.model.names() == ["Acme", "sandbox"]
    assert page.editing == "Acme" and not page.dirty
    assert page.list_view.currentIndex().row() == 0
    assert page.status_label.text() == "Saved profile 'Acme'."


def test_an_invalid_profile_is_not_saved(
    qtbot: QtBot, page: ProfilesPage, context: AppContext
) -> None:
    page.new_action.trigger()
    qtbot.keyClicks(page.editor.name, "Acme")
    assert page.save() is False
    assert page.status_label.text() == "Not saved: fix the problems shown next to the fields."
    assert page.editor.error_labels["base_url"].isVisibleTo(page)
    assert [r.name for r in context.store.profiles()] == ["sandbox"]


def test_editing_a_saved_profile_changes_it_in_place(
    qtbot: QtBot, page: ProfilesPage, context: AppContext
) -> None:
    context.store.save_profile(acme())
    page.list_view.setCurrentIndex(page.model.index(page.model.row_of("Acme") or 0))
    assert page.editing == "Acme"
    page.editor.tenant.setText("acme-eu")
    page.editor.batching.setChecked(True)
    assert page.save()
    record = context.store.profile("Acme")
    assert record.profile.tenant == "acme-eu" and record.settings.batching
    assert len(context.store.profiles()) == 2


def test_duplicate_copies_the_settings_under_a_new_name(
    qtbot: QtBot, page: ProfilesPage, context: AppContext
) -> None:
    context.store.save_profile(acme(), settings=DeliverySettings(concurrency=7))
    page.list_view.setCurrentIndex(page.model.index(0))
    page.duplicate_action.trigger()
    assert page.editing is None and page.editor.name.text() == "Acme copy"
    assert not page.editor.name.isReadOnly()
    assert page.save()
    copy = context.store.profile("Acme copy")
    assert copy.profile == acme(name="Acme copy")
    assert copy.settings.concurrency == 7


def test_deleting_asks_first_and_refuses_a_no(
    qtbot: QtBot, page: ProfilesPage, context: AppContext, answers: Answers
) -> None:
    context.store.save_profile(acme())
    page.list_view.setCurrentIndex(page.model.index(0))
    answers.reply = False
    assert not page.delete_profile()
    assert answers.questions == ["Delete the profile 'Acme'? This cannot be undone."]
    assert context.store.profile("Acme")

    answers.reply = True
    qtbot.mouseClick(page.list_buttons[2], Qt.MouseButton.LeftButton)
    try:
        context.store.profile("Acme")
        raise AssertionError("the profile was not deleted")
    except NotFound:
        pass
    assert page.model.names() == ["sandbox"]
    assert page.editing == "sandbox"
    assert page.status_label.text() == "Deleted profile 'Acme'."


def test_a_profile_with_waiting_tickets_is_not_deleted(
    page: ProfilesPage, context: AppContext, answers: Answers
) -> None:
    context.store.save_profile(acme())
    context.store.queue_submission(sample_form(), sample_answers(), "Acme")
    page.list_view.setCurrentIndex(page.model.index(0))
    assert not page.delete_profile()
    assert answers.questions == []  # refused outright, nothing to confirm
    assert page.status_label.text().startswith(
        "'Acme' still has 1 ticket(s) in the outbox that are not finished"
    )
    assert context.store.profile("Acme")
    assert context.store.count_by_status("Acme")[Status.QUEUED] == 1


def test_the_built_in_and_the_active_profile_are_not_deleted(
    page: ProfilesPage, context: AppContext, answers: Answers
) -> None:
    assert not page.delete_profile()
    assert page.status_label.text() == "'sandbox' is the built-in profile and cannot be deleted."
    context.store.save_profile(acme())
    page.list_view.setCurrentIndex(page.model.index(0))
    page.use_action.trigger()
    assert not page.delete_profile()
    assert page.status_label.text().startswith("'Acme' is in use for new tickets")
    assert answers.questions == []


def test_use_for_new_tickets_emits_profile_activated(
    qtbot: QtBot, page: ProfilesPage, context: AppContext
) -> None:
    context.store.save_profile(acme())
    page.list_view.setCurrentIndex(page.model.index(0))
    with qtbot.waitSignal(page.profile_activated) as blocker:
        qtbot.mouseClick(page.edit_buttons[2], Qt.MouseButton.LeftButton)
    assert blocker.args == ["Acme"]
    assert page.model.data(page.model.index(0)) == "Acme (in use)"


def test_a_paused_profile_says_why_and_resumes(
    qtbot: QtBot, page: ProfilesPage, context: AppContext
) -> None:
    context.store.save_profile(acme())
    page.list_view.setCurrentIndex(page.model.index(0))
    assert not page.paused.isVisibleTo(page)

    context.store.pause_profile("Acme", "DeskHero answered 404 Not Found. Check the tenant.")
    assert page.paused.isVisibleTo(page)
    assert page.paused.label.text().startswith(
        "Sending with 'Acme' is paused: DeskHero answered 404 Not Found. Check the tenant."
    )
    qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    assert context.store.profile("Acme").paused_reason is None
    assert not page.paused.isVisibleTo(page)
    assert page.status_label.text().startswith("Sending with 'Acme' resumed")


def test_unsaved_edits_survive_an_outside_change_and_a_refused_switch(
    qtbot: QtBot, page: ProfilesPage, context: AppContext, answers: Answers
) -> None:
    context.store.save_profile(acme())
    page.list_view.setCurrentIndex(page.model.index(0))
    page.editor.tenant.setText("typed-but-not-saved")
    page.editor.changed.emit()
    context.store.pause_profile("Acme", "stopped")  # a store event must not wipe the typing
    assert page.editor.tenant.text() == "typed-but-not-saved"

    answers.reply = False
    page.list_view.setCurrentIndex(page.model.index(1))
    assert answers.questions == ["Discard the changes to 'Acme'?"]
    assert page.editing == "Acme" and page.list_view.currentIndex().row() == 0
    assert page.editor.tenant.text() == "typed-but-not-saved"

    answers.reply = True
    page.list_view.setCurrentIndex(page.model.index(1))
    assert page.editing == "sandbox"


def test_main_actions_have_shortcuts_shown_in_their_tooltips(page: ProfilesPage) -> None:
    expected = {
        page.new_action: "Ctrl+N",
        page.duplicate_action: "Ctrl+D",
        page.save_action: "Ctrl+S",
        page.use_action: "Ctrl+U",
        page.delete_action: "Del",
    }
    assert page.delete_action.toolTip() == "Delete this profile, in the list (Del)"
    for action, keys in expected.items():
        assert action.shortcut().toString() == keys
        assert f"({keys}" in action.toolTip()
    assert page.connection.test_button.shortcut().toString() == "Ctrl+T"
    assert "(Ctrl+T)" in page.connection.test_button.toolTip()
    assert "(Ctrl+I)" in page.importer.import_button.toolTip()


def test_keyboard_shortcuts_work(qtbot: QtBot, page: ProfilesPage, context: AppContext) -> None:
    context.store.save_profile(acme())
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.list_view.setFocus()
    qtbot.keyClick(page.list_view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.editing is None and page.editor.name.hasFocus()
    qtbot.keyClicks(page.editor.name, "Beta")
    qtbot.keyClicks(page.editor.base_url, "https://beta.example")
    qtbot.keyClicks(page.editor.tenant, "beta")
    qtbot.keyClick(page.editor.tenant, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert context.store.profile("Beta").profile.tenant == "beta"


def test_every_control_has_an_accessible_name(page: ProfilesPage) -> None:
    nameless = [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for widget in page.findChildren(QWidget)
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and (isinstance(widget, QAbstractButton) or widget.isVisibleTo(page))
        and not widget.accessibleName()
        and widget.parent() is not None
        # Qt's own parts of a compound control (a spin box's text box): the control is named.
        and not widget.objectName().startswith("qt_")
        and type(widget).__name__ not in ("QScrollBar", "QSplitterHandle", "QWidget")
    ]
    assert nameless == []
