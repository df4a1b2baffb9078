"""What the store hands out: statuses and frozen records of profiles, drafts, submissions, attempts."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from desktop_app.core.dto import Ticket
from desktop_app.core.form.model import Form
from desktop_app.core.profile import TenantProfile

# What a custom ticket property may be called (the form format's unique-key rule).
_PROPERTY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
STORED_ATTACHMENT_PREFIX = "sha256:"


class Status(StrEnum):
    """Where a submission is in its life (see the outbox issue)."""

    QUEUED = "queued"
    SENDING = "sending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    CANCELLED = "cancelled"


class Resolution(StrEnum):
    """What the operator decided for an uncertain (or rejected) submission."""

    ARRIVED = "arrived"
    RESENT = "resent"
    DISCARDED = "discarded"


def to_text(moment: datetime) -> str:
    """Fixed-width UTC text that sorts like the moments it stands for.

    '2026-05-01T09:30:00.000000Z' (strftime's %Y-%m-%dT%H:%M:%S.%fZ).
    """
    if moment.tzinfo is None:
        raise ValueError("use a timezone-aware datetime (e.g. datetime.now(UTC)), not a naive one")
    # isoformat is several times faster than strftime and gives the same text here.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_text(text: str) -> datetime:
    """The aware UTC datetime `to_text` wrote."""
    # fromisoformat reads this format ~20x faster than strptime; lists and the engine read
    # several timestamps per row.
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def optional_time(text: str | None) -> datetime | None:
    return None if text is None else from_text(text)


@dataclass(frozen=True)
class DeliverySettings:
    """How the engine delivers to one profile."""

    concurrency: int = 4
    # Several tickets in one request (the body is an array) when the tenant allows it.
    batching: bool = False
    # The custom ticket property that carries the submission UUID; None sends no UUID.
    ticket_uuid_property: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.concurrency, bool) or not 1 <= self.concurrency <= 64:
            raise ValueError("concurrency must be a whole number from 1 to 64")
        prop = self.ticket_uuid_property
        if prop is not None and not _PROPERTY_NAME.match(prop):
            raise ValueError(
                f"ticket_uuid_property {prop!r} is not a property name: use letters, digits and _"
            )


@dataclass(frozen=True)
class ProfileRecord:
    """A saved tenant profile with its delivery settings and queue state."""

    profile: TenantProfile
    settings: DeliverySettings
    paused_reason: str | None
    created: datetime
    updated: datetime

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def paused(self) -> bool:
        return self.paused_reason is not None


@dataclass(frozen=True)
class AttachmentLink:
    """One stored file attached to a field of a draft or submission."""

    field_key: str
    position: int
    sha256: str
    name: str
    size: int
    mime: str

    @property
    def answer_path(self) -> str:
        """How the file appears in `answers_with_attachments` (and in build_tickets' ids map)."""
        return stored_attachment_path(self.sha256)


def stored_attachment_path(sha256: str) -> str:
    """The `path` an answer uses for a stored file: map it to the uploaded id when building."""
    return STORED_ATTACHMENT_PREFIX + sha256


def answers_with_attachments(
    answers: Mapping[str, Any], links: Sequence[AttachmentLink]
) -> dict[str, Any]:
    """The answers with every attachments field that has stored files pointing at those copies.

    For such a field, items already uploaded ({"id": n}) are kept and every item named by
    a path is replaced by the stored copies, in order: the copies are what gets sent.
    """
    result = copy.deepcopy(dict(answers))
    by_field: dict[str, list[AttachmentLink]] = {}
    for link in sorted(links, key=lambda link: (link.field_key, link.position)):
        by_field.setdefault(link.field_key, []).append(link)
    for key, field_links in by_field.items():
        value = result.get(key)
        items = value if isinstance(value, list) else [] if value is None else [value]
        uploaded = [item for item in items if isinstance(item, Mapping) and "id" in item]
        result[key] = uploaded + [
            {"path": link.answer_path, "name": link.name, "size": link.size, "type": link.mime}
            for link in field_links
        ]
    return result


@dataclass(frozen=True)
class DraftRecord:
    """A draft: answers to the exact form version they were typed against."""

    id: str
    form_id: str
    form_version: int
    snapshot_hash: str
    answers: dict[str, Any]
    summary: str
    created: datetime
    updated: datetime
    attachments: tuple[AttachmentLink, ...]
    _load_form: Callable[[str], Form] = field(repr=False, compare=False)
    # The submission this draft corrects: queueing the draft replaces it (see `queue_submission`).
    replaces: str | None = None

    @cached_property
    def form(self) -> Form:
        """The form snapshot (shared and cached by the store: treat it as read-only)."""
        return self._load_form(self.snapshot_hash)

    def answers_with_attachments(self) -> dict[str, Any]:
        return answers_with_attachments(self.answers, self.attachments)


@dataclass(frozen=True)
class SubmissionRecord:
    """A queued form: every column of `submissions`, parsed, plus its attachments."""

    id: str
    profile: str
    form_id: str
    form_version: int
    snapshot_hash: str
    answers: dict[str, Any]
    draft_id: str | None
    summary: str
    status: Status
    resolution: Resolution | None
    created: datetime
    updated: datetime
    queued_at: datetime
    next_attempt_at: datetime | None
    attempt_count: int
    ticket_id: int | None
    ticket_json: str | None
    messages: Any
    last_message: str | None
    attachments: tuple[AttachmentLink, ...]
    _load_form: Callable[[str], Form] = field(repr=False, compare=False)

    @property
    def idempotency_key(self) -> str:
        """The submission id: the same key on every attempt, so a resend is not a duplicate."""
        return self.id

    @cached_property
    def form(self) -> Form:
        """The form exactly as it was when the submission was queued (read-only, shared)."""
        return self._load_form(self.snapshot_hash)

    @cached_property
    def ticket(self) -> Ticket | None:
        """The ticket DeskHero returned, when it was accepted and returned one."""
        return None if self.ticket_json is None else Ticket.model_validate_json(self.ticket_json)

    def answers_with_attachments(self) -> dict[str, Any]:
        return answers_with_attachments(self.answers, self.attachments)


@dataclass(frozen=True)
class AttemptRecord:
    """One try at sending a submission; the outcome fields stay None while it is in flight."""

    id: int
    submission_id: str
    started_at: datetime
    duration_ms: int | None
    http_status: int | None
    outcome_kind: str | None
    message: str | None
    outcome_json: str | None

    @property
    def finished(self) -> bool:
        return self.outcome_kind is not None
