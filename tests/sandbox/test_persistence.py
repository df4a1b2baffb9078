"""The sandbox's snapshot + journal: restart continuity, torn and corrupt lines, failed writes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop_app.sandbox import SandboxServer
from desktop_app.sandbox.store import JOURNAL_FILE, STATE_FILE, SandboxStore
from tests.sandbox.payloads import TICKETS_PATH, it_support

ROOT = Path(__file__).resolve().parents[2]


def finish(draft: dict[str, Any], ticket_id: int) -> dict[str, Any]:
    return {"id": ticket_id, **draft}


def create(store: SandboxStore, subject: str, key: str | None = None) -> list[dict[str, Any]]:
    idempotency = None if key is None else (key, f"fingerprint-{key}")
    return store.create_tickets([{"subject": subject}], finish, idempotency)


def journal_lines(data_dir: Path) -> list[str]:
    return (data_dir / JOURNAL_FILE).read_text("utf-8").splitlines()


def test_each_ticket_is_one_journal_line_and_the_snapshot_is_not_rewritten(
    tmp_path: Path,
) -> None:
    store = SandboxStore(tmp_path)
    snapshot_before = (tmp_path / STATE_FILE).read_bytes()

    for number in range(5):
        create(store, f"T{number}", key=f"k{number}")

    assert (tmp_path / STATE_FILE).read_bytes() == snapshot_before
    lines = [json.loads(line) for line in journal_lines(tmp_path)]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4, 5]
    assert [line["tickets"][0]["subject"] for line in lines] == ["T0", "T1", "T2", "T3", "T4"]


def test_an_unstopped_store_is_replayed_and_compacted_by_the_next_one(tmp_path: Path) -> None:
    first = SandboxStore(tmp_path)
    created = create(first, "Before", key="k")
    create(first, "Also before")
    first.add_attachment("a.txt", "text/plain", b"hello")
    # No close(): as if the process was killed.

    second = SandboxStore(tmp_path)

    assert [t["subject"] for t in second.tickets()] == ["Before", "Also before"]
    record = second.idempotency_record("k")
    assert record is not None and record.fingerprint == "fingerprint-k"
    assert record.body == created
    attachment = second.attachment(1)
    assert attachment is not None and attachment.name == "a.txt"
    assert create(second, "After")[0]["id"] == 1003
    assert second.add_attachment("b.txt", "text/plain", b"x").id == 2
    # Folded into the snapshot at start: only the changes since are in the journal.
    assert [json.loads(line)["op"] for line in journal_lines(tmp_path)] == ["tickets", "attachment"]
    snapshot = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
    assert [t["subject"] for t in snapshot["tickets"]] == ["Before", "Also before"]


def test_close_folds_the_journal_into_the_snapshot(tmp_path: Path) -> None:
    store = SandboxStore(tmp_path)
    create(store, "One", key="k")
    store.close()

    assert (tmp_path / JOURNAL_FILE).read_bytes() == b""
    snapshot = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
    assert [t["subject"] for t in snapshot["tickets"]] == ["One"]
    assert snapshot["next_ticket_id"] == 1002
    # Still usable after close: the journal opens again.
    create(store, "Two")
    assert [t["subject"] for t in SandboxStore(tmp_path).tickets()] == ["One", "Two"]


def test_a_half_written_last_line_is_dropped(tmp_path: Path) -> None:
    store = SandboxStore(tmp_path)
    create(store, "Whole")
    with open(tmp_path / JOURNAL_FILE, "ab") as journal:
        journal.write(b'{"seq": 2, "op": "tickets", "tick')

    reopened = SandboxStore(tmp_path)

    assert [t["subject"] for t in reopened.tickets()] == ["Whole"]
    assert create(reopened, "Next")[0]["id"] == 1002
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_an_unreadable_journal_line_keeps_what_came_before_and_moves_the_file_aside(
    tmp_path: Path,
) -> None:
    store = SandboxStore(tmp_path)
    create(store, "Kept")
    with open(tmp_path / JOURNAL_FILE, "ab") as journal:
        journal.write(b"not json at all\n")
    create(store, "After the damage")

    reopened = SandboxStore(tmp_path)

    assert [t["subject"] for t in reopened.tickets()] == ["Kept"]
    assert len(list(tmp_path.glob(f"{JOURNAL_FILE}.corrupt-*"))) == 1
    assert create(reopened, "Next")[0]["id"] == 1002


def test_entries_already_in_the_snapshot_are_not_applied_twice(tmp_path: Path) -> None:
    store = SandboxStore(tmp_path)
    create(store, "One", key="k1")
    create(store, "Two", key="k2")
    journal = (tmp_path / JOURNAL_FILE).read_bytes()
    store.compact()
    # A crash after the snapshot was replaced but before the journal was emptied.
    (tmp_path / JOURNAL_FILE).write_bytes(journal)

    reopened = SandboxStore(tmp_path)

    assert [t["id"] for t in reopened.tickets()] == [1001, 1002]


def test_a_reset_is_not_undone_by_an_old_journal(tmp_path: Path) -> None:
    store = SandboxStore(tmp_path)
    create(store, "Old")
    journal = (tmp_path / JOURNAL_FILE).read_bytes()
    store.reset()
    (tmp_path / JOURNAL_FILE).write_bytes(journal)

    assert SandboxStore(tmp_path).tickets() == []


def test_a_failed_write_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SandboxStore(tmp_path)
    create(store, "Before")
    size = (tmp_path / JOURNAL_FILE).stat().st_size

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("desktop_app.sandbox.journal.os.fsync", disk_full)
    with pytest.raises(OSError):
        create(store, "Lost", key="k")
    monkeypatch.undo()

    assert [t["subject"] for t in store.tickets()] == ["Before"]
    assert store.idempotency_record("k") is None
    assert (tmp_path / JOURNAL_FILE).stat().st_size == size
    assert create(store, "After")[0]["id"] == 1002
    assert [t["subject"] for t in SandboxStore(tmp_path).tickets()] == ["Before", "After"]


def test_a_snapshot_of_the_earlier_format_still_loads(tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_text(
        json.dumps(
            {
                "format_version": 1,
                "next_ticket_id": 1005,
                "next_attachment_id": 1,
                "tickets": [{"id": 1004, "subject": "Old"}],
                "attachments": {},
                "idempotency": {},
            }
        )
    )

    store = SandboxStore(tmp_path)

    assert store.tickets() == [{"id": 1004, "subject": "Old"}]
    assert create(store, "New")[0]["id"] == 1005


def test_the_listening_socket_is_tcp_so_answers_are_not_held_back_by_nagle(
    tmp_path: Path,
) -> None:
    # asyncio disables Nagle only on sockets whose protocol is IPPROTO_TCP; without that every
    # answer waited ~40 ms for a delayed ACK.
    server = SandboxServer(tmp_path)
    sock = server.bind()
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_killed_standalone_sandbox_keeps_every_answered_ticket(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from desktop_app.sandbox import run_standalone; "
        "run_standalone(Path(sys.argv[1]), port=0)"
    )

    def start() -> tuple[subprocess.Popen[str], str]:
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        base_url = process.stdout.readline().rsplit(" ", 1)[1].strip()
        return process, f"{base_url}/api/demo/v1/{TICKETS_PATH}"

    process, url = start()
    try:
        with httpx.Client(timeout=10) as http:
            answered = [
                http.post(
                    url,
                    params={"form": "it-support"},
                    json=[it_support(subject=f"Ticket {n}")],
                    headers={"Idempotency-Key": f"key-{n}"},
                ).json()
                for n in range(20)
            ]
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    process, url = start()
    try:
        with httpx.Client(timeout=10) as http:
            replay = http.post(
                url,
                params={"form": "it-support"},
                json=[it_support(subject="Ticket 7")],
                headers={"Idempotency-Key": "key-7"},
            )
            listed = http.get(url.split("/api/")[0] + "/_sandbox/tickets").json()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)
    assert [t["id"] for t in listed] == list(range(1001, 1021))
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == answered[7]


def test_the_request_log_tells_replays_from_creations(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    url = sandbox.api_url(TICKETS_PATH)

    def send(key: str | None, subject: str) -> None:
        headers = {} if key is None else {"Idempotency-Key": key}
        response = client.post(
            url, params={"form": "it-support"}, json=[it_support(subject=subject)], headers=headers
        )
        assert response.status_code == 200, response.text

    send("k1", "One")
    send("k1", "One")
    send(None, "Two")
    client.post(url, params={"form": "retired-form"}, json=[it_support()])  # refused: not logged

    assert sandbox.state.requests == [
        {"key": "k1", "replayed": False, "ids": [1001]},
        {"key": "k1", "replayed": True, "ids": [1001]},
        {"key": None, "replayed": False, "ids": [1002]},
    ]
    assert client.get(f"{sandbox.base_url}/_sandbox/requests").json() == sandbox.state.requests
    client.delete(f"{sandbox.base_url}/_sandbox/tickets")
    assert sandbox.state.requests == []
