"""Start-up before the app is loaded: the saved look is applied to the frame from settings.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from desktop_app.gui.startup import apply_saved_appearance
from desktop_app.gui.theme import is_dark


def test_the_saved_theme_and_font_size_are_applied_before_the_settings_load(
    app: QApplication, tmp_path: Path
) -> None:
    base = app.font().pointSizeF()
    (tmp_path / "settings.json").write_text(
        json.dumps({"version": 1, "theme": "dark", "font_scale": 1.5}), encoding="utf-8"
    )
    apply_saved_appearance(app, tmp_path)
    assert is_dark(app.palette())
    assert app.font().pointSizeF() == pytest.approx(base * 1.5)


@pytest.mark.parametrize(
    "content",
    [
        None,
        "not json",
        "[1, 2]",
        '{"theme": "purple"}',
        '{"theme": "dark", "font_scale": 9}',
        '{"theme": "dark", "font_scale": true}',
        '{"theme": "dark", "font_scale": "big"}',
    ],
)
def test_anything_doubtful_is_left_to_the_settings_controller(
    app: QApplication, tmp_path: Path, content: str | None
) -> None:
    if content is not None:
        (tmp_path / "settings.json").write_text(content, encoding="utf-8")
    font, dark = QFont(app.font()), is_dark(app.palette())
    apply_saved_appearance(app, tmp_path)
    assert app.font() == font
    assert is_dark(app.palette()) == dark
