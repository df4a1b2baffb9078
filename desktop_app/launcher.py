"""Entry point of `deskforms` and `python -m desktop_app`: the window with no command, else the CLI.

It sits above the layers because it is the one place that may reach both: the command line
must not import the GUI, and the GUI should not own argument parsing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from desktop_app import cli


def open_desktop(data_dir: Path) -> int:
    """Open the desktop window on `data_dir` until it is closed."""
    from desktop_app.gui.app import run

    return run(data_dir, sys.argv[:1])


def main(argv: Sequence[str] | None = None) -> int:
    """Run DeskForms: `deskforms` opens the window, `deskforms COMMAND` runs the command line."""
    return cli.main(argv, open_desktop=open_desktop)
