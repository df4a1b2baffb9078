"""Queueing submissions, their frozen form snapshots, and the queries lists and the engine use."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from desktop_app.core.events import DraftDeleted, Event, EventBus, SubmissionChanged
from desktop_app.store import NotFound, Status, Store, stored_attachment_path
from tests.store.conftest import FakeClock, bring_to, make_form, make_profile, queue


def test_queueing_gives_a_uuid_and_a_due_queued_submission(store: Store, clock: FakeClock) -> None:
    submission_id = queue(store)
    record = store.submission(submission_id)
    assert len(submission_id) == 36 and record.idempotency_key == submission_id
    assert record.status is Status.QUEUED
    assert record.profile == "acme"
    assert record.answers == {"summary": "Printer jams", "details": "It jams."}
    assert record.summary == "Printer jams"
    assert record.queued_at == record.created == record.next_attempt_at == clock.now
    assert record.attempt_count == 0 and record.resolution is None and record.ticket is None
    assert record.form == make_form()
    assert queue(store) != submission_id


def test_queueing_needs_a_known_profile(store: Store) -> None:
    with pytest.raises(NotFound, match="no tenant profile named 'nope'"):
        store.queue_submission(make_form(), {}, "nope")
    assert store.submission_count() == 0


def test_queueing_a_draft_deletes_it_and_takes_its_files(tmp_path: Path, clock: FakeClock) -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    with Store(tmp_path, events=bus, clock=clock) as store:
        store.save_profile(make_profile())
        stored = store.attachments.add_bytes(b"photo", "photo.jpg")
        draft_id = store.save_draft(make_form(), {"summary": "x"}, attachments={"files": [stored]})
        seen.clear()
        submission_id = queue(store, draft_id=draft_id)
        record = store.submission(submission_id)
        assert record.draft_id == draft_id
        assert [(link.field_key, link.name) for link in record.attachments] == [
            ("files", "photo.jpg")
        ]
        assert record.answers_with_attachments()["files"][0]["path"] == stored_attachment_path(
            stored.sha256
        )
        assert store.draft_count() == 0
        assert seen == [SubmissionChanged(submission_id, "queued", None), DraftDeleted(draft_id)]
        # A second queue of the same draft (a double click) is refused, not duplicated.
        with pytest.raises(NotFound, match="already queued"):
            queue(store, draft_id=draft_id)
        assert store.submission_count() == 1


def test_a_submission_keeps_the_form_it_was_filled_with(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.save_profile(make_profile())
        form = make_form()
        submission_id = queue(store, form)
        # The designer edits the form: a new version, and the old object edited in place too.
        queue(store, make_form(version=2, label="Changed"))
        form.title = "Edited in place"
        form.pages[0].items[0].label = "Edited label"  # type: ignore[union-attr]
        later_id = queue(store, form)  # queueing re-reads the form as it is now
    with Store(tmp_path) as reopened:
        kept = reopened.submission(submission_id).form
        assert kept.title == "IT help" and kept.field("summary").label == "Summary"
        assert reopened.submission(later_id).form.title == "Edited in place"
        assert reopened._conn.execute("SELECT COUNT(*) FROM form_snapshots").fetchone()[0] == 3


def test_the_outbox_survives_a_restart(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.save_profile(make_profile())
        submission_id = queue(store)
        attempt = store.mark_sending(submission_id)
    with Store(tmp_path) as store:
        assert store.submission(submission_id).status is Status.SENDING
        assert [a.id for a in store.attempts(submission_id)] == [attempt]


def test_due_submissions_are_oldest_first_and_skip_paused_profiles(
    store: Store, clock: FakeClock
) -> None:
    store.save_profile(make_profile("beta", "beta"))
    first = queue(store)
    clock.advance(1)
    second = store.queue_submission(make_form(), {"summary": "b"}, "beta")
    clock.advance(1)
    third = queue(store)
    clock.advance(1)
    assert [s.id for s in store.due_submissions()] == [first, second, third]
    assert [s.id for s in store.due_submissions(limit=2)] == [first, second]
    assert [s.id for s in store.due_submissions(profile="beta")] == [second]
    store.pause_profile("acme", "403")
    assert [s.id for s in store.due_submissions()] == [second]
    assert store.next_due_at(profile="acme") is None
    store.resume_profile("acme")
    assert [s.id for s in store.due_submissions()] == [first, second, third]


def test_failed_submissions_are_due_when_their_backoff_ends(store: Store, clock: FakeClock) -> None:
    failed = bring_to(store, clock, Status.FAILED)  # retry in 30 s
    queued = queue(store)
    bring_to(store, clock, Status.SENDING)
    bring_to(store, clock, Status.UNCERTAIN)
    bring_to(store, clock, Status.REJECTED)
    assert [s.id for s in store.due_submissions()] == [queued]
    assert store.next_due_at() == clock.now
    store.cancel(queued)
    assert store.next_due_at() == clock.now + timedelta(seconds=30)
    assert [s.id for s in store.due_submissions(clock.now + timedelta(seconds=29))] == []
    assert [s.id for s in store.due_submissions(clock.now + timedelta(seconds=30))] == [failed]
    clock.advance(31)
    assert [s.id for s in store.due_submissions()] == [failed]


def test_due_submissions_refuse_naive_datetimes(store: Store) -> None:
    from datetime import datetime

    with pytest.raises(ValueError, match="timezone-aware"):
        store.due_submissions(datetime(2026, 1, 1))


def test_lists_filter_count_and_page(store: Store, clock: FakeClock) -> None:
    ids = {status: bring_to(store, clock, status) for status in Status}
    store.save_profile(make_profile("beta", "beta"))
    clock.advance(5)
    other = store.queue_submission(make_form(), {"summary": "b"}, "beta")
    counts = store.count_by_status()
    assert counts == {**dict.fromkeys(Status, 1), Status.QUEUED: 2}
    assert store.count_by_status(profile="beta") == {**dict.fromkeys(Status, 0), Status.QUEUED: 1}
    assert [s.id for s in store.submissions(status=Status.QUEUED)] == [other, ids[Status.QUEUED]]
    assert [s.id for s in store.submissions(status=Status.QUEUED, order="created")] == [
        ids[Status.QUEUED],
        other,
    ]
    assert {s.id for s in store.submissions(status=[Status.FAILED, Status.UNCERTAIN])} == {
        ids[Status.FAILED],
        ids[Status.UNCERTAIN],
    }
    assert [s.id for s in store.submissions(profile="beta")] == [other]
    assert store.submission_count(status=[Status.ACCEPTED, Status.REJECTED]) == 2
    everything = [s.id for s in store.submissions(limit=3)] + [
        s.id for s in store.submissions(limit=10, offset=3)
    ]
    assert len(everything) == len(set(everything)) == 8
    assert everything[0] == other


def test_an_unknown_submission_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.submission("nope")
