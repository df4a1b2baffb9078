"""The page against the real sandbox over loopback: Test connection, form import, sandbox controls."""

# pytest-qt's QtBot and ModelTester methods carry no annotations.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.form.loading import parse_form
from desktop_app.gui.context import AppContext
from desktop_app.gui.profiles.page import ProfilesPage
from desktop_app.sandbox import Fault, SandboxServer
from tests.gui.profiles.conftest import run


async def _done(start: Callable[[], asyncio.Task[None] | None]) -> None:
    """Start the work on the running loop (as a click would) and wait for it."""
    task = start()
    assert task is not None, "the work did not start"
    await task


def test_test_connection_reports_ok_with_the_round_trip_time(
    qtbot: QtBot, qasync_runner: asyncio.Runner, make_page: Any, live_context: AppContext
) -> None:
    page: ProfilesPage = make_page(live_context)
    page.connection.form_key.setText("it-support")

    async def click() -> None:
        qtbot.mouseClick(page.connection.test_button, Qt.MouseButton.LeftButton)
        assert page.connection.message().startswith("Testing http://127.0.0.1:")
        await page.connection.slot.wait()

    run(qasync_runner, click())
    message = page.connection.message()
    assert message.startswith("OK: tenant 'demo' answers on API v1 in ")
    assert message.endswith("ms; form 'it-support' found (6 fields).")


def test_test_connection_checks_the_profile_as_typed(
    qasync_runner: asyncio.Runner, make_page: Any, live_context: AppContext
) -> None:
    page: ProfilesPage = make_page(live_context)
    page.editor.tenant.setText("acme")  # not saved: the check uses what is typed
    run(qasync_runner, _done(page.connection.test))
    assert page.connection.message().startswith("Tenant 'acme' was not found at http://127.0.0.1:")

    page.editor.api_version.setText("9")
    page.editor.tenant.setText("demo")
    run(qasync_runner, _done(page.connection.test))
    assert page.connection.message().startswith("API version 9 is not supported by tenant 'demo'")

    page.editor.tenant.setText("x")
    assert page.connection.test() is None
    assert (
        page.connection.message() == "Fix the problems shown in the profile first, then test again."
    )
    assert page.editor.error_labels["tenant"].isVisibleTo(page)


def test_a_stored_form_is_imported_into_the_forms_folder(
    qtbot: QtBot, qasync_runner: asyncio.Runner, make_page: Any, live_context: AppContext
) -> None:
    page: ProfilesPage = make_page(live_context)
    page.importer.form_key.setText("bug-report")
    page.importer.language.setText("en")

    async def click() -> None:
        with qtbot.waitSignal(page.form_imported) as blocker:
            qtbot.mouseClick(page.importer.import_button, Qt.MouseButton.LeftButton)
            await page.importer.slot.wait()
        seen.append(blocker.args[0])

    seen: list[Path] = []
    run(qasync_runner, click())
    path = live_context.forms_dir / "bug-report.json"
    assert seen == [path]
    form = parse_form(path.read_text(encoding="utf-8"), path.name)
    assert form.id == "bug-report" and form.target.form == "bug-report"
    assert len(form.fields) == 12 and form.version == 1
    assert page.importer.message() == (
        "Imported 'Bug report' with 12 fields as bug-report.json. Nothing was left out."
    )

    # Importing again makes the next version of the same form, in the same file.
    run(qasync_runner, _done(page.importer.start_import))
    assert parse_form(path.read_text(encoding="utf-8"), path.name).version == 2
    assert page.importer.message().startswith("Updated (version 2) 'Bug report'")


def test_a_form_built_from_field_keys_is_imported(
    qasync_runner: asyncio.Runner, make_page: Any, live_context: AppContext
) -> None:
    page: ProfilesPage = make_page(live_context)
    page.importer.source.setCurrentIndex(1)
    assert page.importer.field_keys.isEnabled()
    page.importer.form_key.setText("it-support")
    page.importer.field_keys.setText("subject, category serial")
    run(qasync_runner, _done(page.importer.start_import))
    data = json.loads((live_context.forms_dir / "it-support.json").read_text(encoding="utf-8"))
    keys = [item["key"] for item in data["pages"][0]["items"]]
    assert keys == ["subject", "category", "serial"]
    assert data["title"] == "It support (built from fields)"


def test_import_errors_are_told_plainly_and_write_nothing(
    qasync_runner: asyncio.Runner, make_page: Any, live_context: AppContext
) -> None:
    page: ProfilesPage = make_page(live_context)
    page.importer.form_key.setText("retired-form")
    run(qasync_runner, _done(page.importer.start_import))
    assert page.importer.message().startswith(
        "Could not load the form 'retired-form': DeskHero refused the request (403 Forbidden)"
    )
    page.importer.source.setCurrentIndex(1)
    page.importer.field_keys.setText("internal_notes")
    run(qasync_runner, _done(page.importer.start_import))
    assert "The field 'internal_notes' is not allowed in external forms" in page.importer.message()
    page.importer.field_keys.clear()
    assert page.importer.start_import() is None
    assert page.importer.message() == "Enter the field keys the form is built from."
    page.importer.form_key.clear()
    page.importer.source.setCurrentIndex(0)
    run(qasync_runner, _done(page.importer.start_import))
    assert page.importer.message().startswith("Enter the form key")
    assert not live_context.forms_dir.exists() or not any(live_context.forms_dir.iterdir())


def test_sandbox_controls_show_only_for_the_running_sandbox_profile(
    qasync_runner: asyncio.Runner, make_page: Any, live_context: AppContext
) -> None:
    page: ProfilesPage = make_page(live_context)
    panel = page.sandbox_panel
    assert panel is not None and panel.isVisibleTo(page)
    live_context.store.save_profile(
        live_context.store.profile("sandbox").profile.model_copy(update={"name": "other"})
    )
    page.list_view.setCurrentIndex(page.model.index(page.model.row_of("other") or 0))
    assert not panel.isVisibleTo(page)


def test_sandbox_faults_and_latency_are_applied_over_http(
    qtbot: QtBot,
    qasync_runner: asyncio.Runner,
    make_page: Any,
    live_context: AppContext,
    sandbox: SandboxServer,
) -> None:
    page: ProfilesPage = make_page(live_context)
    panel = page.sandbox_panel
    assert panel is not None

    async def act() -> None:
        panel.count.setValue(2)
        panel.retry_after.setValue(5)
        qtbot.mouseClick(panel.fail_503_button, Qt.MouseButton.LeftButton)
        await panel.wait()
        assert panel.status_text() == (
            "Pending faults: 503 (Retry-After 5 s) ×2 on tickets. Sandbox tickets: 0."
            " Latency: 0 ms."
        )
        panel.until_cleared.setChecked(True)
        assert not panel.count.isEnabled()
        panel.retry_after.setValue(0)
        panel.route.setCurrentText("forms")
        qtbot.mouseClick(panel.rate_limit_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.drop_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.slow_button, Qt.MouseButton.LeftButton)
        await panel.wait()
        panel.latency.setValue(250)
        qtbot.mouseClick(panel.apply_latency_button, Qt.MouseButton.LeftButton)
        await panel.wait()

    run(qasync_runner, act())
    assert sandbox.state.faults.pending() == [
        Fault(kind="status", status=503, retry_after=5, count=2, route="tickets"),
        Fault(kind="status", status=429, count=0, route="forms"),
        Fault(kind="drop", count=0, route="forms"),
        Fault(kind="slow", delay_ms=5000, count=0, route="forms"),
    ]
    assert sandbox.state.latency_ms == 250
    assert panel.status_text() == (
        "Pending faults: 503 (Retry-After 5 s) ×2 on tickets; 429 until cleared on forms;"
        " drop until cleared on forms; slow 5000 ms until cleared on forms."
        " Sandbox tickets: 0. Latency: 250 ms."
    )

    async def clear() -> None:
        qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
        await panel.wait()

    run(qasync_runner, clear())
    assert sandbox.state.faults.pending() == []
    assert panel.status_text() == "Pending faults: none. Sandbox tickets: 0. Latency: 250 ms."
    sandbox.state.latency_ms = 0


def test_the_sandbox_status_counts_its_tickets(
    qasync_runner: asyncio.Runner, make_page: Any, live_context: AppContext, sandbox: SandboxServer
) -> None:
    import httpx

    ticket = {
        "subject": "Printer jam",
        "requester": {"email": "ada@example.com", "name": "Ada"},
        "category": {"id": 102},
        "sys_content_rich": {
            "editorjs": {"blocks": [{"type": "paragraph", "data": {"text": "Hi"}}]}
        },
    }
    created = httpx.post(
        sandbox.api_url("tickets/external_dynamic_form"),
        params={"form": "it-support"},
        json=[ticket],
    )
    assert created.status_code == 200, created.text
    page: ProfilesPage = make_page(live_context)
    assert page.sandbox_panel is not None
    run(qasync_runner, _done(page.sandbox_panel.refresh))
    assert "Sandbox tickets: 1." in page.sandbox_panel.status_text()
