"""The `deskforms` command line: a stable, scriptable interface over the layers below.

Only the chosen command's module is imported (each pulls in the store, the engine, the HTTP
client...): the others appear in `--help` from the light table below.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.cli.errors import EXIT_USAGE, CliError
from desktop_app.paths import DATA_DIR_ENV, resolve_data_dir

# The commands in `--help` order: name -> (module that registers it with `add_parser`, help).
# The help text here is what `deskforms --help` lists; each module repeats it for its parser.
COMMANDS: dict[str, tuple[str | None, str]] = {
    "forms": ("forms_cmd", "check form files, print the form JSON Schema"),
    "submit": ("submit_cmd", "send answers files as tickets"),
    "outbox": ("outbox_cmd", "list, send, retry and resolve queued tickets"),
    "profiles": ("profiles", "list, add and remove tenant profiles"),
    "sandbox": ("sandbox_cmd", "run the local sandbox tenant until Ctrl+C"),
    "editorjs": ("editorjs_cmd", "check Editor.js content before sending"),
    "demo": (None, "start the sandbox, send one sample ticket, keep serving until Ctrl+C"),
}
_DATA_DIR_OPTION = "--data-dir"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command listed, `command`'s own arguments loaded.

    The other commands get a parser with their help only; `main` builds the parser for the
    command its arguments name, so only that command's module is imported.
    """
    parser = argparse.ArgumentParser(
        prog="deskforms",
        description=(
            "Fill dynamic forms and send them as DeskHero tickets. With no command, start the "
            "app on the built-in sandbox tenant."
        ),
    )
    parser.add_argument("--version", action="version", version=f"deskforms {__version__}")
    parser.add_argument(
        _DATA_DIR_OPTION,
        type=Path,
        default=None,
        metavar="DIR",
        help=f"where DeskForms keeps its data (default: ${DATA_DIR_ENV} or the per-user folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if name == "demo":
            commands.add_parser(name, help=help_text).set_defaults(handler=_demo_handler)
        elif name == command and module is not None:
            loaded = importlib.import_module(f"{__name__}.{module}")
            loaded.add_parser(commands)
        else:
            commands.add_parser(name, help=help_text)
    return parser


def command_named(argv: Sequence[str]) -> str | None:
    """The command `argv` names (the first word that is not an option or its value), if any."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if not word.startswith("-"):
            return word
        option = word.split("=", 1)[0]
        # argparse also takes unambiguous abbreviations (`--data DIR`).
        if "=" not in word and len(option) > 2 and _DATA_DIR_OPTION.startswith(option):
            next(words, None)  # the folder
    return None


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
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(command_named(words)).parse_args(words)
    if args.command is not None and not hasattr(args, "handler"):
        # The command was not where `command_named` looked: parse again with its arguments.
        args = build_parser(args.command).parse_args(words)
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
    except KeyboardInterrupt:
        print("deskforms: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_USAGE
    except Exception as error:
        if not _is_store_error(error):
            raise
        # The data folder's own trouble (disk full, a newer database...): one line, exit 1.
        print(f"deskforms: {error}", file=sys.stderr)
        return EXIT_USAGE


def _is_store_error(error: Exception) -> bool:
    # The store is imported only by the commands that use it: if it is not loaded, the
    # error cannot be one of its own.
    store = sys.modules.get("desktop_app.store")
    return store is not None and isinstance(error, store.StoreError)
