"""Where DeskForms keeps its data and finds the sample forms."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DATA_DIR_ENV = "DESKFORMS_DATA_DIR"

# The sample forms ship in the project's top-level `forms/` folder (architecture.md).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FORMS_DIR = PROJECT_ROOT / "forms"
SAMPLE_ANSWERS_DIR = SAMPLE_FORMS_DIR / "examples"


def resolve_data_dir(option: Path | None) -> Path:
    """The data directory: `--data-dir`, else `DESKFORMS_DATA_DIR`, else the per-user folder."""
    if option is not None:
        return option.expanduser()
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir("DeskForms", "DeskForms"))
