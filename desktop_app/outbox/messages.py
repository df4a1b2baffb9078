"""Server messages of a rejection, kept per ticket and per field and tied to the form's questions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.api.messages import ServerMessage
from desktop_app.core.form.model import Form

_INDEXES = re.compile(r"\[\s*\d+\s*\]")


@dataclass(frozen=True)
class FieldMessage:
    """One message about one submission: `ticket_index` counts within the submission.

    `property` is the ticket property the server named (`requester.email`, `category`,
    `sys_attachments[0].id`); `field_key` is the form question that fills it, when known,
    so the operator is taken to the answer to fix.
    """

    text: str
    ticket_index: int | None = None
    property: str | None = None
    field_key: str | None = None

    def located(self) -> str:
        """The text prefixed by where it applies: 'email: ... is not a valid email address.'."""
        where = self.field_key or self.property
        return f"{where}: {self.text}" if where else self.text

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "ticket_index": self.ticket_index,
            "property": self.property,
            "field_key": self.field_key,
        }

    @classmethod
    def from_json(cls, data: Any) -> FieldMessage | None:
        """A message the store kept; None for anything that is not one (older shapes)."""
        if not isinstance(data, Mapping):
            return None
        text = data.get("text") or data.get("message")
        if not isinstance(text, str):
            return None
        index = data.get("ticket_index")
        prop = data.get("property") or data.get("field")
        key = data.get("field_key")
        return cls(
            text=text,
            ticket_index=index if isinstance(index, int) else None,
            property=prop if isinstance(prop, str) else None,
            field_key=key if isinstance(key, str) else None,
        )


def stored_messages(value: Any) -> list[FieldMessage]:
    """The messages of a submission record (`SubmissionRecord.messages`)."""
    if not isinstance(value, list):
        return []
    return [message for item in value if (message := FieldMessage.from_json(item)) is not None]


def field_key_for(form: Form, prop: str | None) -> str | None:
    """The question of `form` whose answer fills the ticket property the server named."""
    if not prop:
        return None
    path = _INDEXES.sub("", prop)
    targets = {field.target: field.key for field in form.fields}
    # The full path first ("requester.email"), then its head ("sys_attachments.id" -> files).
    parts = path.split(".")
    for length in range(len(parts), 0, -1):
        key = targets.get(".".join(parts[:length]))
        if key is not None:
            return key
    return None


def for_submission(
    form: Form, messages: Iterable[ServerMessage], first_ticket: int = 0, ticket_count: int = 1
) -> list[FieldMessage]:
    """The messages that concern one submission's tickets [first, first + count) of a request.

    Messages naming no ticket concern every submission of the request.
    """
    result: list[FieldMessage] = []
    for message in messages:
        index = message.ticket_index
        if index is not None and not first_ticket <= index < first_ticket + ticket_count:
            continue
        result.append(
            FieldMessage(
                text=message.text,
                ticket_index=None if index is None else index - first_ticket,
                property=message.field,
                field_key=field_key_for(form, message.field),
            )
        )
    return result


def as_json(messages: Sequence[FieldMessage]) -> list[dict[str, Any]] | None:
    """What the store keeps in `messages_json` (None when there is nothing to keep)."""
    return [message.to_json() for message in messages] or None
