"""Which column of an answers file fills which field: a suggestion, and what to tell the user."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from desktop_app.core.form.model import FieldType, Form, FormField
from desktop_app.core.form.rows.cells import fold

# Column name -> field key, or None for a column that is ignored.
ColumnMapping = dict[str, str | None]

# Fields a file cannot fill: files cannot be imported, hidden fields carry their default.
_NOT_IMPORTABLE = frozenset({FieldType.ATTACHMENTS, FieldType.HIDDEN})


def importable_fields(form: Form) -> list[FormField]:
    """The fields a column can fill, in form order."""
    return [field for field in form.fields if field.type not in _NOT_IMPORTABLE]


def suggest_mapping(form: Form, columns: Sequence[str]) -> ColumnMapping:
    """Match columns to fields by field key, then by label (case, spaces and punctuation do
    not count); each field gets at most one column, the first that matches."""
    fields = importable_fields(form)
    mapping: ColumnMapping = dict.fromkeys(columns)
    used: set[str] = set()
    for by_label in (False, True):
        by_name: dict[str, str] = {}
        for field in fields:
            by_name.setdefault(fold(field.label if by_label else field.key), field.key)
        for column in columns:
            key = by_name.get(fold(column))
            if mapping[column] is None and key is not None and key not in used:
                mapping[column] = key
                used.add(key)
    return mapping


def mapping_errors(form: Form, mapping: Mapping[str, str | None]) -> list[str]:
    """What makes a mapping unusable: unknown fields, a field fed by two columns."""
    keys = {field.key for field in form.fields}
    errors: list[str] = []
    seen: dict[str, str] = {}
    for column, key in mapping.items():
        if key is None:
            continue
        if key not in keys:
            errors.append(f"Column “{column}” is set to field '{key}', which this form lacks.")
        elif key in seen:
            label = form.field(key).label
            errors.append(
                f"Columns “{seen[key]}” and “{column}” both fill “{label}”; ignore one of them."
            )
        else:
            seen[key] = column
    return errors


def _always_shown(form: Form, field: FormField) -> bool:
    page = next(page for page in form.pages if any(f is field for f in page.fields))
    return field.visible_when is None and page.visible_when is None


def mapping_notes(form: Form, mapping: Mapping[str, str | None]) -> list[str]:
    """Warnings about a mapping: required fields without a column, columns of files (ignored)."""
    mapped = {key for key in mapping.values() if key is not None}
    notes: list[str] = []
    if mapping and not mapped:
        notes.append(
            "No column matches a field of this form. Does the file start with a header row of"
            " field keys or labels? Choose a field for each column below."
        )
    files = {
        fold(name): field
        for field in form.fields
        if field.type is FieldType.ATTACHMENTS
        for name in (field.key, field.label)
    }
    for column, key in mapping.items():
        field = files.get(fold(column))
        if key is None and field is not None:
            notes.append(
                f"Column “{column}” looks like “{field.label}”, but files cannot be imported"
                " from a CSV or JSON Lines file; the column is ignored."
            )
    for field in form.fields:
        if not field.required or field.key in mapped or field.default is not None:
            continue
        rows = "every row" if _always_shown(form, field) else "every row that shows it"
        if field.type is FieldType.ATTACHMENTS:
            notes.append(
                f"“{field.label}” needs files, which cannot be imported: {rows} will be invalid."
            )
        elif field.type is not FieldType.HIDDEN:
            notes.append(
                f"No column fills the required field “{field.label}”: {rows} will be invalid."
            )
    return notes
