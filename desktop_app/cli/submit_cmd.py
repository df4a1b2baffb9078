"""`deskforms submit`: validate answers files, send them as tickets, report one result each."""

from __future__ import annotations

import argparse
import asyncio
import json
import mimetypes
import sys
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.api.client import DeskHeroClient, make_http_client
from desktop_app.cli.answers import attachment_paths, read_answers
from desktop_app.cli.errors import EXIT_NOT_DELIVERED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, CliError
from desktop_app.cli.forms_cmd import read_form
from desktop_app.cli.profiles import profile_from_args
from desktop_app.core.form.mapping import build_tickets
from desktop_app.core.form.model import Form
from desktop_app.core.form.validation import validate_answers
from desktop_app.core.profile import TenantProfile

# How each client outcome reads in the stable CLI vocabulary.
STATUS_BY_OUTCOME = {
    "accepted": "accepted",
    "rejected": "rejected",
    "forbidden": "rejected",
    "not_found": "rejected",
    "unsupported_version": "rejected",
    "rate_limited": "failed",
    "server_error": "failed",
    "not_sent": "failed",
    "outcome_unknown": "uncertain",
    "unexpected": "failed",
}
MAX_PARALLEL_SENDS = 4


@dataclass
class SubmitResult:
    """What happened to one answers file; the JSON output is exactly these fields."""

    answers: str
    status: str
    ticket_id: int | None = None
    messages: list[str] = field(default_factory=list)
    sent: bool = True  # False when the answers never left this machine


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `submit`."""
    submit = subparsers.add_parser(
        "submit",
        help="send answers files as tickets",
        description=(
            "Validate every answers file, send the valid ones as tickets and print one result "
            "per file. Exit 0 all accepted, 1 usage or validation error, 2 some rejected by the "
            "server, 3 some not delivered (failed or uncertain). When several apply, 1 wins, "
            "then 3, then 2."
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
    submit.add_argument("--json", action="store_true", help="print results as a JSON list")
    submit.set_defaults(handler=submit_command)


def submit_command(args: argparse.Namespace) -> int:
    """Run the whole submission on one asyncio loop."""
    form = read_form(args.form)
    profile, sandbox_dir = profile_from_args(args)
    results = asyncio.run(_submit(form, args.answers, profile, sandbox_dir))
    _print(results, as_json=args.json)
    return exit_code(results)


def exit_code(results: list[SubmitResult]) -> int:
    """The documented exit code for a batch of results."""
    if any(not result.sent and result.status != "accepted" for result in results):
        return EXIT_USAGE
    if any(result.status in ("failed", "uncertain", "queued") for result in results):
        return EXIT_NOT_DELIVERED
    if any(result.status == "rejected" for result in results):
        return EXIT_REJECTED
    return EXIT_OK


async def _submit(
    form: Form, answer_files: list[Path], profile: TenantProfile, sandbox_dir: Path | None
) -> list[SubmitResult]:
    prepared: list[tuple[Path, dict[str, Any] | SubmitResult]] = []
    for path in answer_files:
        prepared.append((path, _prepare(form, path, profile)))
    if sandbox_dir is None:
        return await _send_all(form, prepared, profile)
    # The built-in sandbox profile runs the local tenant on this loop for the duration.
    from desktop_app.sandbox.server import SandboxServer

    async with SandboxServer(sandbox_dir).running() as server:
        live = profile.model_copy(update={"base_url": server.base_url})
        return await _send_all(form, prepared, live)


def _prepare(form: Form, path: Path, profile: TenantProfile) -> dict[str, Any] | SubmitResult:
    """Read and validate one answers file; a SubmitResult when it must not be sent."""
    try:
        answers = read_answers(path, form)
    except CliError as error:
        return SubmitResult(str(path), "rejected", messages=[str(error)], sent=False)
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
        return SubmitResult(str(path), "rejected", messages=messages, sent=False)
    return answers


def _label(form: Form, key: str) -> str:
    try:
        return f"{key} ({form.field(key).label})"
    except KeyError:
        return key


async def _send_all(
    form: Form,
    prepared: list[tuple[Path, dict[str, Any] | SubmitResult]],
    profile: TenantProfile,
) -> list[SubmitResult]:
    limit = asyncio.Semaphore(MAX_PARALLEL_SENDS)
    async with make_http_client() as http:
        client = DeskHeroClient(http, profile)

        async def one(path: Path, item: dict[str, Any] | SubmitResult) -> SubmitResult:
            if isinstance(item, SubmitResult):
                return item
            async with limit:
                return await _send_one(form, path, item, client)

        return list(await asyncio.gather(*(one(path, item) for path, item in prepared)))


async def _send_one(
    form: Form, path: Path, answers: dict[str, Any], client: DeskHeroClient
) -> SubmitResult:
    from desktop_app.api.client import ApiError

    attachment_ids: dict[str, int] = {}
    for item_path in attachment_paths(form, answers):
        file = Path(item_path)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        try:
            uploaded = await client.upload_attachment(file.read_bytes(), file.name, content_type)
        except ApiError as error:
            return SubmitResult(str(path), "failed", messages=[f"attachments: {error}"])
        except OSError as error:
            return SubmitResult(str(path), "failed", messages=[f"{file}: {error.strerror}"])
        if uploaded.id is None:
            return SubmitResult(str(path), "failed", messages=[f"{file}: the server gave no id"])
        attachment_ids[item_path] = uploaded.id
    tickets = build_tickets(form, answers, attachment_ids=attachment_ids)
    outcome = await client.submit(tickets, form.target.form, idempotency_key=str(uuid.uuid4()))
    status = STATUS_BY_OUTCOME.get(outcome.kind, "failed")
    ticket_id = None
    if outcome.kind == "accepted" and outcome.tickets:
        ticket_id = outcome.tickets[0].id
    messages = [outcome.user_message] if status != "accepted" else []
    messages += [message.located() for message in getattr(outcome, "messages", [])]
    return SubmitResult(str(path), status, ticket_id=ticket_id, messages=messages)


def _print(results: list[SubmitResult], *, as_json: bool) -> None:
    if as_json:
        rows = [{k: v for k, v in asdict(r).items() if k != "sent"} for r in results]
        print(json.dumps(rows, indent=2))
        return
    for result in results:
        if result.status == "accepted":
            print(f"{result.answers}: accepted, ticket #{result.ticket_id}")
            continue
        stream = sys.stdout if result.sent else sys.stderr
        what = result.status if result.sent else "not sent (invalid)"
        print(f"{result.answers}: {what}", file=stream)
        for message in result.messages:
            print(f"  - {message}", file=stream)
