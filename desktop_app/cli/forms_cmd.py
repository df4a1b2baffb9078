"""`deskforms forms …`: check form files and print the form format's JSON Schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.errors import EXIT_OK, EXIT_USAGE, CliError
from desktop_app.cli.files import read_text
from desktop_app.core.form.loading import FormFileError, parse_form
from desktop_app.core.form.model import Form
from desktop_app.core.form.schema import schema_text


def read_form(path: Path) -> Form:
    """Read and parse one form file; any problem becomes a one-line CliError."""
    text = read_text(path, "form file")
    try:
        return parse_form(text, str(path))
    except FormFileError as error:
        raise CliError(str(error)) from None


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `forms validate` and `forms schema`."""
    forms = subparsers.add_parser("forms", help="check form files, print the form JSON Schema")
    actions = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    validate = actions.add_parser("validate", help="check form files; exit 1 if any is invalid")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.set_defaults(handler=validate_command)
    schema = actions.add_parser("schema", help="print the JSON Schema of the form format")
    schema.set_defaults(handler=schema_command)


def validate_command(args: argparse.Namespace) -> int:
    """Check every form file and report each one on its own line."""
    failures = 0
    for path in args.paths:
        try:
            form = read_form(path)
        except CliError as error:
            failures += 1
            print(f"invalid: {error}", file=sys.stderr)
            continue
        print(
            f"ok: {path}: '{form.title}' (id {form.id}, version {form.version}, "
            f"{len(form.fields)} fields)"
        )
    return EXIT_USAGE if failures else EXIT_OK


def schema_command(args: argparse.Namespace) -> int:
    """Print the JSON Schema (the committed copy is resources/form.schema.json)."""
    sys.stdout.write(schema_text())
    return EXIT_OK
