"""Writing selected submissions to a CSV or JSON file, in the columns `deskforms outbox export` uses."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from desktop_app.store import SubmissionRecord

ExportFormat = Literal["csv", "json"]


class ExportFailed(Exception):
    """The file could not be written; str() is one line for the user."""


def export_rows(records: Sequence[SubmissionRecord]) -> list[dict[str, Any]]:
    # Imported here: the command line package is only needed when someone exports.
    from desktop_app.cli.export import record_row

    return [record_row(record) for record in records]


def export_text(records: Sequence[SubmissionRecord], fmt: ExportFormat) -> str:
    rows = export_rows(records)
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    from desktop_app.cli.export import csv_text

    return csv_text(rows)


def write_export(records: Sequence[SubmissionRecord], path: Path, fmt: ExportFormat) -> None:
    """Write the file whole or not at all: a half-written export must not pass for a full one."""
    text = export_text(records, fmt)
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_text(text, encoding="utf-8", newline="")
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise ExportFailed(
            f"{path} could not be written ({error.strerror or error}); choose another place."
        ) from None
