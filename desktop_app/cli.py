"""The `deskforms` command line: a stable, scriptable interface over the layers below."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_data_dir

from desktop_app import __version__

DATA_DIR_ENV = "DESKFORMS_DATA_DIR"


def default_data_dir() -> Path:
    """The data directory: `DESKFORMS_DATA_DIR`, else the platform's per-user data folder."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else Path(user_data_dir("DeskForms", "DeskForms"))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="deskforms",
        description="Fill dynamic forms and send them as DeskHero tickets.",
    )
    parser.add_argument("--version", action="version", version=f"deskforms {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"where DeskForms keeps its data (default: ${DATA_DIR_ENV} or the per-user data folder)",
    )
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    parser.print_help()
    return 0 if args.command is None else 1
