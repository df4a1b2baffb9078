"""Where DeskForms keeps its data and finds the sample forms; shared by the CLI and the GUI.

Above the layers and free of imports from them (and of third-party imports at import time),
so that the window can know its data folder before anything heavy is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "DESKFORMS_DATA_DIR"

# The sample forms ship in the project's top-level `forms/` folder (architecture.md).
PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FORMS_DIR = PROJECT_ROOT / "forms"
SAMPLE_ANSWERS_DIR = SAMPLE_FORMS_DIR / "examples"
# Inside the data folder: the built-in sandbox tenant's own folder, the user's form files
# (imported or designed) and the main window's size, splitters and page (a QSettings INI).
SANDBOX_DIR = "sandbox"
FORMS_DIR = "forms"
WINDOW_SETTINGS_FILE = "window.ini"


def resolve_data_dir(option: Path | None) -> Path:
    """The data directory: `--data-dir`, else `DESKFORMS_DATA_DIR`, else the per-user folder."""
    if option is not None:
        return option.expanduser()
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("DeskForms", "DeskForms"))
