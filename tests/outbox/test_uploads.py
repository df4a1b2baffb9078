"""Attachments are uploaded first, once, and a ticket never leaves without its files."""

from __future__ import annotations

from pathlib import Path

from desktop_app.outbox import OutboxEngine
from desktop_app.sandbox import Fault, SandboxServer
from desktop_app.store import Status, Store
from tests.outbox.conftest import (
    EngineMaker,
    WireLog,
    answers,
    sample_form,
    sandbox_profile,
    settle,
)

UPLOADS = "/attachments/external"


def queue_with_file(store: Store, tmp_path: Path, content: bytes = b"disk full\n") -> str:
    log = tmp_path / "error.log"
    log.write_bytes(content)
    form = sample_form()
    filled = answers(attachments=[{"path": str(log), "name": "error.log", "size": len(content)}])
    files = store.attachments.import_answers(form, filled)
    return store.queue_submission(form, filled, "sandbox", attachments=files)


def uploaded_files(sandbox: SandboxServer) -> int:
    return len(list((sandbox.data_dir / "attachments").glob("*.bin")))


async def test_files_are_uploaded_then_referenced_by_the_ticket(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, tmp_path: Path
) -> None:
    submission_id = queue_with_file(store, tmp_path)
    (record,) = await settle(engine, submission_id)

    assert record.status is Status.ACCEPTED
    (ticket,) = sandbox.state.tickets
    (attachment,) = ticket["sys_attachments"]
    assert store.uploaded_id(record.attachments[0].sha256, "sandbox") == attachment["id"]


async def test_a_retry_never_uploads_the_same_file_again(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, tmp_path: Path, wire: WireLog
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=500, count=2))
    submission_id = queue_with_file(store, tmp_path)

    (record,) = await settle(engine, submission_id)

    assert record.status is Status.ACCEPTED
    assert record.attempt_count == 3
    assert wire.count(UPLOADS) == 1
    assert uploaded_files(sandbox) == 1


async def test_a_failed_upload_is_retried_before_anything_is_sent(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, tmp_path: Path, wire: WireLog
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=503, route="attachments"))
    submission_id = queue_with_file(store, tmp_path)

    (record,) = await settle(engine, submission_id)

    assert record.status is Status.ACCEPTED
    first, _ = store.attempts(submission_id)
    assert first.outcome_kind == "rate_limited"
    assert "upload" in (first.message or "")
    assert wire.count(UPLOADS) == 2 and wire.count("/tickets/external_dynamic_form") == 1


async def test_without_an_upload_step_the_ticket_is_rejected_unsent(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, tmp_path: Path, wire: WireLog
) -> None:
    submission_id = queue_with_file(store, tmp_path)
    store.save_profile(sandbox_profile(sandbox, upload=None))
    engine = make_engine()
    await engine.start()

    (record,) = await settle(engine, submission_id)

    assert record.status is Status.REJECTED
    assert "no attachment upload step" in (record.last_message or "")
    assert store.attempts(submission_id)[0].outcome_kind == "not_sent"
    assert wire.requests == [] and sandbox.state.tickets == []


async def test_a_missing_stored_copy_is_rejected_unsent(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, tmp_path: Path
) -> None:
    await engine.stop()
    submission_id = queue_with_file(store, tmp_path, b"gone soon")
    store.attachments.path_of(store.submission(submission_id).attachments[0].sha256).unlink()
    await engine.start()

    (record,) = await settle(engine, submission_id)

    assert record.status is Status.REJECTED
    assert "missing" in (record.last_message or "")
    assert sandbox.state.tickets == []
