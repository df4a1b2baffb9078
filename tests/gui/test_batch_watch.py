"""The tray's logic without a tray: batches from SubmissionChanged events, coalesced notices."""

from __future__ import annotations

from desktop_app.core.events import SubmissionChanged
from desktop_app.gui.batch_watch import (
    BatchSummary,
    BatchWatcher,
    Notice,
    TrayNotices,
    tray_tooltip,
)
from desktop_app.outbox import ProfilePaused, ProfileResumed


def changed(sid: str, status: str, previous: str | None) -> SubmissionChanged:
    return SubmissionChanged(sid, status, previous)


def queue(n: int, start: int = 0) -> list[SubmissionChanged]:
    return [changed(f"s{i}", "queued", None) for i in range(start, start + n)]


def send(sid: str, outcome: str) -> list[SubmissionChanged]:
    return [changed(sid, "sending", "queued"), changed(sid, outcome, "sending")]


def run(watcher: BatchWatcher, events: list[SubmissionChanged]) -> list[BatchSummary]:
    return [s for s in (watcher.feed(e) for e in events) if s is not None]


def test_a_batch_finishes_when_nothing_is_queued_or_sending() -> None:
    watcher = BatchWatcher()
    events = queue(12)
    for i in range(12):
        events += send(f"s{i}", "rejected" if i == 5 else "accepted")
    finished = run(watcher, events[:-1])
    assert finished == []  # one ticket is still sending
    [summary] = run(watcher, events[-1:])
    assert (summary.accepted, summary.rejected, summary.total) == (11, 1, 12)
    assert summary.text() == "12 tickets sent: 11 accepted, 1 rejected"
    assert watcher.active == 0


def test_tickets_in_flight_at_start_count_and_details_only_changes_are_ignored() -> None:
    watcher = BatchWatcher(active=2)  # two were queued before the watching started
    assert run(watcher, [changed("a", "failed", "failed")]) == []  # retry time only
    assert run(watcher, send("a", "accepted")) == []
    [summary] = run(watcher, send("b", "uncertain"))
    assert summary.text() == "2 tickets sent: 1 accepted, 1 uncertain"


def test_failed_tickets_end_the_batch_and_their_retry_starts_a_new_one() -> None:
    watcher = BatchWatcher()
    [first] = run(watcher, [*queue(1), *send("s0", "failed")])
    assert first.text() == "1 ticket sent: 1 to be retried"
    [second] = run(
        watcher, [changed("s0", "sending", "failed"), changed("s0", "accepted", "sending")]
    )
    assert second.text() == "1 ticket sent: 1 accepted"


def test_a_batch_that_was_only_cancelled_says_nothing() -> None:
    watcher = BatchWatcher()
    assert run(watcher, [*queue(2), changed("s0", "cancelled", "queued")]) == []
    assert run(watcher, [changed("s1", "cancelled", "queued")]) == []
    assert watcher.active == 0


def test_a_finished_batch_is_one_notice_after_the_settle_time() -> None:
    notices = TrayNotices(settle=1.0, min_interval=5.0)
    due = None
    for event in [*queue(3), *send("s0", "accepted"), *send("s1", "accepted")]:
        due = notices.feed(event, now=10.0)
    assert due is None  # nothing to tell while the batch runs
    for event in send("s2", "accepted"):
        due = notices.feed(event, now=11.0)
    assert due == 12.0
    assert notices.take(11.5) is None
    assert notices.take(12.0) == Notice("Tickets sent", "3 tickets sent: 3 accepted.", False)
    assert notices.take(20.0) is None  # told once


def test_rejections_and_pauses_are_coalesced_into_one_summary() -> None:
    notices = TrayNotices(settle=1.0, min_interval=5.0)
    for event in queue(5):
        notices.feed(event, now=0.0)
    for event in send("s0", "rejected"):
        notices.feed(event, now=1.0)
    first = notices.take(2.0)
    assert first is not None and first.warning
    assert first.title == "DeskForms needs attention"
    assert "1 ticket needs attention: 1 rejected." in first.message
    # Within the next 5 s: two more rejections, an uncertain one and a paused profile.
    for sid, outcome in (("s1", "rejected"), ("s2", "rejected"), ("s3", "uncertain")):
        sending, outcome_event = send(sid, outcome)
        notices.feed(sending, now=3.0)
        assert notices.feed(outcome_event, now=3.0) == 7.0  # not before min_interval
    notices.feed(ProfilePaused("acme", "The tenant refused the form (403)."), now=3.5)
    assert notices.take(6.9) is None
    second = notices.take(7.0)
    assert second is not None
    assert second.message.splitlines() == [
        "3 tickets need attention: 2 rejected, 1 uncertain.",
        "Sending with profile 'acme' stopped: The tenant refused the form (403).",
        "Open Outbox & results to fix or resolve them.",
    ]


def test_a_batch_summary_names_its_rejections_once() -> None:
    notices = TrayNotices(settle=0.0, min_interval=0.0)
    for event in [*queue(2), *send("s0", "accepted"), *send("s1", "rejected")]:
        notices.feed(event, now=0.0)
    notice = notices.take(0.0)
    assert notice is not None and notice.warning
    assert notice.title == "Tickets sent; some need attention"
    assert notice.message.splitlines() == [
        "2 tickets sent: 1 accepted, 1 rejected.",
        "Open Outbox & results to fix or resolve them.",
    ]


def test_a_profile_resumed_before_the_notice_is_not_told() -> None:
    notices = TrayNotices(settle=1.0)
    assert notices.feed(ProfilePaused("acme", "Bad key."), now=0.0) == 1.0
    assert notices.feed(ProfileResumed("acme"), now=0.5) is None
    assert notices.take(5.0) is None


def test_tooltip_text() -> None:
    assert tray_tooltip(3) == "DeskForms — 3 unsent"
