"""Where DeskForms keeps its data and finds the sample forms (kept in `desktop_app.paths`)."""

from __future__ import annotations

from desktop_app.paths import (
    DATA_DIR_ENV,
    PROJECT_ROOT,
    SAMPLE_ANSWERS_DIR,
    SAMPLE_FORMS_DIR,
    resolve_data_dir,
)

__all__ = [
    "DATA_DIR_ENV",
    "PROJECT_ROOT",
    "SAMPLE_ANSWERS_DIR",
    "SAMPLE_FORMS_DIR",
    "resolve_data_dir",
]
