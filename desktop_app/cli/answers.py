"""Read answers files for the command line and describe their attachments from disk."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from desktop_app.cli.errors import CliError
from desktop_app.cli.files import parse_json, read_text
from desktop_app.core.form.model import FieldType, Form


def read_answers(path: Path, form: Form) -> dict[str, Any]:
    """Parse an answers file (a JSON object) and turn attachment paths into file facts.

    Attachment paths are relative to the answers file, so a folder of answers and files can
    be moved as a whole. Facts (size, type) are read here because `core` does no I/O.
    """
    data = parse_json(read_text(path, "answers file"), path)
    if not isinstance(data, dict):
        raise CliError(
            f"{path}: answers must be a JSON object from field key to value, "
            f"not {type(data).__name__}"
        )
    for field in form.fields:
        if field.type is FieldType.ATTACHMENTS and isinstance(data.get(field.key), list):
            data[field.key] = [_describe(item, path.parent) for item in data[field.key]]
    return data


def _describe(item: Any, base: Path) -> Any:
    """A path (or {"path": …}) becomes {"path", "name", "size", "type"}; others pass through."""
    raw = item.get("path") if isinstance(item, dict) else item
    if not isinstance(raw, str) or not raw:
        return item
    file = Path(raw).expanduser()
    if not file.is_absolute():
        file = (base / file).resolve()
    described: dict[str, Any] = {"path": str(file), "name": file.name}
    if isinstance(item, dict):
        described = {**item, **described}
    guessed, _ = mimetypes.guess_type(file.name)
    if guessed and "type" not in described:
        described["type"] = guessed
    try:
        described["size"] = file.stat().st_size
    except OSError:
        # Validation reports a missing file through the attachments rules; keep going.
        described["missing"] = True
    return described


def attachment_paths(form: Form, answers: dict[str, Any]) -> list[str]:
    """Every local file path the answers attach (items that are not yet uploaded)."""
    paths: list[str] = []
    for field in form.fields:
        if field.type is not FieldType.ATTACHMENTS:
            continue
        for item in answers.get(field.key) or []:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                paths.append(item["path"])
    return paths
