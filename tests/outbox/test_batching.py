"""Batches: several tickets in one request, results matched back, one bad ticket sinks none."""

from __future__ import annotations

from desktop_app.outbox import Failed, OutboxEngine, Rejected, Sending
from desktop_app.sandbox import Fault, SandboxServer
from desktop_app.store import Status, Store
from tests.outbox.conftest import (
    FAST,
    EngineMaker,
    Recorder,
    WireLog,
    answers,
    form_with_extra_field,
    queue,
    set_delivery,
    settle,
)

TICKETS = "/tickets/external_dynamic_form"


async def batching_engine(
    make_engine: EngineMaker, store: Store, **settings: object
) -> OutboxEngine:
    set_delivery(store, batching=True, concurrency=1)
    engine = make_engine(**settings)
    await engine.start()
    return engine


async def test_one_request_carries_every_due_ticket_and_ids_match_back(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, wire: WireLog, seen: Recorder
) -> None:
    ids = [queue(store, subject=f"Ticket {n}") for n in range(5)]
    engine = await batching_engine(make_engine, store)

    records = await settle(engine, *ids)

    assert [r.status for r in records] == [Status.ACCEPTED] * 5
    assert wire.count(TICKETS) == 1
    (body,) = wire.tickets_bodies()
    assert [ticket["subject"] for ticket in body] == [f"Ticket {n}" for n in range(5)]
    by_subject = {t["subject"]: t["id"] for t in sandbox.state.tickets}
    assert [r.ticket_id for r in records] == [by_subject[f"Ticket {n}"] for n in range(5)]
    assert {e.batch_size for e in seen.of(Sending)} == {5}
    (request,) = [r for r in wire.requests if r.method == "POST"]
    assert request.headers["Idempotency-Key"].startswith("batch-")


async def test_batches_hold_at_most_max_batch_tickets(
    make_engine: EngineMaker, store: Store, wire: WireLog
) -> None:
    from dataclasses import replace

    ids = [queue(store) for _ in range(5)]
    engine = await batching_engine(make_engine, store, settings=replace(FAST, max_batch=2))
    records = await settle(engine, *ids)
    assert [r.status for r in records] == [Status.ACCEPTED] * 5
    assert [len(body) for body in wire.tickets_bodies()] == [2, 2, 1]


async def test_a_rejection_naming_one_ticket_sends_the_others_again_alone(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, wire: WireLog, seen: Recorder
) -> None:
    good = [queue(store, subject=f"Good {n}") for n in range(3)]
    bad = store.queue_submission(
        form_with_extra_field(), answers(subject="Bad", cost_centre="CC-9"), "sandbox"
    )
    engine = await batching_engine(make_engine, store)

    records = await settle(engine, *good, bad)

    assert [r.status for r in records] == [Status.ACCEPTED] * 3 + [Status.REJECTED]
    rejected = records[-1]
    assert [m["field_key"] for m in rejected.messages] == ["cost_centre"]
    assert rejected.messages[0]["ticket_index"] == 0  # counted within its own submission
    assert [len(body) for body in wire.tickets_bodies()] == [4, 1, 1, 1]
    assert sorted(t["subject"] for t in sandbox.state.tickets) == ["Good 0", "Good 1", "Good 2"]
    # Only the culprit is news; the others were simply sent again.
    assert [e.submission_id for e in seen.of(Rejected)] == [bad]
    assert seen.of(Failed) == []
    for submission_id in good:
        first, second = store.attempts(submission_id)
        assert first.outcome_kind == "rejected" and "on its own" in (first.message or "")
        assert second.outcome_kind == "accepted"


async def test_a_rejection_naming_no_ticket_sends_each_again_alone(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, wire: WireLog
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=400))
    ids = [queue(store) for _ in range(3)]
    engine = await batching_engine(make_engine, store)

    records = await settle(engine, *ids)

    assert [r.status for r in records] == [Status.ACCEPTED] * 3
    assert [len(body) for body in wire.tickets_bodies()] == [3, 1, 1, 1]


async def test_a_failed_batch_retries_every_member(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=503))
    ids = [queue(store) for _ in range(3)]
    engine = await batching_engine(make_engine, store)
    records = await settle(engine, *ids)
    assert [r.status for r in records] == [Status.ACCEPTED] * 3
    assert [r.attempt_count for r in records] == [2, 2, 2]
    assert len(sandbox.state.tickets) == 3
