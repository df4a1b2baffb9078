"""Turn a form as DeskHero serves it (DTO_form_external_response) into a local DeskForms form.

DeskHero does not document the numbers in a field's `data_type` and `type`, so the field type is
chosen by evidence, and the raw numbers travel in `FormField.deskhero` so nothing is lost:

- a field whose `multi_option` has options (with ids) is a single `choice` (whether DeskHero
  allows several answers is hidden in the undocumented `multi_option.type`);
- a field with `min_value` or `max_value` is a `decimal`: the reference says those limits are for
  integers, doubles and date-times (as Unix time), and a decimal accepts all of them;
- everything else is `text`;
- a key naming a built-in property fills that property with its natural kind: `subject` and
  `requester.name` (text), `requester.email` (email), `sys_content_rich` (richtext),
  `sys_attachments` (attachments), `sys_tags` (multichoice of tag references).

Answers go to the custom field named by `unique_key`. A key DeskForms cannot use as a field key
(say `serial-no`) is rewritten (`serial_no`) and the answer still goes to `serial-no` through
`maps_to`. Left out, each with a note: fields DeskHero marks `allow_in_external_forms: false`
(the external endpoint would refuse them), fields without a `unique_key` (no property to fill),
repeats of a key, other `sys_`/`requester.` properties, and options without an id. A regex
Python cannot compile (DeskHero's are .NET regexes) is dropped with a note rather than the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from desktop_app.core.dto import DeskHeroField, FormExternalResponse, label_text
from desktop_app.core.form.loading import describe_validation_error
from desktop_app.core.form.model import (
    UNIQUE_KEY_PATTERN,
    DeskHeroFieldLink,
    FieldType,
    Form,
    TicketProperty,
)

# Built-in properties a DeskHero field can stand for, and the kind of question each one is.
_BUILT_IN_TYPES = {
    TicketProperty.SUBJECT.value: FieldType.TEXT,
    TicketProperty.REQUESTER_EMAIL.value: FieldType.EMAIL,
    TicketProperty.REQUESTER_NAME.value: FieldType.TEXT,
    TicketProperty.CONTENT.value: FieldType.RICHTEXT,
    TicketProperty.ATTACHMENTS.value: FieldType.ATTACHMENTS,
    TicketProperty.TAGS.value: FieldType.MULTICHOICE,
}
# Text kinds a DeskHero regex can check.
_PATTERN_TYPES = {FieldType.TEXT, FieldType.EMAIL}


class DeskHeroFormError(ValueError):
    """DeskHero's form cannot become a DeskForms form; the message says why, on one line."""


@dataclass(frozen=True)
class DeskHeroConversion:
    """The converted form and a note for every field, option or check that was left out."""

    form: Form
    notes: tuple[str, ...] = ()


def form_from_deskhero(
    response: FormExternalResponse,
    *,
    form_id: str,
    title: str,
    target_form: str,
    group: str | None = None,
    language: str | None = None,
) -> Form:
    """The local form for DeskHero's form (see `convert_deskhero_form` for what is left out)."""
    return convert_deskhero_form(
        response,
        form_id=form_id,
        title=title,
        target_form=target_form,
        group=group,
        language=language,
    ).form


def convert_deskhero_form(
    response: FormExternalResponse,
    *,
    form_id: str,
    title: str,
    target_form: str,
    group: str | None = None,
    language: str | None = None,
) -> DeskHeroConversion:
    """Convert DeskHero's form to a one-page local form, noting everything left out."""
    language = language or response.main_language or response.language
    required_ids = set(response.required_field_ids)
    notes: list[str] = []
    items: list[dict[str, Any]] = []
    seen_unique_keys: set[str] = set()
    used_keys: set[str] = set()
    for position, source in enumerate(response.fields, start=1):
        # Not stripped: the answer must reach the property DeskHero named, exactly.
        unique_key = source.unique_key or ""
        name = f"field '{unique_key}'" if unique_key.strip() else f"field {position}"
        reason = _reason_to_leave_out(source, unique_key, seen_unique_keys)
        if reason:
            notes.append(f"{name} left out: {reason}")
            continue
        seen_unique_keys.add(unique_key)
        item = _field_data(source, unique_key, language, notes, name)
        if item is None:
            continue
        item["key"] = _free_key(unique_key, used_keys)
        used_keys.add(item["key"])
        if item["key"] != unique_key and "maps_to" not in item:
            item["maps_to"] = unique_key
        item["required"] = source.id is not None and source.id in required_ids
        items.append(item)
    if not items:
        detail = f" ({'; '.join(notes)})" if notes else ""
        raise DeskHeroFormError(
            _one_line(f"DeskHero's form has no field DeskForms can ask for{detail}")
        )
    data: dict[str, Any] = {
        "id": form_id,
        "title": title,
        "language": language,
        "target": {"form": target_form, "group": group},
        "pages": [{"items": items}],
    }
    try:
        form = Form.model_validate(data)
    except ValidationError as error:
        location, problem = describe_validation_error(error, data)
        where = f" at {location}" if location else ""
        raise DeskHeroFormError(
            _one_line(f"DeskHero's form cannot be converted{where}: {problem}")
        ) from None
    return DeskHeroConversion(form=form, notes=tuple(_one_line(note) for note in notes))


def _reason_to_leave_out(source: DeskHeroField, unique_key: str, seen: set[str]) -> str | None:
    if source.allow_in_external_forms is False:
        return "DeskHero does not allow it in external forms"
    if not unique_key.strip():
        return "it has no unique_key, so its answer could not be sent"
    if unique_key in seen:
        return "its unique_key appears twice; the first one is kept"
    if unique_key.startswith(("sys_", "requester.")) and unique_key not in _BUILT_IN_TYPES:
        return f"DeskForms cannot fill the built-in property '{unique_key}'"
    return None


def _field_data(
    source: DeskHeroField, unique_key: str, language: str | None, notes: list[str], name: str
) -> dict[str, Any] | None:
    """The FormField data for one DeskHero field, without its key; None to leave it out."""
    label = label_text(source.label, language).strip()
    item: dict[str, Any] = {
        "label": label or unique_key.replace("_", " ").strip().capitalize() or unique_key,
        "deskhero": _link(source),
    }
    options = _options(source, language, notes, name)
    field_type = _BUILT_IN_TYPES.get(unique_key)
    if field_type is not None:
        item["maps_to"] = unique_key
    elif options:
        field_type = FieldType.CHOICE
    elif source.min_value is not None or source.max_value is not None:
        field_type = FieldType.DECIMAL
        item["min_value"] = source.min_value
        item["max_value"] = source.max_value
    else:
        field_type = FieldType.TEXT
    item["type"] = field_type
    if field_type in (FieldType.CHOICE, FieldType.MULTICHOICE):
        if not options:
            notes.append(f"{name} left out: it needs options with ids")
            return None
        item["options"] = options
    if source.validation_regex and field_type in _PATTERN_TYPES:
        try:
            re.compile(source.validation_regex)
        except (re.error, OverflowError) as error:
            notes.append(f"{name}: its regex was left out (Python cannot read it: {error})")
        else:
            item["pattern"] = source.validation_regex
            item["pattern_message"] = source.validation_error_message or None
    return item


def _options(
    source: DeskHeroField, language: str | None, notes: list[str], name: str
) -> list[dict[str, Any]]:
    if source.multi_option is None:
        return []
    options: list[dict[str, Any]] = []
    ids: set[int] = set()
    for number, reference in enumerate(source.multi_option.options, start=1):
        if reference.id is None or reference.id in ids:
            problem = "has no id" if reference.id is None else "repeats an id"
            notes.append(f"{name}: option {number} left out: it {problem}")
            continue
        ids.add(reference.id)
        label = label_text(reference.label, language).strip() or f"Option {number}"
        options.append({"id": str(reference.id), "label": label, "reference_id": reference.id})
    return options


def _link(source: DeskHeroField) -> DeskHeroFieldLink:
    multi = source.multi_option
    return DeskHeroFieldLink(
        field_id=source.id,
        data_type=source.data_type,
        type=source.type,
        multi_option_type=multi.type if multi else None,
        list_id=multi.list_id if multi else None,
        icon_id=source.icon_id,
        icon_file=source.icon_file,
        favorite=source.favorite,
        allow_in_external_forms=source.allow_in_external_forms,
    )


def _free_key(unique_key: str, used: set[str]) -> str:
    """A valid field key for `unique_key`, not yet used: itself when it already is one."""
    key = re.sub(r"[^A-Za-z0-9_]", "_", unique_key)
    if not re.match(r"[A-Za-z_]", key):
        key = "f_" + key
    key = key[:64]
    candidate, number = key, 2
    while candidate in used or not re.fullmatch(UNIQUE_KEY_PATTERN, candidate):
        suffix = f"_{number}"
        candidate, number = key[: 64 - len(suffix)] + suffix, number + 1
    return candidate


def _one_line(text: str) -> str:
    # Labels and keys come from the tenant and may hold line breaks; messages are one line.
    return " ".join(text.split())
