"""403, 404 and an unsupported API version stop a profile's queue, say why once, and resume."""

from __future__ import annotations

from desktop_app.outbox import OutboxEngine, ProfilePaused, ProfileResumed, Rejected
from desktop_app.sandbox import Fault, SandboxServer
from desktop_app.store import Status, Store
from tests.outbox.conftest import (
    EngineMaker,
    Recorder,
    WireLog,
    queue,
    sandbox_profile,
    set_delivery,
    settle,
)


async def test_403_rejects_pauses_once_and_the_rest_waits_for_resume(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, seen: Recorder, wire: WireLog
) -> None:
    set_delivery(store, concurrency=4)
    sandbox.state.latency_ms = 50
    # Every request in flight at the time gets the 403; later ones must not be sent at all.
    sandbox.state.faults.add(Fault(kind="status", status=403, count=3))
    first = [queue(store) for _ in range(3)]
    engine = make_engine()
    await engine.start()

    records = await settle(engine, *first)

    assert [r.status for r in records] == [Status.REJECTED] * 3
    assert "403" in (records[0].last_message or "")
    paused = seen.of(ProfilePaused)
    assert len(paused) == 1 and paused[0].name == "sandbox"
    assert "403" in paused[0].reason
    assert store.profile("sandbox").paused
    assert len(seen.of(Rejected)) == 3

    waiting = [queue(store) for _ in range(2)]
    assert await engine.wait_idle(timeout=2)
    sent = wire.count("/tickets/external_dynamic_form")
    assert [store.submission(i).status for i in waiting] == [Status.QUEUED] * 2

    assert engine.resume_profile("sandbox")
    records = await settle(engine, *waiting)

    assert [r.status for r in records] == [Status.ACCEPTED] * 2
    assert wire.count("/tickets/external_dynamic_form") == sent + 2
    assert [type(e) for e in seen.events if isinstance(e, ProfilePaused | ProfileResumed)] == [
        ProfilePaused,
        ProfileResumed,
    ]
    # Rejected ones stay rejected: only the operator sends them again.
    assert all(store.submission(i).status is Status.REJECTED for i in first)


async def test_unknown_tenant_404_pauses_the_profile(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, seen: Recorder
) -> None:
    store.save_profile(sandbox_profile(sandbox, tenant="nobody"))
    engine = make_engine()
    await engine.start()
    (record,) = await settle(engine, queue(store))

    assert record.status is Status.REJECTED
    assert store.attempts(record.id)[0].outcome_kind == "not_found"
    (paused,) = seen.of(ProfilePaused)
    assert "tenant" in paused.reason.lower()


async def test_unsupported_api_version_pauses_the_profile(
    make_engine: EngineMaker, store: Store, sandbox: SandboxServer, seen: Recorder
) -> None:
    store.save_profile(sandbox_profile(sandbox, api_version="7"))
    engine = make_engine()
    await engine.start()
    (record,) = await settle(engine, queue(store))

    assert record.status is Status.REJECTED
    assert store.attempts(record.id)[0].outcome_kind == "unsupported_version"
    (paused,) = seen.of(ProfilePaused)
    assert "API version" in paused.reason


async def test_a_paused_profile_is_said_at_start_only_when_it_changes(
    make_engine: EngineMaker, store: Store, seen: Recorder
) -> None:
    store.pause_profile("sandbox", "checked by the operator")
    submission_id = queue(store)
    engine = make_engine()
    await engine.start()

    (record,) = await engine.wait_until_settled([submission_id], timeout=2)

    # Held, not lost: queued until the profile is resumed; no second announcement.
    assert record.status is Status.QUEUED
    assert seen.of(ProfilePaused) == []
    engine.resume_profile("sandbox")
    (record,) = await settle(engine, submission_id)
    assert record.status is Status.ACCEPTED


async def test_other_profiles_keep_sending_while_one_is_paused(
    engine: OutboxEngine, store: Store, sandbox: SandboxServer
) -> None:
    store.save_profile(sandbox_profile(sandbox, name="other"))
    store.pause_profile("sandbox", "stopped")
    held = queue(store)
    moving = queue(store, profile="other")
    (record,) = await settle(engine, moving)
    assert record.status is Status.ACCEPTED
    assert store.submission(held).status is Status.QUEUED
