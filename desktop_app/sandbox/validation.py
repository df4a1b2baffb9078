"""Validation of submitted DTO_ticket JSON against a form, as ASP.NET model-state errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from desktop_app.sandbox.catalog import (
    DATA_BOOLEAN,
    DATA_DATETIME,
    DATA_DECIMAL,
    DATA_INTEGER,
    DATA_REFERENCE,
    DATA_REFERENCE_LIST,
    DATA_RICH_TEXT,
    DATA_STRING,
    Catalog,
    CatalogField,
    Form,
)

Errors = dict[str, list[str]]

SUBJECT_MAX = 250
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Server-assigned properties: accepted in a request and overwritten, as DeskHero ignores them.
READ_ONLY_KEYS = frozenset(
    {"id", "created", "last_updated", "created_by", "last_updated_by", "sys_status"}
)
HANDLED_KEYS = frozenset(
    {"subject", "requester", "sys_content_rich", "sys_attachments", "sys_tags"}
)


def validate_tickets(
    tickets: list[Any], form: Form, catalog: Catalog, attachment_exists: Callable[[int], bool]
) -> Errors:
    """Every problem of every ticket, keyed `[i].<property path>`; empty when all are valid."""
    errors: Errors = {}
    if not tickets:
        errors["$"] = ["At least one ticket is required."]
    for index, ticket in enumerate(tickets):
        _TicketCheck(f"[{index}]", form, catalog, attachment_exists, errors).run(ticket)
    return errors


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_blank(value: Any) -> bool:
    """True for an answer that counts as not given (None, blank text, empty list or rich text)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict) and ("editorjs" in value or "html" in value):
        editorjs, markup = value.get("editorjs"), value.get("html")
        blocks = editorjs.get("blocks") if isinstance(editorjs, dict) else None
        return not blocks and not (isinstance(markup, str) and markup.strip())
    if isinstance(value, list | dict):
        return not value
    return False


class _TicketCheck:
    """Checks one ticket and adds its errors under its `[i]` prefix."""

    def __init__(
        self,
        prefix: str,
        form: Form,
        catalog: Catalog,
        attachment_exists: Callable[[int], bool],
        errors: Errors,
    ) -> None:
        self.prefix = prefix
        self.form = form
        self.catalog = catalog
        self.attachment_exists = attachment_exists
        self.errors = errors

    def add(self, path: str, message: str) -> None:
        key = f"{self.prefix}.{path}" if path else self.prefix
        self.errors.setdefault(key, []).append(message)

    def run(self, ticket: Any) -> None:
        if not isinstance(ticket, dict):
            self.add("", "A ticket must be a JSON object.")
            return
        self.subject(ticket.get("subject"))
        self.requester(ticket.get("requester"))
        if ticket.get("sys_content_rich") is not None:
            self.rich_text("sys_content_rich", ticket["sys_content_rich"])
        if ticket.get("sys_attachments") is not None:
            self.attachments(ticket["sys_attachments"])
        if ticket.get("sys_tags") is not None:
            tags = self.catalog.fields["sys_tags"]
            self.choice_list("sys_tags", ticket["sys_tags"], tags, references_only=True)
        for key, value in ticket.items():
            if key not in HANDLED_KEYS and key not in READ_ONLY_KEYS:
                self.custom(key, value)
        for key in self.form.required:
            if key != "subject" and _is_blank(ticket.get(key)):
                self.add(key, f"The field '{self.catalog.fields[key].label}' is required.")

    def subject(self, subject: Any) -> None:
        if not isinstance(subject, str) or not subject.strip():
            self.add("subject", "The subject is required.")
        elif len(subject) > SUBJECT_MAX:
            self.add("subject", f"The subject must be at most {SUBJECT_MAX} characters long.")

    def requester(self, requester: Any) -> None:
        if not isinstance(requester, dict):
            self.add("requester", "A requester with an email address or a name is required.")
            return
        email, name = requester.get("email"), requester.get("name")
        if email is not None and not isinstance(email, str):
            self.add("requester.email", "The email address must be a string.")
        elif isinstance(email, str) and email.strip() and not EMAIL.match(email.strip()):
            self.add("requester.email", f"'{email}' is not a valid email address.")
        if name is not None and not isinstance(name, str):
            self.add("requester.name", "The name must be a string.")
        has_email = isinstance(email, str) and bool(email.strip())
        has_name = isinstance(name, str) and bool(name.strip())
        if not has_email and not has_name:
            self.add("requester", "A requester with an email address or a name is required.")

    def rich_text(self, path: str, rich: Any) -> None:
        if not isinstance(rich, dict):
            self.add(path, "Rich text must be an object with Editor.js blocks or HTML.")
            return
        editorjs, markup = rich.get("editorjs"), rich.get("html")
        if markup is not None and not isinstance(markup, str):
            self.add(f"{path}.html", "HTML must be a string.")
        if editorjs is not None:
            blocks = editorjs.get("blocks") if isinstance(editorjs, dict) else None
            if not isinstance(blocks, list):
                self.add(f"{path}.editorjs", "Editor.js data must be an object with a blocks list.")
            else:
                for j, block in enumerate(blocks):
                    valid = (
                        isinstance(block, dict)
                        and isinstance(block.get("type"), str)
                        and isinstance(block.get("data", {}), dict)
                    )
                    if not valid:
                        self.add(
                            f"{path}.editorjs.blocks[{j}]",
                            "An Editor.js block needs a string type and a data object.",
                        )
        elif markup is None:
            self.add(path, "Rich text must be an object with Editor.js blocks or HTML.")

    def attachments(self, attachments: Any) -> None:
        if not isinstance(attachments, list):
            self.add("sys_attachments", "Attachments must be a list of references.")
            return
        for j, item in enumerate(attachments):
            attachment_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(attachment_id, int) or isinstance(attachment_id, bool):
                self.add(f"sys_attachments[{j}].id", "An attachment reference needs an id.")
            elif not self.attachment_exists(attachment_id):
                self.add(
                    f"sys_attachments[{j}].id", f"Attachment {attachment_id} was never uploaded."
                )

    def custom(self, key: str, value: Any) -> None:
        field = self.catalog.fields.get(key)
        if field is None or key not in self.form.fields or key in HANDLED_KEYS:
            self.add(key, f"'{key}' is not a field of form '{self.form.key}'.")
            return
        if value is None:
            return
        check = _VALUE_CHECKS.get(field.data_type)
        if check is not None:
            check(self, key, value, field)

    def string(self, key: str, value: Any, field: CatalogField) -> None:
        if not isinstance(value, str):
            self.add(key, f"'{field.label}' must be a string.")
        elif field.regex and value and not re.search(field.regex, value):
            self.add(key, field.regex_message or f"'{field.label}' does not match {field.regex}.")

    def number(self, key: str, value: Any, field: CatalogField) -> None:
        integer = field.data_type == DATA_INTEGER
        if not (_is_int(value) or (not integer and isinstance(value, float))):
            self.add(key, f"'{field.label}' must be {'an integer' if integer else 'a number'}.")
            return
        self.bounds(key, float(value), field, str(value))

    def boolean(self, key: str, value: Any, field: CatalogField) -> None:
        if not isinstance(value, bool):
            self.add(key, f"'{field.label}' must be true or false.")

    def moment(self, key: str, value: Any, field: CatalogField) -> None:
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            self.add(key, f"'{field.label}' must be an ISO 8601 date and time.")
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        # DeskHero states date-time bounds as Unix time.
        self.bounds(key, moment.timestamp(), field, value)

    def bounds(self, key: str, number: float, field: CatalogField, shown: str) -> None:
        if field.min_value is not None and number < field.min_value:
            self.add(key, f"'{field.label}' must be at least {field.min_value:g} (got {shown}).")
        if field.max_value is not None and number > field.max_value:
            self.add(key, f"'{field.label}' must be at most {field.max_value:g} (got {shown}).")

    def choice(
        self, path: str, value: Any, field: CatalogField, references_only: bool = False
    ) -> None:
        if isinstance(value, dict) and _is_int(value.get("id")):
            if field.option(value["id"]) is None:
                self.add(path, f"{value['id']} is not an option of '{field.label}'.")
        elif isinstance(value, str) and not references_only:
            if field.option(value) is None:
                self.add(path, f"'{value}' is not an option of '{field.label}'.")
        else:
            expected = '{"id": n}' if references_only else '{"id": n} or an option id'
            self.add(path, f"A value of '{field.label}' must be {expected}.")

    def choice_single(self, key: str, value: Any, field: CatalogField) -> None:
        self.choice(key, value, field)

    def choice_list(
        self, key: str, value: Any, field: CatalogField, references_only: bool = False
    ) -> None:
        if not isinstance(value, list):
            self.add(key, f"'{field.label}' must be a list.")
            return
        for j, item in enumerate(value):
            self.choice(f"{key}[{j}]", item, field, references_only)

    def rich_value(self, key: str, value: Any, field: CatalogField) -> None:
        self.rich_text(key, value)


_VALUE_CHECKS: dict[int, Callable[[_TicketCheck, str, Any, CatalogField], None]] = {
    DATA_STRING: _TicketCheck.string,
    DATA_INTEGER: _TicketCheck.number,
    DATA_DECIMAL: _TicketCheck.number,
    DATA_BOOLEAN: _TicketCheck.boolean,
    DATA_DATETIME: _TicketCheck.moment,
    DATA_REFERENCE: _TicketCheck.choice_single,
    DATA_REFERENCE_LIST: _TicketCheck.choice_list,
    DATA_RICH_TEXT: _TicketCheck.rich_value,
}
