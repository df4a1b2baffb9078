"""Drafts listed oldest first and drafts edited since a moment (the unsaved work of a crashed run)."""

from __future__ import annotations

from datetime import timedelta

from desktop_app.store import Store
from tests.store.conftest import FakeClock, make_form


def test_drafts_oldest_first_pages(store: Store, clock: FakeClock) -> None:
    form = make_form()
    ids = []
    for number in range(4):
        clock.advance(1)
        ids.append(store.save_draft(form, {"summary": f"n{number}"}))
    clock.advance(1)
    store.save_draft(form, {"summary": "edited"}, draft_id=ids[1])
    listed = [d.id for d in store.drafts(limit=2, oldest_first=True)]
    listed += [d.id for d in store.drafts(limit=2, offset=2, oldest_first=True)]
    assert listed == [ids[0], ids[2], ids[3], ids[1]]


def test_drafts_and_count_updated_since_a_moment(store: Store, clock: FakeClock) -> None:
    form = make_form()
    old = store.save_draft(form, {"summary": "before"})
    edited_later = store.save_draft(form, {"summary": "before too"})
    session_start = clock.advance(10)
    clock.advance(1)
    new = store.save_draft(form, {"summary": "during"})
    clock.advance(1)
    store.save_draft(form, {"summary": "changed during"}, draft_id=edited_later)

    assert store.draft_count() == 3
    assert store.draft_count(updated_since=session_start) == 2
    assert [d.id for d in store.drafts(updated_since=session_start)] == [edited_later, new]
    assert store.draft_count(updated_since=clock.now) == 0
    assert (
        store.drafts(updated_since=session_start - timedelta(days=1), oldest_first=True)[0].id
        == old
    )
