"""Turning a validated ticket draft into the created ticket the tenant answers with."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from desktop_app.core.enums import AttachmentStatus
from desktop_app.sandbox import richtext
from desktop_app.sandbox.catalog import (
    DATA_REFERENCE,
    DATA_REFERENCE_LIST,
    DATA_RICH_TEXT,
    Catalog,
    CatalogField,
)
from desktop_app.sandbox.store import AttachmentRecord
from desktop_app.sandbox.validation import READ_ONLY_KEYS

STATUS_NEW = {"id": 1, "label": "New"}


def attachment_reference(record: AttachmentRecord, download_url: str) -> dict[str, Any]:
    """DTO_reference_attachment of an uploaded file."""
    return {
        "id": record.id,
        "size_kb": math.ceil(record.size / 1024),
        "status": int(AttachmentStatus.OK),
        "status_message": None,
        "download_url": download_url,
        "label": record.name,
    }


class TicketFinisher:
    """Adds the server-assigned parts to a ticket draft (ids, dates, status, labels, previews)."""

    def __init__(
        self,
        catalog: Catalog,
        attachment: Callable[[int], AttachmentRecord | None],
        download_url: Callable[[int], str],
        now: str,
    ) -> None:
        self.catalog = catalog
        self.attachment = attachment
        self.download_url = download_url
        self.now = now

    def __call__(self, draft: dict[str, Any], ticket_id: int) -> dict[str, Any]:
        ticket: dict[str, Any] = {"id": ticket_id}
        for key, value in draft.items():
            if key not in READ_ONLY_KEYS:
                ticket[key] = self.value(key, value)
        ticket.update(
            created=self.now,
            last_updated=self.now,
            created_by=None,
            last_updated_by=None,
            sys_status=dict(STATUS_NEW),
        )
        return ticket

    def value(self, key: str, value: Any) -> Any:
        if value is None:
            return None
        if key == "sys_attachments":
            return [self.attachment_ref(item["id"]) for item in value]
        field = self.catalog.fields.get(key)
        if field is None:
            return value
        if field.data_type == DATA_RICH_TEXT:
            return richtext.derive(value)
        if field.data_type == DATA_REFERENCE:
            return _labelled(value, field)
        if field.data_type == DATA_REFERENCE_LIST:
            return [_labelled(item, field) for item in value]
        return value

    def attachment_ref(self, attachment_id: int) -> dict[str, Any]:
        record = self.attachment(attachment_id)
        assert record is not None  # validation refused unknown attachment ids
        return attachment_reference(record, self.download_url(attachment_id))


def _labelled(value: Any, field: CatalogField) -> Any:
    """A reference `{"id": n}` with its label filled in; option id strings stay as sent."""
    if isinstance(value, dict):
        option = field.option(value["id"])
        return {**value, "label": option.label if option else None}
    return value
