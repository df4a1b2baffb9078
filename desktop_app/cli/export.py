"""`deskforms outbox export`: results with ticket ids and messages as CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from desktop_app.cli.app import open_app
from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.outbox import stored_messages
from desktop_app.store import Status, Store, SubmissionRecord

COLUMNS = (
    "id",
    "status",
    "profile",
    "form_id",
    "form_version",
    "summary",
    "ticket_id",
    "resolution",
    "attempts",
    "created",
    "queued_at",
    "updated",
    "next_attempt_at",
    "message",
    "messages",
)


PAGE = 500


def all_submissions(
    store: Store, status: Iterable[Status] | None = None, profile: str | None = None
) -> list[SubmissionRecord]:
    """Every submission matching the filters, most recently changed first."""
    statuses = None if status is None else list(status)
    records: list[SubmissionRecord] = []
    while True:
        page = store.submissions(statuses, profile, limit=PAGE, offset=len(records))
        records += page
        if len(page) < PAGE:
            return records


def add_export_parser(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = actions.add_parser(
        "export", help="write results (ticket ids, messages) as CSV or JSON"
    )
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--output", type=Path, metavar="FILE", help="write here, not to stdout")
    export.add_argument("--status", choices=[s.value for s in Status], action="append")
    export.add_argument("--profile", metavar="NAME")
    export.set_defaults(handler=export_command)


def _time(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def record_row(record: SubmissionRecord) -> dict[str, Any]:
    """One submission as the export and `outbox list --json` show it."""
    return {
        "id": record.id,
        "status": record.status.value,
        "profile": record.profile,
        "form_id": record.form_id,
        "form_version": record.form_version,
        "summary": record.summary,
        "ticket_id": record.ticket_id,
        "resolution": None if record.resolution is None else record.resolution.value,
        "attempts": record.attempt_count,
        "created": _time(record.created),
        "queued_at": _time(record.queued_at),
        "updated": _time(record.updated),
        "next_attempt_at": _time(record.next_attempt_at),
        "message": record.last_message,
        "messages": [m.to_json() for m in stored_messages(record.messages)],
    }


def export_command(args: argparse.Namespace) -> int:
    statuses = None if not args.status else [Status(s) for s in args.status]
    with open_app(args) as app:
        rows = [record_row(r) for r in all_submissions(app.store, statuses, args.profile)]
    text = csv_text(rows) if args.format == "csv" else json.dumps(rows, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        # Whole or not at all: a half-written export must never pass for a complete one.
        temporary = args.output.with_name(args.output.name + ".tmp")
        temporary.write_text(text, encoding="utf-8", newline="")
        os.replace(temporary, args.output)
    except OSError as error:
        raise CliError(f"{args.output}: cannot be written ({error.strerror or error})") from None
    print(f"exported {len(rows)} submission(s) to {args.output}", file=sys.stderr)
    return EXIT_OK


def csv_text(rows: Sequence[dict[str, Any]]) -> str:
    """`record_row` rows as CSV in the export's columns (the window's export writes it too)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        flat = dict(row)
        # One cell per submission: "field: text" items joined, as a person reads them.
        flat["messages"] = " | ".join(m.located() for m in stored_messages(row["messages"]))
        writer.writerow(flat)
    return buffer.getvalue()
