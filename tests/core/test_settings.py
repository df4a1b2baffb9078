"""AppSettings: defaults, validation, migrations, and reading any stored dict without raising."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from desktop_app.core.settings import (
    MIGRATIONS,
    SCHEMA_VERSION,
    SETTING_NAMES,
    AppSettings,
    settings_from_dict,
)

CHANGED: dict[str, Any] = {
    "theme": "dark",
    "font_scale": 1.5,
    "default_profile": "Helpdesk",
    "autosend": False,
    "concurrency": 8,
    "confirm_before_send": True,
    "after_send": "close",
}


def test_defaults() -> None:
    made = AppSettings()
    assert made.to_dict() == {
        "version": SCHEMA_VERSION,
        "theme": "system",
        "font_scale": 1.0,
        "default_profile": None,
        "autosend": True,
        "concurrency": 4,
        "confirm_before_send": False,
        "after_send": "reset",
    }


def test_every_setting_is_covered_by_these_tests() -> None:
    assert set(CHANGED) == set(SETTING_NAMES)


def test_a_saved_dict_reads_back_the_same() -> None:
    made = AppSettings(**CHANGED)
    loaded = settings_from_dict(json.loads(json.dumps(made.to_dict())))
    assert loaded.settings == made
    assert loaded.warnings == []
    assert loaded.newer_version is None


def test_replace_validates() -> None:
    made = AppSettings().replace(theme="dark")
    assert made.theme == "dark"
    with pytest.raises(ValidationError):
        AppSettings().replace(concurrency=0)
    with pytest.raises(ValidationError):
        AppSettings().replace(font_scale=2.5)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("theme", "blue"),
        ("theme", 3),
        ("font_scale", 0.5),
        ("font_scale", 2.01),
        ("font_scale", "huge"),
        ("font_scale", True),
        ("default_profile", 12),
        ("autosend", "maybe"),
        ("concurrency", 0),
        ("concurrency", 65),
        ("concurrency", 2.5),
        ("concurrency", True),
        ("confirm_before_send", [1]),
        ("after_send", "explode"),
    ],
)
def test_an_invalid_value_falls_back_to_its_default_and_names_the_setting(
    name: str, value: object
) -> None:
    others = {key: v for key, v in CHANGED.items() if key != name}
    loaded = settings_from_dict({"version": SCHEMA_VERSION, **others, name: value})
    assert getattr(loaded.settings, name) == getattr(AppSettings(), name)
    for key, kept in others.items():
        assert getattr(loaded.settings, key) == kept  # the other settings survive
    assert len(loaded.warnings) == 1
    assert f"'{name}'" in loaded.warnings[0]
    assert "\n" not in loaded.warnings[0]


def test_a_long_invalid_value_is_cut_in_the_warning() -> None:
    loaded = settings_from_dict({"theme": "x\n" * 500})
    assert len(loaded.warnings[0]) < 160
    assert "\n" not in loaded.warnings[0]


def test_choices_are_read_whatever_their_case() -> None:
    loaded = settings_from_dict({"theme": " Dark ", "after_send": "CLOSE"})
    assert (loaded.settings.theme, loaded.settings.after_send) == ("dark", "close")
    assert loaded.warnings == []


def test_font_scale_keeps_two_decimals() -> None:
    assert AppSettings(font_scale=1.23456).font_scale == 1.23


def test_a_blank_default_profile_means_none() -> None:
    assert settings_from_dict({"default_profile": "  "}).settings.default_profile is None


def test_unknown_keys_are_dropped_without_a_warning() -> None:
    loaded = settings_from_dict({"theme": "dark", "shiny_new_thing": 1, "": None})
    assert loaded.settings.theme == "dark"
    assert loaded.warnings == []
    assert "shiny_new_thing" not in loaded.settings.to_dict()


def test_a_dict_without_version_is_version_1() -> None:
    loaded = settings_from_dict({"concurrency": 9})
    assert loaded.settings.concurrency == 9
    assert loaded.settings.version == SCHEMA_VERSION
    assert loaded.warnings == []


def test_a_newer_version_reads_as_defaults_with_a_warning() -> None:
    loaded = settings_from_dict({"version": SCHEMA_VERSION + 1, "theme": "dark"})
    assert loaded.settings == AppSettings()
    assert loaded.newer_version == SCHEMA_VERSION + 1
    assert len(loaded.warnings) == 1
    assert "newer DeskForms" in loaded.warnings[0]


@pytest.mark.parametrize("version", ["two", -1, 0, True, 1.5, None])
def test_an_invalid_version_is_read_as_the_current_one(version: object) -> None:
    loaded = settings_from_dict({"version": version, "theme": "dark"})
    assert loaded.settings.theme == "dark"
    assert len(loaded.warnings) == 1
    assert "'version'" in loaded.warnings[0]


@pytest.mark.parametrize("raw", [[], "settings", 3, None, 1.5, True])
def test_a_value_that_is_not_an_object_reads_as_defaults(raw: object) -> None:
    loaded = settings_from_dict(raw)
    assert loaded.settings == AppSettings()
    assert len(loaded.warnings) == 1


def test_migrations_cover_every_older_version() -> None:
    assert set(MIGRATIONS) == set(range(1, SCHEMA_VERSION))


# A made-up history: version 1 called the theme "dark_mode" (a bool), version 2 stored the
# font size as a percentage, version 3 is today's shape.
def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    dark = data.pop("dark_mode", None)
    if dark is not None:
        data["theme"] = "dark" if dark else "light"
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    if "font_percent" in data:
        data["font_scale"] = data.pop("font_percent") / 100
    return data


HISTORY = {1: _v1_to_v2, 2: _v2_to_v3}


def test_migrations_run_in_order_from_the_stored_version() -> None:
    loaded = settings_from_dict(
        {"version": 1, "dark_mode": True, "font_percent": 150}, migrations=HISTORY, current=3
    )
    assert (loaded.settings.theme, loaded.settings.font_scale) == ("dark", 1.5)
    assert loaded.warnings == []
    from_v2 = settings_from_dict(
        {"version": 2, "dark_mode": True, "font_percent": 125}, migrations=HISTORY, current=3
    )
    # The v1 step did not run on a v2 dict: dark_mode is an unknown key there, dropped.
    assert (from_v2.settings.theme, from_v2.settings.font_scale) == ("system", 1.25)


def test_a_failing_migration_step_warns_and_keeps_the_valid_settings() -> None:
    loaded = settings_from_dict(
        {"version": 2, "font_percent": "big", "concurrency": 7}, migrations=HISTORY, current=3
    )
    assert loaded.settings.concurrency == 7
    assert loaded.settings.font_scale == 1.0
    assert any("from version 2 to 3 failed" in text for text in loaded.warnings)


def test_a_missing_migration_step_warns() -> None:
    loaded = settings_from_dict({"version": 1, "theme": "dark"}, migrations={}, current=2)
    assert loaded.settings.theme == "dark"
    assert any("cannot upgrade settings version 1" in text for text in loaded.warnings)


def test_a_migration_gets_a_copy() -> None:
    stored: dict[str, Any] = {"version": 1, "dark_mode": False}
    settings_from_dict(stored, migrations=HISTORY, current=3)
    assert stored == {"version": 1, "dark_mode": False}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from([*SETTING_NAMES, "version"]) | st.text(max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, JSON, max_size=10))
def test_any_json_object_loads_without_raising(raw: dict[str, Any]) -> None:
    loaded = settings_from_dict(raw)
    assert isinstance(loaded.settings, AppSettings)
    assert all(isinstance(text, str) and "\n" not in text for text in loaded.warnings)
    # Whatever was read can be saved and reads back the same, silently.
    again = settings_from_dict(json.loads(json.dumps(loaded.settings.to_dict())))
    assert again.settings == loaded.settings
    assert again.warnings == []


@settings(max_examples=100, deadline=None)
@given(JSON)
def test_any_json_value_loads_without_raising(raw: object) -> None:
    assert isinstance(settings_from_dict(raw).settings, AppSettings)
