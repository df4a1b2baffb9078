"""Fix answers and resend, and autosend off, in the running app against the sandbox tenant.

Here rather than in tests/gui/results/: a run of the whole app (serve) followed in the same
process by the runner tests crashes in garbage collection (it does with test_end_to_end.py too),
so the app-level runs stay after tests/gui/runner/ in collection order.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from desktop_app.cli.paths import SAMPLE_FORMS_DIR
from desktop_app.core.form.model import Form
from desktop_app.core.settings import AppSettings
from desktop_app.gui.app import DeskFormsApp, serve
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.results.view import ResultsView
from desktop_app.gui.runner.fields import TextField
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.outbox import EngineSettings
from desktop_app.outbox.backoff import BackoffSettings
from desktop_app.store import Status
from desktop_app.store.settings_file import save_settings
from tests.gui.conftest import sample_answers, sample_form, until
from tests.gui.results.test_fix import row_of


def _lenient_form() -> Form:
    """it-support without the serial number's pattern: only the tenant checks it."""
    form = sample_form()
    data = form.model_dump(mode="json", by_alias=True, exclude_none=True)
    for page in data["pages"]:
        for item in page["items"]:
            if item.get("key") == "serial":
                item.pop("pattern", None)
                item.pop("pattern_message", None)
    return Form.model_validate(data)


FAST = EngineSettings(backoff=BackoffSettings(base=0.05, factor=1.5, cap=0.2, minimum=0.01))


def test_a_rejected_ticket_is_fixed_and_resent_through_the_sandbox(
    qtbot: QtBot, qasync_runner: asyncio.Runner, tmp_path: Path
) -> None:
    data = tmp_path / "app"
    attachment = tmp_path / "photo.txt"
    attachment.write_text("the sticker\n", encoding="utf-8")
    seen: dict[str, Any] = {}

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None and context.sandbox is not None
        store = context.store
        answers = sample_answers()
        answers["serial"] = "pf3x 9k2l"  # the tenant wants capitals and digits only
        stored = store.attachments.add_file(attachment)
        sid = store.queue_submission(
            _lenient_form(), answers, "sandbox", attachments={"attachments": [stored]}
        )
        await until(lambda: store.submission(sid).status is Status.REJECTED)
        assert context.sandbox.state.tickets == []

        results = window.page_widget("outbox")
        assert isinstance(results, ResultsView)
        window.show_page("outbox")
        await until(lambda: results.model.row_of(sid) is not None)
        results.select_submissions([sid])
        results.row_actions.fix_answers.trigger()

        runner = window.page_widget("forms")
        assert isinstance(runner, FormRunner) and runner.replaces == sid
        serial = runner.field_widget("serial")
        seen["error"] = serial.error()
        seen["message"] = runner.message()
        assert isinstance(serial, TextField)
        serial.edit.setText("PF3X9K2L")
        assert serial.error() is None
        copy = runner.send()
        assert copy is not None, runner.message()

        await until(lambda: store.submission(copy).status is Status.ACCEPTED)
        await until(lambda: row_of(results, sid).status is Status.CANCELLED)
        seen["original"] = row_of(results, sid).last_message
        seen["copy"] = store.submission(copy).ticket_id
        seen["tickets"] = [
            (t["serial"], len(t.get("sys_attachments") or []))
            for t in context.sandbox.state.tickets
        ]
        seen["short"] = copy[:8]
        window.close()

    assert qasync_runner.run(serve(data, on_ready=on_ready, engine_settings=FAST)) == 0
    assert seen["error"] == "A serial number is 8 to 12 capital letters or digits."
    assert seen["message"].startswith("DeskHero rejected this ticket")
    assert seen["original"] == f"Replaced by a corrected ticket (submission {seen['short']})."
    assert seen["copy"] == 1001
    assert seen["tickets"] == [("PF3X9K2L", 1)]  # one ticket, with its file; nothing twice


def test_with_autosend_off_nothing_leaves_until_send_now(
    qtbot: QtBot, qasync_runner: asyncio.Runner, tmp_path: Path
) -> None:
    data = tmp_path / "app"
    save_settings(data, AppSettings(autosend=False))
    seen: dict[str, Any] = {}

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None and context.sandbox is not None
        window.open_form_file(SAMPLE_FORMS_DIR / "it-support.json")
        runner = window.page_widget("forms")
        assert isinstance(runner, FormRunner)
        runner.load_answers(sample_answers())
        sid = runner.send()
        assert sid is not None, runner.message()
        seen["queued message"] = runner.message()
        await asyncio.sleep(0.5)  # the engine had every chance to send it
        seen["held"] = (context.store.submission(sid).status, context.sandbox.state.tickets)

        results = window.page_widget("outbox")
        assert isinstance(results, ResultsView)
        await until(lambda: results.model.row_of(sid) is not None)
        results.select_submissions([sid])
        results.row_actions.send_now.trigger()
        await until(lambda: context.store.submission(sid).status is Status.ACCEPTED)
        seen["ticket"] = context.store.submission(sid).ticket_id
        window.close()

    assert qasync_runner.run(serve(data, on_ready=on_ready, engine_settings=FAST)) == 0
    assert "until you press Send now" in seen["queued message"]
    assert seen["held"] == (Status.QUEUED, [])
    assert seen["ticket"] == 1001
