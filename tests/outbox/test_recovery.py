"""Stopping with requests in flight, restarting, and the operator's answers to `uncertain`."""

from __future__ import annotations

import asyncio

import pytest

from desktop_app.outbox import Accepted, DataFolderInUse, InstanceLock, OutboxEngine, Uncertain
from desktop_app.sandbox import Fault, SandboxServer
from desktop_app.store import INTERRUPTED_MESSAGE, Resolution, Status, Store
from tests.outbox.conftest import EngineMaker, Recorder, WireLog, eventually, queue, settle


async def test_stop_leaves_a_slow_request_sending_and_the_next_start_makes_it_uncertain(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, seen: Recorder
) -> None:
    sandbox.state.faults.add(Fault(kind="slow", delay_ms=3000))
    engine = make_engine()
    await engine.start()
    submission_id = queue(store)
    await eventually(lambda: store.submission(submission_id).status is Status.SENDING)
    await eventually(lambda: len(sandbox.state.tickets) == 1)  # it reached the tenant

    await engine.stop(grace=0.1)

    assert store.submission(submission_id).status is Status.SENDING
    assert not engine.running
    restarted = make_engine()
    assert await restarted.start() == [submission_id]
    record = store.submission(submission_id)
    assert record.status is Status.UNCERTAIN
    assert record.last_message == INTERRUPTED_MESSAGE
    assert store.attempts(submission_id)[-1].outcome_kind == "interrupted"
    assert [e.submission_id for e in seen.of(Uncertain)] == [submission_id]
    assert await restarted.wait_idle(timeout=1)
    assert store.submission(submission_id).attempt_count == 1  # never re-sent by itself


async def test_stop_lets_a_request_finish_within_the_grace_period(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer
) -> None:
    sandbox.state.latency_ms = 200
    engine = make_engine()
    await engine.start()
    submission_id = queue(store)
    await eventually(lambda: store.submission(submission_id).status is Status.SENDING)
    await engine.stop(grace=5)
    assert store.submission(submission_id).status is Status.ACCEPTED


async def test_resend_of_an_uncertain_ticket_uses_the_same_key_and_makes_no_duplicate(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, wire: WireLog, seen: Recorder
) -> None:
    sandbox.state.faults.add(Fault(kind="drop"))
    submission_id = queue(store)
    (record,) = await settle(engine, submission_id)
    assert record.status is Status.UNCERTAIN
    (created,) = sandbox.state.tickets

    store.resolve_resend(submission_id)  # the engine hears it and sends at once
    (record,) = await settle(engine, submission_id)

    assert record.status is Status.ACCEPTED
    assert record.resolution is Resolution.RESENT
    assert record.ticket_id == created["id"]  # the sandbox replayed its first answer
    assert len(sandbox.state.tickets) == 1
    keys = {r.headers["Idempotency-Key"] for r in wire.requests if r.method == "POST"}
    assert keys == {submission_id}
    assert seen.of(Accepted)[-1].ticket_id == created["id"]


async def test_arrived_and_discard_resolve_uncertain_tickets(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="drop", count=2))
    arrived, discarded = queue(store), queue(store)
    records = await settle(engine, arrived, discarded)
    assert [r.status for r in records] == [Status.UNCERTAIN] * 2

    store.resolve_arrived(arrived, 4242)
    store.resolve_discard(discarded)

    assert await engine.wait_idle(timeout=2)
    first, second = store.submission(arrived), store.submission(discarded)
    assert (first.status, first.ticket_id, first.resolution) == (
        Status.ACCEPTED,
        4242,
        Resolution.ARRIVED,
    )
    assert (second.status, second.resolution) == (Status.CANCELLED, Resolution.DISCARDED)
    assert first.attempt_count == second.attempt_count == 1


async def test_start_takes_the_data_folder_lock(make_engine: EngineMaker, store: Store) -> None:
    other = InstanceLock(store.data_dir)
    other.acquire()
    try:
        with pytest.raises(DataFolderInUse, match="Another DeskForms"):
            await make_engine().start()
    finally:
        other.release()
    engine = make_engine()
    await engine.start()
    with pytest.raises(DataFolderInUse):
        InstanceLock(store.data_dir).acquire(wait=0)
    await engine.stop()
    InstanceLock(store.data_dir).acquire(wait=0)  # released by stop()


async def test_interrupted_sends_are_not_recovered_without_the_lock(
    make_engine: EngineMaker, store: Store
) -> None:
    submission_id = queue(store)
    store.mark_sending(submission_id)  # as another running DeskForms would have it
    with InstanceLock(store.data_dir):
        with pytest.raises(DataFolderInUse):
            await make_engine().start()
        assert store.submission(submission_id).status is Status.SENDING


async def test_waiting_helpers_time_out_cleanly(make_engine: EngineMaker, store: Store) -> None:
    store.pause_profile("sandbox", "maintenance")
    engine = make_engine()
    await engine.start()
    submission_id = queue(store)
    # Held by the paused profile: counts as settled for waiting, and nothing is due.
    assert await engine.wait_idle(timeout=1)
    (record,) = await engine.wait_until_settled([submission_id], timeout=1)
    assert record.status is Status.QUEUED
    store.resume_profile("sandbox")
    await asyncio.wait_for(engine.wait_attempted([submission_id]), timeout=5)
    assert store.submission(submission_id).status is Status.ACCEPTED
