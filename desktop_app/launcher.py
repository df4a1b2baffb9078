"""Entry point of `deskforms` and `python -m desktop_app`: the window with no command, else the CLI.

It sits above the layers because it is the one place that may reach both: the command line
must not import the GUI, and the GUI should not own argument parsing.

`deskforms` alone (or with only `--data-dir DIR`) opens the window without importing the
command line at all: its commands pull in the store, the engine and the HTTP client, which
the window loads only after it has painted (see `desktop_app.gui.startup`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

_DATA_DIR_OPTION = "--data-dir"


def open_desktop(data_dir: Path) -> int:
    """Open the desktop window on `data_dir` until it is closed."""
    from desktop_app.gui.startup import run

    return run(data_dir, sys.argv[:1])


def desktop_request(argv: Sequence[str]) -> tuple[bool, Path | None]:
    """Whether `argv` only asks for the window, and the `--data-dir` it gave (None: default).

    Anything else (a command, `--help`, `--version`, a mistake) is the command line's to
    parse and answer.
    """
    words = list(argv)
    if not words:
        return True, None
    if len(words) == 2 and words[0] == _DATA_DIR_OPTION and words[1] and words[1] != "--":
        return not words[1].startswith("-"), Path(words[1])
    if len(words) == 1 and words[0].startswith(f"{_DATA_DIR_OPTION}="):
        value = words[0].split("=", 1)[1]
        return bool(value), Path(value)
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    """Run DeskForms: `deskforms` opens the window, `deskforms COMMAND` runs the command line."""
    words = sys.argv[1:] if argv is None else list(argv)
    desktop, option = desktop_request(words)
    if desktop:
        from desktop_app.paths import resolve_data_dir

        return open_desktop(resolve_data_dir(option))
    from desktop_app import cli

    return cli.main(words, open_desktop=open_desktop)
