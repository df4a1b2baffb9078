"""The sample forms in forms/ agree with the contract tables in docs/sample-forms.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.core.form.loading import parse_form
from desktop_app.core.form.model import (
    CHOICE_TYPES,
    NUMBER_TYPES,
    TEXT_TYPES,
    Condition,
    FieldType,
    Form,
    Operator,
    Rule,
)

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = (ROOT / "docs" / "sample-forms.md").read_text(encoding="utf-8")
SECTION = re.compile(
    r"^## `forms/(?P<file>[\w-]+\.json)` — target form `(?P<target>[^`]+)`(?P<rest>.*)$"
)


@dataclass
class Row:
    key: str
    type: str
    maps_to: str
    notes: str


@dataclass
class Section:
    file: str
    target: str
    heading: str
    rows: list[Row]
    subject_template: str | None


def _sections() -> list[Section]:
    sections: list[Section] = []
    for line in CONTRACT.splitlines():
        heading = SECTION.match(line)
        if heading:
            sections.append(Section(heading["file"], heading["target"], heading["rest"], [], None))
        elif sections and line.startswith("| ") and not line.startswith("| key "):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            sections[-1].rows.append(Row(*cells))
        elif sections and (template := re.match(r"Subject template: `([^`]+)`", line)):
            sections[-1].subject_template = template[1]
        elif line.startswith("## "):
            sections.append(Section("", "", "", [], None))  # a section that is no sample form
    return [section for section in sections if section.file]


SECTIONS = _sections()


def _form(section: Section) -> Form:
    path = ROOT / "forms" / section.file
    return parse_form(path.read_text(encoding="utf-8"), str(path))


def _params() -> list[tuple[Section, Row]]:
    return [(section, row) for section in SECTIONS for row in section.rows]


def test_the_contract_lists_the_three_samples() -> None:
    """Guards the parser below: if the doc's layout changes, these tests must not pass vacuously."""
    assert [section.file for section in SECTIONS] == [
        "it-support.json",
        "walk-in-intake.json",
        "bug-report.json",
    ]
    assert [len(section.rows) for section in SECTIONS] == [8, 7, 12]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda section: section.file)
def test_form_level_contract(section: Section) -> None:
    form = _form(section)
    assert form.id == Path(section.file).stem
    assert form.target.form == section.target
    assert form.target.subject_template == section.subject_template
    assert form.target.tag_ids == [int(tag) for tag in re.findall(r"tag (\d+)", section.heading)]
    assert {field.key for field in form.fields} == {row.key for row in section.rows}


@pytest.mark.parametrize(
    ("section", "row"), _params(), ids=lambda value: getattr(value, "key", None) or value.file
)
def test_field_contract(section: Section, row: Row) -> None:
    field = _form(section).field(row.key)
    notes = row.notes
    assert field.type == FieldType(row.type)

    custom = re.fullmatch(r"custom `(\w+)`", row.maps_to)
    if custom:
        assert field.maps_to is None
        assert field.target == custom[1]
    else:
        assert field.maps_to == row.maps_to

    required = notes.startswith("required") or "required then" in notes
    assert field.required is required, notes

    if field.type in CHOICE_TYPES:
        expected = {name: int(ref) for name, ref in re.findall(r"(\w+) (\d+)\b", notes)}
        assert {option.id: option.reference_id for option in field.options} == expected
        default = re.search(r"(\w+) \d+ \(default\)", notes)
        assert field.default == (default[1] if default else None)

    pattern = re.search(r"pattern `([^`]+)`", notes)
    assert field.pattern == (pattern[1] if pattern else None)

    shown_when = re.search(r"shown only when (\w+) = (\w+)", notes)
    expected_condition = (
        Condition(rules=[Rule(field=shown_when[1], op=Operator.EQUALS, value=shown_when[2])])
        if shown_when
        else None
    )
    assert field.visible_when == expected_condition

    limits = re.search(r"max (\d+) (files|images), (\d+) MB each", notes)
    if field.type is FieldType.ATTACHMENTS:
        assert limits, notes
        assert field.attachment_limits.max_files == int(limits[1])
        assert field.attachment_limits.max_file_size_mb == int(limits[3])
        extensions = re.findall(r"(\.\w+)", notes)
        accept = field.attachment_limits.accept
        if extensions:
            assert accept == extensions
        if limits[2] == "images":
            assert accept
            assert all(kind in {".png", ".jpg", ".jpeg", ".gif", ".webp"} for kind in accept)
    elif field.type in TEXT_TYPES:
        maximum = re.search(r"max (\d+)", notes)
        assert field.max_length == (int(maximum[1]) if maximum else None)
    elif field.type in NUMBER_TYPES:
        minimum, maximum = re.search(r"min (\d+)", notes), re.search(r"max (\d+)", notes)
        assert field.min_value == (int(minimum[1]) if minimum else None)
        assert field.max_value == (int(maximum[1]) if maximum else None)

    fixed = re.search(r"fixed value `([^`]+)`", notes)
    if field.type is FieldType.HIDDEN:
        assert fixed
        assert field.default == fixed[1]


def test_must_be_yes_is_a_required_yesno() -> None:
    """The contract's "required and must be yes" is what `required` means for a yesno field."""
    consent = _form(SECTIONS[1]).field("consent")
    assert consent.type is FieldType.YESNO
    assert consent.required
