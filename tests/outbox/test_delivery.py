"""Each outcome a send can have, through the engine against the real sandbox."""

from __future__ import annotations

import json
from datetime import timedelta

from desktop_app.core.form.loading import parse_form
from desktop_app.outbox import (
    Accepted,
    Failed,
    OutboxEngine,
    Progress,
    Queued,
    Rejected,
    Sending,
    Uncertain,
)
from desktop_app.sandbox import Fault, SandboxServer
from desktop_app.store import Status, Store
from tests.outbox.conftest import (
    EXAMPLES,
    FORMS,
    EngineMaker,
    Recorder,
    WireLog,
    answers,
    form_with_extra_field,
    queue,
    set_delivery,
    settle,
)


async def test_accepted_records_ticket_attempt_and_events(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, seen: Recorder
) -> None:
    submission_id = queue(store)

    (record,) = await settle(engine, submission_id)

    (ticket,) = sandbox.state.tickets
    assert record.status is Status.ACCEPTED
    assert record.ticket_id == ticket["id"]
    assert record.ticket is not None and record.ticket.id == ticket["id"]
    (attempt,) = store.attempts(submission_id)
    assert attempt.outcome_kind == "accepted"
    assert attempt.http_status == 200
    assert attempt.duration_ms is not None and attempt.duration_ms >= 0
    assert attempt.message == f"DeskHero created ticket #{ticket['id']}."
    kinds = [type(e) for e in seen.events if isinstance(e, Queued | Sending | Accepted)]
    assert kinds == [Queued, Sending, Accepted]
    assert seen.of(Accepted)[0].ticket_id == ticket["id"]
    last = seen.of(Progress)[-1]
    assert (last.done, last.total, last.in_flight) == (1, 1, 0)


async def test_the_submission_id_is_the_idempotency_key(
    engine: OutboxEngine, store: Store, wire: WireLog
) -> None:
    submission_id = queue(store)
    await settle(engine, submission_id)
    (request,) = [r for r in wire.requests if r.method == "POST"]
    assert request.headers["Idempotency-Key"] == submission_id


async def test_uuid_property_carries_the_submission_id_when_configured(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer
) -> None:
    set_delivery(store, ticket_uuid_property="phone")
    engine = make_engine()
    await engine.start()
    # The walk-in tenant form has a free-text `phone` property this visitor leaves empty.
    form = parse_form((FORMS / "walk-in-intake.json").read_text("utf-8"), "walk-in")
    walk_in = json.loads((EXAMPLES / "walk-in-intake.json").read_text("utf-8"))
    del walk_in["phone"]
    submission_id = store.queue_submission(form, walk_in, "sandbox")
    (record,) = await settle(engine, submission_id)
    assert record.status is Status.ACCEPTED
    assert sandbox.state.tickets[0]["phone"] == submission_id


async def test_queueing_needs_no_network_and_sending_starts_later(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, wire: WireLog
) -> None:
    ids = [queue(store) for _ in range(3)]
    assert [store.submission(i).status for i in ids] == [Status.QUEUED] * 3
    assert wire.requests == [] and sandbox.state.tickets == []

    engine = make_engine()
    await engine.start()
    records = await settle(engine, *ids)

    assert [r.status for r in records] == [Status.ACCEPTED] * 3
    assert sorted(r.ticket_id for r in records) == sorted(t["id"] for t in sandbox.state.tickets)


async def test_rejection_keeps_messages_per_field_and_is_never_retried(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, seen: Recorder
) -> None:
    submission_id = store.queue_submission(
        form_with_extra_field(), answers(cost_centre="CC-1"), "sandbox"
    )
    (record,) = await settle(engine, submission_id)

    assert record.status is Status.REJECTED
    assert record.messages == [
        {
            "text": "'cost_centre' is not a field of form 'it-support'.",
            "ticket_index": 0,
            "property": "cost_centre",
            "field_key": "cost_centre",
        }
    ]
    assert "cost_centre" in (record.last_message or "")
    (event,) = seen.of(Rejected)
    assert event.messages[0].field_key == "cost_centre"
    assert event.messages[0].located().startswith("cost_centre: ")
    assert await engine.wait_idle(timeout=2)
    assert store.submission(submission_id).attempt_count == 1
    assert sandbox.state.tickets == []


async def test_invalid_answers_are_rejected_without_a_request(
    engine: OutboxEngine, store: Store, wire: WireLog
) -> None:
    submission_id = queue(store, email="not an address")
    (record,) = await settle(engine, submission_id)
    assert record.status is Status.REJECTED
    assert record.last_message is not None and record.last_message.startswith("Not sent")
    assert record.messages[0]["field_key"] == "email"
    assert wire.requests == []


async def test_500_fails_then_is_retried_and_accepted(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, seen: Recorder
) -> None:
    sandbox.state.faults.add(Fault(kind="status", status=500))
    submission_id = queue(store)

    (record,) = await settle(engine, submission_id)

    assert record.status is Status.ACCEPTED
    first, second = store.attempts(submission_id)
    assert (first.outcome_kind, first.http_status) == ("server_error", 500)
    assert (second.outcome_kind, second.http_status) == ("accepted", 200)
    (failed,) = seen.of(Failed)
    assert "500" in failed.message
    assert len(sandbox.state.tickets) == 1


async def test_retry_after_is_a_lower_bound_for_the_next_attempt(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, seen: Recorder
) -> None:
    for status in (429, 503):
        sandbox.state.faults.add(Fault(kind="status", status=status, retry_after=30))
        submission_id = queue(store)
        await engine.wait_attempted([submission_id], timeout=5)

        record = store.submission(submission_id)
        (attempt,) = store.attempts(submission_id)
        assert record.status is Status.FAILED
        assert attempt.http_status == status and attempt.outcome_kind == "rate_limited"
        assert record.next_attempt_at is not None
        assert record.next_attempt_at >= attempt.started_at + timedelta(seconds=30)
        assert seen.of(Failed)[-1].next_attempt_at == record.next_attempt_at

        # The operator may still ask for it now.
        store.retry_now([submission_id])
        (record,) = await settle(engine, submission_id)
        assert record.status is Status.ACCEPTED


async def test_dropped_answer_is_uncertain_and_never_resent_by_itself(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer, seen: Recorder
) -> None:
    sandbox.state.faults.add(Fault(kind="drop"))
    submission_id = queue(store)

    (record,) = await settle(engine, submission_id)

    assert record.status is Status.UNCERTAIN
    assert seen.of(Uncertain)[0].submission_id == submission_id
    assert await engine.wait_idle(timeout=2)
    assert store.submission(submission_id).attempt_count == 1
    assert len(sandbox.state.tickets) == 1  # it did arrive: only the operator can know


async def test_answer_slower_than_the_read_timeout_is_uncertain(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer
) -> None:
    from tests.outbox.conftest import sandbox_profile

    store.save_profile(sandbox_profile(sandbox, read_timeout=0.3))
    sandbox.state.faults.add(Fault(kind="slow", delay_ms=1500))
    engine = make_engine()
    await engine.start()
    submission_id = queue(store)

    (record,) = await settle(engine, submission_id)

    assert record.status is Status.UNCERTAIN
    assert store.attempts(submission_id)[0].outcome_kind == "outcome_unknown"


async def test_a_gateway_error_page_is_uncertain(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer
) -> None:
    # A 504 from a gateway: DeskHero may have created the ticket behind it.
    sandbox.state.faults.add(Fault(kind="html", status=504))
    (record,) = await settle(engine, queue(store))
    assert record.status is Status.UNCERTAIN


async def test_concurrency_per_profile_is_respected(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, wire: WireLog
) -> None:
    set_delivery(store, concurrency=2)
    sandbox.state.latency_ms = 150
    ids = [queue(store) for _ in range(6)]
    engine = make_engine()
    await engine.start()

    records = await settle(engine, *ids)

    assert [r.status for r in records] == [Status.ACCEPTED] * 6
    assert wire.most_in_flight == 2


async def test_a_script_drives_the_engine_with_async_with_and_send_due_now(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer
) -> None:
    ids = [queue(store) for _ in range(5)]
    sandbox.state.faults.add(Fault(kind="status", status=500))
    async with make_engine() as engine:
        sent = await engine.send_due_now(timeout=10)
        assert sorted(sent) == sorted(ids)
        # One pass: each had its attempt; the one that failed waits for its next try.
        assert sum(store.submission(i).attempt_count for i in ids) >= 5
        await engine.wait_until_settled(ids, timeout=10)
    assert not engine.running
    assert [store.submission(i).status for i in ids] == [Status.ACCEPTED] * 5
