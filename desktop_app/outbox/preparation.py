"""Getting one submission ready to send: its files uploaded once, its tickets built from the snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from desktop_app.api.client import ApiError, DeskHeroClient
from desktop_app.api.outcomes import Outcome
from desktop_app.core.dto import Ticket
from desktop_app.core.form.mapping import AnswersInvalid, AttachmentsNotUploaded, build_tickets
from desktop_app.outbox.messages import FieldMessage
from desktop_app.store import NotFound, ProfileRecord, Store, SubmissionRecord


class NotReady(Exception):
    """The submission cannot be sent as it is: it is rejected without leaving this machine."""

    def __init__(self, message: str, messages: tuple[FieldMessage, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.messages = messages
        # True when the trouble is on this machine and may pass: retry later, do not reject.
        self.retry = False


@dataclass(frozen=True)
class UploadFailed:
    """An upload that did not go through; `outcome` says why (and whether to retry)."""

    outcome: Outcome
    message: str


@dataclass
class Item:
    """A submission on its way: the tickets to send and, once marked sending, its attempt id."""

    record: SubmissionRecord
    tickets: list[Ticket] = field(default_factory=list)
    attempt_id: int = 0

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def attempt(self) -> int:
        """The number of this try (1 for the first)."""
        return self.record.attempt_count + 1


def missing_uploads(store: Store, record: SubmissionRecord, profile: str) -> list[str]:
    """SHA-256 of the submission's files that have no DeskHero id for this profile yet."""
    missing: list[str] = []
    for link in record.attachments:
        if link.sha256 not in missing and store.uploaded_id(link.sha256, profile) is None:
            missing.append(link.sha256)
    return missing


def build(store: Store, record: SubmissionRecord, profile: ProfileRecord) -> list[Ticket]:
    """The tickets of a submission, from the form version it was filled with; NotReady if none."""
    ids: dict[str, int] = {}
    for link in record.attachments:
        uploaded = store.uploaded_id(link.sha256, profile.name)
        if uploaded is not None:
            ids[link.answer_path] = uploaded
    try:
        tickets = build_tickets(record.form, record.answers_with_attachments(), attachment_ids=ids)
    except AnswersInvalid as error:
        messages = tuple(
            FieldMessage(text=text, ticket_index=0, field_key=key)
            for key, texts in error.result.errors.items()
            for text in texts
        )
        first = messages[0].located() if messages else str(error)
        raise NotReady(
            f"Not sent: the answers need fixing ({first}). Correct them and send again.",
            messages,
        ) from None
    except AttachmentsNotUploaded:
        raise NotReady(
            "Not sent: some files are not uploaded yet, and a ticket is never sent without its"
            " files. Send it again."
        ) from None
    except ValueError as error:
        raise NotReady(f"Not sent: the ticket cannot be built ({error}).") from None
    prop = profile.settings.ticket_uuid_property
    if prop:
        # The submission id lets DeskHero staff (or a lookup) find a ticket that may have arrived.
        tickets = [ticket.model_copy(update={prop: record.id}) for ticket in tickets]
    return tickets


async def upload_missing(
    store: Store, client: DeskHeroClient, record: SubmissionRecord, profile: ProfileRecord
) -> UploadFailed | None:
    """Upload every file of the submission this profile has no id for, recording each id at once.

    A retry finds the ids already recorded, so no file is uploaded twice. Raises NotReady when
    files cannot be sent at all (no upload step, or the stored copy is gone).
    """
    missing = missing_uploads(store, record, profile.name)
    if not missing:
        return None
    if profile.profile.upload is None:
        raise NotReady(
            f"Not sent: the profile '{profile.name}' has no attachment upload step, and a ticket"
            " is never sent without its files. Set one in the profile and send again, or remove"
            " the files."
        )
    links: Mapping[str, tuple[str, str]] = {
        link.sha256: (link.name, link.mime) for link in record.attachments
    }
    for sha256 in missing:
        name, mime = links[sha256]
        try:
            # Reading a large file must not hold up the event loop.
            data = await asyncio.to_thread(store.attachments.read_bytes, sha256)
        except NotFound as error:
            raise NotReady(f"Not sent: {error}") from None
        try:
            uploaded = await client.upload_attachment(data, name, mime)
        except ApiError as error:
            return UploadFailed(outcome=error.outcome, message=error.user_message)
        if uploaded.id is not None:
            store.record_upload(sha256, profile.name, uploaded.id)
    return None


async def prepare(
    store: Store, client: DeskHeroClient, record: SubmissionRecord, profile: ProfileRecord
) -> list[Ticket] | NotReady | UploadFailed:
    """Upload what is missing, then build the tickets; or why the submission cannot go now."""
    try:
        failure = await upload_missing(store, client, record, profile)
        return failure if failure is not None else build(store, record, profile)
    except NotReady as problem:
        return problem
