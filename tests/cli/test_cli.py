"""The command line end to end: real sandbox over loopback, real files, real exit codes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli import main
from desktop_app.sandbox.faults import Fault

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
EXAMPLES = FORMS / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def submit_args(
    sandbox: Any, form: str, *answers: Path | str, extra: tuple[str, ...] = ()
) -> list[str]:
    args = ["submit", str(FORMS / form)]
    for path in answers:
        args += ["--answers", str(path)]
    return [*args, "--base-url", sandbox.base_url, "--tenant", "demo", *extra]


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_version_through_python_dash_m() -> None:
    from desktop_app import __version__

    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"deskforms {__version__}"


def test_forms_validate_accepts_every_sample(capsys: pytest.CaptureFixture[str]) -> None:
    samples = sorted(FORMS.glob("*.json"))
    assert len(samples) >= 3
    code, out, err = run(capsys, "forms", "validate", *map(str, samples))
    assert code == 0, err
    assert out.count("ok: ") == len(samples)


def test_forms_validate_reports_each_bad_file_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "deskforms/form",', encoding="utf-8")
    missing = tmp_path / "missing.json"
    code, out, err = run(
        capsys, "forms", "validate", str(FORMS / "it-support.json"), str(broken), str(missing)
    )
    assert code == 1
    assert "ok: " in out
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert str(broken) in lines[0] and "JSON" in lines[0]
    assert str(missing) in lines[1]
    assert "Traceback" not in err


def test_forms_schema_matches_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forms", "schema")
    assert code == 0
    assert out == (ROOT / "resources" / "form.schema.json").read_text(encoding="utf-8")


def test_submit_prints_the_sandbox_ticket_id(
    sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, *submit_args(sandbox, "it-support.json", EXAMPLES / "it-support.json")
    )
    assert code == 0, out + err
    received = sandbox.state.tickets
    assert len(received) == 1
    assert f"accepted, ticket #{received[0]['id']}" in out


def test_submit_json_reports_every_file(
    sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = [EXAMPLES / f"{name}.json" for name in ("walk-in-intake",)] * 2
    code, out, err = run(
        capsys, *submit_args(sandbox, "walk-in-intake.json", *answers, extra=("--json",))
    )
    assert code == 0, err
    rows = json.loads(out)
    assert [row["status"] for row in rows] == ["accepted", "accepted"]
    assert sorted(row["ticket_id"] for row in rows) == sorted(
        t["id"] for t in sandbox.state.tickets
    )
    # `id` came with the outbox: the submission to follow up with `deskforms outbox ...`.
    assert set(rows[0]) == {"answers", "id", "status", "ticket_id", "messages"}


def test_every_sample_example_is_accepted(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for form in ("it-support", "walk-in-intake", "bug-report"):
        code, out, err = run(
            capsys, *submit_args(sandbox, f"{form}.json", EXAMPLES / f"{form}.json")
        )
        assert code == 0, f"{form}: {out}{err}"
    assert len(sandbox.state.tickets) == 3


def test_invalid_answers_are_reported_and_not_sent(
    sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = EXAMPLES / "it-support.json"
    answers = json.loads(good.read_text(encoding="utf-8"))
    answers["email"] = "not an address"
    bad = write_json(tmp_path / "bad.json", answers)
    code, out, _ = run(
        capsys, *submit_args(sandbox, "it-support.json", good, bad, extra=("--json",))
    )
    assert code == 1
    rows = {row["answers"]: row for row in json.loads(out)}
    assert rows[str(good)]["status"] == "accepted"
    assert rows[str(bad)]["status"] == "rejected"
    assert rows[str(bad)]["ticket_id"] is None
    assert any(message.startswith("email") for message in rows[str(bad)]["messages"])
    assert len(sandbox.state.tickets) == 1


def test_unreadable_answers_file_is_one_line(
    sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    code, _, err = run(capsys, *submit_args(sandbox, "it-support.json", bad))
    assert code == 1
    assert "not valid JSON" in err and "Traceback" not in err
    assert sandbox.state.tickets == []


def test_server_rejection_exits_2_with_its_messages(
    sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A local copy of the form with a field the demo tenant does not know: valid here,
    # refused by the server.
    form = json.loads((FORMS / "it-support.json").read_text(encoding="utf-8"))
    form["pages"][0]["items"].append({"type": "text", "key": "cost_centre", "label": "Cost centre"})
    form_path = write_json(tmp_path / "it-support.json", form)
    answers = json.loads((EXAMPLES / "it-support.json").read_text(encoding="utf-8"))
    answers["cost_centre"] = "CC-42"
    answers_path = write_json(tmp_path / "answers.json", answers)
    argv = submit_args(sandbox, "x", answers_path, extra=("--json",))
    argv[1] = str(form_path)
    code, out, _ = run(capsys, *argv)
    assert code == 2
    (row,) = json.loads(out)
    assert row["status"] == "rejected"
    assert any("cost_centre" in message for message in row["messages"])
    assert sandbox.state.tickets == []


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        # The outbox retries these until --max-wait runs out; then they stay queued.
        (Fault(kind="status", status=503, retry_after=3, count=0), "queued"),
        (Fault(kind="status", status=500, count=0), "queued"),
        (Fault(kind="drop"), "uncertain"),
        (Fault(kind="html"), "uncertain"),
    ],
)
def test_undelivered_tickets_exit_3(
    sandbox: Any, capsys: pytest.CaptureFixture[str], fault: Fault, status: str
) -> None:
    sandbox.state.faults.add(fault)
    code, out, _ = run(
        capsys,
        *submit_args(
            sandbox,
            "it-support.json",
            EXAMPLES / "it-support.json",
            extra=("--json", "--max-wait", "0.5"),
        ),
    )
    assert code == 3
    (row,) = json.loads(out)
    assert row["status"] == status
    assert row["messages"] and all("\n" not in message for message in row["messages"])


def test_unreachable_host_is_not_delivered(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, _ = run(
        capsys,
        "submit",
        str(FORMS / "it-support.json"),
        "--answers",
        str(EXAMPLES / "it-support.json"),
        "--base-url",
        f"http://127.0.0.1:{port}",
        "--tenant",
        "demo",
        "--max-wait",
        "0.5",
    )
    assert code == 3
    assert "queued" in out and "connection refused" in out


@pytest.mark.parametrize(
    ("base_url", "tenant", "expected"),
    [
        ("http://127.0.0.1:9", "d", "tenant"),
        ("deskhero.example.com", "acme", "https://"),
        ("http://deskhero.example.com", "acme", "https"),
    ],
)
def test_bad_target_is_one_line_and_exits_1(
    capsys: pytest.CaptureFixture[str], base_url: str, tenant: str, expected: str
) -> None:
    code, _, err = run(
        capsys,
        "submit",
        str(FORMS / "it-support.json"),
        "--answers",
        str(EXAMPLES / "it-support.json"),
        "--base-url",
        base_url,
        "--tenant",
        tenant,
    )
    assert code == 1
    assert err.startswith("deskforms: ") and err.count("\n") == 1
    assert expected in err


def test_attachments_are_uploaded_then_referenced(
    sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "error.log"
    log.write_text("disk full\n", encoding="utf-8")
    answers = json.loads((EXAMPLES / "it-support.json").read_text(encoding="utf-8"))
    answers["attachments"] = ["error.log"]
    answers_path = write_json(tmp_path / "answers.json", answers)
    code, out, err = run(
        capsys,
        *submit_args(
            sandbox, "it-support.json", answers_path, extra=("--upload", "attachments/external")
        ),
    )
    assert code == 0, out + err
    (ticket,) = sandbox.state.tickets
    assert len(ticket["sys_attachments"]) == 1

    code, _, err = run(capsys, *submit_args(sandbox, "it-support.json", answers_path))
    assert code == 1
    assert "upload" in err
    assert len(sandbox.state.tickets) == 1


def test_saved_profile_and_builtin_sandbox_profile(
    sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    code, _, err = run(
        capsys,
        "--data-dir",
        data,
        "profiles",
        "add",
        "local",
        "--base-url",
        sandbox.base_url,
        "--tenant",
        "demo",
    )
    assert code == 0, err
    code, out, _ = run(capsys, "--data-dir", data, "profiles", "list")
    assert "local" in out and "sandbox" in out
    answers = str(EXAMPLES / "it-support.json")
    code, out, err = run(
        capsys,
        "--data-dir",
        data,
        "submit",
        str(FORMS / "it-support.json"),
        "--answers",
        answers,
        "--profile",
        "local",
    )
    assert code == 0, out + err
    assert len(sandbox.state.tickets) == 1
    code, out, err = run(
        capsys,
        "--data-dir",
        data,
        "submit",
        str(FORMS / "it-support.json"),
        "--answers",
        answers,
        "--profile",
        "sandbox",
    )
    assert code == 0, out + err
    assert "accepted, ticket #" in out
    assert (tmp_path / "data" / "sandbox").is_dir()
    code, _, err = run(
        capsys,
        "--data-dir",
        data,
        "submit",
        str(FORMS / "it-support.json"),
        "--answers",
        answers,
        "--profile",
        "nope",
    )
    assert code == 1 and "known profiles" in err


def test_no_arguments_opens_the_desktop_window(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("deskforms")
    # The app quits by itself right after its window first paints.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESKFORMS_QUIT_AFTER_START": "1"}
    result = subprocess.run(
        [str(script), "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "deskforms.sqlite3").is_file()
    assert "main window painted" in (tmp_path / "logs" / "deskforms.log").read_text(
        encoding="utf-8"
    )


def test_demo_runs_sandbox_and_a_sample_submission(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("deskforms")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [str(script), "--data-dir", str(tmp_path), "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        seen = []
        for line in process.stdout:
            seen.append(line)
            if "Ctrl+C" in line:
                break
        assert any("accepted, ticket #" in line for line in seen), "".join(seen)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()


def test_several_answers_files_are_queued_in_one_go_in_their_order(
    sandbox: Any, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.store import Store

    sample = json.loads((EXAMPLES / "it-support.json").read_text(encoding="utf-8"))
    paths = [
        write_json(tmp_path / f"{n}.json", {**sample, "subject": f"Request {n}"}) for n in range(4)
    ]
    calls: list[int] = []
    original = Store.queue_submissions

    def spy(self: Store, *args: Any, **kwargs: Any) -> list[str]:
        calls.append(len(args[1]))
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "queue_submissions", spy)
        code, out, err = run(
            capsys, *submit_args(sandbox, "it-support.json", *paths, extra=("--no-wait", "--json"))
        )
    assert code == 0, err
    rows = json.loads(out)
    assert [row["status"] for row in rows] == ["queued"] * 4
    assert calls == [4]
    with Store(data_dir) as store:
        queued = store.submissions(order="created")
    assert [r.id for r in queued] == [row["id"] for row in rows]
    assert [r.answers["subject"] for r in queued] == [f"Request {n}" for n in range(4)]


def test_when_queueing_together_fails_each_file_is_tried_alone(
    sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.store import Store, StoreError

    def refuse(self: Store, *args: Any, **kwargs: Any) -> list[str]:
        raise StoreError("Could not save: the disk is full.")

    paths = [EXAMPLES / "it-support.json"] * 2
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "queue_submissions", refuse)
        code, out, err = run(
            capsys, *submit_args(sandbox, "it-support.json", *paths, extra=("--json",))
        )
    assert code == 0, err
    assert [row["status"] for row in json.loads(out)] == ["accepted", "accepted"]
    assert len(sandbox.state.tickets) == 2
