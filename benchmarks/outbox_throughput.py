"""Outbox throughput: 1000 tickets to the sandbox with 20 ms latency, against plain httpx loops.

Run: .venv/bin/python benchmarks/outbox_throughput.py [--tickets N] [--latency-ms MS]
     [--concurrency C] [--rounds R] [--autosave-saves N]

The sandbox runs as a separate process (`python -m desktop_app sandbox`): on these two-core
machines it then has a core of its own, so the tenant is not the bottleneck and the three
clients below compete only with themselves. All three send the same ticket bodies (the
it-support sample with a numbered subject) to the same sandbox with the same added latency,
each request with a fresh Idempotency-Key:

  (a) a plain sequential loop over `httpx.Client.post`;
  (b) `asyncio.gather` over `httpx.AsyncClient.post`, at most C in flight (a semaphore), no store;
  (c) the outbox: a real Store (SQLite, WAL, synchronous=FULL) in a temporary folder, the 1000
      submissions queued (`Store.queue_submissions`, timed), then an OutboxEngine with the
      profile's concurrency set to C sends them and every state change is committed
      (`sending` before each request leaves, the outcome after), timed until all are accepted.

Targets (issue 4): (c) at least 6x the throughput of (a) and at least 0.8x that of (b),
durability included. It also prints draft autosave time for a 300-field form (target < 5 ms).
(b) and (c) run --rounds times (default 3), alternating, and the best of each counts: these
machines are noisy. The default concurrency, 8, is the profile setting where one request at a
time per slot keeps the 20 ms latency the limit for (b); at 16 (b) is bound by the client's
CPU (httpx costs ~1.5-2 ms a request here) and the outbox's own work per ticket (a commit with
fsync per round, building the ticket from the stored answers, recording the outcome) shows.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.api.client import make_http_client  # noqa: E402
from desktop_app.core.form.loading import parse_form  # noqa: E402
from desktop_app.core.form.mapping import build_tickets  # noqa: E402
from desktop_app.core.form.model import Form  # noqa: E402
from desktop_app.core.profile import TenantProfile  # noqa: E402
from desktop_app.outbox import EngineSettings, OutboxEngine  # noqa: E402
from desktop_app.store import DeliverySettings, Status, Store  # noqa: E402

FORM_FILE = ROOT / "forms" / "it-support.json"
ANSWERS_FILE = ROOT / "forms" / "examples" / "it-support.json"
SUBMIT_PATH = "tickets/external_dynamic_form"


@contextmanager
def sandbox_process(data_dir: Path, latency_ms: int) -> Iterator[str]:
    """`deskforms sandbox` in its own process; yields its base URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop_app",
            "--data-dir",
            str(data_dir),
            "sandbox",
            "--port",
            "0",
            "--latency-ms",
            str(latency_ms),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if not first.startswith("DeskHero sandbox listening on "):
            raise RuntimeError(f"the sandbox did not start: {first!r}")
        yield first.rsplit(" ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(30)


def received(http: httpx.Client, base_url: str) -> int:
    return int(http.get(f"{base_url}/_sandbox", timeout=30).json()["tickets"])


def workload(count: int) -> tuple[Form, list[dict[str, Any]], list[bytes]]:
    """The form, `count` answers (numbered subjects) and the request body each becomes."""
    form = parse_form(FORM_FILE.read_text("utf-8"), FORM_FILE.name)
    sample = json.loads(ANSWERS_FILE.read_text("utf-8"))
    answers = [{**sample, "subject": f"Benchmark ticket {n:05d}"} for n in range(count)]
    bodies = [
        json.dumps(
            [t.to_request() for t in build_tickets(form, a)], ensure_ascii=False, allow_nan=False
        ).encode()
        for a in answers
    ]
    return form, answers, bodies


def request_args(api: str, body: bytes) -> dict[str, Any]:
    return {
        "url": f"{api}{SUBMIT_PATH}",
        "params": {"form": "it-support"},
        "content": body,
        "headers": {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
    }


def sequential(api: str, bodies: list[bytes]) -> float:
    """(a) One request after the other on a plain synchronous client."""
    with httpx.Client(timeout=30) as http:
        started = time.perf_counter()
        for body in bodies:
            http.post(**request_args(api, body)).raise_for_status()
        return time.perf_counter() - started


async def gathered(api: str, bodies: list[bytes], concurrency: int) -> float:
    """(b) asyncio.gather over an AsyncClient, at most `concurrency` requests in flight."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        gate = asyncio.Semaphore(concurrency)

        async def one(body: bytes) -> None:
            async with gate:
                (await http.post(**request_args(api, body))).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(body) for body in bodies))
        return time.perf_counter() - started


async def outbox(
    base_url: str, form: Form, answers: list[dict[str, Any]], concurrency: int
) -> tuple[float, float, int]:
    """(c) Queue into a real store and let the engine send; (total, queueing) seconds, accepted."""
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder)) as store:
        profile = TenantProfile(name="bench", base_url=base_url, tenant="demo", read_timeout=30)
        store.save_profile(profile, settings=DeliverySettings(concurrency=concurrency))
        async with make_http_client() as http:
            engine = OutboxEngine(store, http, settings=EngineSettings())
            started = time.perf_counter()
            ids = store.queue_submissions(form, answers, "bench")
            queued = time.perf_counter() - started
            await engine.start()
            try:
                await engine.wait_until_settled(ids, timeout=600)
            finally:
                await engine.stop()
            total = time.perf_counter() - started
        accepted = store.count_by_status()[Status.ACCEPTED]
    return total, queued, accepted


def autosave_ms(saves: int) -> tuple[float, float]:
    """Mean save_draft time for a 300-field form: typing in an ordinary and the subject field."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from store_autosave import big_form, timed

    form, answers = big_form(300)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder)) as store:
        draft_id = store.save_draft(form, answers)
        means = []
        for key in ("f8", "f0"):

            def save(number: int, key: str = key) -> object:
                answers[key] = f"typed {number}"
                return store.save_draft(form, answers, draft_id=draft_id)

            means.append(statistics.mean(timed(saves, save)))
    return means[0], means[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument(
        "--concurrency", type=int, default=8, help="requests in flight for (b) and the outbox"
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs of (b) and (c); best counts")
    parser.add_argument("--autosave-saves", type=int, default=200)
    options = parser.parse_args()
    count, concurrency = options.tickets, options.concurrency
    form, answers, bodies = workload(count)
    print(
        f"Outbox throughput: {count} tickets, sandbox in its own process with "
        f"{options.latency_ms} ms added latency, concurrency {concurrency} (engine profile "
        "setting and the gather's semaphore), batching off"
    )
    with (
        tempfile.TemporaryDirectory() as folder,
        sandbox_process(Path(folder), options.latency_ms) as base_url,
        httpx.Client(timeout=30) as control,
    ):
        api = f"{base_url}/api/demo/v1/"
        asyncio.run(gathered(api, bodies[:50], concurrency))  # warm up both sides
        before = received(control, base_url)

        seq = sequential(api, bodies)
        after = received(control, base_url)
        assert after - before == count, f"(a) delivered {after - before} of {count}"
        before = after
        raw_times: list[float] = []
        box_times: list[tuple[float, float]] = []
        for _ in range(options.rounds):
            raw_times.append(asyncio.run(gathered(api, bodies, concurrency)))
            after = received(control, base_url)
            assert after - before == count, f"(b) delivered {after - before} of {count}"
            before = after
            total, queued, accepted = asyncio.run(outbox(base_url, form, answers, concurrency))
            after = received(control, base_url)
            assert accepted == count and after - before == count, (
                f"(c) accepted {accepted}, delivered {after - before} of {count}"
            )
            before = after
            box_times.append((total, queued))
    raw = min(raw_times)
    box, queued = min(box_times)

    def line(label: str, seconds: float) -> None:
        print(f"  {label:<52} {seconds:7.2f} s   {count / seconds:7.1f} tickets/s")

    line("(a) sequential httpx loop", seq)
    line(f"(b) asyncio.gather over httpx, {concurrency} in flight, no store", raw)
    line(f"(c) outbox: queue + send + every state committed, {concurrency} in flight", box)
    print(f"      of which queueing {count} submissions (one transaction): {queued * 1000:.0f} ms")
    if options.rounds > 1:
        print(f"      rounds (b): {', '.join(f'{t:.2f}' for t in raw_times)} s")
        print(f"      rounds (c): {', '.join(f'{t:.2f}' for t, _ in box_times)} s")
    vs_seq, vs_raw = seq / box, raw / box
    print(f"outbox vs (a): {vs_seq:5.1f}x  (target >= 6x)   -> {'OK' if vs_seq >= 6 else 'MISSED'}")
    print(
        f"outbox vs (b): {vs_raw:5.2f}x  (target >= 0.8x) -> {'OK' if vs_raw >= 0.8 else 'MISSED'}"
    )
    if importlib.util.find_spec("sniffio") is None:
        print(
            "note: sniffio is not installed, so httpcore tries (and fails) to import it on every"
            " lock it sets up, several times a request: (b) and the outbox both pay for it"
        )
    ordinary, subject = autosave_ms(options.autosave_saves)
    worst = max(ordinary, subject)
    print(
        f"draft autosave, 300-field form: {ordinary:.2f} ms (ordinary field), {subject:.2f} ms "
        f"(subject field) per save -> {'OK' if worst < 5 else 'OVER'} (target < 5 ms)"
    )


if __name__ == "__main__":
    main()
