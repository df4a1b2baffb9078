"""Drafts: autosave upserts answers against a form snapshot, cheaply enough for every keystroke."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.events import DraftDeleted, DraftSaved, Event, EventBus
from desktop_app.core.form.loading import dump_form
from desktop_app.core.form.model import Form
from desktop_app.store import NotFound, Store, StoreError, stored_attachment_path
from tests.store.conftest import FakeClock, big_form, make_form


def test_a_draft_is_saved_and_read_back(store: Store, clock: FakeClock) -> None:
    form = make_form()
    draft_id = store.save_draft(form, {"summary": "Printer", "details": "jams"})
    draft = store.draft(draft_id)
    assert draft.answers == {"summary": "Printer", "details": "jams"}
    assert (draft.form_id, draft.form_version) == ("it-help", 1)
    assert draft.summary == "Printer"
    assert draft.form == form
    assert draft.created == draft.updated == clock.now
    assert draft.attachments == ()


def test_saving_with_the_id_updates_the_same_draft(store: Store, clock: FakeClock) -> None:
    form = make_form()
    draft_id = store.save_draft(form, {"summary": "Pr"})
    clock.advance(2)
    assert store.save_draft(form, {"summary": "Printer"}, draft_id=draft_id) == draft_id
    draft = store.draft(draft_id)
    assert draft.answers == {"summary": "Printer"} and draft.summary == "Printer"
    assert draft.updated > draft.created
    assert store.draft_count() == 1


def test_a_caller_chosen_id_creates_the_draft(store: Store) -> None:
    assert store.save_draft(make_form(), {}, draft_id="gui-1") == "gui-1"
    assert store.draft("gui-1").summary == "IT help"  # no subject yet: the form title


def test_drafts_are_listed_most_recent_first_in_pages(store: Store, clock: FakeClock) -> None:
    form = make_form()
    ids = []
    for number in range(5):
        clock.advance(1)
        ids.append(store.save_draft(form, {"summary": f"n{number}"}))
    clock.advance(1)
    store.save_draft(form, {"summary": "edited"}, draft_id=ids[0])
    listed = [d.id for d in store.drafts(limit=3)] + [d.id for d in store.drafts(limit=3, offset=3)]
    assert listed == [ids[0], ids[4], ids[3], ids[2], ids[1]]


def test_deleting_a_draft(store: Store) -> None:
    draft_id = store.save_draft(make_form(), {})
    store.delete_draft(draft_id)
    with pytest.raises(NotFound):
        store.draft(draft_id)
    with pytest.raises(NotFound):
        store.delete_draft(draft_id)


def test_draft_events_are_published_after_saving(tmp_path: Path) -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    with Store(tmp_path, events=bus) as store:
        draft_id = store.save_draft(make_form(), {})
        store.save_draft(make_form(), {"summary": "x"}, draft_id=draft_id)
        store.delete_draft(draft_id)
    assert seen == [DraftSaved(draft_id), DraftSaved(draft_id), DraftDeleted(draft_id)]


def test_draft_attachments_are_replaced_or_kept(store: Store) -> None:
    form = make_form()
    one = store.attachments.add_bytes(b"one", "one.txt")
    two = store.attachments.add_bytes(b"two", "two.png")
    draft_id = store.save_draft(form, {}, attachments={"files": [one, two]})
    store.save_draft(form, {"summary": "typing"}, draft_id=draft_id)  # None keeps them
    links = store.draft(draft_id).attachments
    assert [(link.name, link.position, link.mime) for link in links] == [
        ("one.txt", 0, "text/plain"),
        ("two.png", 1, "image/png"),
    ]
    store.save_draft(form, {}, draft_id=draft_id, attachments={"files": [two]})
    assert [link.name for link in store.draft(draft_id).attachments] == ["two.png"]
    answers = store.draft(draft_id).answers_with_attachments()
    assert answers["files"] == [
        {
            "path": stored_attachment_path(two.sha256),
            "name": "two.png",
            "size": 3,
            "type": "image/png",
        }
    ]


def test_the_form_is_serialized_once_per_form_object(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def counting(form: Form) -> str:
        calls.append("dump")
        return dump_form(form)

    monkeypatch.setattr("desktop_app.store.snapshots.dump_form", counting)
    form = make_form()
    draft_id = store.save_draft(form, {"summary": "a"})
    for text in ("ab", "abc", "abcd"):
        store.save_draft(form, {"summary": text}, draft_id=draft_id)
    assert calls == ["dump"]
    store.save_draft(make_form(), {"summary": "x"}, draft_id=draft_id)  # a new object
    assert calls == ["dump", "dump"]
    assert store._conn.execute("SELECT COUNT(*) FROM form_snapshots").fetchone()[0] == 1


def test_a_new_form_version_gets_its_own_snapshot(store: Store) -> None:
    old, new = make_form(), make_form(version=2, label="What is wrong?")
    draft_id = store.save_draft(old, {"summary": "a"})
    other_id = store.save_draft(new, {"summary": "b"})
    assert store.draft(draft_id).form.field("summary").label == "Summary"
    assert store.draft(other_id).form.field("summary").label == "What is wrong?"
    assert store.draft(other_id).form_version == 2


def test_autosaving_a_300_field_form_keeps_every_change(store: Store) -> None:
    form, answers = big_form(300)
    draft_id = store.save_draft(form, answers)
    for number in range(60):
        answers = {**answers, f"f{number * 5 % 300}": f"typed {number}"}
        if number % 8 == 0:
            answers["f0"] = f"subject {number}"
        store.save_draft(form, answers, draft_id=draft_id)
    draft = store.draft(draft_id)
    assert draft.answers == answers
    assert len(draft.answers) == 300
    assert draft.summary == "Request: subject 56"
    assert store.draft_count() == 1
    assert store._conn.execute("SELECT COUNT(*) FROM form_snapshots").fetchone()[0] == 1


def test_the_summary_follows_the_fields_it_depends_on(store: Store) -> None:
    form, answers = big_form(40)
    draft_id = store.save_draft(form, answers)
    assert store.draft(draft_id).summary == "Request: hello there"
    # f10's visibility does not matter to the subject; f0 does.
    store.save_draft(form, {**answers, "f0": "printer"}, draft_id=draft_id)
    assert store.draft(draft_id).summary == "Request: printer"
    store.save_draft(form, {**answers, "f0": "printer", "f3": 7}, draft_id=draft_id)
    assert store.draft(draft_id).summary == "Request: printer"
    store.save_draft(form, {**answers, "f0": None}, draft_id=draft_id)
    assert store.draft(draft_id).summary == "Request:"  # the template's literal part


def test_answers_that_are_not_json_are_refused_in_one_line(store: Store) -> None:
    with pytest.raises(StoreError, match="only JSON values"):
        store.save_draft(make_form(), {"summary": object()}, summary="x")
    assert store.draft_count() == 0


def test_the_summary_follows_the_conditions_that_hide_its_fields(store: Store) -> None:
    form = Form.model_validate(
        {
            "id": "walk-in",
            "title": "Walk-in",
            "target": {"form": "walk-in", "subject_template": "{topic}"},
            "pages": [
                {
                    "items": [
                        {"type": "text", "key": "kind", "label": "Kind"},
                        {
                            "type": "text",
                            "key": "topic",
                            "label": "Topic",
                            "visible_when": {
                                "rules": [{"field": "kind", "op": "equals", "value": "it"}]
                            },
                        },
                        {"type": "text", "key": "notes", "label": "Notes"},
                    ]
                }
            ],
        }
    )
    draft_id = store.save_draft(form, {"kind": "it", "topic": "Laptop"})
    assert store.draft(draft_id).summary == "Laptop"
    store.save_draft(form, {"kind": "hr", "topic": "Laptop"}, draft_id=draft_id)
    assert store.draft(draft_id).summary == "Walk-in"  # topic is hidden now
    store.save_draft(form, {"kind": "it", "topic": "Laptop", "notes": "n"}, draft_id=draft_id)
    assert store.draft(draft_id).summary == "Laptop"
