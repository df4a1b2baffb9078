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
from tests.gui.conftest import sample_answers, until


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
        await until(lambda: context.store.submission(first).status is Status.ACCEPTED)
        await until(lambda: results.model.row_of(first) is not None)
        await until(lambda: results.model.row_at(results.model.row_of(first)).ticket_id)
        row = results.model.row_at(results.model.row_of(first))
        seen["first"] = (row.status, row.ticket_id)
        seen["attachments"] = len(context.sandbox.state.tickets[0]["sys_attachments"])

        # With a 503 fault switched on, the next send fails, retries by itself, and is
        # accepted once the fault is cleared.
        context.sandbox.state.faults.add(Fault(kind="status", status=503, retry_after=0, count=0))
        runner.load_answers(sample_answers())
        second = runner.send()
        assert second is not None, runner.message()
        await until(lambda: context.store.submission(second).status is Status.FAILED)
        seen["failed_row"] = results.model.row_at(results.model.row_of(second)).status
        context.sandbox.state.faults.clear()
        await until(lambda: context.store.submission(second).status is Status.ACCEPTED)
        seen["second"] = context.store.submission(second).ticket_id
        window.close()

    fast = EngineSettings(backoff=BackoffSettings(base=0.05, factor=1.5, cap=0.2, minimum=0.01))
    assert qasync_runner.run(serve(data_dir, on_ready=on_ready, engine_settings=fast)) == 0
    assert seen["first"] == (Status.ACCEPTED, 1001)
    assert seen["attachments"] == 1
    assert seen["failed_row"] is Status.FAILED
    assert seen["second"] == 1002


def test_the_readme_walkthrough_with_the_sandbox_controls(
    qtbot: QtBot, qasync_runner: asyncio.Runner, data_dir: Path, tmp_path: Path
) -> None:
    """Done-when of the workspace issue, through the controls a user touches: the library,
    the Review and Send buttons, and the Sandbox profile's fault buttons on the Profiles page."""
    from PySide6.QtCore import Qt

    from desktop_app.gui.profiles import ProfilesPage

    attachment = tmp_path / "screenshot.txt"
    attachment.write_text("printer says PC LOAD LETTER\n", encoding="utf-8")
    seen: dict[str, object] = {}

    async def fill_and_send(window: MainWindow) -> str:
        # The library: select the IT support form and press Enter.
        library = window.library
        window.show_page("forms")
        rows = [e.path.name for e in library.model.entries()]
        library.view.setCurrentIndex(library.model.index(rows.index("it-support.json"), 0))
        library.view.setFocus()
        qtbot.keyClick(library.view, Qt.Key.Key_Return)
        runner = window.page_widget("forms")
        assert isinstance(runner, FormRunner)
        answers = sample_answers()
        answers["attachments"] = [str(attachment)]
        runner.load_answers(answers)
        qtbot.mouseClick(runner.review_button, Qt.MouseButton.LeftButton)
        assert runner.is_reviewing(), runner.message()
        sent: list[str] = []
        runner.queued.connect(sent.append)
        qtbot.mouseClick(runner.send_button, Qt.MouseButton.LeftButton)
        assert sent, runner.message()
        return sent[0]

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None and context.sandbox is not None
        results = window.page_widget("outbox")
        assert isinstance(results, ResultsView)

        first = await fill_and_send(window)
        await until(lambda: context.store.submission(first).status is Status.ACCEPTED)
        window.show_page("outbox")
        await until(lambda: results.model.row_of(first) is not None)
        await until(lambda: results.model.row_at(results.model.row_of(first)).ticket_id)
        seen["first"] = results.model.row_at(results.model.row_of(first)).ticket_id

        # Profiles page, Sandbox profile: keep failing with 503 until cleared.
        window.show_page("profiles")
        profiles = window.page_widget("profiles")
        assert isinstance(profiles, ProfilesPage)
        panel = profiles.sandbox_panel
        assert panel is not None and panel.isVisibleTo(profiles)
        panel.until_cleared.setChecked(True)
        qtbot.mouseClick(panel.fail_503_button, Qt.MouseButton.LeftButton)
        await panel.wait()
        assert len(context.sandbox.state.faults.pending()) == 1

        second = await fill_and_send(window)
        await until(lambda: context.store.submission(second).attempt_count >= 2)
        seen["failing"] = context.store.submission(second).status
        qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
        await panel.wait()
        await until(lambda: context.store.submission(second).status is Status.ACCEPTED)
        seen["second"] = context.store.submission(second).ticket_id
        seen["tickets"] = len(context.sandbox.state.tickets)
        window.close()

    fast = EngineSettings(backoff=BackoffSettings(base=0.05, factor=1.5, cap=0.2, minimum=0.01))
    assert qasync_runner.run(serve(data_dir, on_ready=on_ready, engine_settings=fast)) == 0
    assert seen["first"] == 1001
    assert seen["failing"] in (Status.FAILED, Status.QUEUED, Status.SENDING)
    assert seen["second"] == 1002
    assert seen["tickets"] == 2  # nothing sent twice
