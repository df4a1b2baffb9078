"""Fix answers and resend: a rejected submission's answers as a new draft, the server's messages
beside the fields they concern; sending the copy replaces the original (see `queue_submission`)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from desktop_app.gui.results.detail import GENERAL, messages_by_field
from desktop_app.gui.results.rows import STATUS_LABELS
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.store import Status, Store, StoredFile, StoreError, SubmissionRecord
from desktop_app.store.transitions import REPLACEABLE

FIX_MESSAGE_KIND = "fix"


@dataclass(frozen=True)
class FixCopy:
    """A draft that corrects `original`: what the runner opens, and what it shows."""

    original: SubmissionRecord
    draft_id: str
    server_errors: dict[str, str]
    notice: str


def server_errors(record: SubmissionRecord) -> tuple[dict[str, str], list[str]]:
    """The server's messages by form field, and those that concern no field (located)."""
    try:
        form = record.form
    except StoreError:
        form = None
    by_field = messages_by_field(record, form)
    general = by_field.pop(GENERAL, [])
    return {key: " ".join(texts) for key, texts in by_field.items()}, general


def fix_notice(record: SubmissionRecord, general: list[str]) -> str:
    """The runner's message line: what was wrong and what sending the copy does."""
    if record.status is Status.REJECTED:
        head = f"DeskHero rejected this ticket (submission {record.id[:8]})."
    else:
        head = f"This ticket could not be sent (submission {record.id[:8]})."
    parts = [head]
    if general:
        parts.extend(general)
    elif record.last_message:
        parts.append(record.last_message)
    parts.append(
        "Correct the answers marked below and send again: this copy replaces the original,"
        " which will not be sent."
    )
    return " ".join(parts)


def fix_copy(store: Store, submission_id: str) -> FixCopy:
    """The draft correcting this rejected or failed submission: the one already begun, or a
    new one with its answers and files. StoreError (one line) when it cannot be fixed."""
    record = store.submission(submission_id)
    if record.status not in REPLACEABLE:
        raise StoreError(
            f"Submission {submission_id[:8]} is {STATUS_LABELS[record.status].lower()}: only"
            " rejected or failed submissions can be fixed and sent again."
        )
    draft_id = store.draft_replacing(submission_id)
    if draft_id is None:
        files: dict[str, list[StoredFile]] = {}
        for link in record.attachments:
            files.setdefault(link.field_key, []).append(
                StoredFile(sha256=link.sha256, name=link.name, size=link.size, mime=link.mime)
            )
        draft_id = store.save_draft(
            record.form, record.answers, attachments=files, replaces=submission_id
        )
    errors, general = server_errors(record)
    return FixCopy(record, draft_id, errors, fix_notice(record, general))


def fix_runner(store: Store, copy: FixCopy, parent: QWidget | None = None) -> FormRunner:
    """A runner on the copy, for the original's form version and profile, errors shown."""
    runner = FormRunner(
        copy.original.form,
        store,
        copy.original.profile,
        parent,
        draft_id=copy.draft_id,
        replaces=copy.original.id,
        server_errors=copy.server_errors,
    )
    runner.message_line.show_message(copy.notice, FIX_MESSAGE_KIND, error=True)
    return runner
