"""Reading the command line's input files (or standard input) with one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.errors import CliError

STDIN = "-"


def source_name(name: str | Path) -> str:
    """How messages name an input: its path, or 'standard input' for '-'."""
    return "standard input" if str(name) == STDIN else str(name)


def read_text(name: str | Path, kind: str = "file", *, allow_stdin: bool = False) -> str:
    """The UTF-8 text of a file (`-` reads standard input where allowed); errors are one line."""
    if allow_stdin and str(name) == STDIN:
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{name}: no such {kind}; check the path") from None
    except UnicodeDecodeError:
        raise CliError(f"{name}: not a text file (expected UTF-8); check the path") from None
    except OSError as error:
        raise CliError(f"{name}: cannot be read ({error.strerror}); check the path") from None


def parse_json(text: str, name: str | Path) -> Any:
    """JSON from `text`; a syntax error names the line and column of `name`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(
            f"{source_name(name)}: not valid JSON at line {error.lineno}, column {error.colno} "
            f"({error.msg}); fix the syntax and try again"
        ) from None
