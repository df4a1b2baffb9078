"""An unreachable tenant: failed with backoff, then sent at once when a probe finds it again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from desktop_app.outbox import BackoffSettings, Failed
from desktop_app.sandbox import SandboxServer
from desktop_app.store import Status, Store
from tests.outbox.conftest import (
    FAST,
    EngineMaker,
    Recorder,
    eventually,
    free_port,
    queue,
    sandbox_profile,
    settle,
)

# A backoff far longer than the test: only the reachability probe can bring the retry.
PATIENT = replace(FAST, backoff=BackoffSettings(base=60, minimum=60, cap=120))


async def test_connection_refused_fails_then_the_tenant_coming_back_triggers_a_retry(
    make_engine: EngineMaker,
    store: Store,
    sandbox: SandboxServer,
    make_sandbox: Callable[..., SandboxServer],
    seen: Recorder,
) -> None:
    port = free_port()
    store.save_profile(sandbox_profile(sandbox, base_url=f"http://127.0.0.1:{port}"))
    engine = make_engine(PATIENT)
    await engine.start()
    submission_id = queue(store)

    await eventually(lambda: store.submission(submission_id).status is Status.FAILED)
    (failed,) = seen.of(Failed)
    assert "refused" in failed.message
    assert (
        failed.next_attempt_at - store.attempts(submission_id)[0].started_at
    ).total_seconds() >= 60

    assert engine.unreachable_profiles == {"sandbox"}
    revived = make_sandbox(port=port)
    (record,) = await settle(engine, submission_id, timeout=5)

    assert record.status is Status.ACCEPTED
    assert record.attempt_count == 2
    assert [t["id"] for t in revived.state.tickets] == [record.ticket_id]
    await eventually(lambda: engine.unreachable_profiles == frozenset())


async def test_no_probe_without_failures(make_engine: EngineMaker, store: Store) -> None:
    engine = make_engine(PATIENT)
    await engine.start()
    (record,) = await settle(engine, queue(store))
    assert record.status is Status.ACCEPTED
    assert engine.unreachable_profiles == frozenset()
