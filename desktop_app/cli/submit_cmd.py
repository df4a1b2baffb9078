"""`deskforms submit`: validate answers files, queue them in the outbox, send and report each."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.answers import attachment_paths, read_answers
from desktop_app.cli.app import App
from desktop_app.cli.errors import CliError
from desktop_app.cli.forms_cmd import read_form
from desktop_app.cli.paths import resolve_data_dir
from desktop_app.cli.profiles import ensure_profile, requested_profile
from desktop_app.cli.report import EventPrinter, Result, exit_code, print_results, result_of
from desktop_app.core.form.model import Form
from desktop_app.core.form.validation import validate_answers
from desktop_app.core.profile import TenantProfile
from desktop_app.store import StoredFile, StoreError

DEFAULT_MAX_WAIT = 180.0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `submit`."""
    submit = subparsers.add_parser(
        "submit",
        help="send answers files as tickets",
        description=(
            "Validate every answers file, queue the valid ones in the outbox, send them and "
            "print one result per file: accepted, rejected, uncertain, or queued (not sent "
            "yet: it stays in the outbox and is retried by the next command or app that sends). "
            "Exit 0 all accepted, 1 usage or validation error, 2 some rejected by the server, "
            "3 some not delivered (queued or uncertain). When several apply, 1 wins, then 3, "
            "then 2."
        ),
    )
    submit.add_argument("form", type=Path, metavar="FORM", help="the form file the answers fill")
    submit.add_argument(
        "--answers",
        type=Path,
        action="append",
        required=True,
        metavar="FILE",
        help="a JSON object of answers (repeat for several tickets)",
    )
    target = submit.add_mutually_exclusive_group(required=True)
    target.add_argument("--profile", metavar="NAME", help="a saved tenant profile, or 'sandbox'")
    target.add_argument(
        "--base-url", metavar="URL", help="the DeskHero server, e.g. https://acme.deskhero.com"
    )
    submit.add_argument("--tenant", metavar="T", help="the tenant key (with --base-url)")
    submit.add_argument("--api-version", default="1", metavar="V", help="API version (default 1)")
    submit.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow plain http:// to a host that is not this machine",
    )
    submit.add_argument(
        "--upload", metavar="PATH", help="attachment upload route, e.g. attachments/external"
    )
    wait = submit.add_mutually_exclusive_group()
    wait.add_argument(
        "--max-wait",
        type=float,
        default=DEFAULT_MAX_WAIT,
        metavar="SECONDS",
        help="how long to keep retrying transient failures (default 180); what is still "
        "unsent then stays queued",
    )
    wait.add_argument(
        "--no-wait", action="store_true", help="only queue the tickets; send them later"
    )
    submit.add_argument("--json", action="store_true", help="print results as a JSON list")
    submit.set_defaults(handler=submit_command)


def submit_command(args: argparse.Namespace) -> int:
    """Validate, queue, then send on one asyncio loop and report."""
    if args.max_wait < 0:
        raise CliError("--max-wait must be 0 or more seconds")
    form = read_form(args.form)
    wanted = requested_profile(args)
    with App(resolve_data_dir(args.data_dir)) as app:
        profile = ensure_profile(app.store, wanted)
        prepared = [prepare_answers(form, path, profile) for path in args.answers]
        results = [result for result, _ in prepared]
        queued = queue_prepared(app, form, profile, prepared)
        if queued and not args.no_wait:
            printer = None if args.json else EventPrinter(sys.stderr)
            records = asyncio.run(_deliver(app, profile.name, queued, args.max_wait, printer))
            paused = {p.name: p.paused_reason or "" for p in app.store.profiles() if p.paused}
            by_id = {record.id: record for record in records}
            results = [
                result_of(by_id[r.id], paused, r.answers) if r.id in by_id else r for r in results
            ]
    print_results(results, as_json=args.json)
    # With --no-wait, queued is what was asked for: only what was not queued counts.
    counted = [r for r in results if not (args.no_wait and r.status == "queued")]
    return exit_code(counted)


Prepared = tuple[Result, dict[str, Any] | None]


def prepare_answers(form: Form, path: Path, profile: TenantProfile) -> Prepared:
    """Read and validate one answers file: its answers when they may go, else why not."""
    try:
        answers = read_answers(path, form)
    except CliError as error:
        return Result("rejected", answers=str(path), messages=[str(error)], sent=False), None
    result = validate_answers(form, answers)
    messages = [
        f"{_label(form, key)}: {message}"
        for key, texts in result.errors.items()
        for message in texts
    ]
    for item_path in attachment_paths(form, answers):
        if not Path(item_path).is_file():
            messages.append(f"attachments: the file {item_path} does not exist; check the path")
    if not messages and attachment_paths(form, answers) and profile.upload is None:
        messages.append(
            f"attachments: profile '{profile.name}' has no attachment upload step, so files "
            "cannot be sent; configure one (--upload) or remove the files"
        )
    if messages:
        return Result("rejected", answers=str(path), messages=messages, sent=False), None
    return Result("queued", answers=str(path)), answers


def queue_prepared(
    app: App, form: Form, profile: TenantProfile, prepared: list[Prepared]
) -> list[str]:
    """Queue every valid file (its attachments copied into the data folder first).

    Several files are queued in one transaction; should that fail, they are queued one by
    one, so only the file at fault is reported as not queued.
    """
    ready: list[tuple[Result, dict[str, Any], dict[str, list[StoredFile]]]] = []
    for result, answers in prepared:
        if answers is None:
            continue
        try:
            files = app.store.attachments.import_answers(form, answers)
        except StoreError as error:
            _not_queued(result, error)
            continue
        ready.append((result, answers, files))
    if len(ready) > 1:
        try:
            ids = app.store.queue_submissions(
                form,
                [answers for _, answers, _ in ready],
                profile.name,
                attachments=[files for _, _, files in ready],
            )
        except StoreError:
            pass  # one by one below: which file is at fault?
        else:
            for (result, _, _), submission_id in zip(ready, ids, strict=True):
                result.id = submission_id
            return ids
    queued: list[str] = []
    for result, answers, files in ready:
        try:
            submission_id = app.store.queue_submission(
                form, answers, profile.name, attachments=files
            )
        except StoreError as error:
            _not_queued(result, error)
            continue
        result.id = submission_id
        queued.append(submission_id)
    return queued


def _not_queued(result: Result, error: StoreError) -> None:
    result.status, result.sent = "rejected", False
    result.messages = [str(error)]


def _label(form: Form, key: str) -> str:
    try:
        return f"{key} ({form.field(key).label})"
    except KeyError:
        return key


async def _deliver(
    app: App, profile: str, ids: list[str], max_wait: float, printer: EventPrinter | None
) -> list[Any]:
    async with app.engine([profile], on_event=printer) as engine:
        await engine.wait_until_settled(ids, timeout=max_wait)
    # Read after stop(): a request that finished in the grace period counts.
    return [app.store.submission(submission_id) for submission_id in ids]
