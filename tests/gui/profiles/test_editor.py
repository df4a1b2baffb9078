"""The profile editor: inline validation in plain words, read-only parts of saved and built-in profiles."""

# pytest-qt's QtBot and ModelTester methods carry no annotations.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.gui.profiles.editor import ProfileEditor, plain_message
from desktop_app.store import DeliverySettings, Store
from tests.gui.profiles.conftest import acme


def shown_errors(editor: ProfileEditor) -> dict[str, str]:
    return {
        field: label.text()
        for field, label in editor.error_labels.items()
        if label.isVisibleTo(editor)
    }


def test_a_problem_shows_next_to_the_field_once_it_was_edited(qtbot: QtBot) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    assert editor.errors()["name"].startswith("Name is empty")
    assert shown_errors(editor) == {}  # an empty new form is not scolded before any typing

    qtbot.keyClicks(editor.base_url, "help.example.com")
    assert shown_errors(editor) == {
        "base_url": "Base URL 'help.example.com' has no scheme: add https:// (https://help.example.com)"
    }
    assert "Traceback" not in str(editor.errors())

    assert editor.edited() is None  # asking for the result reveals every problem
    assert set(shown_errors(editor)) == {"name", "base_url", "tenant"}
    assert shown_errors(editor)["tenant"].startswith("Tenant '' is too short")


def test_a_valid_form_gives_the_profile_and_its_delivery_settings(qtbot: QtBot) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.name, "Acme")
    qtbot.keyClicks(editor.base_url, "https://help.acme.example/")
    qtbot.keyClicks(editor.tenant, "acme")
    editor.api_version.setText("v2")
    editor.read_timeout.setValue(12.5)
    editor.verify_tls.setChecked(False)
    editor.upload.setText("attachments/external")
    editor.concurrency.setValue(8)
    editor.batching.setChecked(True)
    qtbot.keyClicks(editor.ticket_uuid_property, "df_uuid")

    edited = editor.edited()
    assert edited is not None
    assert edited.profile == acme(
        base_url="https://help.acme.example",
        api_version="2",
        read_timeout=12.5,
        verify_tls=False,
        upload="attachments/external",
    )
    assert edited.settings == DeliverySettings(
        concurrency=8, batching=True, ticket_uuid_property="df_uuid"
    )
    assert shown_errors(editor) == {}


def test_plain_http_to_another_machine_is_refused_until_allowed(qtbot: QtBot) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    editor.load_new(None, "Acme")
    editor.tenant.setText("acme")
    qtbot.keyClicks(editor.base_url, "http://help.acme.example")
    assert shown_errors(editor)["base_url"].startswith(
        "Plain http:// to help.acme.example is refused"
    )
    qtbot.mouseClick(editor.allow_insecure_http, Qt.MouseButton.LeftButton)
    assert editor.allow_insecure_http.isChecked()
    assert shown_errors(editor) == {}
    assert editor.edited() is not None


def test_a_new_profile_cannot_take_a_name_in_use(qtbot: QtBot) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    editor.taken_names = lambda: {"Acme"}
    qtbot.keyClicks(editor.name, "Acme")
    assert shown_errors(editor) == {
        "name": "A profile named 'Acme' already exists: choose another name."
    }


def test_a_bad_submission_id_property_is_explained(qtbot: QtBot) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.ticket_uuid_property, "my-uuid")
    assert shown_errors(editor) == {
        "ticket_uuid_property": "Submission id property 'my-uuid' is not a property name: use letters, digits and _"
    }


def test_a_saved_profile_keeps_its_name_and_the_sandbox_its_address(
    qtbot: QtBot, store: Store
) -> None:
    store.save_profile(acme())
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    editor.load(store.profile("Acme"))
    assert editor.name.isReadOnly() and not editor.base_url.isReadOnly()
    assert not editor.is_new

    editor.load(store.profile("sandbox"))
    assert editor.name.isReadOnly() and editor.base_url.isReadOnly()
    assert editor.base_url.toolTip().startswith("Managed by DeskForms")
    assert editor.note.isVisibleTo(editor) and "built-in Sandbox" in editor.note.text()
    assert editor.upload.text() == "attachments/external"


def test_plain_message_names_the_field_as_the_form_does() -> None:
    assert plain_message("api_version", "Value error, api_version 'x y' is not a version") == (
        "API version 'x y' is not a version"
    )
    assert plain_message("read_timeout", "Input should be greater than 0") == (
        "Input should be greater than 0"
    )
