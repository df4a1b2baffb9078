"""`deskforms editorjs …`: render Editor.js to sanitized HTML, turn HTML into Editor.js blocks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.core.editorjs import document_blocks, render_html
from desktop_app.core.editorjs.from_html import html_to_blocks

NOT_A_DOCUMENT = (
    'not an Editor.js document; expected {"blocks": [...]}, a DTO_rich_text with '
    '"editorjs", or a ticket with "sys_content_rich"'
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `editorjs render` and `editorjs from-html`."""
    editorjs = subparsers.add_parser("editorjs", help="check Editor.js content before sending")
    actions = editorjs.add_subparsers(dest="editorjs_command", metavar="ACTION", required=True)
    render = actions.add_parser(
        "render", help="print the sanitized HTML of an Editor.js document ('-' reads stdin)"
    )
    render.add_argument("file", metavar="FILE")
    render.add_argument(
        "--target",
        choices=("web", "qt"),
        default="web",
        help="web: standard HTML as sent to DeskHero (default); qt: HTML for the app's viewer",
    )
    render.set_defaults(handler=render_command)
    from_html = actions.add_parser(
        "from-html", help="print the Editor.js blocks of an HTML file as JSON ('-' reads stdin)"
    )
    from_html.add_argument("file", metavar="FILE")
    from_html.set_defaults(handler=from_html_command)


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{name}: no such file; check the path") from None
    except UnicodeDecodeError:
        raise CliError(f"{name}: not a UTF-8 text file") from None
    except OSError as error:
        raise CliError(f"{name}: cannot be read ({error.strerror})") from None


def _read_document(name: str) -> Any:
    text = _read_text(name)
    source = "standard input" if name == "-" else name
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(
            f"{source}: not valid JSON at line {error.lineno}, column {error.colno} "
            f"({error.msg}); fix the syntax and try again"
        ) from None


def render_command(args: argparse.Namespace) -> int:
    """Print the sanitized HTML; a file that is no Editor.js document is an error (exit 1)."""
    document = _read_document(args.file)
    if document_blocks(document) is None:
        source = "standard input" if args.file == "-" else args.file
        raise CliError(f"{source}: {NOT_A_DOCUMENT}")
    html = render_html(document, args.target)
    sys.stdout.write(html if html.endswith("\n") else html + "\n")
    return EXIT_OK


def from_html_command(args: argparse.Namespace) -> int:
    """Print `{"blocks": [...]}` for the HTML."""
    blocks = html_to_blocks(_read_text(args.file))
    print(json.dumps({"blocks": blocks}, indent=2, ensure_ascii=False))
    return EXIT_OK
