"""Crash test: the real CLI sends tickets to a sandbox with latency and is SIGKILLed at random.

Run: .venv/bin/python benchmarks/crash_test.py [--tickets 200] [--runs 20] [--seed N]
     [--latency-ms 30] [--concurrency 4] [--keep DIR]

What it does, as an operator at a terminal would:

1. Starts `deskforms sandbox` as a process of its own (it outlives every kill of the CLI) with
   the added latency, and saves a profile `crash` for it (`deskforms profiles add`).
2. Writes one answers file per ticket (it-support, with a unique subject, serial and e-mail).
3. Repeats until every answers file is accepted:
   - `deskforms outbox list --json` (what the store holds);
   - answers files not in the store yet: `deskforms submit FORM --answers ... --profile crash`;
     otherwise `deskforms outbox send --profile crash` (its engine start turns what a killed run
     left `sending` into `uncertain`, and sends what is due);
   - while kills remain, the run is SIGKILLed at a random moment (a seeded RNG picks, per run,
     a time within the first seconds, or after a random number of event lines on stderr);
   - each uncertain submission is resolved by the operator (the RNG again): either
     `outbox resolve ID --resend` at once (same idempotency key), or a look at the sandbox
     (`GET /_sandbox/tickets`) first: `--arrived TICKET` when it is there, `--resend` when not.
4. Compares the sandbox with the store and prints the counts. It fails (exit 1) when a ticket
   was lost (a file not accepted, a ticket id unknown to the sandbox, content that differs),
   duplicated (a subject twice in the sandbox), or a request reached the sandbox more than
   once for a submission the operator did not resend after it was uncertain
   (`GET /_sandbox/requests` lists every answered request with its Idempotency-Key).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
FORM = ROOT / "forms" / "it-support.json"
SAMPLE = ROOT / "forms" / "examples" / "it-support.json"
PROFILE = "crash"
# A command that is not killed must finish within this (the sandbox answers in milliseconds).
COMMAND_TIMEOUT = 300.0
# About how long the CLI takes to start (a timed kill may land in it: a crash while starting).
STARTUP = 0.7


@dataclass
class Options:
    tickets: int = 200
    runs: int = 20
    seed: int = 1
    latency_ms: int = 30
    concurrency: int = 4
    # A timed kill comes at most this many seconds after the start.
    max_kill_delay: float = 10.0
    keep: Path | None = None
    verbose: bool = False


@dataclass
class Report:
    """What happened and what the comparison found; `problems` empty means it passed."""

    tickets: int = 0
    runs: int = 0
    kills: int = 0
    uncertain: int = 0
    resolved: int = 0
    resent: int = 0
    resent_after_arrival: int = 0
    arrived: int = 0
    accepted: int = 0
    sandbox_tickets: int = 0
    requests: int = 0
    replays: int = 0
    reached_twice: int = 0
    duplicates: int = 0
    lost: int = 0
    elapsed: float = 0.0
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"tickets {self.tickets}, CLI runs {self.runs}, SIGKILLs {self.kills}",
            f"uncertain {self.uncertain} (times a submission was found uncertain), "
            f"resolved {self.resolved}: resent {self.resent} "
            f"(of which {self.resent_after_arrival} had arrived), arrived {self.arrived}",
            f"accepted {self.accepted}, sandbox tickets {self.sandbox_tickets}, "
            f"ticket requests answered {self.requests}, of which replays {self.replays}",
            f"submissions whose request reached the sandbox more than once: {self.reached_twice} "
            f"(all uncertain and resent by the operator: "
            f"{'yes' if not any('not resent' in p for p in self.problems) else 'NO'})",
            f"duplicates {self.duplicates}, lost {self.lost}",
            f"{'PASSED' if not self.problems else 'FAILED'} in {self.elapsed:.1f} s",
            *(f"  problem: {problem}" for problem in self.problems),
        ]


def cli(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir), *args]


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(data_dir, *args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


class Sandbox:
    """`deskforms sandbox` in a process of its own, with latency."""

    def __init__(self, folder: Path, latency_ms: int) -> None:
        self.process = subprocess.Popen(
            cli(folder, "sandbox", "--port", "0", "--latency-ms", str(latency_ms)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        if not first.startswith("DeskHero sandbox listening on "):
            self.stop()
            raise RuntimeError(f"the sandbox did not start: {first!r}")
        self.base_url = first.rsplit(" ", 1)[1].strip()
        self.http = httpx.Client(timeout=30)

    def tickets(self) -> list[dict[str, Any]]:
        return list(self.http.get(f"{self.base_url}/_sandbox/tickets").json())

    def requests(self) -> list[dict[str, Any]]:
        return list(self.http.get(f"{self.base_url}/_sandbox/requests").json())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def write_answers(folder: Path, count: int, seed: int) -> dict[str, dict[str, Any]]:
    """One answers file per ticket, told apart by subject, serial and e-mail; by subject."""
    sample = json.loads(SAMPLE.read_text("utf-8"))
    files: dict[str, dict[str, Any]] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        answers = {
            **sample,
            "subject": f"Crash test {seed} ticket {number:04d}",
            "serial": f"CT{seed % 100:02d}{number:06d}",
            "email": f"crash.{number:04d}@example.com",
            "name": f"Crash Tester {number:04d}",
        }
        path = folder / f"ticket-{number:04d}.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        files[answers["subject"]] = {"path": path, "answers": answers}
    return files


class Killer:
    """Runs one CLI command and SIGKILLs it at a moment the RNG picks (or lets it finish)."""

    def __init__(self, rng: random.Random, options: Options) -> None:
        self.rng = rng
        self.options = options

    def run(
        self, command: list[str], kill: bool, expected_lines: int, expected_seconds: float
    ) -> tuple[bool, str]:
        """(killed, how); the expected event lines and duration size the choice of moment."""
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        lines = 0
        enough = threading.Event()
        if kill and self.rng.random() < 0.4:
            longest = min(self.options.max_kill_delay, 2 * expected_seconds)
            delay = self.rng.uniform(0.05, longest)
            target, how = None, f"after {delay:.2f} s"
        else:
            delay = COMMAND_TIMEOUT
            target = self.rng.randint(1, max(2, 2 * expected_lines)) if kill else None
            how = f"after {target} event lines" if target else "not killed"

        def read() -> None:
            nonlocal lines
            assert process.stderr is not None
            for line in process.stderr:
                if self.options.verbose:
                    print(f"    | {line.rstrip()}", flush=True)
                lines += 1
                if target is not None and lines >= target:
                    enough.set()
            enough.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        enough.wait(delay if kill else COMMAND_TIMEOUT)
        killed = False
        if kill and process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed = True
        process.wait(COMMAND_TIMEOUT)
        reader.join(10)
        return killed, how if killed else f"finished ({how})"


def run(options: Options) -> Report:
    """The whole crash test; the report says what it found."""
    rng = random.Random(options.seed)
    report = Report(tickets=options.tickets)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="deskforms-crash-") as scratch:
        work = options.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        data_dir = work / "data"
        sandbox = Sandbox(work / "sandbox-data", options.latency_ms)
        try:
            resolutions = _drive(options, rng, report, data_dir, work, sandbox)
            expected = {
                f"Crash test {options.seed} ticket {n:04d}": n for n in range(options.tickets)
            }
            check(
                options,
                report,
                _list(data_dir),
                sandbox.tickets(),
                sandbox.requests(),
                resolutions,
                expected,
            )
        finally:
            sandbox.stop()
    report.elapsed = time.monotonic() - started
    return report


def _drive(
    options: Options,
    rng: random.Random,
    report: Report,
    data_dir: Path,
    work: Path,
    sandbox: Sandbox,
) -> dict[str, list[str]]:
    """Run, kill and resolve until every file is accepted; the operator's decisions by id."""
    files = write_answers(work / "answers", options.tickets, options.seed)
    added = run_cli(
        data_dir,
        "profiles",
        "add",
        PROFILE,
        "--base-url",
        sandbox.base_url,
        "--tenant",
        "demo",
        "--concurrency",
        str(options.concurrency),
    )
    if added.returncode != 0:
        raise RuntimeError(f"profiles add failed: {added.stderr}")
    killer = Killer(rng, options)
    resolutions: dict[str, list[str]] = {}
    for _ in range(20 * (options.runs + options.tickets)):
        rows = _list(data_dir)
        by_subject = {row["summary"]: row for row in rows}
        waiting = [s for s in files if s not in by_subject]
        uncertain = [row for row in rows if row["status"] == "uncertain"]
        for row in uncertain:
            report.uncertain += 1
            _resolve(rng, report, data_dir, sandbox, row, resolutions)
        open_rows = [row for row in rows if row["status"] != "accepted"]
        if not waiting and not open_rows:
            break
        if uncertain:
            continue  # look again: the resolutions changed the outbox
        kills_left = options.runs - report.kills
        kill = kills_left > 0
        if waiting:
            command = ["submit", str(FORM), "--profile", PROFILE, "--max-wait", "120"]
            for subject in waiting:
                command += ["--answers", str(files[subject]["path"])]
        else:
            command = ["outbox", "send", "--profile", PROFILE, "--max-wait", "120"]
        # Spread the kills over the work: a killed run should get through about its share of
        # what is left (a sending and an accepted line per ticket), so the work does not end
        # before the kills do. Some land in the start-up (imports, opening the store).
        share = max(1.0, (len(waiting) + len(open_rows)) / (2 * kills_left + 1))
        lines = round(2 * share) + sum(1 for row in open_rows if row["status"] == "sending")
        seconds = STARTUP + share / options.concurrency * (options.latency_ms + 10) / 1000
        killed, how = killer.run(cli(data_dir, *command), kill, lines, seconds)
        report.runs += 1
        report.kills += killed
        if options.verbose:
            print(f"run {report.runs}: {' '.join(command[:2])}: {how}", flush=True)
    else:
        raise RuntimeError("the crash test did not finish: the outbox never emptied")
    report.resolved = sum(len(actions) for actions in resolutions.values())
    return resolutions


def _list(data_dir: Path) -> list[dict[str, Any]]:
    listed = run_cli(data_dir, "outbox", "list", "--json")
    if listed.returncode != 0:
        raise RuntimeError(f"outbox list failed: {listed.stderr}")
    return list(json.loads(listed.stdout or "[]"))


def _resolve(
    rng: random.Random,
    report: Report,
    data_dir: Path,
    sandbox: Sandbox,
    row: dict[str, Any],
    resolutions: dict[str, list[str]],
) -> None:
    """The operator's decision for one uncertain submission."""
    present = [t for t in sandbox.tickets() if t.get("subject") == row["summary"]]
    if rng.random() < 0.5 and present:
        args = ["--arrived", str(present[0]["id"])]
        report.arrived += 1
        action = "arrived"
    else:
        args = ["--resend", "--no-wait"]
        report.resent += 1
        report.resent_after_arrival += bool(present)
        action = "resent"
    done = run_cli(data_dir, "outbox", "resolve", row["id"], *args)
    # --resend --no-wait leaves it queued, which `resolve` reports as not delivered (exit 3).
    if done.returncode not in (0, 3) or (action == "resent" and "queued" not in done.stdout):
        raise RuntimeError(f"outbox resolve {row['id']} {' '.join(args)} failed: {done.stderr}")
    resolutions.setdefault(row["id"], []).append(action)


def check(
    options: Options,
    report: Report,
    rows: list[dict[str, Any]],
    tickets: list[dict[str, Any]],
    requests: list[dict[str, Any]],
    resolutions: dict[str, list[str]],
    expected: dict[str, int],
) -> None:
    """Compare the store's submissions with the sandbox's tickets and request log."""
    problems = report.problems
    queued = Counter(row["summary"] for row in rows)
    for subject, count in queued.items():
        if count > 1:
            problems.append(f"'{subject}' was queued {count} times")
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for ticket in tickets:
        by_subject.setdefault(str(ticket.get("subject")), []).append(ticket)
    by_id = {ticket["id"]: ticket for ticket in tickets}
    report.sandbox_tickets = len(tickets)
    report.duplicates = sum(len(found) - 1 for found in by_subject.values() if len(found) > 1)
    if report.duplicates:
        problems.append(f"{report.duplicates} tickets were created more than once")
    rows_by_subject = {row["summary"]: row for row in rows}
    lost = 0
    for subject, number in expected.items():
        row = rows_by_subject.get(subject)
        if row is None or row["status"] != "accepted" or row["ticket_id"] is None:
            lost += 1
            state = "never queued" if row is None else row["status"]
            problems.append(f"ticket {number:04d} was not accepted ({state})")
            continue
        found = by_id.get(row["ticket_id"])
        if found is None:
            lost += 1
            problems.append(f"ticket {number:04d}: #{row['ticket_id']} is not in the sandbox")
            continue
        ticket = found
        want = {
            "subject": subject,
            "serial": f"CT{options.seed % 100:02d}{number:06d}",
            "email": f"crash.{number:04d}@example.com",
            "name": f"Crash Tester {number:04d}",
        }
        got = {
            "subject": ticket.get("subject"),
            "serial": ticket.get("serial"),
            "email": (ticket.get("requester") or {}).get("email"),
            "name": (ticket.get("requester") or {}).get("name"),
        }
        if got != want:
            lost += 1
            problems.append(f"ticket {number:04d}: the sandbox holds {got}, not {want}")
    for subject in by_subject:
        if subject not in expected:
            problems.append(f"the sandbox holds a ticket nobody sent: '{subject}'")
    report.lost = lost
    report.accepted = sum(1 for row in rows if row["status"] == "accepted")
    report.requests = len(requests)
    report.replays = sum(1 for request in requests if request.get("replayed"))
    per_key = Counter(request.get("key") for request in requests)
    created = Counter(request.get("key") for request in requests if not request.get("replayed"))
    for key, count in created.items():
        if count > 1:
            problems.append(f"key {key} created tickets {count} times")
    twice = [key for key, count in per_key.items() if count > 1]
    report.reached_twice = len(twice)
    for key in twice:
        if "resent" not in resolutions.get(str(key), []):
            problems.append(
                f"submission {key} reached the sandbox {per_key[key]} times but was not resent"
                " by the operator after being uncertain"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20, help="SIGKILLs to deliver (at least)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-ms", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=4, help="the profile's concurrency")
    parser.add_argument("--max-kill-delay", type=float, default=10.0)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--verbose", action="store_true", help="print every run and event")
    args = parser.parse_args(argv)
    options = Options(
        tickets=args.tickets,
        runs=args.runs,
        seed=args.seed,
        latency_ms=args.latency_ms,
        concurrency=args.concurrency,
        max_kill_delay=args.max_kill_delay,
        keep=args.keep,
        verbose=args.verbose,
    )
    print(
        f"Crash test: {options.tickets} tickets through the CLI to a sandbox process with "
        f"{options.latency_ms} ms latency, profile concurrency {options.concurrency}, "
        f"{options.runs} SIGKILLs, seed {options.seed}",
        flush=True,
    )
    report = run(options)
    for line in report.lines():
        print(line)
    return 0 if not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())
