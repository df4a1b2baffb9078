"""Every state change of a submission: the legal ones, the refused ones, and their events."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.events import Event, EventBus, SubmissionChanged
from desktop_app.store import (
    INTERRUPTED_MESSAGE,
    InvalidTransition,
    NotFound,
    OutcomeUpdate,
    ProfilePaused,
    Resolution,
    Status,
    Store,
    StoreError,
)
from tests.store.conftest import FakeClock, bring_to, make_profile, queue

S = Status


def record(status: Status, clock: FakeClock, **extra: Any) -> Callable[[Store, str], None]:
    def apply(store: Store, submission_id: str) -> None:
        attempts = store.attempts(submission_id)
        store.record_outcome(
            submission_id,
            attempts[-1].id if attempts else 0,
            status=status,
            http_status=200,
            outcome_kind=status.value,
            message="m",
            outcome_json=None,
            duration_ms=5,
            next_attempt_at=clock.now + timedelta(seconds=10) if status is S.FAILED else None,
            **extra,
        )

    return apply


def actions(
    clock: FakeClock,
) -> dict[str, tuple[Callable[[Store, str], object], set[Status], Status]]:
    """Action name -> (how to apply it, statuses it is allowed from, the status it leads to)."""
    return {
        "mark_sending": (lambda s, i: s.mark_sending(i), {S.QUEUED, S.FAILED}, S.SENDING),
        "accepted": (record(S.ACCEPTED, clock, ticket_id=5), {S.SENDING}, S.ACCEPTED),
        "rejected": (record(S.REJECTED, clock), {S.SENDING}, S.REJECTED),
        "failed": (record(S.FAILED, clock), {S.SENDING}, S.FAILED),
        "uncertain": (record(S.UNCERTAIN, clock), {S.SENDING}, S.UNCERTAIN),
        "cancel": (lambda s, i: s.cancel(i), {S.QUEUED, S.FAILED}, S.CANCELLED),
        "arrived": (lambda s, i: s.resolve_arrived(i, 4242), {S.UNCERTAIN}, S.ACCEPTED),
        "resend": (lambda s, i: s.resolve_resend(i), {S.UNCERTAIN, S.REJECTED}, S.QUEUED),
        "requeue": (
            lambda s, i: s.requeue_with_answers(i, {"summary": "Fixed"}),
            {S.REJECTED},
            S.QUEUED,
        ),
        "discard": (
            lambda s, i: s.resolve_discard(i),
            {S.UNCERTAIN, S.REJECTED, S.FAILED},
            S.CANCELLED,
        ),
        "retry_now": (lambda s, i: s.retry_now([i]), {S.FAILED, S.QUEUED}, S.FAILED),
    }


ACTION_NAMES = list(actions(FakeClock()))


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_every_action_from_every_status(
    store: Store, clock: FakeClock, action: str, status: Status
) -> None:
    apply, allowed, target = actions(clock)[action]
    submission_id = bring_to(store, clock, status)
    before = store.submission(submission_id)
    if status in allowed:
        apply(store, submission_id)
        expected = S.QUEUED if (action, status) == ("retry_now", S.QUEUED) else target
        assert store.submission(submission_id).status is expected
    else:
        with pytest.raises(InvalidTransition) as caught:
            apply(store, submission_id)
        assert caught.value.status == status.value
        assert status.value in str(caught.value) and "\n" not in str(caught.value)
        assert store.submission(submission_id) == before  # nothing changed


def test_sending_counts_attempts_and_logs_them(store: Store, clock: FakeClock) -> None:
    submission_id = queue(store)
    attempt = store.mark_sending(submission_id)
    sending = store.submission(submission_id)
    assert sending.status is S.SENDING and sending.attempt_count == 1
    assert sending.next_attempt_at is None
    [started] = store.attempts(submission_id)
    assert (started.id, started.started_at, started.finished) == (attempt, clock.now, False)
    retry_at = clock.now + timedelta(seconds=8)
    store.record_outcome(
        submission_id,
        attempt,
        status="failed",
        http_status=503,
        outcome_kind="rate_limited",
        message="DeskHero is busy (503 Service Unavailable).",
        outcome_json='{"kind": "rate_limited"}',
        duration_ms=31,
        next_attempt_at=retry_at,
    )
    failed = store.submission(submission_id)
    assert failed.status is S.FAILED and failed.next_attempt_at == retry_at
    assert failed.last_message == "DeskHero is busy (503 Service Unavailable)."
    clock.advance(10)
    second = store.mark_sending(submission_id)
    ticket = {"id": 1001, "subject": "Printer jams"}
    store.record_outcome(
        submission_id,
        second,
        status=S.ACCEPTED,
        http_status=201,
        outcome_kind="accepted",
        message="DeskHero created ticket #1001.",
        outcome_json='{"kind": "accepted"}',
        duration_ms=20,
        ticket_id=1001,
        ticket_json=json.dumps(ticket),
    )
    accepted = store.submission(submission_id)
    assert accepted.status is S.ACCEPTED and accepted.attempt_count == 2
    assert accepted.ticket_id == 1001 and accepted.ticket is not None
    assert accepted.ticket.subject == "Printer jams"
    log = store.attempts(submission_id)
    assert [(a.http_status, a.outcome_kind, a.duration_ms) for a in log] == [
        (503, "rate_limited", 31),
        (201, "accepted", 20),
    ]
    assert log[0].outcome_json == '{"kind": "rate_limited"}'


def test_a_rejection_keeps_its_messages_until_the_answers_are_fixed(
    store: Store, clock: FakeClock
) -> None:
    submission_id = bring_to(store, clock, S.REJECTED)
    rejected = store.submission(submission_id)
    assert rejected.messages == [{"field": "summary", "message": "Too short"}]
    store.requeue_with_answers(submission_id, {"summary": "A longer summary"})
    requeued = store.submission(submission_id)
    assert requeued.status is S.QUEUED and requeued.resolution is Resolution.RESENT
    assert requeued.answers == {"summary": "A longer summary"}
    assert requeued.summary == "A longer summary"
    assert requeued.messages is None and requeued.last_message is None
    assert requeued.next_attempt_at == clock.now
    assert requeued.snapshot_hash == rejected.snapshot_hash  # same form version
    assert requeued.id == submission_id  # same idempotency key


def test_resolutions_are_recorded(store: Store, clock: FakeClock) -> None:
    arrived = bring_to(store, clock, S.UNCERTAIN)
    store.resolve_arrived(arrived, 777)
    record = store.submission(arrived)
    assert (record.status, record.resolution, record.ticket_id) == (
        S.ACCEPTED,
        Resolution.ARRIVED,
        777,
    )
    resent = bring_to(store, clock, S.UNCERTAIN)
    store.resolve_resend(resent)
    assert store.submission(resent).resolution is Resolution.RESENT
    assert [s.id for s in store.due_submissions()] == [resent]
    discarded = bring_to(store, clock, S.FAILED)
    store.resolve_discard(discarded)
    record = store.submission(discarded)
    assert (record.status, record.resolution, record.next_attempt_at) == (
        S.CANCELLED,
        Resolution.DISCARDED,
        None,
    )
    with pytest.raises(ValueError, match="positive"):
        store.resolve_arrived(bring_to(store, clock, S.UNCERTAIN), 0)


def test_retry_now_makes_failed_submissions_due(store: Store, clock: FakeClock) -> None:
    failed = bring_to(store, clock, S.FAILED)
    clock.advance(1)
    queued = queue(store)
    assert [s.id for s in store.due_submissions()] == [queued]
    assert store.retry_now([failed, queued]) == [failed]
    assert store.submission(failed).next_attempt_at == clock.now
    assert [s.id for s in store.due_submissions()] == [failed, queued]


def test_retry_now_is_all_or_nothing(store: Store, clock: FakeClock) -> None:
    failed = bring_to(store, clock, S.FAILED)
    accepted = bring_to(store, clock, S.ACCEPTED)
    before = store.submission(failed).next_attempt_at
    with pytest.raises(InvalidTransition):
        store.retry_now([failed, accepted])
    assert store.submission(failed).next_attempt_at == before
    with pytest.raises(NotFound):
        store.retry_now(["nope"])


def test_retry_all_now_wakes_a_profiles_failed_submissions(store: Store, clock: FakeClock) -> None:
    first, second = bring_to(store, clock, S.FAILED), bring_to(store, clock, S.FAILED)
    assert sorted(store.retry_all_now(profile="acme")) == sorted([first, second])
    assert store.retry_all_now(profile="other") == []


def test_recover_interrupted_marks_sending_as_uncertain(store: Store, clock: FakeClock) -> None:
    sending = [bring_to(store, clock, S.SENDING) for _ in range(2)]
    failed = bring_to(store, clock, S.FAILED)
    assert sorted(store.recover_interrupted()) == sorted(sending)
    for submission_id in sending:
        record = store.submission(submission_id)
        assert record.status is S.UNCERTAIN
        assert record.last_message == INTERRUPTED_MESSAGE
        [attempt] = store.attempts(submission_id)
        assert (attempt.outcome_kind, attempt.message) == ("interrupted", INTERRUPTED_MESSAGE)
    assert store.submission(failed).status is S.FAILED
    assert store.recover_interrupted() == []
    # Never re-sent by itself: uncertain is not due.
    assert sending[0] not in {s.id for s in store.due_submissions()}


def test_a_paused_profile_is_not_sent_to(store: Store, clock: FakeClock) -> None:
    submission_id = queue(store)
    store.pause_profile("acme", "DeskHero answered 404 Not Found.")
    with pytest.raises(ProfilePaused, match="paused: DeskHero answered 404 Not Found"):
        store.mark_sending(submission_id)
    assert store.submission(submission_id).status is S.QUEUED
    store.resume_profile("acme")
    store.mark_sending(submission_id)


def test_outcomes_must_fit_the_attempt(store: Store, clock: FakeClock) -> None:
    submission_id = queue(store)
    attempt = store.mark_sending(submission_id)
    common: dict[str, Any] = {
        "http_status": 500,
        "outcome_kind": "server_error",
        "message": None,
        "outcome_json": None,
        "duration_ms": 1,
    }
    with pytest.raises(ValueError, match="needs next_attempt_at"):
        store.record_outcome(submission_id, attempt, status=S.FAILED, **common)
    with pytest.raises(ValueError, match="not queued"):
        store.record_outcome(submission_id, attempt, status=S.QUEUED, **common)
    with pytest.raises(ValueError, match="takes no next_attempt_at"):
        store.record_outcome(
            submission_id, attempt, status=S.UNCERTAIN, next_attempt_at=clock.now, **common
        )
    with pytest.raises(StoreError, match="not in flight"):
        store.record_outcome(submission_id, attempt + 99, status=S.UNCERTAIN, **common)
    assert store.submission(submission_id).status is S.SENDING  # the failed call rolled back


def test_a_batch_is_marked_and_recorded_together(store: Store, clock: FakeClock) -> None:
    ids = [queue(store) for _ in range(3)]
    accepted = bring_to(store, clock, S.ACCEPTED)
    with pytest.raises(InvalidTransition):
        store.mark_sending_many([*ids, accepted])
    assert {store.submission(i).status for i in ids} == {S.QUEUED}  # all or none
    attempts = store.mark_sending_many(ids)
    assert set(attempts) == set(ids)
    store.record_outcomes(
        [
            OutcomeUpdate(ids[0], attempts[ids[0]], S.ACCEPTED, "accepted", 9, 201, ticket_id=1),
            OutcomeUpdate(ids[1], attempts[ids[1]], S.REJECTED, "rejected", 9, 201, messages=["x"]),
            OutcomeUpdate(
                ids[2],
                attempts[ids[2]],
                S.FAILED,
                "rejected",
                9,
                201,
                next_attempt_at=clock.now,
            ),
        ]
    )
    assert [store.submission(i).status for i in ids] == [S.ACCEPTED, S.REJECTED, S.FAILED]


def test_changes_are_published_after_commit(tmp_path: Path, clock: FakeClock) -> None:
    """A subscriber reading the database through another connection already sees the change."""
    bus = EventBus()
    data = tmp_path / "data"
    observed: list[tuple[SubmissionChanged, str]] = []
    with Store(data, events=bus, clock=clock) as store, Store(data) as reader:

        def look(event: SubmissionChanged) -> None:
            observed.append((event, reader.submission(event.submission_id).status.value))

        bus.subscribe(look, SubmissionChanged)
        store.save_profile(make_profile())
        submission_id = queue(store)
        attempt = store.mark_sending(submission_id)
        record(S.UNCERTAIN, clock)(store, submission_id)
        store.resolve_resend(submission_id)
        with pytest.raises(InvalidTransition):
            store.resolve_arrived(submission_id, 1)  # refused: nothing published
        store.retry_now([submission_id])  # queued: nothing changed, nothing published
    assert attempt > 0
    assert [(e.status, e.previous_status, seen) for e, seen in observed] == [
        ("queued", None, "queued"),
        ("sending", "queued", "sending"),
        ("uncertain", "sending", "uncertain"),
        ("queued", "uncertain", "queued"),
    ]


def test_a_failing_subscriber_does_not_undo_or_break_a_change(
    tmp_path: Path, clock: FakeClock
) -> None:
    errors: list[Exception] = []
    bus = EventBus(on_subscriber_error=lambda event, error: errors.append(error))

    def broken(event: Event) -> None:
        raise RuntimeError("view bug")

    bus.subscribe(broken)
    with Store(tmp_path, events=bus, clock=clock) as store:
        store.save_profile(make_profile())
        submission_id = queue(store)
        store.mark_sending(submission_id)
        assert store.submission(submission_id).status is S.SENDING
    assert len(errors) == 3
