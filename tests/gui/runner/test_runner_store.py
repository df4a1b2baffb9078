"""The runner with a real Store: autosaved drafts, restoring them, the review body, Send."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.form.mapping import build_tickets
from desktop_app.gui.runner.attachments import AttachmentsField
from desktop_app.gui.runner.fields import TextField
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.store import DeliverySettings, NotFound, Status, Store, stored_attachment_path
from tests.gui.runner.conftest import FORMS, RunnerFactory, sample_form


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FORMS / "examples" / f"{name}.json").read_text("utf-8"))
    return data


def text_field(runner: FormRunner, key: str) -> TextField:
    widget = runner.fields[key]
    assert isinstance(widget, TextField)
    return widget


def attachments(runner: FormRunner, key: str = "attachments") -> AttachmentsField:
    widget = runner.fields[key]
    assert isinstance(widget, AttachmentsField)
    return widget


def test_typing_is_autosaved_after_a_pause(
    qtbot: QtBot, make_runner: RunnerFactory, store: Store
) -> None:
    runner = make_runner("it-support")
    assert runner.draft_id is None and store.draft_count() == 0
    with qtbot.waitSignal(runner.draft_saved, timeout=2000) as saved:
        qtbot.keyClicks(text_field(runner, "email").edit, "ada@example.com")
        assert store.draft_count() == 0  # debounced: nothing written per keystroke
    draft_id = saved.args[0]
    assert runner.draft_id == draft_id
    assert store.draft(draft_id).answers == {"email": "ada@example.com", "urgency": "normal"}
    with qtbot.waitSignal(runner.draft_saved, timeout=2000) as again:
        qtbot.keyClicks(text_field(runner, "name").edit, "Ada")
    assert again.args[0] == draft_id  # the same draft, updated
    assert store.draft_count() == 1
    assert store.draft(draft_id).answers["name"] == "Ada"


def test_a_draft_restores_by_id_and_by_load_answers(
    qtbot: QtBot, make_runner: RunnerFactory, store: Store
) -> None:
    answers = example("it-support")
    draft_id = store.save_draft(sample_form("it-support"), answers)
    restored = make_runner("it-support", draft_id=draft_id)
    assert restored.draft_id == draft_id
    assert restored.answers()["serial"] == "PF3X9K2L"
    assert restored.fields["serial"].isVisibleTo(restored.pages[1])  # conditions re-applied
    fresh = make_runner("it-support")
    fresh.load_answers(store.draft(draft_id).answers)
    for runner in (restored, fresh):
        got = runner.answers()
        assert [b["data"] for b in got.pop("details")["blocks"]] == [
            b["data"] for b in answers["details"]["blocks"]
        ]
        assert got == {k: v for k, v in answers.items() if k != "details"}
    qtbot.wait(80)
    assert fresh.draft_id is None  # loading is not an edit: no second draft
    assert store.draft_count() == 1


def test_closing_saves_pending_changes(make_runner: RunnerFactory, store: Store) -> None:
    runner = make_runner("it-support", autosave_ms=60_000)
    text_field(runner, "name").set_value("Ada")
    assert store.draft_count() == 0
    runner.close()
    assert runner.draft_id is not None
    assert store.draft(runner.draft_id).answers["name"] == "Ada"


def test_a_missing_draft_is_said_inline(make_runner: RunnerFactory) -> None:
    runner = make_runner("it-support", draft_id="gone")
    assert "no longer exists" in runner.message()
    assert runner.draft_id is None


def test_review_shows_the_exact_ticket_body(make_runner: RunnerFactory) -> None:
    runner = make_runner("it-support")
    runner.load_answers(example("it-support"))
    assert runner.go_review()
    shown = json.loads(runner.review.json_view.toPlainText())
    expected = build_tickets(runner.form, runner.answers())
    assert shown == [ticket.to_request() for ticket in expected]
    assert runner.review.json_view.isReadOnly()
    assert ("Your e-mail address", "ada.lovelace@example.com") in runner.review.preview.answers  # type: ignore[union-attr]
    assert ("What is it about?", "Hardware (laptop, screen, printer, …)") in (
        runner.review.preview.answers  # type: ignore[union-attr]
    )
    views = runner.review.rich_views()
    assert len(views) == 1
    assert "black screen" in views[0].toPlainText()


def test_send_queues_the_answers_and_removes_the_draft(
    qtbot: QtBot, make_runner: RunnerFactory, store: Store
) -> None:
    runner = make_runner("walk-in-intake")
    with qtbot.waitSignal(runner.draft_saved, timeout=2000):
        runner.load_answers(example("walk-in-intake"))
        qtbot.keyClicks(text_field(runner, "name").edit, " Jr")
    draft_id = runner.draft_id
    assert draft_id is not None
    answers = runner.answers()
    assert runner.go_review()
    with qtbot.waitSignal(runner.queued, timeout=1000) as queued:
        qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
    record = store.submission(queued.args[0])
    assert record.status is Status.QUEUED and record.profile == "acme"
    assert record.answers == answers
    assert record.draft_id == draft_id
    with pytest.raises(NotFound):
        store.draft(draft_id)
    # Ready for the next ticket: empty, first page, no draft, and none comes back.
    assert runner.answers() == {} and runner.current_page() == 0
    assert runner.draft_id is None
    assert "Queued" in runner.message()
    qtbot.wait(80)
    assert store.draft_count() == 0


def test_send_copies_attachments_into_the_store(
    qtbot: QtBot, make_runner: RunnerFactory, store: Store, tmp_path: Path
) -> None:
    shot = tmp_path / "screen.png"
    shot.write_bytes(b"\x89PNG fake")
    runner = make_runner("it-support")
    runner.load_answers(example("it-support"))
    attachments(runner).add_files([shot])
    shot.unlink()  # copied when attached: the original may go
    assert runner.go_review()
    body = json.loads(runner.review.json_view.toPlainText())
    assert body[0]["sys_attachments"] == [{"id": "(uploaded when sent: screen.png)"}]
    submission_id = runner.send()
    assert submission_id is not None
    record = store.submission(submission_id)
    assert [(link.name, link.size) for link in record.attachments] == [("screen.png", 9)]
    sent = record.answers_with_attachments()["attachments"]
    assert sent[0]["path"] == stored_attachment_path(record.attachments[0].sha256)


def test_restored_draft_keeps_its_stored_files(
    qtbot: QtBot, make_runner: RunnerFactory, store: Store, tmp_path: Path
) -> None:
    log = tmp_path / "app.log"
    log.write_text("boom")
    runner = make_runner("it-support")
    with qtbot.waitSignal(runner.draft_saved, timeout=2000):
        attachments(runner).add_files([log])
    assert runner.draft_id is not None
    again = make_runner("it-support", draft_id=runner.draft_id)
    assert attachments(again).model.index(0).data().startswith("app.log\n4 bytes · ")
    again.load_answers({**example("it-support"), **again.answers()})
    submission_id = again.send()
    assert submission_id is not None
    assert [link.name for link in store.submission(submission_id).attachments] == ["app.log"]


def test_too_many_files_are_refused_with_a_message(
    make_runner: RunnerFactory, tmp_path: Path
) -> None:
    runner = make_runner("it-support")
    paths = []
    for number in range(6):
        path = tmp_path / f"shot{number}.png"
        path.write_bytes(b"png")
        paths.append(path)
    problems = attachments(runner).add_files([*paths, tmp_path / "virus.exe"])
    assert len(attachments(runner).value() or []) == 5
    assert problems[0] == "'shot5.png' was not added: you can attach at most 5 file(s)."
    assert "virus.exe" in attachments(runner).notice_text()


def test_store_errors_show_inline_and_keep_the_draft(
    qtbot: QtBot, store: Store, make_runner: RunnerFactory
) -> None:
    runner = FormRunner(sample_form("walk-in-intake"), store, "nobody", autosave_ms=30)
    qtbot.addWidget(runner)
    with qtbot.waitSignal(runner.draft_saved, timeout=2000):
        runner.load_answers(example("walk-in-intake"))
        runner.fields["phone"].set_value("+1 555 0199")
    with qtbot.assertNotEmitted(runner.queued):
        assert runner.send() is None
    assert runner.message().startswith("Not queued: There is no tenant profile named 'nobody'")
    assert runner.is_reviewing()
    assert store.draft_count() == 1 and store.submission_count() == 0


def test_review_shows_where_the_submission_id_goes(
    make_runner: RunnerFactory, store: Store
) -> None:
    record = store.profile("acme")
    store.save_profile(
        record.profile, settings=DeliverySettings(ticket_uuid_property="deskforms_uuid")
    )
    runner = make_runner("walk-in-intake")
    runner.load_answers(example("walk-in-intake"))
    assert runner.go_review()
    body = json.loads(runner.review.json_view.toPlainText())
    assert body[0]["deskforms_uuid"] == "(the submission id, given when queued)"
