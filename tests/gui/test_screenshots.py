"""The README's screenshot script still runs and writes one picture per main view."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

PROJECT = Path(__file__).resolve().parents[2]


def test_screenshot_script_saves_the_main_views(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(PROJECT / "packaging" / "screenshots.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in ("forms", "review", "outbox"):
        image = QImage(str(tmp_path / f"{name}.png"))
        assert not image.isNull() and image.width() >= 1000, name


def test_screenshot_script_shows_the_dark_theme_at_double_font_size(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    script = str(PROJECT / "packaging" / "screenshots.py")
    result = subprocess.run(
        [sys.executable, script, str(tmp_path), "--theme", "dark", "--font-scale", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(tmp_path / "forms-dark-x2.png"))
    assert not image.isNull() and image.width() >= 1000
    # The window background (bottom left, under the sections list) is dark.
    assert image.pixelColor(5, image.height() - 40).lightness() < 80
    assert not (tmp_path / "forms.png").exists()  # the README's pictures are left alone
    bad = subprocess.run(
        [sys.executable, script, str(tmp_path), "--font-scale", "9"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and "font_scale" in bad.stderr
