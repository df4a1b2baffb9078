"""The seeded demo tenant: field catalog, forms, groups and tags (see docs/sample-forms.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

TENANT: Final = "demo"
MAIN_LANGUAGE: Final = "en"

# DeskHero leaves the numeric meaning of DTO_field.data_type and .type undocumented; these
# are the sandbox's own values. Clients must treat them as opaque.
DATA_STRING: Final = 1
DATA_INTEGER: Final = 2
DATA_DECIMAL: Final = 3
DATA_BOOLEAN: Final = 4
DATA_DATETIME: Final = 5
DATA_REFERENCE: Final = 6
DATA_REFERENCE_LIST: Final = 7
DATA_RICH_TEXT: Final = 8
DATA_ATTACHMENTS: Final = 9

TYPE_TEXT: Final = 1
TYPE_TEXTAREA: Final = 2
TYPE_EMAIL: Final = 3
TYPE_PHONE: Final = 4
TYPE_URL: Final = 5
TYPE_NUMBER: Final = 6
TYPE_CHECKBOX: Final = 7
TYPE_DATETIME: Final = 8
TYPE_DROPDOWN: Final = 9
TYPE_MULTISELECT: Final = 10
TYPE_RICH_EDITOR: Final = 11
TYPE_FILES: Final = 12
TYPE_HIDDEN: Final = 13
TYPE_TAGS: Final = 14

# A fixed timestamp keeps served catalogs byte-identical between runs.
SEEDED_AT: Final = "2024-01-15T09:00:00Z"


@dataclass(frozen=True)
class Option:
    """One choice of a selectable field: DeskHero knows it by `ref_id`, forms by `key`."""

    ref_id: int
    key: str
    label: str


@dataclass(frozen=True)
class CatalogField:
    """A configured ticket field of the tenant."""

    id: int
    key: str
    label: str
    data_type: int
    type: int
    options: tuple[Option, ...] = ()
    regex: str | None = None
    regex_message: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    external: bool = True

    @property
    def is_choice(self) -> bool:
        return self.data_type in (DATA_REFERENCE, DATA_REFERENCE_LIST)

    def option(self, value: int | str) -> Option | None:
        """The option a reference id (int) or an option key (str) names."""
        for option in self.options:
            matches = option.ref_id == value if isinstance(value, int) else option.key == value
            if matches:
                return option
        return None

    def to_dto(self) -> dict[str, Any]:
        """This field as a DTO_field JSON object."""
        multi_option = None
        if self.is_choice:
            multi_option = {
                "options": [{"id": o.ref_id, "label": o.label} for o in self.options],
                "type": 2 if self.data_type == DATA_REFERENCE_LIST else 1,
                "list_id": self.id * 10,
                "field_id": self.id,
            }
        return {
            "id": self.id,
            "label": self.label,
            "unique_key": self.key,
            "data_type": self.data_type,
            "type": self.type,
            "validation_regex": self.regex,
            "validation_error_message": self.regex_message,
            "min_value": self.min_value,
            "max_value": self.max_value,
            "multi_option": multi_option,
            "icon_id": None,
            "icon_file": None,
            "favorite": False,
            "allow_in_external_forms": self.external,
            "created": SEEDED_AT,
            "last_updated": SEEDED_AT,
            "created_by": None,
            "last_updated_by": None,
        }


@dataclass(frozen=True)
class Form:
    """A stored external form: which fields it shows and which it requires."""

    key: str
    label: str
    group_id: int
    fields: tuple[str, ...]
    required: tuple[str, ...] = ()
    enabled: bool = True
    color_primary: str = "#1F6FEB"
    color_secondary: str = "#F6F8FA"


TAGS: Final = (
    Option(201, "low", "Low"),
    Option(202, "medium", "Medium"),
    Option(203, "high", "High"),
    Option(204, "critical", "Critical"),
    Option(301, "walk-in", "Walk-in"),
)
TAG_LABELS: Final = {tag.ref_id: tag.label for tag in TAGS}

GROUPS: Final = {1: "IT Support", 2: "Front Desk", 3: "Product", 4: "Archive"}

# Built-in properties are fields too, so a form can list and require them; their rules
# (subject length, rich text shape, ...) live in validation.py.
BUILTIN_KEYS: Final = frozenset({"subject", "sys_content_rich", "sys_attachments", "sys_tags"})

FIELDS: Final = (
    CatalogField(1, "subject", "Subject", DATA_STRING, TYPE_TEXT),
    CatalogField(2, "sys_content_rich", "Description", DATA_RICH_TEXT, TYPE_RICH_EDITOR),
    CatalogField(3, "sys_attachments", "Attachments", DATA_ATTACHMENTS, TYPE_FILES),
    CatalogField(4, "sys_tags", "Tags", DATA_REFERENCE_LIST, TYPE_TAGS, options=TAGS),
    CatalogField(
        10,
        "category",
        "Category",
        DATA_REFERENCE,
        TYPE_DROPDOWN,
        options=(
            Option(101, "hardware", "Hardware"),
            Option(102, "software", "Software"),
            Option(103, "access", "Access"),
            Option(104, "network", "Network"),
            Option(105, "other", "Other"),
        ),
    ),
    CatalogField(
        11,
        "serial",
        "Serial number",
        DATA_STRING,
        TYPE_TEXT,
        regex=r"^[A-Z0-9]{8,12}$",
        regex_message="A serial number is 8 to 12 capital letters or digits.",
    ),
    CatalogField(
        12,
        "urgency",
        "Urgency",
        DATA_REFERENCE,
        TYPE_DROPDOWN,
        options=(
            Option(111, "low", "Low"),
            Option(112, "normal", "Normal"),
            Option(113, "high", "High"),
        ),
    ),
    CatalogField(20, "phone", "Phone", DATA_STRING, TYPE_PHONE),
    CatalogField(
        21,
        "reason",
        "Reason for visit",
        DATA_REFERENCE,
        TYPE_DROPDOWN,
        options=(
            Option(121, "account", "Account"),
            Option(122, "device", "Device"),
            Option(123, "billing", "Billing"),
            Option(124, "other", "Other"),
        ),
    ),
    CatalogField(22, "consent", "Consent to store my details", DATA_BOOLEAN, TYPE_CHECKBOX),
    CatalogField(23, "channel", "Channel", DATA_STRING, TYPE_HIDDEN),
    CatalogField(30, "summary", "Summary", DATA_STRING, TYPE_TEXT),
    CatalogField(
        31,
        "component",
        "Component",
        DATA_REFERENCE,
        TYPE_DROPDOWN,
        options=(
            Option(131, "desktop", "Desktop"),
            Option(132, "web", "Web"),
            Option(133, "api", "API"),
            Option(134, "other", "Other"),
        ),
    ),
    CatalogField(
        32,
        "platforms",
        "Platforms",
        DATA_REFERENCE_LIST,
        TYPE_MULTISELECT,
        options=(
            Option(141, "windows", "Windows"),
            Option(142, "macos", "macOS"),
            Option(143, "linux", "Linux"),
        ),
    ),
    CatalogField(
        33,
        "app_version",
        "App version",
        DATA_STRING,
        TYPE_TEXT,
        regex=r"^\d+\.\d+(\.\d+)?$",
        regex_message="A version looks like 1.2 or 1.2.3.",
    ),
    CatalogField(34, "page_url", "Page URL", DATA_STRING, TYPE_URL),
    CatalogField(35, "occurred_at", "Occurred at", DATA_DATETIME, TYPE_DATETIME),
    CatalogField(
        36,
        "affected_users",
        "Affected users",
        DATA_INTEGER,
        TYPE_NUMBER,
        min_value=1,
        max_value=100000,
    ),
    CatalogField(37, "reproducible", "Reproducible", DATA_BOOLEAN, TYPE_CHECKBOX),
    # Agents only: shows that external_dynamic refuses fields not allowed in external forms.
    CatalogField(
        90, "internal_notes", "Internal notes", DATA_STRING, TYPE_TEXTAREA, external=False
    ),
)
FIELDS_BY_KEY: Final = {f.key: f for f in FIELDS}

FORMS: Final = (
    Form(
        key="it-support",
        label="IT support request",
        group_id=1,
        fields=(
            "subject",
            "sys_content_rich",
            "sys_attachments",
            "category",
            "serial",
            "urgency",
        ),
        required=("subject", "sys_content_rich", "category"),
    ),
    Form(
        key="walk-in-intake",
        label="Walk-in intake",
        group_id=2,
        fields=("subject", "sys_content_rich", "sys_tags", "phone", "reason", "consent", "channel"),
        required=("subject", "reason", "consent"),
        color_primary="#2DA44E",
    ),
    Form(
        key="bug-report",
        label="Bug report",
        group_id=3,
        fields=(
            "subject",
            "sys_content_rich",
            "sys_attachments",
            "sys_tags",
            "summary",
            "component",
            "platforms",
            "app_version",
            "page_url",
            "occurred_at",
            "affected_users",
            "reproducible",
        ),
        required=("subject", "sys_content_rich", "sys_tags", "summary", "component"),
        color_primary="#CF222E",
    ),
    Form(
        key="retired-form",
        label="Retired form",
        group_id=4,
        fields=("subject", "sys_content_rich"),
        required=("subject",),
        enabled=False,
    ),
)
FORMS_BY_KEY: Final = {f.key: f for f in FORMS}


@dataclass(frozen=True)
class Catalog:
    """Read-only lookups over the seeded tenant."""

    tenant: str = TENANT
    fields: dict[str, CatalogField] = field(default_factory=lambda: dict(FIELDS_BY_KEY))
    forms: dict[str, Form] = field(default_factory=lambda: dict(FORMS_BY_KEY))
    tags: dict[int, str] = field(default_factory=lambda: dict(TAG_LABELS))
    groups: dict[int, str] = field(default_factory=lambda: dict(GROUPS))

    def active_form(self, key: str | None) -> Form | None:
        """The enabled form with this key; None when unknown or disabled."""
        form = self.forms.get(key or "")
        return form if form is not None and form.enabled else None

    def group_ref(self, group_id: int | None) -> dict[str, Any] | None:
        """A DTO_reference of a group."""
        if group_id is None:
            return None
        return {"id": group_id, "label": self.groups.get(group_id)}

    def form_response(self, form: Form, language: str | None) -> dict[str, Any]:
        """DTO_form_external_response of a stored form."""
        fields = [self.fields[key] for key in form.fields]
        return {
            "fields": [f.to_dto() for f in fields],
            "group": self.group_ref(form.group_id),
            "main_language": MAIN_LANGUAGE,
            "required_field_ids": [self.fields[key].id for key in form.required],
            "color_primary": form.color_primary,
            "color_secondary": form.color_secondary,
            "language": language or MAIN_LANGUAGE,
        }
