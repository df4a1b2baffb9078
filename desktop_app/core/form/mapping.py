"""Turning one set of answers into the DeskHero ticket(s) to send (docs/sample-forms.md).

Precedence: `target.fixed_properties` are the starting point, and anything the answers fill
(a field's value, the subject, requester, content, attachments, tags) replaces the fixed value
of the same property; so a fixed property acts as the default of an optional field mapped to
it. A fixed `requester` object is merged with the requester fields; fixed tags belong in
`target.tag_ids` (a fixed `sys_tags` is replaced as soon as any tag is computed). The subject comes from the
subject field, else `target.subject_template`, else a fixed `subject`, else the form title.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import string
from collections.abc import Mapping
from typing import Any

from desktop_app.core.dto import EditorJs, EditorJsBlock, RichText, Ticket
from desktop_app.core.editorjs import editorjs_blocks, editorjs_plain_text, rich_text_from_editorjs
from desktop_app.core.form.model import FieldType, Form, FormField, TicketProperty
from desktop_app.core.form.validation import (
    ValidationResult,
    format_number,
    resolve_option,
    text_to_editorjs,
    validate_answers,
)

SUBJECT_MAX_LENGTH = 250
# Ticket properties the server owns or that mapping fills itself; a custom field must not
# reuse their names (its value would be dropped as read-only or misread).
_DECLARED_PROPERTIES = frozenset(Ticket.model_fields)


class AnswersInvalid(ValueError):
    """The answers do not pass validation; `result.errors` says what to fix."""

    def __init__(self, result: ValidationResult) -> None:
        self.result = result
        count = len(result.errors)
        super().__init__(
            f"{count} answer{'s need' if count != 1 else ' needs'} fixing before sending."
        )


class AttachmentsNotUploaded(ValueError):
    """Files are attached but have no uploaded id yet; nothing may be sent without them."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        super().__init__(
            "These files have not been uploaded yet, so the ticket was not sent: "
            + ", ".join(paths)
        )


def display_text(field: FormField, value: Any) -> str:
    """How a normalized value reads to a person: labels, Yes/No, plain text of rich text."""
    if value is None:
        return ""
    if field.type is FieldType.CHOICE:
        option = resolve_option(field, value)
        return option.label if option else str(value)
    if field.type is FieldType.MULTICHOICE and isinstance(value, list):
        options = (resolve_option(field, item) for item in value)
        return ", ".join(option.label for option in options if option is not None)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.type is FieldType.RICHTEXT or editorjs_blocks(value) is not None:
        return editorjs_plain_text(value)
    if field.type is FieldType.ATTACHMENTS and isinstance(value, list):
        names = (
            str(item.get("name") or item.get("path") or f"#{item.get('id')}")
            for item in value
            if isinstance(item, Mapping)
        )
        return ", ".join(names)
    if isinstance(value, int | float) and math.isfinite(value):
        return format_number(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > SUBJECT_MAX_LENGTH:
        text = text[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return text


def _fill_template(form: Form, template: str, values: Mapping[str, Any]) -> str:
    fields = {field.key: field for field in form.fields}
    parts: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:  # the form loader rejects these; still never fail a submission on it
        return template
    for literal, name, _spec, _conversion in parsed:
        parts.append(literal)
        if name and name in fields and name in values:
            parts.append(display_text(fields[name], values[name]))
    return "".join(parts)


def subject_for(form: Form, values: Mapping[str, Any]) -> str:
    """The ticket subject for validated values: one line, at most 250 characters."""
    subject_field = next((f for f in form.fields if f.target == TicketProperty.SUBJECT), None)
    candidates = [
        display_text(subject_field, values.get(subject_field.key)) if subject_field else "",
        _fill_template(form, form.target.subject_template, values)
        if form.target.subject_template
        else "",
        str(form.target.fixed_properties.get("subject") or ""),
    ]
    # A template whose placeholders are all unanswered leaves only punctuation, e.g. "Walk-in:".
    return next((_one_line(c) for c in candidates if _one_line(c)), _one_line(form.title))


def _block_id(index: int, block: EditorJsBlock) -> str:
    # Deterministic, so rebuilding the same answers (a retry, a preview) gives the same ticket.
    seed = json.dumps([index, block.type, block.data], sort_keys=True, default=str)
    return hashlib.sha256(seed.encode()).hexdigest()[:10]


def rich_text(field: FormField, value: Any) -> RichText:
    """DTO_rich_text for a rich-text answer, or for any other answer as paragraphs."""
    document = value if editorjs_blocks(value) is not None else None
    if document is None:
        document = text_to_editorjs(display_text(field, value))
    editorjs = EditorJs.model_validate(document)
    for index, block in enumerate(editorjs.blocks):
        block.id = block.id or _block_id(index, block)
    return rich_text_from_editorjs(editorjs)


def _custom_value(field: FormField, value: Any) -> Any:
    """A value as a DeskHero custom field carries it (see "How answers travel")."""
    if field.type in (FieldType.CHOICE, FieldType.MULTICHOICE):

        def reference(option_id: Any) -> Any:
            option = resolve_option(field, option_id)
            if option is not None and option.reference_id is not None:
                return {"id": option.reference_id}
            return option_id

        return [reference(v) for v in value] if isinstance(value, list) else reference(value)
    if field.type is FieldType.RICHTEXT:
        return rich_text(field, value).to_request()
    return copy.deepcopy(value)


def _attachment_refs(
    value: list[dict[str, Any]], attachment_ids: Mapping[str, int], missing: list[str]
) -> list[dict[str, Any]]:
    refs = []
    for item in value:
        if "id" in item:
            refs.append({"id": item["id"]})
        elif item["path"] in attachment_ids:
            refs.append({"id": attachment_ids[item["path"]]})
        else:
            missing.append(item["path"])
    return refs


def _merge_ids(*groups: list[int]) -> list[int]:
    return list(dict.fromkeys(ident for group in groups for ident in group))


def _ticket(form: Form, values: Mapping[str, Any], attachment_ids: Mapping[str, int]) -> Ticket:
    data: dict[str, Any] = copy.deepcopy(form.target.fixed_properties)
    fixed_requester = data.get("requester")
    requester = dict(fixed_requester) if isinstance(fixed_requester, Mapping) else {}
    tags: list[int] = []
    attachments: list[dict[str, Any]] = []
    missing: list[str] = []
    for field in form.fields:
        if field.key not in values:
            continue  # hidden by a condition, or left empty: not sent
        value, target = values[field.key], field.target
        if target == TicketProperty.REQUESTER_EMAIL:
            requester["email"] = display_text(field, value)
        elif target == TicketProperty.REQUESTER_NAME:
            requester["name"] = display_text(field, value)
        elif target == TicketProperty.CONTENT:
            data["sys_content_rich"] = rich_text(field, value).to_request()
        elif target == TicketProperty.ATTACHMENTS:
            attachments.extend(_attachment_refs(value, attachment_ids, missing))
        elif target == TicketProperty.TAGS:
            chosen = value if isinstance(value, list) else [value]
            options = (resolve_option(field, option_id) for option_id in chosen)
            tags.extend(o.reference_id for o in options if o and o.reference_id is not None)
        elif target != TicketProperty.SUBJECT:
            if target in _DECLARED_PROPERTIES:
                raise ValueError(f"field '{field.key}' cannot fill the ticket's '{target}'")
            data[target] = _custom_value(field, value)
    if missing:
        raise AttachmentsNotUploaded(missing)
    data["subject"] = subject_for(form, values)
    if requester:
        data["requester"] = requester
    if attachments:
        data["sys_attachments"] = attachments
    tag_ids = _merge_ids(tags, form.target.tag_ids)
    if tag_ids:
        data["sys_tags"] = [{"id": ident} for ident in tag_ids]
    return Ticket.model_validate(data)


def build_tickets(
    form: Form, answers: Mapping[str, Any], *, attachment_ids: Mapping[str, int] | None = None
) -> list[Ticket]:
    """The tickets to POST for one filled form (a list: the endpoint takes an array).

    `attachment_ids` maps the path of each attached file to its uploaded attachment id.
    Raises AnswersInvalid when the answers need fixing and AttachmentsNotUploaded when a file
    has no id yet.
    """
    result = validate_answers(form, answers)
    if not result.ok:
        raise AnswersInvalid(result)
    return [_ticket(form, result.values, attachment_ids or {})]


def answers_summary(form: Form, answers: Mapping[str, Any]) -> str:
    """One line naming a filled form in lists (its subject); works for unfinished drafts too."""
    return subject_for(form, validate_answers(form, answers).values)
