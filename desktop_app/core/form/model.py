"""The DeskForms form format: pydantic models of a form file (see resources/form.schema.json).

A form file is JSON with `"format": "deskforms/form"` and a `format_version`. The models here
only check what a single object can check on its own plus the cross-field rules of a whole form
(unique keys, conditions that name real fields, one source per single-valued ticket property);
answer validation lives in `validation.py`, ticket building in `mapping.py`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from desktop_app.core.dto import EditorJs

FORMAT_MARKER: Final = "deskforms/form"
FORMAT_VERSION: Final = 1

# DeskHero's `unique_key` rules are undocumented; this is the conservative common subset of
# identifier rules (also safe as a JSON property name and a subject-template placeholder).
UNIQUE_KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
UniqueKey = Annotated[str, Field(pattern=UNIQUE_KEY_PATTERN)]


class FieldType(StrEnum):
    """Every kind of answer a form can ask for."""

    TEXT = "text"
    MULTILINE = "multiline"
    RICHTEXT = "richtext"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    YESNO = "yesno"
    ATTACHMENTS = "attachments"
    HIDDEN = "hidden"


TEXT_TYPES = frozenset(
    {FieldType.TEXT, FieldType.MULTILINE, FieldType.EMAIL, FieldType.PHONE, FieldType.URL}
)
NUMBER_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL})
TEMPORAL_TYPES = frozenset({FieldType.DATE, FieldType.TIME, FieldType.DATETIME})
CHOICE_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTICHOICE})


_TEMPORAL_PARSERS: dict[FieldType, Callable[[str], Any]] = {
    FieldType.DATE: date.fromisoformat,
    FieldType.TIME: time.fromisoformat,
    FieldType.DATETIME: datetime.fromisoformat,
}
_TEMPORAL_EXAMPLES = {
    FieldType.DATE: "2026-12-31",
    FieldType.TIME: "17:30",
    FieldType.DATETIME: "2026-12-31T17:30",
}

# Ticket properties DeskHero owns or DeskForms fills as a whole: a field may not write them.
RESERVED_TICKET_PROPERTIES = frozenset(
    {"id", "created", "last_updated", "created_by", "last_updated_by", "requester", "sys_status"}
)


class TicketProperty(StrEnum):
    """Built-in ticket properties a field can fill; anything else is a custom field key."""

    SUBJECT = "subject"
    REQUESTER_EMAIL = "requester.email"
    REQUESTER_NAME = "requester.name"
    CONTENT = "sys_content_rich"
    ATTACHMENTS = "sys_attachments"
    TAGS = "sys_tags"


# Properties that hold one value: two fields feeding one of them would silently overwrite.
SINGLE_VALUED_PROPERTIES = frozenset(
    {
        TicketProperty.SUBJECT,
        TicketProperty.REQUESTER_EMAIL,
        TicketProperty.REQUESTER_NAME,
        TicketProperty.CONTENT,
    }
)


class StrictModel(BaseModel):
    """Base of the format models: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Operator(StrEnum):
    """How a condition rule compares an answer."""

    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    ONE_OF = "one_of"
    EMPTY = "empty"
    NOT_EMPTY = "not_empty"
    GREATER_THAN = "gt"
    LESS_THAN = "lt"


class Rule(StrictModel):
    """One comparison of another field's answer, e.g. `category equals hardware`."""

    field: UniqueKey
    op: Operator
    value: Any = None

    @model_validator(mode="after")
    def _value_fits_operator(self) -> Rule:
        if self.op is Operator.ONE_OF and not isinstance(self.value, list):
            raise ValueError("a 'one_of' rule needs a list as its value")
        if self.op in (Operator.EQUALS, Operator.NOT_EQUALS) and self.value is None:
            raise ValueError(
                f"an '{self.op.value}' rule needs a value (use 'empty' to test blanks)"
            )
        if self.op in (Operator.GREATER_THAN, Operator.LESS_THAN) and (
            self.value is None or isinstance(self.value, bool | list | dict)
        ):
            raise ValueError(f"a '{self.op.value}' rule needs a number, date or time as its value")
        return self


def _rule_kind(rule: Any) -> str:
    """Tell a nested condition (it has `rules`) from a rule, so a typo gets one error, not two."""
    if isinstance(rule, Condition) or (isinstance(rule, dict) and "rules" in rule):
        return "condition"
    return "rule"


class Condition(StrictModel):
    """Rules combined with all/any; conditions nest."""

    match: Literal["all", "any"] = "all"
    rules: list[
        Annotated[
            Annotated[Rule, Tag("rule")] | Annotated[Condition, Tag("condition")],
            Discriminator(_rule_kind),
        ]
    ] = Field(min_length=1)

    def field_keys(self) -> set[str]:
        """Every field key the condition reads, however deep."""
        keys: set[str] = set()
        for rule in self.rules:
            keys |= rule.field_keys() if isinstance(rule, Condition) else {rule.field}
        return keys


class ChoiceOption(StrictModel):
    """One choice: `id` is what answers hold, `reference_id` what DeskHero knows it by."""

    id: str = Field(min_length=1)
    label: str
    reference_id: int | None = None


class AttachmentLimits(StrictModel):
    """Limits for an attachments field."""

    max_files: int = Field(default=5, ge=1)
    max_file_size_mb: float = Field(default=10, gt=0)
    # File extensions (".pdf") or MIME types ("image/*"); empty means any type.
    accept: list[str] = Field(default_factory=list)


class DeskHeroFieldLink(StrictModel):
    """What a field carries from DeskHero's DTO_field, so a converted form loses nothing."""

    field_id: int | None = None
    data_type: int | None = None
    type: int | None = None
    multi_option_type: int | None = None
    list_id: int | None = None
    icon_id: int | None = None
    icon_file: str | None = None
    favorite: bool | None = None
    allow_in_external_forms: bool | None = None


class FormField(StrictModel):
    """A question on a form and how its answer reaches the ticket."""

    type: FieldType
    key: UniqueKey
    label: str = Field(min_length=1)
    help: str | None = None
    placeholder: str | None = None
    # For `hidden` fields this is the fixed value that is always sent.
    default: Any = None
    required: bool = False
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    # Numbers for integer/decimal; ISO 8601 strings for date, time and date-time.
    min_value: float | str | None = None
    max_value: float | str | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    options: list[ChoiceOption] = Field(default_factory=list)
    display: Literal["auto", "dropdown", "radio", "checkboxes"] = "auto"
    min_choices: int | None = Field(default=None, ge=0)
    max_choices: int | None = Field(default=None, ge=1)
    attachments: AttachmentLimits | None = None
    visible_when: Condition | None = None
    # Ticket property this answer fills; None sends it as the custom field named by `key`.
    maps_to: str | None = None
    deskhero: DeskHeroFieldLink | None = None

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            # OverflowError: a repeat count too large for the engine, e.g. "a{99999999999}".
            except (re.error, OverflowError) as error:
                raise ValueError(f"the regex {pattern!r} is not valid: {error}") from None
        return pattern

    @model_validator(mode="after")
    def _settings_fit_type(self) -> FormField:
        if self.type in CHOICE_TYPES:
            if not self.options:
                raise ValueError(f"field '{self.key}' is a choice field but has no options")
            ids = [option.id for option in self.options]
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"field '{self.key}' repeats option id(s) {duplicates}")
        elif self.options:
            raise ValueError(f"field '{self.key}' has options but is of type '{self.type.value}'")
        if self.attachments is not None and self.type is not FieldType.ATTACHMENTS:
            raise ValueError(f"field '{self.key}' has attachment limits but is not attachments")
        if (
            self.min_length is not None
            and self.max_length is not None
            and self.min_length > self.max_length
        ):
            raise ValueError(f"field '{self.key}' has min_length greater than max_length")
        if self.type is FieldType.HIDDEN and self.required:
            raise ValueError(f"hidden field '{self.key}' cannot be required; give it a default")
        if self.pattern is not None and self.type not in TEXT_TYPES:
            raise ValueError(
                f"field '{self.key}' has a pattern, but patterns only apply to text, multiline,"
                " email, phone and url fields"
            )
        self._check_bounds()
        return self

    def _check_bounds(self) -> None:
        """min/max value must be of the field's kind, or a typo silently disables the check."""
        bounds = [b for b in (self.min_value, self.max_value) if b is not None]
        low: Any
        high: Any
        if not bounds:
            return
        if self.type in NUMBER_TYPES:
            if any(isinstance(bound, str) for bound in bounds):
                raise ValueError(f"field '{self.key}' needs numbers as min_value/max_value")
            low, high = self.min_value, self.max_value
        elif self.type in TEMPORAL_TYPES:
            parse = _TEMPORAL_PARSERS[self.type]
            try:
                low, high = (
                    None if b is None else parse(str(b)) for b in (self.min_value, self.max_value)
                )
            except ValueError:
                example = _TEMPORAL_EXAMPLES[self.type]
                raise ValueError(
                    f"field '{self.key}' needs min_value/max_value written like {example}"
                ) from None
            if any(not isinstance(b, str) for b in bounds):
                example = _TEMPORAL_EXAMPLES[self.type]
                raise ValueError(
                    f"field '{self.key}' needs min_value/max_value written like {example}"
                )
        else:
            raise ValueError(
                f"field '{self.key}' has min_value/max_value, but only number, date and time"
                " fields use them"
            )
        if low is not None and high is not None and low > high:
            raise ValueError(f"field '{self.key}' has min_value greater than max_value")

    @property
    def target(self) -> str:
        """The ticket property this field fills."""
        return self.maps_to or self.key

    @property
    def attachment_limits(self) -> AttachmentLimits:
        """The field's attachment limits, defaults when unset."""
        return self.attachments or AttachmentLimits()


class ContentBlock(StrictModel):
    """Static instructions between fields (Editor.js data, shown, never sent)."""

    type: Literal["content"]
    key: UniqueKey | None = None
    editorjs: EditorJs
    visible_when: Condition | None = None


def _page_item_kind(item: Any) -> str:
    """Route an item by its `type`, so an unknown field type gets one error, not one per kind."""
    if isinstance(item, ContentBlock) or (isinstance(item, dict) and item.get("type") == "content"):
        return "content"
    return "field"


PageItem = Annotated[
    Annotated[FormField, Tag("field")] | Annotated[ContentBlock, Tag("content")],
    Discriminator(_page_item_kind),
]


class Page(StrictModel):
    """A page (or section) of a form."""

    key: UniqueKey | None = None
    title: str | None = None
    description: str | None = None
    items: list[PageItem] = Field(default_factory=list)
    visible_when: Condition | None = None

    @property
    def fields(self) -> list[FormField]:
        """The questions on this page, in order."""
        return [item for item in self.items if isinstance(item, FormField)]


class TicketTarget(StrictModel):
    """Where and how a filled form becomes a DeskHero ticket."""

    # The opaque `form` query value of POST tickets/external_dynamic_form.
    form: str = Field(min_length=1)
    # Group key, as in `forms/external_dynamic?group=`.
    group: str | None = None
    # e.g. "{category}: {summary}"; placeholders are field keys. Mutually exclusive with a
    # field mapped to `subject`.
    subject_template: str | None = None
    # Fixed properties every ticket from this form carries (e.g. a source custom field).
    fixed_properties: dict[str, Any] = Field(default_factory=dict)
    # Tags (DeskHero reference ids) every ticket from this form carries.
    tag_ids: list[int] = Field(default_factory=list)


class Form(StrictModel):
    """A whole form file."""

    format: Literal["deskforms/form"] = "deskforms/form"
    format_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    title: str = Field(min_length=1)
    description: str | None = None
    version: int = Field(default=1, ge=1)
    language: str | None = None
    target: TicketTarget
    pages: list[Page] = Field(min_length=1)

    @property
    def fields(self) -> list[FormField]:
        """Every field of every page, in order."""
        return [field for page in self.pages for field in page.fields]

    def field(self, key: str) -> FormField:
        """The field with this key; KeyError when there is none."""
        for field in self.fields:
            if field.key == key:
                return field
        raise KeyError(key)

    @model_validator(mode="after")
    def _whole_form_is_consistent(self) -> Form:
        keys = [field.key for field in self.fields]
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise ValueError(f"field key '{key}' is used twice; every key must be unique")
            seen.add(key)
        self._check_conditions(seen)
        self._check_condition_cycles()
        self._check_targets()
        self._check_subject_template(seen)
        return self

    def _check_conditions(self, keys: set[str]) -> None:
        for page_number, page in enumerate(self.pages, start=1):
            where = f"page {page_number}" + (f" ('{page.title}')" if page.title else "")
            if page.visible_when is not None:
                missing = page.visible_when.field_keys() - keys
                if missing:
                    raise ValueError(
                        f"the condition of {where} names missing field(s) {sorted(missing)}"
                    )
            for item in page.items:
                if item.visible_when is None:
                    continue
                name = f"field '{item.key}'" if isinstance(item, FormField) else f"{where} content"
                read = item.visible_when.field_keys()
                missing = read - keys
                if missing:
                    raise ValueError(
                        f"the condition of {name} names missing field(s) {sorted(missing)}"
                    )
                if isinstance(item, FormField) and item.key in read:
                    raise ValueError(f"the condition of {name} depends on the field itself")

    def _check_condition_cycles(self) -> None:
        """Reject fields whose visibility depends on itself through other fields."""
        depends: dict[str, set[str]] = {}
        for page in self.pages:
            page_reads = page.visible_when.field_keys() if page.visible_when else set()
            for field in page.fields:
                own = field.visible_when.field_keys() if field.visible_when else set()
                depends[field.key] = own | page_reads
        done: set[str] = set()

        def visit(key: str, path: list[str]) -> None:
            if key in path:
                loop = " -> ".join([*path[path.index(key) :], key])
                raise ValueError(f"conditions form a loop ({loop}); break it so each can decide")
            if key in done:
                return
            for other in sorted(depends.get(key, ())):
                visit(other, [*path, key])
            done.add(key)

        for key in depends:
            visit(key, [])

    def _check_targets(self) -> None:
        sources: dict[str, str] = {}
        for field in self.fields:
            target = field.target
            if target in SINGLE_VALUED_PROPERTIES:
                if target in sources:
                    raise ValueError(
                        f"fields '{sources[target]}' and '{field.key}' both map to '{target}';"
                        " map only one of them"
                    )
                sources[target] = field.key
            if target == TicketProperty.ATTACHMENTS and field.type is not FieldType.ATTACHMENTS:
                raise ValueError(
                    f"field '{field.key}' maps to sys_attachments but is not attachments"
                )
            if field.type is FieldType.ATTACHMENTS and target != TicketProperty.ATTACHMENTS:
                raise ValueError(f"attachments field '{field.key}' must map to sys_attachments")
            if target == TicketProperty.TAGS and (
                field.type not in CHOICE_TYPES
                or any(option.reference_id is None for option in field.options)
            ):
                raise ValueError(
                    f"field '{field.key}' maps to sys_tags, so it must be a choice field whose"
                    " options all have a reference_id"
                )
            if target.startswith("requester.") and target not in (
                TicketProperty.REQUESTER_EMAIL,
                TicketProperty.REQUESTER_NAME,
            ):
                raise ValueError(
                    f"field '{field.key}' maps to '{target}'; use requester.email or requester.name"
                )
            if target in RESERVED_TICKET_PROPERTIES:
                raise ValueError(
                    f"field '{field.key}' would overwrite the ticket's '{target}', which DeskHero"
                    " sets itself; give it another key or maps_to"
                )
            if target.startswith("sys_") and target not in set(TicketProperty):
                raise ValueError(
                    f"field '{field.key}' maps to unknown built-in property '{target}'"
                )
        if self.target.subject_template and TicketProperty.SUBJECT in sources:
            raise ValueError(
                f"the subject comes both from field '{sources[TicketProperty.SUBJECT]}' and from"
                " target.subject_template; keep only one"
            )

    def _check_subject_template(self, keys: set[str]) -> None:
        template = self.target.subject_template
        if not template:
            return
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        except ValueError as error:
            raise ValueError(f"target.subject_template is not a valid template: {error}") from None
        missing = names - keys
        if missing:
            raise ValueError(f"target.subject_template names missing field(s) {sorted(missing)}")
