"""Profiles in the store: delivery settings, the queue stop, deleting, and the upload ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.events import Event, EventBus, ProfileChanged
from desktop_app.store import DeliverySettings, NotFound, Store, StoreError
from tests.store.conftest import FakeClock, make_profile, queue


def test_a_saved_profile_reads_back_with_default_settings(store: Store, clock: FakeClock) -> None:
    record = store.profile("acme")
    assert record.profile == make_profile()
    assert record.settings == DeliverySettings(
        concurrency=4, batching=False, ticket_uuid_property=None
    )
    assert not record.paused and record.paused_reason is None
    assert record.created == record.updated == clock.now


def test_saving_again_updates_and_keeps_settings_unless_given(
    store: Store, clock: FakeClock
) -> None:
    settings = DeliverySettings(concurrency=2, batching=True, ticket_uuid_property="cf_uuid")
    store.save_profile(make_profile(), settings=settings)
    clock.advance(60)
    record = store.save_profile(make_profile(read_timeout=60))
    assert record.profile.read_timeout == 60
    assert record.settings == settings
    assert record.updated > record.created


def test_profiles_are_listed_by_name(store: Store) -> None:
    store.save_profile(make_profile("Zeta", "zeta"))
    store.save_profile(make_profile("beta", "beta"))
    assert [p.name for p in store.profiles()] == ["acme", "beta", "Zeta"]


@pytest.mark.parametrize(
    "kwargs",
    [{"concurrency": 0}, {"concurrency": 65}, {"ticket_uuid_property": "has space"}],
)
def test_bad_delivery_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        DeliverySettings(**kwargs)  # type: ignore[arg-type]


def test_pause_and_resume_say_whether_anything_changed(store: Store) -> None:
    assert store.pause_profile("acme", "DeskHero answered 403 Forbidden.") is True
    assert store.pause_profile("acme", "again") is False
    assert store.profile("acme").paused_reason == "again"
    assert store.resume_profile("acme") is True
    assert store.resume_profile("acme") is False
    assert not store.profile("acme").paused


def test_profile_changes_are_published(tmp_path: Path, clock: FakeClock) -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    with Store(tmp_path, events=bus, clock=clock) as store:
        store.save_profile(make_profile())
        store.pause_profile("acme", "stop")
        store.resume_profile("acme")
        store.resume_profile("acme")  # nothing changed: nothing published
        store.delete_profile("acme")
    assert seen == [ProfileChanged("acme")] * 4


def test_unknown_profiles_are_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="no tenant profile named 'nope'"):
        store.profile("nope")
    with pytest.raises(NotFound):
        store.pause_profile("nope", "x")
    with pytest.raises(NotFound):
        store.delete_profile("nope")


def test_a_profile_with_unfinished_submissions_cannot_be_deleted(store: Store) -> None:
    submission_id = queue(store)
    with pytest.raises(StoreError, match="1 unfinished submission"):
        store.delete_profile("acme")
    store.cancel(submission_id)
    store.delete_profile("acme")
    assert store.profiles() == []
    # History outlives its profile.
    assert store.submission(submission_id).profile == "acme"


def test_uploads_are_remembered_per_profile(store: Store) -> None:
    sha = store.attachments.add_bytes(b"log", "log.txt").sha256
    queue(store, attachments={"files": [store.attachments.add_bytes(b"log", "log.txt")]})
    store.save_profile(make_profile("other", "other"))
    assert store.uploaded_id(sha, "acme") is None
    store.record_upload(sha, "acme", 501)
    store.record_upload(sha, "acme", 502)  # a re-upload replaces the id
    assert store.uploaded_id(sha, "acme") == 502
    assert store.uploaded_id(sha, "other") is None


def test_uploads_are_forgotten_when_the_profile_points_elsewhere(store: Store) -> None:
    stored = store.attachments.add_bytes(b"log", "log.txt")
    queue(store, attachments={"files": [stored]})
    store.record_upload(stored.sha256, "acme", 501)
    store.save_profile(make_profile(read_timeout=90))  # same tenant: ids stay valid
    assert store.uploaded_id(stored.sha256, "acme") == 501
    store.save_profile(make_profile(tenant="acme-eu"))  # another tenant: its ids differ
    assert store.uploaded_id(stored.sha256, "acme") is None


def test_an_upload_of_an_unknown_file_is_refused(store: Store) -> None:
    with pytest.raises(NotFound, match="not in the store"):
        store.record_upload("a" * 64, "acme", 1)
