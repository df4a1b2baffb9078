"""Fix answers and resend (a copy with the server's messages replaces the rejected ticket), and
held tickets while automatic sending is off: real Store, real widgets, the sandbox over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.events import EventBus
from desktop_app.core.form.model import Form
from desktop_app.core.settings import AppSettings
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.results.fix import fix_copy, fix_runner
from desktop_app.gui.results.rows import HELD_MESSAGE, OutboxRow
from desktop_app.gui.results.view import ResultsView
from desktop_app.gui.runner.fields import TextField
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.gui.settings_controller import SettingsController
from desktop_app.gui.wiring import Workspace, plug_pages
from desktop_app.store import Resolution, Status, Store, StoreError
from desktop_app.store.settings_file import save_settings
from tests.gui.conftest import sample_form
from tests.gui.results.conftest import in_status, queue, send

SUMMARY_MESSAGE = {"text": "Too short.", "ticket_index": 0, "property": "subject"}
GENERAL_MESSAGE = {"text": "The tenant's form changed.", "ticket_index": None}
ANSWERS = {"summary": "Mail", "email": "ada@example.com", "details": "Inbox empty."}


def attachments_form() -> Form:
    return Form.model_validate(
        {
            "id": "it-help",
            "title": "IT help",
            "version": 1,
            "target": {"form": "it-help"},
            "pages": [
                {"items": [{"type": "email", "key": "email", "label": "Your e-mail"}]},
                {
                    "items": [
                        {
                            "type": "text",
                            "key": "summary",
                            "label": "Summary",
                            "maps_to": "subject",
                        },
                        {"type": "multiline", "key": "details", "label": "Details"},
                        {
                            "type": "attachments",
                            "key": "files",
                            "label": "Files",
                            "maps_to": "sys_attachments",
                        },
                    ]
                },
            ],
        }
    )


def rejected(store: Store, tmp_path: Path, messages: list[dict[str, Any]] | None = None) -> str:
    """A rejected submission of `attachments_form` with one stored file."""
    log = tmp_path / "error.log"
    log.write_text("disk full\n", encoding="utf-8")
    stored = store.attachments.add_file(log)
    sid = store.queue_submission(
        attachments_form(), ANSWERS, "acme", attachments={"files": [stored]}
    )
    send(
        store,
        sid,
        Status.REJECTED,
        message="DeskHero refused the ticket: fix the answers.",
        messages=[SUMMARY_MESSAGE] if messages is None else messages,
    )
    return sid


def row_of(view: ResultsView, submission_id: str) -> OutboxRow:
    row = view.model.row_of(submission_id)
    assert row is not None, f"{submission_id} is not listed"
    return view.model.row_at(row)


@pytest.fixture
def runner_of(qtbot: QtBot, store: Store) -> Iterator[Any]:
    made: list[FormRunner] = []

    def make(submission_id: str) -> FormRunner:
        runner = fix_runner(store, fix_copy(store, submission_id))
        qtbot.addWidget(runner)
        made.append(runner)
        return runner

    yield make


# -- the copy and the runner --------------------------------------------------------------------


def test_the_copy_is_a_draft_with_the_answers_and_files_of_the_rejected_ticket(
    store: Store, tmp_path: Path
) -> None:
    sid = rejected(store, tmp_path)
    copy = fix_copy(store, sid)

    draft = store.draft(copy.draft_id)
    assert draft.replaces == sid
    assert draft.answers == ANSWERS
    original = store.submission(sid)
    assert draft.attachments == original.attachments  # the same stored copies
    assert draft.snapshot_hash == original.snapshot_hash  # the form version it was sent with
    assert copy.server_errors == {"summary": "Too short."}
    assert fix_copy(store, sid).draft_id == copy.draft_id  # asked again: the same copy
    assert store.draft_count() == 1


def test_the_runner_shows_the_servers_messages_next_to_their_fields(
    store: Store, tmp_path: Path, runner_of: Any
) -> None:
    sid = rejected(store, tmp_path, [SUMMARY_MESSAGE, GENERAL_MESSAGE])
    runner = runner_of(sid)

    assert runner.replaces == sid
    assert runner.profile_name == "acme"
    assert runner.field_widget("summary").error() == "Too short."
    assert runner.field_widget("email").error() is None
    assert runner.current_page() == 1  # the page of the first field to fix
    message = runner.message()
    assert message.startswith(f"DeskHero rejected this ticket (submission {sid[:8]}).")
    assert "The tenant's form changed." in message
    assert "replaces the original" in message
    assert [item["name"] for item in runner.answers()["files"]] == ["error.log"]


def test_a_servers_message_stays_until_its_answer_changes_but_does_not_block(
    store: Store, tmp_path: Path, runner_of: Any
) -> None:
    sid = rejected(store, tmp_path)
    runner = runner_of(sid)
    summary = runner.field_widget("summary")

    assert runner.go_review()  # the server is the judge: sending unchanged is the user's call
    runner.go_back()
    assert summary.error() == "Too short."
    assert isinstance(summary, TextField)
    summary.edit.setText("Mail has not arrived since Monday")
    assert summary.error() is None
    runner.go_review()
    assert summary.error() is None


def test_sending_the_copy_replaces_the_original_and_the_table_says_so(
    qtbot: QtBot, store: Store, bus: EventBus, tmp_path: Path, runner_of: Any
) -> None:
    sid = rejected(store, tmp_path)
    view = ResultsView(store, bus)
    qtbot.addWidget(view)
    runner = runner_of(sid)
    summary = runner.field_widget("summary")
    assert isinstance(summary, TextField)
    summary.edit.setText("Mail has not arrived since Monday")

    copy = runner.send()

    assert copy is not None, runner.message()
    original = store.submission(sid)
    assert (original.status, original.resolution) == (Status.CANCELLED, Resolution.DISCARDED)
    assert original.last_message == f"Replaced by a corrected ticket (submission {copy[:8]})."
    queued = store.submission(copy)
    assert queued.status is Status.QUEUED
    assert queued.answers["summary"] == "Mail has not arrived since Monday"
    assert [link.name for link in queued.attachments] == ["error.log"]
    assert store.draft_count() == 0  # the copy's draft went with it
    assert runner.replaces is None  # the form is empty again, for a new ticket
    assert f"in place of submission {sid[:8]}" in runner.message()
    qtbot.waitUntil(lambda: view.model.row_of(copy) is not None, timeout=2000)
    row = row_of(view, sid)
    assert row.status is Status.CANCELLED
    assert row.last_message.startswith("Replaced by a corrected ticket")
    view.model.close()


def test_nothing_is_sent_twice_when_the_original_went_meanwhile(
    store: Store, tmp_path: Path, runner_of: Any
) -> None:
    sid = in_status(store, Status.FAILED)
    runner = runner_of(sid)
    assert runner.message().startswith("This ticket could not be sent")
    runner.field_widget("details").set_value("More details")
    # The engine retried the original meanwhile, and it arrived.
    store.retry_now([sid])
    send(store, sid, Status.ACCEPTED)
    before = store.submission_count()

    assert runner.send() is None

    assert "Cannot replace submission" in runner.message()
    assert store.submission_count() == before
    assert store.submission(sid).status is Status.ACCEPTED
    assert runner.save_draft() is not None  # the correction is kept
    assert store.draft(runner.draft_id or "").replaces == sid


@pytest.mark.parametrize(
    "status",
    [Status.QUEUED, Status.SENDING, Status.ACCEPTED, Status.UNCERTAIN, Status.CANCELLED],
    ids=lambda s: s.value,
)
def test_only_rejected_or_failed_tickets_can_be_fixed(store: Store, status: Status) -> None:
    sid = in_status(store, status)
    with pytest.raises(StoreError, match="only rejected or failed"):
        fix_copy(store, sid)
    assert store.draft_count() == 0


# -- the workspace ------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"  # the results store's folder (made by the store)


@pytest.fixture
def workspace(
    qtbot: QtBot, qapp: QApplication, context: AppContext, window_settings: QSettings
) -> Workspace:
    window = MainWindow(context, window_settings)
    qtbot.addWidget(window)
    settings = SettingsController(context.data_dir, qapp, save_delay_ms=0)
    return plug_pages(window, context, settings)


def test_fix_and_resend_in_the_results_view_opens_the_copy_on_the_forms_page(
    store: Store, tmp_path: Path, workspace: Workspace
) -> None:
    sid = rejected(store, tmp_path)
    results = workspace.results
    results.refresh()
    results.select_submissions([sid])
    action = results.row_actions.fix_answers
    assert action.isVisible() and action.isEnabled()

    action.trigger()

    runner = workspace.runner()
    assert runner is not None and runner.replaces == sid
    assert workspace.window.current_page() == "forms"
    assert runner.field_widget("summary").error() == "Too short."
    runner.field_widget("details").set_value("Typed in the copy")
    runner.save_draft()
    action.trigger()  # again: the same runner, not a second copy
    assert workspace.runner() is runner and store.draft_count() == 1

    # Reopened from the Drafts page (e.g. after a restart): still a correction, errors shown.
    workspace.open_form(sample_form())
    workspace.open_draft(runner.draft_id or "")
    reopened = workspace.runner()
    assert reopened is not None and reopened is not runner
    assert reopened.replaces == sid
    assert reopened.answers()["details"] == "Typed in the copy"
    assert reopened.field_widget("summary").error() == "Too short."


def test_a_ticket_that_cannot_be_fixed_says_why(
    store: Store, workspace: Workspace, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(context.messages, "error", shown.append)
    sid = in_status(store, Status.ACCEPTED)
    assert not workspace.fix_submission(sid)
    assert workspace.runner() is None
    assert shown and "only rejected or failed" in shown[0]


def test_autosend_off_holds_new_tickets_until_send_now(
    qtbot: QtBot, store: Store, workspace: Workspace
) -> None:
    settings = workspace.settings
    assert settings is not None
    assert not store.hold_new
    settings.update(settings.settings.replace(autosend=False))
    assert store.hold_new

    held = [queue(store, "Held one"), queue(store, "Held two")]
    results = workspace.results
    qtbot.waitUntil(lambda: results.model.row_of(held[1]) is not None, timeout=2000)
    row = row_of(results, held[0])
    assert (row.status, row.last_message) == (Status.QUEUED, HELD_MESSAGE)
    assert store.due_count() == 0

    results.select_submissions([held[0]])
    results.row_actions.send_now.trigger()
    assert store.submission(held[0]).next_attempt_at is not None
    assert store.submission(held[1]).next_attempt_at is None
    qtbot.waitUntil(
        lambda: row_of(results, held[0]).last_message == "",
        timeout=2000,
    )

    settings.update(settings.settings.replace(autosend=True))  # on again: every held one goes
    assert not store.hold_new
    assert store.submission(held[1]).next_attempt_at is not None
    assert store.submission(queue(store)).next_attempt_at is not None


def test_tickets_held_when_autosend_was_off_go_once_it_is_on_at_start(
    qtbot: QtBot, qapp: QApplication, store: Store, context: AppContext, window_settings: QSettings
) -> None:
    store.hold_new = True
    held = queue(store)
    store.hold_new = False
    save_settings(context.data_dir, AppSettings(autosend=True))
    window = MainWindow(context, window_settings)
    qtbot.addWidget(window)
    plug_pages(window, context, SettingsController(context.data_dir, qapp))
    assert store.submission(held).next_attempt_at is not None
