"""CLI tests never touch the real per-user data folder: every test gets its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.cli.paths import DATA_DIR_ENV


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder commands use unless they pass --data-dir."""
    folder = tmp_path / "deskforms-data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder
