"""pydantic models of the DeskHero DTOs (see shared/deskhero-api.md).

Every model keeps properties it does not know (DeskHero tickets are dynamic objects) and
marks server-assigned fields read-only: they are parsed from responses but never serialized
into a request (`to_request`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from desktop_app.core.enums import AttachmentStatus

REQUEST_CONTEXT = {"deskhero_request": True}


class DeskHeroModel(BaseModel):
    """Base of every DTO: tolerant of extra properties, aware of read-only fields."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    read_only_fields: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _drop_read_only_in_requests(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        data = handler(self)
        context = info.context
        if isinstance(data, dict) and isinstance(context, dict) and context.get("deskhero_request"):
            for name in self.read_only_fields:
                data.pop(name, None)
        return data

    def to_request(self) -> dict[str, Any]:
        """JSON-ready dict for a request body: no read-only fields, no unset (None) values."""
        result: dict[str, Any] = self.model_dump(
            mode="json", exclude_none=True, context=REQUEST_CONTEXT
        )
        return result


def read_only(default: Any = None) -> Any:
    """A field the server assigns; documented read-only in the JSON Schema."""
    return Field(default=default, json_schema_extra={"readOnly": True})


class Reference(DeskHeroModel):
    """DTO_reference: a pointer to another object by id."""

    read_only_fields: ClassVar[frozenset[str]] = frozenset({"label"})

    id: int | None = None
    label: Any = read_only()


class Contact(DeskHeroModel):
    """DTO_contact: the requester of a ticket."""

    user_id: int | None = None
    email: str | None = None
    name: str | None = None
    profile_pic: str | None = None


class ReferenceUser(DeskHeroModel):
    """DTO_reference_user: a user as referenced by audit fields."""

    read_only_fields: ClassVar[frozenset[str]] = frozenset({"label", "email", "profile_pic"})

    id: int | None = None
    label: Any = read_only()
    email: str | None = read_only()
    profile_pic: str | None = read_only()


class EditorJsBlock(DeskHeroModel):
    """DTO_editorjs_block: one Editor.js block; `data` depends on `type`."""

    id: str | None = None
    type: str = "paragraph"
    data: dict[str, Any] = Field(default_factory=dict)


class EditorJs(DeskHeroModel):
    """DTO_editorjs: an Editor.js document."""

    time: int | None = None
    version: str | None = None
    blocks: list[EditorJsBlock] = Field(default_factory=list)


class RichText(DeskHeroModel):
    """DTO_rich_text: Editor.js data with its HTML twin and derived text facts."""

    read_only_fields: ClassVar[frozenset[str]] = frozenset({"plain_preview"})

    html: str | None = None
    editorjs: EditorJs | None = None
    read_minutes: int | None = None
    plain_preview: str | None = read_only()
    # Some DeskHero pages add a ProseMirror-style tree; kept untouched when present.
    tiptap: Any = None


class ReferenceAttachment(DeskHeroModel):
    """DTO_reference_attachment: an uploaded file; only `id` is writable."""

    read_only_fields: ClassVar[frozenset[str]] = frozenset(
        {"size_kb", "status", "status_message", "download_url", "label"}
    )

    id: int | None = None
    size_kb: int | None = read_only()
    status: AttachmentStatus | None = read_only()
    status_message: str | None = read_only()
    download_url: str | None = read_only()
    label: Any = read_only()


class Ticket(DeskHeroModel):
    """DTO_ticket: built-in `sys_` properties plus one property per configured field.

    Values of configured fields are not declared: they live in `model_extra` (see
    `custom_fields`) and round-trip unchanged.
    """

    read_only_fields: ClassVar[frozenset[str]] = frozenset(
        {"id", "created", "last_updated", "created_by", "last_updated_by"}
    )

    id: int | None = read_only()
    created: datetime | str | None = read_only()
    last_updated: datetime | str | None = read_only()
    created_by: ReferenceUser | None = read_only()
    last_updated_by: ReferenceUser | None = read_only()

    subject: str | None = None
    requester: Contact | None = None
    sys_content_rich: RichText | None = None
    sys_attachments: list[ReferenceAttachment] | None = None
    sys_tags: list[Reference] | None = None
    sys_status: Reference | None = None

    @property
    def custom_fields(self) -> dict[str, Any]:
        """Values of configured (dynamic) fields, keyed by their `unique_key`."""
        return dict(self.model_extra or {})


class MultiOption(DeskHeroModel):
    """DTO_multi_option: the choices of a selectable field."""

    options: list[Reference] = Field(default_factory=list)
    type: int | None = None
    list_id: int | None = None
    field_id: int | None = None


class DeskHeroField(DeskHeroModel):
    """DTO_field: a configured ticket field as the tenant describes it."""

    read_only_fields: ClassVar[frozenset[str]] = frozenset(
        {"id", "created", "last_updated", "created_by", "last_updated_by"}
    )

    id: int | None = read_only()
    label: Any = None
    unique_key: str | None = None
    # The numeric meaning of data_type and type is undocumented: kept as raw integers.
    data_type: int | None = None
    type: int | None = None
    validation_regex: str | None = None
    validation_error_message: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    multi_option: MultiOption | None = None
    icon_id: int | None = None
    icon_file: str | None = None
    favorite: bool | None = None
    allow_in_external_forms: bool | None = None
    created: datetime | str | None = read_only()
    last_updated: datetime | str | None = read_only()
    created_by: ReferenceUser | None = read_only()
    last_updated_by: ReferenceUser | None = read_only()


class FormExternalResponse(DeskHeroModel):
    """DTO_form_external_response: a public form as the tenant serves it."""

    fields: list[DeskHeroField] = Field(default_factory=list)
    group: Reference | None = None
    main_language: str | None = None
    required_field_ids: list[int] = Field(default_factory=list)
    color_primary: str | None = None
    color_secondary: str | None = None
    language: str | None = None  # deprecated by DeskHero, still sent by some tenants


def label_text(label: Any, language: str | None = None) -> str:
    """Best plain-text reading of a DeskHero `label` (an untyped Object: text or translations)."""
    if label is None:
        return ""
    if isinstance(label, str):
        return label
    if isinstance(label, dict):
        if language and isinstance(label.get(language), str):
            return str(label[language])
        for key in ("label", "name", "text", "value", "en"):
            if isinstance(label.get(key), str):
                return str(label[key])
        for value in label.values():
            if isinstance(value, str):
                return value
        return ""
    return str(label)
