"""Planning requests from due submissions, and tying server messages to the form's questions."""

from __future__ import annotations

from typing import Any

from desktop_app.api.messages import ServerMessage
from desktop_app.outbox.batching import plan
from desktop_app.outbox.messages import FieldMessage, field_key_for, for_submission, stored_messages
from desktop_app.store import Store
from tests.outbox.conftest import answers, sample_form


def records(store: Store, count: int, target: str = "it-support") -> list[Any]:
    form = sample_form(version=2 if target != "it-support" else 1)
    if target != "it-support":
        form = form.model_copy(update={"target": form.target.model_copy(update={"form": target})})
    ids = [store.queue_submission(form, answers(), "sandbox") for _ in range(count)]
    return [store.submission(i) for i in ids]


def test_without_batching_each_submission_is_a_request(store: Store) -> None:
    due = records(store, 5)
    groups = plan(due, slots=3, per_request=1)
    assert [[r.id for r in g.records] for g in groups] == [[r.id] for r in due[:3]]


def test_batches_fill_up_per_target_form_within_the_slots(store: Store) -> None:
    due = records(store, 3) + records(store, 2, target="bug-report") + records(store, 2)
    groups = plan(due, slots=2, per_request=4)
    assert [len(g.records) for g in groups] == [4, 2]
    assert {r.form.target.form for r in groups[0].records} == {"it-support"}
    assert {r.form.target.form for r in groups[1].records} == {"bug-report"}


def test_solo_and_upload_submissions_get_a_request_of_their_own(store: Store) -> None:
    due = records(store, 4)
    groups = plan(
        due,
        slots=4,
        per_request=10,
        solo={due[1].id},
        needs_upload=lambda record: record.id == due[2].id,
    )
    assert [([r.id for r in g.records], g.uploads) for g in groups] == [
        ([due[0].id, due[3].id], False),
        ([due[1].id], False),
        ([due[2].id], True),
    ]


def test_server_properties_map_to_the_questions_that_fill_them() -> None:
    form = sample_form()
    assert field_key_for(form, "requester.email") == "email"
    assert field_key_for(form, "sys_attachments[0].id") == "attachments"
    assert field_key_for(form, "category") == "category"
    assert field_key_for(form, "sys_content_rich.editorjs.blocks[2]") == "details"
    assert field_key_for(form, "nonsense") is None
    assert field_key_for(form, None) is None


def test_messages_are_split_per_submission_of_a_batch() -> None:
    form = sample_form()
    server = [
        ServerMessage(text="bad mail", ticket_index=3, field="requester.email"),
        ServerMessage(text="whole request", ticket_index=None),
        ServerMessage(text="other", ticket_index=1, field="subject"),
    ]
    mine = for_submission(form, server, first_ticket=3, ticket_count=1)
    assert mine == [
        FieldMessage("bad mail", 0, "requester.email", "email"),
        FieldMessage("whole request", None, None, None),
    ]
    assert stored_messages([m.to_json() for m in mine]) == mine
    assert stored_messages([{"field": "summary", "message": "Too short"}, 5]) == [
        FieldMessage("Too short", None, "summary", None)
    ]
