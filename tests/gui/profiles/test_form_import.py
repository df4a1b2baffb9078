"""Form import helpers (Qt-free): ids, field key lists, messages, and never overwriting another form."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.form.loading import dump_form
from desktop_app.gui.profiles.form_import import (
    ImportResult,
    _target,
    form_id_for,
    parse_field_keys,
    title_for,
)
from tests.gui.conftest import sample_form


def test_form_ids_and_titles_come_from_the_key() -> None:
    assert form_id_for(" IT Support! ") == "it-support"
    assert form_id_for("Bug_Report") == "bug_report"
    assert form_id_for("!!!") == "imported-form"
    assert len(form_id_for("x" * 100)) == 64
    assert title_for("walk-in_intake", dynamic=False) == "Walk in intake"
    assert title_for("it-support", dynamic=True) == "It support (built from fields)"


def test_field_keys_split_on_commas_and_spaces_without_repeats() -> None:
    assert parse_field_keys(" subject, category  serial,,category ") == (
        "subject",
        "category",
        "serial",
    )
    assert parse_field_keys("  ") == ()


def test_the_message_lists_what_the_converter_left_out(tmp_path: Path) -> None:
    form = sample_form()
    result = ImportResult(
        tmp_path / "it-support.json",
        form,
        ("field 'x' left out: it has no unique_key", "field 'y': its regex was left out"),
        replaced=False,
    )
    assert result.message == (
        f"Imported '{form.title}' with {len(form.fields)} fields as it-support.json. Left out:"
        " field 'x' left out: it has no unique_key; field 'y': its regex was left out."
    )


def test_a_file_holding_another_form_is_not_overwritten(tmp_path: Path) -> None:
    form = sample_form()  # id "it-support"
    assert _target(tmp_path, form.id) == (tmp_path / "it-support.json", None)
    (tmp_path / "it-support.json").write_text(dump_form(form), encoding="utf-8")
    assert _target(tmp_path, form.id) == (tmp_path / "it-support.json", form.version)
    (tmp_path / "other.json").write_text("{broken", encoding="utf-8")
    assert _target(tmp_path, "other") == (tmp_path / "other-2.json", None)
