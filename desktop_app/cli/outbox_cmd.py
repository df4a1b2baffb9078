"""`deskforms outbox …`: list, send, retry, resolve and export the submissions in the outbox."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from desktop_app.cli.app import App, open_app
from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.cli.export import add_export_parser, all_submissions, record_row
from desktop_app.cli.report import (
    EventPrinter,
    Result,
    exit_code,
    print_results,
    result_of,
    short,
)
from desktop_app.store import InvalidTransition, Status

DEFAULT_MAX_WAIT = 180.0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `outbox list|send|retry|resolve|export`."""
    outbox = subparsers.add_parser("outbox", help="list, send, retry and resolve queued tickets")
    actions = outbox.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="list submissions, most recently changed first")
    listing.add_argument("--status", choices=[s.value for s in Status], action="append")
    listing.add_argument("--profile", metavar="NAME")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=list_command)

    send = actions.add_parser(
        "send", help="send everything that is due now (a progress bar on a terminal)"
    )
    send.add_argument("--profile", metavar="NAME", help="only this profile's tickets")
    send.add_argument(
        "--failed",
        action="store_true",
        help="also send failed tickets now instead of at their next try",
    )
    _wait_options(send, no_wait=False)
    send.set_defaults(handler=send_command)

    retry = actions.add_parser("retry", help="send failed or queued tickets again now")
    retry.add_argument("ids", nargs="+", metavar="ID", help="submission ids or unique prefixes")
    _wait_options(retry)
    retry.set_defaults(handler=retry_command)

    resolve = actions.add_parser("resolve", help="decide about an uncertain (or rejected) ticket")
    resolve.add_argument("id", metavar="ID")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument(
        "--arrived", type=int, metavar="TICKET_ID", help="it did arrive, as this DeskHero ticket"
    )
    choice.add_argument(
        "--resend", action="store_true", help="send it again (same idempotency key)"
    )
    choice.add_argument(
        "--discard", action="store_true", help="give it up (or withdraw a queued one)"
    )
    _wait_options(resolve)
    resolve.set_defaults(handler=resolve_command)

    add_export_parser(actions)


def _wait_options(parser: argparse.ArgumentParser, *, no_wait: bool = True) -> None:
    parser.add_argument(
        "--max-wait",
        type=float,
        default=DEFAULT_MAX_WAIT,
        metavar="SECONDS",
        help="how long to keep retrying transient failures (default 180)"
        if no_wait
        else "the longest wait for the sends to end (default 180)",
    )
    if no_wait:
        parser.add_argument(
            "--no-wait", action="store_true", help="only make it due; send it later"
        )
    parser.add_argument("--json", action="store_true", help="print results as a JSON list")


def list_command(args: argparse.Namespace) -> int:
    statuses = None if not args.status else [Status(s) for s in args.status]
    with open_app(args) as app:
        records = all_submissions(app.store, statuses, args.profile)
        if args.json:
            print(json.dumps([record_row(r) for r in records], indent=2))
            return EXIT_OK
        if not records:
            filtered = statuses is not None or args.profile is not None
            print("no submission matches" if filtered else "the outbox is empty")
            return EXIT_OK
        print(f"{'ID':8}  {'STATUS':9}  {'PROFILE':12}  {'UPDATED':19}  {'TICKET':7}  SUMMARY")
        for record in records:
            ticket = f"#{record.ticket_id}" if record.ticket_id else "-"
            updated = record.updated.strftime("%Y-%m-%d %H:%M:%S")
            print(
                f"{short(record.id):8}  {record.status.value:9}  {record.profile[:12]:12}  "
                f"{updated:19}  {ticket:7}  {record.summary}"
            )
            if record.status is not Status.ACCEPTED and record.last_message:
                print(f"          {record.last_message}")
    return EXIT_OK


def send_command(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        profiles = None if args.profile is None else [args.profile]
        if args.failed:
            app.store.retry_all_now(args.profile)
        printer = None if args.json else EventPrinter(sys.stderr, progress=True)
        ids = asyncio.run(_send_due(app, profiles, args.max_wait, printer))
        if printer is not None:
            printer.close()
        results = _results(app, ids)
    if not results and not args.json:
        print("nothing is due to be sent")
        return EXIT_OK
    print_results(results, as_json=args.json)
    return exit_code(results)


async def _send_due(
    app: App, profiles: list[str] | None, max_wait: float, printer: EventPrinter | None
) -> list[str]:
    async with app.engine(profiles, on_event=printer) as engine:
        return await engine.send_due_now(timeout=max_wait)


def retry_command(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        ids = [app.resolve_id(given) for given in args.ids]
        for submission_id in ids:
            record = app.store.submission(submission_id)
            if record.status not in (Status.QUEUED, Status.FAILED):
                hint = (
                    "outbox resolve --resend"
                    if record.status in (Status.UNCERTAIN, Status.REJECTED)
                    else "nothing to retry"
                )
                raise CliError(f"{short(submission_id)} is {record.status.value}: {hint}")
        app.store.retry_now(ids)
        return _deliver_and_report(app, args, ids)


def resolve_command(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        submission_id = app.resolve_id(args.id)
        try:
            if args.arrived is not None:
                app.store.resolve_arrived(submission_id, args.arrived)
            elif args.discard and app.store.submission(submission_id).status is Status.QUEUED:
                app.store.cancel(submission_id)  # withdrawn before it was ever sent
            elif args.discard:
                app.store.resolve_discard(submission_id)
            else:
                app.store.resolve_resend(submission_id)
                return _deliver_and_report(app, args, [submission_id])
        except (InvalidTransition, ValueError) as error:
            raise CliError(str(error)) from None
        results = _results(app, [submission_id])
    print_results(results, as_json=args.json)
    return EXIT_OK


def _deliver_and_report(app: App, args: argparse.Namespace, ids: list[str]) -> int:
    if not args.no_wait:
        profiles = sorted({app.store.submission(i).profile for i in ids})
        printer = None if args.json else EventPrinter(sys.stderr)
        asyncio.run(_settle(app, profiles, ids, args.max_wait, printer))
    results = _results(app, ids)
    print_results(results, as_json=args.json)
    return exit_code(results)


async def _settle(
    app: App, profiles: list[str], ids: list[str], max_wait: float, printer: EventPrinter | None
) -> None:
    async with app.engine(profiles, on_event=printer) as engine:
        await engine.wait_until_settled(ids, timeout=max_wait)


def _results(app: App, ids: list[str]) -> list[Result]:
    paused = {p.name: p.paused_reason or "" for p in app.store.profiles() if p.paused}
    return [result_of(app.store.submission(i), paused) for i in ids]
