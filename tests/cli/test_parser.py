"""The command line's parser: every command in --help, only the chosen one's module loaded."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import COMMANDS, build_parser, command_named

PROJECT = Path(__file__).resolve().parents[2]


def _listed(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    """The commands a parser lists in its --help, with their help text."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {choice.dest: choice.help for choice in action._choices_actions}
    raise AssertionError("no subcommands")


def test_the_light_table_says_what_each_command_s_own_parser_says() -> None:
    light = _listed(build_parser())
    assert list(light) == list(COMMANDS)
    for name in COMMANDS:
        # The help text of the command's own parser (its module loaded) is the table's.
        assert _listed(build_parser(name))[name] == light[name], name


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], None),
        (["--help"], None),
        (["forms", "validate", "a.json"], "forms"),
        (["--data-dir", "outbox", "submit", "x"], "submit"),
        (["--data-dir=outbox", "profiles", "list"], "profiles"),
        (["--data", "x", "outbox", "list"], "outbox"),
        (["--", "sandbox"], "sandbox"),
    ],
)
def test_the_command_is_the_first_word_that_is_not_an_option(
    argv: list[str], command: str | None
) -> None:
    assert command_named(argv) == command


def _run(*code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", "\n".join(code)],
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.splitlines()


def test_help_lists_every_command_without_importing_them() -> None:
    lines = _run(
        "import contextlib, io, json, sys",
        "from desktop_app.cli import main",
        "out = io.StringIO()",
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):",
        "    main(['--help'])",
        "print(json.dumps(' '.join(out.getvalue().split())))",
        "print(sorted(m for m in sys.modules if m.startswith(('desktop_app.cli.', 'pydantic'))))",
    )
    text = json.loads(lines[0])
    for name, (_module, help_text) in COMMANDS.items():
        assert f"{name} {help_text}" in text
    assert lines[1] == "['desktop_app.cli.errors']"


def test_a_command_loads_its_own_module_only() -> None:
    lines = _run(
        "import sys",
        "from desktop_app.cli import main",
        "code = main(['forms', 'schema'])",
        "print(code)",
        "print(sorted(m for m in sys.modules if m.endswith('_cmd')))",
    )
    assert lines[-2] == "0"
    assert lines[-1] == "['desktop_app.cli.forms_cmd']"
