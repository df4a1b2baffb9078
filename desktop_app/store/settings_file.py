"""settings.json in the data folder: read into AppSettings (never failing), written atomically."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path

from desktop_app.core.settings import AppSettings, settings_from_dict

SETTINGS_FILE = "settings.json"
BROKEN_SUFFIX = ".broken"

logger = logging.getLogger(__name__)


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def load_settings(data_dir: Path) -> tuple[AppSettings, list[str]]:
    """The saved settings and one-line warnings for the user; never raises.

    No file: the defaults, no warning. A file that cannot be read or is not JSON is moved
    aside to `settings.json.broken` (never overwritten: `.broken.1`, `.broken.2`, ... when
    taken) and the defaults are used. A file from a newer DeskForms is moved aside to
    `settings.json.v<version>` so that saving here does not destroy it. Invalid values fall
    back to their defaults one by one (the file is rewritten without them on the next save).
    """
    path = settings_path(data_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return AppSettings(), []
    except OSError as error:
        return AppSettings(), [_set_aside(path, BROKEN_SUFFIX, _reason(error))]
    try:
        data = json.loads(raw.decode("utf-8"))
    # JSONDecodeError is a ValueError; absurdly deep nesting is a RecursionError.
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        return AppSettings(), [_set_aside(path, BROKEN_SUFFIX, f"it is not valid JSON: {error}")]
    if not isinstance(data, dict):
        reason = f"it holds a JSON {type(data).__name__}, not an object"
        return AppSettings(), [_set_aside(path, BROKEN_SUFFIX, reason)]
    loaded = settings_from_dict(data)
    if loaded.newer_version is not None:
        reason = f"it was saved by a newer DeskForms (settings version {loaded.newer_version})"
        return loaded.settings, [_set_aside(path, f".v{loaded.newer_version}", reason)]
    return loaded.settings, [f"{SETTINGS_FILE}: {text}" for text in loaded.warnings]


def save_settings(data_dir: Path, settings: AppSettings) -> None:
    """Write `settings.json` atomically (temp file, fsync, rename); raises OSError.

    A crash or a full disk leaves either the old file or the new one, never half of one.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(settings.to_dict(), indent=2, ensure_ascii=False) + "\n"
    fd, tmp_name = tempfile.mkstemp(dir=data_dir, prefix=f".{SETTINGS_FILE}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, settings_path(data_dir))
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(data_dir)


def _set_aside(path: Path, suffix: str, reason: str) -> str:
    """Move the file to a free name ending in `suffix`; the warning that says what happened."""
    aside = _free_name(path.with_name(path.name + suffix))
    try:
        os.replace(path, aside)
    except OSError as error:
        logger.warning("could not move %s aside to %s: %s", path, aside, error)
        return (
            f"{SETTINGS_FILE} could not be read ({reason}) nor moved aside ({_reason(error)});"
            " the default settings are used and changes may not be saved."
        )
    logger.warning("%s could not be read (%s); moved to %s", path, reason, aside)
    return (
        f"{SETTINGS_FILE} could not be read ({reason}); it was kept as {aside.name} and the"
        " default settings are used."
    )


def _free_name(wanted: Path) -> Path:
    candidate, number = wanted, 0
    while candidate.exists():
        number += 1
        candidate = wanted.with_name(f"{wanted.name}.{number}")
    return candidate


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open a directory (nor needs to).
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
