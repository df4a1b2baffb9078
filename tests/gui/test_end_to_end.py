"""The whole desktop app as a user meets it: open a sample form, fill it, send, see the result."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.cli.paths import SAMPLE_FORMS_DIR
from desktop_app.gui.app import DeskFormsApp, serve
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.results.view import ResultsView
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.outbox import EngineSettings
from desktop_app.outbox.backoff import BackoffSettings
from desktop_app.sandbox.faults import Fault
from desktop_app.store import Status
from tests.gui.conftest import sample_answers


async def _until(condition: object, timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_fill_send_fail_retry_and_accept_in_the_window(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path, tmp_path: Path
) -> None:
    attachment = tmp_path / "error.log"
    attachment.write_text("disk full\n", encoding="utf-8")
    seen: dict[str, object] = {}

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None and context.sandbox is not None
        window.open_form_file(SAMPLE_FORMS_DIR / "it-support.json")
        runner = window.page_widget("forms")
        assert isinstance(runner, FormRunner)
        answers = sample_answers()
        answers["attachments"] = [str(attachment)]
        runner.load_answers(answers)

        # First send goes through; the results view shows it accepted with its ticket id.
        first = runner.send()
        assert first is not None, runner.message()
        results = window.page_widget("outbox")
        assert isinstance(results, ResultsView)
        await _until(lambda: context.store.submission(first).status is Status.ACCEPTED)
        await _until(lambda: results.model.row_of(first) is not None)
        await _until(lambda: results.model.row_at(results.model.row_of(first)).ticket_id)
        row = results.model.row_at(results.model.row_of(first))
        seen["first"] = (row.status, row.ticket_id)
        seen["attachments"] = len(context.sandbox.state.tickets[0]["sys_attachments"])

        # With a 503 fault switched on, the next send fails, retries by itself, and is
        # accepted once the fault is cleared.
        context.sandbox.state.faults.add(Fault(kind="status", status=503, retry_after=0, count=0))
        runner.load_answers(sample_answers())
        second = runner.send()
        assert second is not None, runner.message()
        await _until(lambda: context.store.submission(second).status is Status.FAILED)
        seen["failed_row"] = results.model.row_at(results.model.row_of(second)).status
        context.sandbox.state.faults.clear()
        await _until(lambda: context.store.submission(second).status is Status.ACCEPTED)
        seen["second"] = context.store.submission(second).ticket_id
        window.close()

    fast = EngineSettings(backoff=BackoffSettings(base=0.05, factor=1.5, cap=0.2, minimum=0.01))
    assert qasync_runner.run(serve(data_dir, on_ready=on_ready, engine_settings=fast)) == 0
    assert seen["first"] == (Status.ACCEPTED, 1001)
    assert seen["attachments"] == 1
    assert seen["failed_row"] is Status.FAILED
    assert seen["second"] == 1002
