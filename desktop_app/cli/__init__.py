"""The `deskforms` command line: a stable, scriptable interface over the layers below."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.cli import (
    editorjs_cmd,
    forms_cmd,
    outbox_cmd,
    profiles,
    sandbox_cmd,
    submit_cmd,
)
from desktop_app.cli.errors import EXIT_USAGE, CliError
from desktop_app.cli.paths import DATA_DIR_ENV, resolve_data_dir
from desktop_app.store import StoreError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="deskforms",
        description=(
            "Fill dynamic forms and send them as DeskHero tickets. With no command, start the "
            "app on the built-in sandbox tenant."
        ),
    )
    parser.add_argument("--version", action="version", version=f"deskforms {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"where DeskForms keeps its data (default: ${DATA_DIR_ENV} or the per-user folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    forms_cmd.add_parser(commands)
    submit_cmd.add_parser(commands)
    outbox_cmd.add_parser(commands)
    profiles.add_parser(commands)
    sandbox_cmd.add_parser(commands)
    editorjs_cmd.add_parser(commands)
    demo = commands.add_parser(
        "demo", help="start the sandbox, send one sample ticket, keep serving until Ctrl+C"
    )
    demo.set_defaults(handler=_demo_handler)
    return parser


def _demo_handler(args: argparse.Namespace) -> int:
    from desktop_app.cli.demo import demo_command

    return demo_command(resolve_data_dir(args.data_dir))


# Opens the desktop window for a data folder; the launcher above the layers supplies it,
# because the command line may not import the GUI layer.
DesktopOpener = Callable[[Path], int]


def main(argv: Sequence[str] | None = None, *, open_desktop: DesktopOpener | None = None) -> int:
    """Run the command line; returns the process exit code (see `deskforms submit --help`).

    With no command it opens the desktop window through `open_desktop`, or, without one,
    runs the `demo` command.
    """
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    try:
        if args.command is None:
            if open_desktop is not None:
                return open_desktop(resolve_data_dir(args.data_dir))
            return _demo_handler(args)
        code: int = args.handler(args)
        return code
    except CliError as error:
        print(f"deskforms: {error}", file=sys.stderr)
        return error.exit_code
    except StoreError as error:
        # The data folder's own trouble (disk full, a newer database...): one line, exit 1.
        print(f"deskforms: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("deskforms: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_USAGE
