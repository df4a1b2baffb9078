"""Converting DeskHero's DTO_form_external_response into a local form."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.dto import FormExternalResponse
from desktop_app.core.form.from_deskhero import (
    DeskHeroFormError,
    convert_deskhero_form,
    form_from_deskhero,
)
from desktop_app.core.form.loading import dump_form, parse_form
from desktop_app.core.form.model import FieldType, Form

NAMES = {"form_id": "demo-form", "title": "Demo form", "target_form": "demo"}


def _response(*fields: dict[str, Any], **extra: Any) -> FormExternalResponse:
    return FormExternalResponse.model_validate({"fields": list(fields), **extra})


def _convert(*fields: dict[str, Any], **extra: Any) -> Form:
    return form_from_deskhero(_response(*fields, **extra), **NAMES)


def test_a_typical_form_converts() -> None:
    response = _response(
        {"id": 1, "label": "Serial number", "unique_key": "serial", "data_type": 1, "type": 2},
        {
            "id": 2,
            "label": {"en": "Category", "de": "Kategorie"},
            "unique_key": "category",
            "multi_option": {
                "options": [{"id": 101, "label": {"en": "Hardware"}}, {"id": 102}],
                "type": 4,
                "list_id": 77,
                "field_id": 2,
            },
        },
        required_field_ids=[2],
        main_language="en",
    )
    form = form_from_deskhero(response, **NAMES, group="support")

    assert (form.id, form.title, form.target.form, form.target.group) == (
        "demo-form",
        "Demo form",
        "demo",
        "support",
    )
    assert form.language == "en"
    assert len(form.pages) == 1
    serial, category = form.fields
    assert (serial.key, serial.type, serial.label, serial.required) == (
        "serial",
        FieldType.TEXT,
        "Serial number",
        False,
    )
    assert serial.maps_to is None  # answers go to the custom field named by the key
    assert (category.type, category.required) == (FieldType.CHOICE, True)
    assert [(o.id, o.label, o.reference_id) for o in category.options] == [
        ("101", "Hardware", 101),
        ("102", "Option 2", 102),
    ]
    assert category.deskhero is not None
    assert category.deskhero.model_dump(exclude_none=True) == {
        "field_id": 2,
        "multi_option_type": 4,
        "list_id": 77,
    }
    assert serial.deskhero is not None
    assert (serial.deskhero.field_id, serial.deskhero.data_type, serial.deskhero.type) == (1, 1, 2)


def test_every_deskhero_attribute_is_kept() -> None:
    form = _convert(
        {
            "id": 9,
            "label": "Code",
            "unique_key": "code",
            "data_type": 3,
            "type": 5,
            "icon_id": 12,
            "icon_file": "code.svg",
            "favorite": True,
            "allow_in_external_forms": True,
            "multi_option": {"options": [], "type": 1, "list_id": 3},
        }
    )
    link = form.fields[0].deskhero
    assert link is not None
    assert link.model_dump() == {
        "field_id": 9,
        "data_type": 3,
        "type": 5,
        "multi_option_type": 1,
        "list_id": 3,
        "icon_id": 12,
        "icon_file": "code.svg",
        "favorite": True,
        "allow_in_external_forms": True,
    }
    assert form.fields[0].type is FieldType.TEXT  # no options, no limits: text


def test_regex_and_limits_become_checks() -> None:
    code, count = _convert(
        {
            "id": 1,
            "label": "Code",
            "unique_key": "code",
            "validation_regex": "^[A-Z]{3}$",
            "validation_error_message": "Three capitals.",
        },
        {"id": 2, "label": "Count", "unique_key": "count", "min_value": 1, "max_value": 10.5},
    ).fields
    assert (code.pattern, code.pattern_message) == ("^[A-Z]{3}$", "Three capitals.")
    assert (count.type, count.min_value, count.max_value) == (FieldType.DECIMAL, 1, 10.5)


def test_built_in_keys_fill_their_property() -> None:
    form = _convert(
        {"id": 1, "label": "Subject", "unique_key": "subject"},
        {"id": 2, "label": "E-mail", "unique_key": "requester.email"},
        {"id": 3, "label": "Describe it", "unique_key": "sys_content_rich"},
        {"id": 4, "label": "Files", "unique_key": "sys_attachments"},
        {
            "id": 5,
            "label": "Tags",
            "unique_key": "sys_tags",
            "multi_option": {"options": [{"id": 201, "label": "Low"}]},
        },
    )
    assert [(f.key, f.type, f.maps_to) for f in form.fields] == [
        ("subject", FieldType.TEXT, "subject"),
        ("requester_email", FieldType.EMAIL, "requester.email"),
        ("sys_content_rich", FieldType.RICHTEXT, "sys_content_rich"),
        ("sys_attachments", FieldType.ATTACHMENTS, "sys_attachments"),
        ("sys_tags", FieldType.MULTICHOICE, "sys_tags"),
    ]


def test_what_cannot_be_used_is_left_out_with_a_note() -> None:
    conversion = convert_deskhero_form(
        _response(
            {"id": 1, "label": "Kept", "unique_key": "kept"},
            {
                "id": 2,
                "label": "Internal",
                "unique_key": "internal",
                "allow_in_external_forms": False,
            },
            {"id": 3, "label": "No key"},
            {"id": 4, "label": "Again", "unique_key": "kept"},
            {"id": 5, "label": "Status", "unique_key": "sys_status"},
            {"id": 6, "label": "Odd regex", "unique_key": "odd", "validation_regex": "(?<n>x)"},
            {
                "id": 7,
                "label": "Pick",
                "unique_key": "pick",
                "multi_option": {"options": [{"id": 1}, {"label": "no id"}, {"id": 1}]},
            },
        ),
        **NAMES,
    )
    assert [field.key for field in conversion.form.fields] == ["kept", "odd", "pick"]
    assert conversion.form.field("odd").pattern is None
    assert [option.id for option in conversion.form.field("pick").options] == ["1"]
    notes = " | ".join(conversion.notes)
    for part in (
        "field 'internal' left out: DeskHero does not allow it in external forms",
        "field 3 left out: it has no unique_key",
        "field 'kept' left out: its unique_key appears twice",
        "field 'sys_status' left out",
        "field 'odd': its regex was left out",
        "field 'pick': option 2 left out: it has no id",
        "field 'pick': option 3 left out: it repeats an id",
    ):
        assert part in notes
    assert all("\n" not in note for note in conversion.notes)


def test_keys_deskforms_cannot_use_are_rewritten_but_still_reach_deskhero() -> None:
    form = _convert(
        {"id": 1, "label": "Serial", "unique_key": "serial-no"},
        {"id": 2, "label": "Other", "unique_key": "serial_no"},
        {"id": 3, "label": "Numbered", "unique_key": "3rd party"},
    )
    assert [(f.key, f.maps_to, f.target) for f in form.fields] == [
        ("serial_no", "serial-no", "serial-no"),
        ("serial_no_2", "serial_no", "serial_no"),
        ("f_3rd_party", "3rd party", "3rd party"),
    ]


def test_missing_labels_fall_back_to_something_readable() -> None:
    form = _convert({"id": 1, "unique_key": "asset_tag"}, {"id": 2, "label": {}, "unique_key": "x"})
    assert [field.label for field in form.fields] == ["Asset tag", "X"]


def test_nothing_usable_is_a_clear_error() -> None:
    with pytest.raises(DeskHeroFormError, match="no field DeskForms can ask for"):
        _convert(
            {"id": 1, "label": "Internal", "unique_key": "i", "allow_in_external_forms": False}
        )
    with pytest.raises(DeskHeroFormError, match="no field"):
        _convert()


def test_a_bad_form_id_is_a_clear_error() -> None:
    with pytest.raises(DeskHeroFormError, match=r"at id: 'Demo Form' is not a valid form id"):
        form_from_deskhero(
            _response({"id": 1, "label": "A", "unique_key": "a"}),
            form_id="Demo Form",
            title="Demo",
            target_form="demo",
        )


def test_converted_forms_can_be_saved_and_loaded() -> None:
    form = _convert(
        {"id": 1, "label": "Pick", "unique_key": "pick", "multi_option": {"options": [{"id": 5}]}},
        {"id": 2, "label": "Count", "unique_key": "count", "min_value": 0},
        required_field_ids=[1],
    )
    assert parse_form(dump_form(form), "converted.json") == form


LABELS = (
    st.none() | st.text(max_size=20) | st.dictionaries(st.sampled_from(["en", "de"]), st.text())
)
FIELDS = st.fixed_dictionaries(
    {"id": st.none() | st.integers(0, 50)},
    optional={
        "label": LABELS,
        "unique_key": st.text(max_size=70)
        | st.sampled_from(["subject", "sys_tags", "sys_status", "requester.email", "a-b", "a_b"]),
        "validation_regex": st.text(max_size=10),
        "validation_error_message": st.text(max_size=10),
        "min_value": st.none() | st.floats(allow_nan=False, allow_infinity=False),
        "max_value": st.none() | st.floats(allow_nan=False, allow_infinity=False),
        "allow_in_external_forms": st.none() | st.booleans(),
        "multi_option": st.fixed_dictionaries(
            {
                "options": st.lists(
                    st.fixed_dictionaries(
                        {"id": st.none() | st.integers(0, 5)}, optional={"label": LABELS}
                    ),
                    max_size=4,
                )
            }
        ),
    },
)


@given(st.lists(FIELDS, max_size=8), st.lists(st.integers(0, 50), max_size=5))
def test_any_deskhero_form_converts_or_says_why(
    fields: list[dict[str, Any]], required: list[int]
) -> None:
    response = _response(*fields, required_field_ids=required)
    try:
        conversion = convert_deskhero_form(response, **NAMES)
    except DeskHeroFormError as error:
        assert "\n" not in str(error)
        return
    form = conversion.form
    kept = {field.deskhero.field_id for field in form.fields if field.deskhero}
    for field in form.fields:
        assert field.deskhero is not None
        assert field.required == (field.deskhero.field_id in set(required) - {None})
        assert field.deskhero.allow_in_external_forms is not False
    assert 0 < len(form.fields) <= len(fields)
    assert len({field.key for field in form.fields}) == len(form.fields)
    assert kept <= {field.get("id") for field in fields}
    assert parse_form(dump_form(form), "converted.json") == form
