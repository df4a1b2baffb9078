"""The seeded demo tenant agrees with docs/sample-forms.md and serves valid DTO_field objects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop_app.core.dto import DeskHeroField
from desktop_app.sandbox.catalog import FIELDS, Catalog

DOC = Path(__file__).resolve().parents[2] / "docs" / "sample-forms.md"
SECTION = re.compile(r"^## `forms/[\w-]+\.json` — target form `([\w-]+)`", re.MULTILINE)
ROW = re.compile(r"^\| (\w+) \| (\w+) \| ([^|]+) \|\s*([^|]*?)\s*\|$", re.MULTILINE)
CUSTOM = re.compile(r"custom `(\w+)`")
OPTION = re.compile(r"([a-z]+) (\d{3})\b")
PATTERN = re.compile(r"pattern `([^`]+)`")
BOUNDS = re.compile(r"min (\d+), max (\d+)")


def documented_forms() -> dict[str, list[tuple[str, str, str, str]]]:
    text = DOC.read_text(encoding="utf-8")
    sections = SECTION.split(text)[1:]
    return {key: ROW.findall(body) for key, body in zip(sections[::2], sections[1::2], strict=True)}


def test_the_document_describes_three_forms() -> None:
    assert set(documented_forms()) == {"it-support", "walk-in-intake", "bug-report"}


@pytest.mark.parametrize("form_key", ["it-support", "walk-in-intake", "bug-report"])
def test_documented_custom_fields_and_option_ids_match_the_catalog(form_key: str) -> None:
    catalog = Catalog()
    form = catalog.active_form(form_key)
    assert form is not None
    rows = [row for row in documented_forms()[form_key] if row[0] != "key"]
    assert len(rows) >= 7
    for _key, kind, maps_to, notes in rows:
        custom = CUSTOM.search(maps_to)
        target = custom.group(1) if custom else maps_to.strip()
        required = notes.startswith("required") and "required then" not in notes
        if required and (custom or target.startswith("sys_")):
            assert target in form.required, (form_key, target)
        if custom:
            assert target in form.fields, (form_key, target)
            field = catalog.fields[target]
            if pattern := PATTERN.search(notes):
                assert field.regex == pattern.group(1)
            if bounds := BOUNDS.search(notes):
                assert (field.min_value, field.max_value) == tuple(map(float, bounds.groups()))
        if kind in ("choice", "multichoice"):
            field = catalog.fields[target]
            documented = {(k, int(i)) for k, i in OPTION.findall(notes)}
            assert documented, notes
            assert documented <= {(o.key, o.ref_id) for o in field.options}, (target, documented)


def test_walk_in_tag_and_retired_form() -> None:
    catalog = Catalog()
    assert catalog.tags[301] == "Walk-in"
    assert {201, 202, 203, 204} <= set(catalog.tags)
    assert "retired-form" in catalog.forms and catalog.active_form("retired-form") is None
    assert catalog.tenant == "demo"


@pytest.mark.parametrize("field", FIELDS, ids=[f.key for f in FIELDS])
def test_every_field_is_a_valid_dto_field(field: object) -> None:
    dto = DeskHeroField.model_validate(field.to_dto())  # type: ignore[attr-defined]
    assert dto.unique_key == field.key  # type: ignore[attr-defined]
    assert (dto.multi_option is not None) == field.is_choice  # type: ignore[attr-defined]


def test_field_ids_and_option_ids_are_unique() -> None:
    assert len({f.id for f in FIELDS}) == len(FIELDS)
    for field in FIELDS:
        assert len({o.ref_id for o in field.options}) == len(field.options)
        assert len({o.key for o in field.options}) == len(field.options)
