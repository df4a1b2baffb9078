"""`deskforms submit` through the outbox, and `deskforms outbox …`, against the real sandbox."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli import app as cli_app
from desktop_app.cli import main
from desktop_app.outbox import BackoffSettings, InstanceLock
from desktop_app.sandbox import Fault, SandboxServer
from desktop_app.store import Status, Store

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "forms" / "it-support.json"
ANSWERS = ROOT / "forms" / "examples" / "it-support.json"


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Millisecond backoff and lock waits: the tests wait for behaviour, never for seconds."""
    monkeypatch.setattr(cli_app, "BACKOFF", BackoffSettings(base=0.01, cap=0.05, minimum=0))
    monkeypatch.setattr(cli_app, "LOCK_WAIT", 0.2)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def submit(sandbox: SandboxServer, *extra: str, answers: Path = ANSWERS) -> list[str]:
    return [
        "submit",
        str(FORM),
        "--answers",
        str(answers),
        "--base-url",
        sandbox.base_url,
        "--tenant",
        "demo",
        *extra,
    ]


def records(data_dir: Path) -> list[Any]:
    with Store(data_dir) as store:
        return store.submissions(order="created")


def queue_one(capsys: pytest.CaptureFixture[str], sandbox: SandboxServer) -> str:
    code, out, _ = run(capsys, *submit(sandbox, "--no-wait", "--json"))
    assert code == 0, out
    (row,) = json.loads(out)
    return str(row["id"])


def test_submit_prints_engine_events_one_line_each(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(capsys, *submit(sandbox))
    assert code == 0, err
    (record,) = records(data_dir)
    lines = err.strip().splitlines()
    assert lines[0] == f"sending    {record.id[:8]} to demo@{sandbox.base_url}"
    assert lines[1] == f"accepted   {record.id[:8]} ticket #{record.ticket_id}"
    assert f"accepted, ticket #{record.ticket_id}" in out


def test_a_transient_failure_is_retried_within_max_wait(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=503, count=2))
    code, out, err = run(capsys, *submit(sandbox))
    assert code == 0, err
    assert "accepted, ticket #1001" in out
    assert err.count("failed     ") == 2 and "503" in err


def test_no_wait_only_queues_and_needs_no_network(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(
        capsys,
        "submit",
        str(FORM),
        "--answers",
        str(ANSWERS),
        "--base-url",
        "http://127.0.0.1:9",
        "--tenant",
        "demo",
        "--no-wait",
    )
    assert code == 0, err
    (record,) = records(data_dir)
    assert record.status is Status.QUEUED
    assert out.strip() == f"{ANSWERS}: queued (id {record.id[:8]})"


def test_max_wait_leaves_undelivered_tickets_queued_for_a_later_send(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=503, count=0))
    code, out, _ = run(capsys, *submit(sandbox, "--json", "--max-wait", "0.3"))
    assert code == 3
    (row,) = json.loads(out)
    assert row["status"] == "queued" and "503" in row["messages"][0]
    assert records(data_dir)[0].status is Status.FAILED

    sandbox.state.faults.clear()
    code, out, err = run(capsys, "outbox", "send", "--failed")
    assert code == 0, err
    assert f"{row['id'][:8]}: accepted, ticket #" in out
    assert "progress   1/1 done, 0 in flight" in err
    code, out, _ = run(capsys, "outbox", "send")
    assert (code, out.strip()) == (0, "nothing is due to be sent")


def test_outbox_list_text_json_and_filters(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, *submit(sandbox))
    sandbox.state.faults.add(Fault(kind="drop"))
    run(capsys, *submit(sandbox))

    code, out, _ = run(capsys, "outbox", "list")
    assert code == 0
    header, uncertain, message, accepted = out.strip().splitlines()
    assert header.split()[:3] == ["ID", "STATUS", "PROFILE"]
    assert uncertain.split()[1] == "uncertain" and "arrived" in message
    assert accepted.split()[1] == "accepted" and "#1001" in accepted

    code, out, _ = run(capsys, "outbox", "list", "--status", "accepted", "--json")
    (row,) = json.loads(out)
    assert (row["status"], row["ticket_id"], row["attempts"]) == ("accepted", 1001, 1)
    code, out, _ = run(capsys, "outbox", "list", "--profile", "nobody")
    assert (code, out.strip()) == (0, "no submission matches")
    code, out, _ = run(capsys, "outbox", "list", "--status", "rejected")
    assert (code, out.strip()) == (0, "no submission matches")


def test_outbox_retry_sends_a_failed_ticket_now(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=503, retry_after=600))
    code, out, _ = run(capsys, *submit(sandbox, "--json", "--max-wait", "0.3"))
    (row,) = json.loads(out)
    assert row["status"] == "queued"

    code, out, err = run(capsys, "outbox", "retry", row["id"][:6])
    assert code == 0, err
    assert out.strip() == f"{row['id'][:8]}: accepted, ticket #1001"


def test_outbox_retry_refuses_what_needs_a_decision(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    sandbox.state.faults.add(Fault(kind="drop"))
    run(capsys, *submit(sandbox))
    (record,) = records(data_dir)
    code, _, err = run(capsys, "outbox", "retry", record.id)
    assert code == 1
    assert err.strip() == f"deskforms: {record.id[:8]} is uncertain: outbox resolve --resend"


def test_resolve_resend_uses_the_same_key_and_creates_no_duplicate(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    sandbox.state.faults.add(Fault(kind="drop"))
    code, out, _ = run(capsys, *submit(sandbox, "--json"))
    (row,) = json.loads(out)
    assert (code, row["status"]) == (3, "uncertain")
    (created,) = sandbox.state.tickets

    code, out, err = run(capsys, "outbox", "resolve", row["id"], "--resend")

    assert code == 0, err
    assert out.strip() == f"{row['id'][:8]}: accepted, ticket #{created['id']}"
    assert len(sandbox.state.tickets) == 1


def test_resolve_arrived_and_discard(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    sandbox.state.faults.add(Fault(kind="drop", count=2))
    run(capsys, *submit(sandbox))
    run(capsys, *submit(sandbox))
    first, second = records(data_dir)

    code, out, _ = run(capsys, "outbox", "resolve", first.id[:8], "--arrived", "4242")
    assert (code, out.strip()) == (0, f"{first.id[:8]}: accepted, ticket #4242")
    code, out, _ = run(capsys, "outbox", "resolve", second.id[:8], "--discard")
    assert code == 0 and "cancelled" in out
    code, _, err = run(capsys, "outbox", "resolve", second.id[:8], "--discard")
    assert code == 1 and err.count("\n") == 1 and "cancelled" in err
    assert [r.status for r in records(data_dir)] == [Status.ACCEPTED, Status.CANCELLED]


def test_ids_must_be_known_and_unambiguous(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "outbox", "list")
    assert (code, out.strip()) == (0, "the outbox is empty")
    code, _, err = run(capsys, "outbox", "retry", "abcdef")
    assert code == 1 and "no submission id starts with 'abcdef'" in err
    code, _, err = run(capsys, "outbox", "resolve", "ab", "--discard")
    assert code == 1 and "at least 4 characters" in err


def test_id_prefixes_are_literal_text_not_patterns(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    submission_id = queue_one(capsys, sandbox)
    queue_one(capsys, sandbox)
    for pattern in ("%%%%", "____", submission_id[:2] + "%%"):
        code, _, err = run(capsys, "outbox", "resolve", pattern, "--discard")
        assert code == 1 and "no submission id starts with" in err
    code, out, _ = run(capsys, "outbox", "resolve", submission_id.upper()[:8], "--discard")
    assert code == 0 and "cancelled" in out


def test_export_csv_and_json_carry_ticket_ids_and_messages(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, *submit(sandbox))
    # A field this form has and the tenant's form lacks: valid here, rejected by the server.
    form = json.loads(FORM.read_text("utf-8"))
    form["pages"][0]["items"].append({"type": "text", "key": "cost_centre", "label": "CC"})
    form_path = tmp_path / "form.json"
    form_path.write_text(json.dumps(form), "utf-8")
    answers = {**json.loads(ANSWERS.read_text("utf-8")), "cost_centre": "x"}
    answers_path = tmp_path / "answers.json"
    answers_path.write_text(json.dumps(answers), "utf-8")
    argv = submit(sandbox, answers=answers_path)
    argv[1] = str(form_path)
    assert run(capsys, *argv)[0] == 2

    code, out, _ = run(capsys, "outbox", "export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    by_status = {row["status"]: row for row in rows}
    assert by_status["accepted"]["ticket_id"] == "1001"
    assert by_status["rejected"]["messages"] == (
        "cost_centre: 'cost_centre' is not a field of form 'it-support'."
    )

    target = tmp_path / "out" / "results.json"
    target.parent.mkdir()
    code, _, err = run(capsys, "outbox", "export", "--format", "json", "--output", str(target))
    assert code == 0 and "exported 2 submission(s)" in err
    exported = json.loads(target.read_text("utf-8"))
    rejected = next(row for row in exported if row["status"] == "rejected")
    assert rejected["messages"][0]["field_key"] == "cost_centre"
    assert rejected["ticket_id"] is None


def test_a_second_instance_on_the_same_folder_is_refused(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    with InstanceLock(data_dir):
        code, out, err = run(capsys, "outbox", "list")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("deskforms: Another DeskForms (process ")
    assert str(data_dir) in err and "--data-dir" in err


def test_profiles_live_in_the_store_and_profiles_json_is_imported_once(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    legacy = {
        "profiles": [
            {"name": "old", "base_url": sandbox.base_url, "tenant": "demo"},
            {"name": "older", "base_url": "https://help.example.com", "tenant": "acme"},
        ]
    }
    (data_dir / "profiles.json").write_text(json.dumps(legacy), "utf-8")

    code, out, _ = run(capsys, "profiles", "list")
    assert code == 0
    assert [line.split("\t")[0] for line in out.strip().splitlines()] == [
        "sandbox",
        "old",
        "older",
    ]
    assert run(capsys, "profiles", "remove", "older")[0] == 0
    code, out, _ = run(capsys, "profiles", "list")
    assert "older" not in out  # not imported a second time
    assert (data_dir / "profiles.json").exists()  # left as it was
    code, out, err = run(capsys, "submit", str(FORM), "--answers", str(ANSWERS), "--profile", "old")
    assert code == 0, err


def test_profile_delivery_options_pause_and_resume(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, _, err = run(
        capsys,
        "profiles",
        "add",
        "desk",
        "--base-url",
        sandbox.base_url,
        "--tenant",
        "demo",
        "--concurrency",
        "2",
        "--batching",
    )
    assert code == 0, err
    with Store(data_dir) as store:
        settings = store.profile("desk").settings
    assert (settings.concurrency, settings.batching) == (2, True)

    sandbox.state.faults.add(Fault(kind="status", status=403))
    argv = ["submit", str(FORM), "--answers", str(ANSWERS), "--profile", "desk", "--json"]
    code, out, err = run(capsys, *argv)
    assert code == 2 and "paused     profile 'desk'" not in err  # --json prints no events
    code, out, _ = run(capsys, "profiles", "list")
    assert "paused: DeskHero refused the request (403 Forbidden)" in out

    code, out, _ = run(capsys, *argv, "--max-wait", "0.2")
    (row,) = json.loads(out)
    assert row["status"] == "queued" and "profiles resume desk" in row["messages"][-1]
    assert run(capsys, "profiles", "resume", "desk")[1].strip() == "resumed profile 'desk'"
    code, out, _ = run(capsys, "outbox", "send", "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "accepted"


def test_outbox_send_on_a_terminal_draws_one_progress_line() -> None:
    from desktop_app.cli.report import EventPrinter
    from desktop_app.outbox import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    printer = EventPrinter(screen, progress=True)
    for done in range(4):
        printer(Progress(done, 3, 3 - done))
    printer.close()
    text = screen.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.count("\r") >= 4
    assert text.rstrip().endswith("] 3/3 done, 0 in flight")
    assert "[" + "#" * 30 + "]" in text
