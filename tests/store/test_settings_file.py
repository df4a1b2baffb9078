"""settings.json: atomic saves, broken and newer files kept aside, any bytes read without raising."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.settings import MAX_CONCURRENCY, MIN_CONCURRENCY, SCHEMA_VERSION, AppSettings
from desktop_app.store import DeliverySettings
from desktop_app.store.settings_file import (
    SETTINGS_FILE,
    load_settings,
    save_settings,
    settings_path,
)

CHANGED = AppSettings(theme="dark", font_scale=1.25, default_profile="Helpdesk", autosend=False)


def test_no_file_gives_the_defaults_silently(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == (AppSettings(), [])


def test_saved_settings_load_back(tmp_path: Path) -> None:
    save_settings(tmp_path, CHANGED)
    assert load_settings(tmp_path) == (CHANGED, [])
    stored = json.loads(settings_path(tmp_path).read_text(encoding="utf-8"))
    assert stored["version"] == SCHEMA_VERSION
    assert stored["theme"] == "dark"


def test_save_creates_the_data_folder(tmp_path: Path) -> None:
    save_settings(tmp_path / "new" / "data", CHANGED)
    assert load_settings(tmp_path / "new" / "data")[0] == CHANGED


def test_save_replaces_the_file_and_leaves_no_temp_files(tmp_path: Path) -> None:
    save_settings(tmp_path, AppSettings())
    save_settings(tmp_path, CHANGED)
    assert sorted(p.name for p in tmp_path.iterdir()) == [SETTINGS_FILE]
    assert load_settings(tmp_path)[0] == CHANGED


def test_save_goes_through_a_fsynced_temp_file_and_os_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        calls.append(f"replace {Path(src).parent == tmp_path} {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    save_settings(tmp_path, CHANGED)
    assert calls[:2] == ["fsync", f"replace True {SETTINGS_FILE}"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(tmp_path, AppSettings())
    before = settings_path(tmp_path).read_bytes()

    def fail(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="No space"):
        save_settings(tmp_path, CHANGED)
    assert settings_path(tmp_path).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [SETTINGS_FILE]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[1, 2]", "JSON list"),
        (b'"dark"', "JSON str"),
    ],
)
def test_a_broken_file_is_kept_aside_and_defaults_are_used(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    settings_path(tmp_path).write_bytes(content)
    loaded, warnings = load_settings(tmp_path)
    assert loaded == AppSettings()
    assert len(warnings) == 1
    assert reason in warnings[0]
    assert f"{SETTINGS_FILE}.broken" in warnings[0]
    assert (tmp_path / f"{SETTINGS_FILE}.broken").read_bytes() == content
    assert not settings_path(tmp_path).exists()


def test_an_earlier_broken_file_is_never_overwritten(tmp_path: Path) -> None:
    for content in (b"first", b"second", b"third"):
        settings_path(tmp_path).write_bytes(content)
        load_settings(tmp_path)
    assert (tmp_path / f"{SETTINGS_FILE}.broken").read_bytes() == b"first"
    assert (tmp_path / f"{SETTINGS_FILE}.broken.1").read_bytes() == b"second"
    assert (tmp_path / f"{SETTINGS_FILE}.broken.2").read_bytes() == b"third"


def test_a_file_that_cannot_be_read_is_kept_aside(tmp_path: Path) -> None:
    settings_path(tmp_path).mkdir()  # reading a folder fails with an OSError
    loaded, warnings = load_settings(tmp_path)
    assert loaded == AppSettings()
    assert len(warnings) == 1 and "kept as" in warnings[0]
    assert (tmp_path / f"{SETTINGS_FILE}.broken").is_dir()


def test_a_file_from_a_newer_version_is_kept_and_defaults_are_used(tmp_path: Path) -> None:
    newer = {"version": SCHEMA_VERSION + 1, "theme": "dark", "hologram": True}
    text = json.dumps(newer)
    settings_path(tmp_path).write_text(text, encoding="utf-8")
    loaded, warnings = load_settings(tmp_path)
    assert loaded == AppSettings()
    assert len(warnings) == 1 and "newer DeskForms" in warnings[0]
    kept = tmp_path / f"{SETTINGS_FILE}.v{SCHEMA_VERSION + 1}"
    assert kept.read_text(encoding="utf-8") == text
    save_settings(tmp_path, CHANGED)  # saving here does not touch the newer file
    assert kept.read_text(encoding="utf-8") == text


def test_invalid_values_warn_with_the_file_and_setting_but_keep_the_file(tmp_path: Path) -> None:
    settings_path(tmp_path).write_text(
        json.dumps({"version": SCHEMA_VERSION, "theme": "dark", "concurrency": 1000}),
        encoding="utf-8",
    )
    loaded, warnings = load_settings(tmp_path)
    assert loaded.theme == "dark"
    assert loaded.concurrency == AppSettings().concurrency
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{SETTINGS_FILE}: Setting 'concurrency'")
    assert settings_path(tmp_path).exists()


def test_concurrency_bounds_match_the_profiles_delivery_settings() -> None:
    for value in (MIN_CONCURRENCY, MAX_CONCURRENCY):
        DeliverySettings(concurrency=value)
    for value in (MIN_CONCURRENCY - 1, MAX_CONCURRENCY + 1):
        with pytest.raises(ValueError):
            DeliverySettings(concurrency=value)
    assert AppSettings().concurrency == DeliverySettings().concurrency


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_file_content_loads_without_raising(tmp_path: Path, content: bytes) -> None:
    for old in tmp_path.iterdir():
        old.unlink()
    settings_path(tmp_path).write_bytes(content)
    loaded, warnings = load_settings(tmp_path)
    assert isinstance(loaded, AppSettings)
    assert all("\n" not in text for text in warnings)
    # Nothing is lost: the file is either still there (it was read) or kept aside.
    kept = [p.read_bytes() for p in tmp_path.iterdir()]
    assert content in kept
