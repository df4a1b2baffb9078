"""Crash safety: a process that dies mid-send leaves `sending`, which the next start makes uncertain."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.store import INTERRUPTED_MESSAGE, Status, Store

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import os, sys
    from desktop_app.core.form.model import Form
    from desktop_app.core.profile import TenantProfile
    from desktop_app.store import Store

    store = Store(sys.argv[1])
    store.save_profile(TenantProfile(name="acme", base_url="https://help.example.com", tenant="acme"))
    form = Form.model_validate({
        "id": "crash", "title": "Crash", "target": {"form": "crash"},
        "pages": [{"items": [{"type": "text", "key": "summary", "label": "Summary"}]}],
    })
    mode = sys.argv[2]
    while True:
        submission_id = store.queue_submission(form, {"summary": "x"}, "acme")
        store.mark_sending(submission_id)
        # Reported only once committed: the request would leave right now.
        print(submission_id, flush=True)
        if mode == "exit":
            os._exit(9)
    """
)


def run_child(data_dir: Path, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_a_process_that_dies_while_sending_leaves_an_uncertain_submission(tmp_path: Path) -> None:
    child = run_child(tmp_path, "exit")
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 9
    [submission_id] = out.split()
    with Store(tmp_path) as store:
        assert store.submission(submission_id).status is Status.SENDING
        assert store.recover_interrupted() == [submission_id]
        record = store.submission(submission_id)
        assert record.status is Status.UNCERTAIN
        assert record.last_message == INTERRUPTED_MESSAGE
        assert [a.outcome_kind for a in store.attempts(submission_id)] == ["interrupted"]
        assert store.due_submissions() == []  # never re-sent by itself


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_during_a_burst_of_writes_loses_nothing_committed(tmp_path: Path) -> None:
    child = run_child(tmp_path, "loop")
    assert child.stdout is not None
    reported = [child.stdout.readline().strip() for _ in range(25)]
    os.kill(child.pid, signal.SIGKILL)
    rest, _ = child.communicate(timeout=60)
    reported += rest.split()
    assert child.returncode == -signal.SIGKILL
    with Store(tmp_path) as store:
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        recovered = set(store.recover_interrupted())
        # Every change reported as committed survived; at most the one being written was lost.
        assert set(reported) <= recovered
        assert len(recovered) - len(reported) <= 1
        statuses = store.count_by_status()
        assert statuses[Status.UNCERTAIN] == len(recovered)
        assert statuses[Status.QUEUED] <= 1  # queued just before the kill, not yet sending
