"""The published JSON Schema of the form format, generated from the `Form` model."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.core.form.model import Form

SCHEMA_ID = "https://deskforms.example/schema/form-1.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def form_json_schema() -> dict[str, Any]:
    """The JSON Schema of a form file (pydantic's draft 2020-12 output, plus identity)."""
    schema = Form.model_json_schema()
    schema.update(
        {
            "$schema": SCHEMA_DIALECT,
            "$id": SCHEMA_ID,
            "title": "DeskForms form",
            "description": (
                "A DeskForms form file: pages of fields and static content, and how the answers"
                " become a DeskHero ticket. Rules that span fields (unique keys, conditions that"
                " name real fields, one field per single-valued ticket property) are checked by"
                " DeskForms when it loads the file."
            ),
        }
    )
    # The model defaults `format` for code that builds forms, but a file without it is not a
    # form file (parse_form refuses it), so the published schema requires it.
    schema["required"] = ["format", *schema.get("required", [])]
    return schema


def schema_text() -> str:
    """The schema as committed in resources/form.schema.json: sorted, indented, newline-ended."""
    return json.dumps(form_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
