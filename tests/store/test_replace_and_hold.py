"""A corrected copy replaces its rejected submission in one commit; held tickets wait for Send now."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.events import Event, SubmissionChanged
from desktop_app.store import InvalidTransition, Resolution, Status, Store
from tests.store.conftest import FakeClock, bring_to, make_form, queue

S = Status
FIXED = {"summary": "A longer summary", "details": "It jams."}


def changes(seen: list[Event]) -> list[tuple[str, str, str | None]]:
    return [
        (e.submission_id, e.status, e.previous_status)
        for e in seen
        if isinstance(e, SubmissionChanged)
    ]


# -- replacing -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.REJECTED, S.FAILED], ids=lambda s: s.value)
def test_queueing_a_correction_cancels_the_original_in_the_same_commit(
    store: Store, clock: FakeClock, status: Status
) -> None:
    original = bring_to(store, clock, status)
    seen: list[Event] = []
    store.events.subscribe(seen.append)

    copy = store.queue_submission(make_form(), FIXED, "acme", replaces=original)

    replaced = store.submission(original)
    assert (replaced.status, replaced.resolution, replaced.next_attempt_at) == (
        S.CANCELLED,
        Resolution.DISCARDED,
        None,
    )
    assert replaced.last_message == f"Replaced by a corrected ticket (submission {copy[:8]})."
    assert store.submission(copy).status is S.QUEUED
    assert [r.id for r in store.due_submissions()] == [copy]  # only the copy is sent
    assert changes(seen) == [(original, "cancelled", status.value), (copy, "queued", None)]


def test_a_rejection_keeps_its_server_messages_once_replaced(
    store: Store, clock: FakeClock
) -> None:
    original = bring_to(store, clock, S.REJECTED)
    store.queue_submission(make_form(), FIXED, "acme", replaces=original)
    assert store.submission(original).messages == [{"field": "summary", "message": "Too short"}]


@pytest.mark.parametrize(
    "status", [S.QUEUED, S.SENDING, S.ACCEPTED, S.UNCERTAIN, S.CANCELLED], ids=lambda s: s.value
)
def test_nothing_is_queued_when_the_original_can_no_longer_be_replaced(
    store: Store, clock: FakeClock, status: Status
) -> None:
    original = bring_to(store, clock, status)
    draft = store.save_draft(make_form(), FIXED, replaces=original)
    before = store.submission_count()

    with pytest.raises(InvalidTransition, match="Cannot replace"):
        store.queue_submission(make_form(), FIXED, "acme", draft_id=draft)

    assert store.submission_count() == before  # rolled back: no copy
    assert store.submission(original).status is status
    assert store.draft(draft).answers == FIXED  # the correction is kept


def test_a_draft_remembers_what_it_replaces_and_queueing_it_replaces_that(
    store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    original = bring_to(store, clock, S.REJECTED)
    draft = store.save_draft(make_form(), {"summary": "x"}, replaces=original)
    # Autosaves name nothing: what the draft replaces stays.
    store.save_draft(make_form(), FIXED, draft_id=draft)
    assert store.draft(draft).replaces == original
    assert store.draft_replacing(original) == draft
    assert store.draft_replacing("someone-else") is None
    assert store.draft(store.save_draft(make_form(), FIXED)).replaces is None

    copy = store.queue_submission(make_form(), FIXED, "acme", draft_id=draft)

    assert store.submission(original).status is S.CANCELLED
    assert store.submission(copy).answers == FIXED
    assert store.draft_replacing(original) is None  # queued: the draft is gone


def test_a_draft_keeps_what_it_replaces_across_a_restart(
    store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    original = bring_to(store, clock, S.REJECTED)
    draft = store.save_draft(make_form(), FIXED, replaces=original)
    store.close()
    with Store(tmp_path / "data", clock=clock) as again:
        again.queue_submission(make_form(), FIXED, "acme", draft_id=draft)
        assert again.submission(original).status is S.CANCELLED


# -- holding ---------------------------------------------------------------------------------


def test_held_submissions_wait_until_sent_now(store: Store, clock: FakeClock) -> None:
    store.hold_new = True
    held = queue(store)
    many = store.queue_submissions(make_form(), [FIXED, FIXED], "acme")
    assert {store.submission(i).next_attempt_at for i in [held, *many]} == {None}
    assert store.submission(held).status is S.QUEUED
    assert store.due_submissions() == [] and store.due_count() == 0
    assert store.next_due_at() is None
    assert store.held_count() == 3 and store.held_count("other") == 0

    clock.advance(5)
    seen: list[Event] = []
    store.events.subscribe(seen.append)
    assert store.retry_now([held]) == [held]

    assert store.submission(held).next_attempt_at == clock.now
    assert [r.id for r in store.due_submissions()] == [held]
    assert changes(seen) == [(held, "queued", "queued")]
    assert store.retry_now([held]) == []  # already due: nothing to change
    assert store.held_count() == 2


def test_release_held_makes_every_held_submission_due(store: Store, clock: FakeClock) -> None:
    due = queue(store)
    store.hold_new = True
    held = []
    for n in range(3):
        clock.advance(1)
        held.append(queue(store, summary=f"held {n}"))
    store.hold_new = False
    assert [r.id for r in store.due_submissions()] == [due]
    assert store.release_held(profile="other") == []

    assert store.release_held() == held

    assert [r.id for r in store.due_submissions()] == [due, *held]
    assert store.release_held() == []


def test_a_correction_is_held_like_any_new_ticket(store: Store, clock: FakeClock) -> None:
    original = bring_to(store, clock, S.REJECTED)
    store.hold_new = True
    copy = store.queue_submission(make_form(), FIXED, "acme", replaces=original)
    assert store.submission(copy).next_attempt_at is None
    assert store.submission(original).status is S.CANCELLED


def test_held_is_not_the_default(store: Store) -> None:
    assert Store.hold_new is False
    assert store.submission(queue(store)).next_attempt_at is not None
