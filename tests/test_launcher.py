"""The launcher: `deskforms` alone opens the window without loading the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.launcher import desktop_request

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["--data-dir", "/tmp/x"], (True, Path("/tmp/x"))),
        (["--data-dir=/tmp/x"], (True, Path("/tmp/x"))),
        (["--data-dir", "-x"], (False, None)),
        (["--data-dir="], (False, None)),
        (["--data-dir"], (False, None)),
        (["--help"], (False, None)),
        (["--version"], (False, None)),
        (["forms", "validate", "x.json"], (False, None)),
        (["--data-dir", "/tmp/x", "outbox", "list"], (False, None)),
        (["--data", "/tmp/x"], (False, None)),  # the CLI's parser takes abbreviations
    ],
)
def test_only_a_bare_start_or_a_data_folder_opens_the_window(
    argv: list[str], expected: tuple[bool, Path | None]
) -> None:
    desktop, option = desktop_request(argv)
    assert desktop is expected[0]
    if desktop:
        assert option == expected[1]


def test_deskforms_alone_opens_the_window_without_importing_the_command_line(
    tmp_path: Path,
) -> None:
    code = (
        "import sys\n"
        "from desktop_app import launcher\n"
        "opened = []\n"
        "launcher.open_desktop = lambda folder: opened.append(folder) or 0\n"
        "assert launcher.main(['--data-dir', sys.argv[1]]) == 0\n"
        "print(opened[0])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('desktop_app.cli', 'pydantic'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    folder, loaded = done.stdout.splitlines()
    assert folder == str(tmp_path)
    assert loaded == "[]"
