"""`deskforms editorjs …`: render Editor.js to sanitized HTML, turn HTML into Editor.js blocks."""

from __future__ import annotations

import argparse
import json
import sys

from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.cli.files import parse_json, read_text, source_name
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


def render_command(args: argparse.Namespace) -> int:
    """Print the sanitized HTML; a file that is no Editor.js document is an error (exit 1)."""
    document = parse_json(read_text(args.file, allow_stdin=True), args.file)
    if document_blocks(document) is None:
        raise CliError(f"{source_name(args.file)}: {NOT_A_DOCUMENT}")
    html = render_html(document, args.target)
    sys.stdout.write(html if html.endswith("\n") else html + "\n")
    return EXIT_OK


def from_html_command(args: argparse.Namespace) -> int:
    """Print `{"blocks": [...]}` for the HTML."""
    blocks = html_to_blocks(read_text(args.file, allow_stdin=True))
    print(json.dumps({"blocks": blocks}, indent=2, ensure_ascii=False))
    return EXIT_OK
