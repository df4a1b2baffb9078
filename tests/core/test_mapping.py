"""Mapping answers to DeskHero tickets, as docs/sample-forms.md describes it."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.form.mapping import (
    AnswersInvalid,
    AttachmentsNotUploaded,
    answers_summary,
    build_tickets,
    display_text,
)
from desktop_app.core.form.model import Form


def options(**reference_ids: int | None) -> list[dict[str, Any]]:
    return [
        {"id": key, "label": key.replace("_", " ").title(), "reference_id": ref}
        for key, ref in reference_ids.items()
    ]


def make_form(items: list[dict[str, Any]], **target: Any) -> Form:
    return Form.model_validate(
        {
            "id": "t",
            "title": "Test form",
            "target": {"form": "t", **target},
            "pages": [{"items": items}],
        }
    )


def one_request(form: Form, answers: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    tickets = build_tickets(form, answers, **kwargs)
    assert len(tickets) == 1
    return tickets[0].to_request()


def blocks_without_ids(request: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = request["sys_content_rich"]["editorjs"]["blocks"]
    return [{k: v for k, v in block.items() if k != "id"} for block in blocks]


IT_SUPPORT = make_form(
    [
        {"type": "email", "key": "email", "label": "E-mail", "required": True, "maps_to": "requester.email"},
        {"type": "text", "key": "name", "label": "Name", "required": True, "maps_to": "requester.name"},
        {"type": "text", "key": "subject", "label": "Subject", "required": True, "max_length": 200, "maps_to": "subject"},
        {"type": "choice", "key": "category", "label": "Category", "required": True,
         "options": options(hardware=101, software=102, access=103, network=104, other=105)},
        {"type": "text", "key": "serial", "label": "Serial", "required": True, "pattern": "^[A-Z0-9]{8,12}$",
         "visible_when": {"rules": [{"field": "category", "op": "equals", "value": "hardware"}]}},
        {"type": "choice", "key": "urgency", "label": "Urgency", "default": "normal",
         "options": options(low=111, normal=112, high=113)},
        {"type": "richtext", "key": "details", "label": "Details", "required": True, "maps_to": "sys_content_rich"},
        {"type": "attachments", "key": "attachments", "label": "Files", "maps_to": "sys_attachments",
         "attachments": {"max_files": 5, "max_file_size_mb": 10, "accept": [".png", ".jpg", ".jpeg", ".pdf", ".txt", ".log"]}},
    ],
    form="it-support",
)  # fmt: skip

IT_ANSWERS: dict[str, Any] = {
    "email": "ada.lovelace@example.com",
    "name": "Ada Lovelace",
    "subject": "Laptop does not start after the update",
    "category": "hardware",
    "serial": "PF3X9K2L",
    "urgency": "high",
    "details": {
        "blocks": [
            {"type": "paragraph", "data": {"text": "My laptop shows a <b>black screen</b>."}},
            {"type": "list", "data": {"style": "ordered", "items": ["Power on", "Logo"]}},
        ]
    },
}

WALK_IN = make_form(
    [
        {"type": "text", "key": "name", "label": "Name", "required": True, "maps_to": "requester.name"},
        {"type": "email", "key": "email", "label": "E-mail", "maps_to": "requester.email"},
        {"type": "phone", "key": "phone", "label": "Phone"},
        {"type": "choice", "key": "reason", "label": "Reason", "required": True,
         "options": options(account=121, device=122, billing=123, other=124)},
        {"type": "multiline", "key": "reason_details", "label": "Details", "maps_to": "sys_content_rich"},
        {"type": "yesno", "key": "consent", "label": "Consent", "required": True},
        {"type": "hidden", "key": "channel", "label": "Channel", "default": "kiosk"},
    ],
    form="walk-in-intake",
    subject_template="Walk-in: {reason}",
    tag_ids=[301],
)  # fmt: skip

BUG_REPORT = make_form(
    [
        {"type": "email", "key": "email", "label": "E-mail", "required": True, "maps_to": "requester.email"},
        {"type": "text", "key": "summary", "label": "Summary", "required": True, "max_length": 120},
        {"type": "choice", "key": "component", "label": "Component", "required": True,
         "options": options(desktop=131, web=132, api=133, other=134)},
        {"type": "choice", "key": "severity", "label": "Severity", "required": True, "maps_to": "sys_tags",
         "options": options(low=201, medium=202, high=203, critical=204)},
        {"type": "multichoice", "key": "platforms", "label": "Platforms",
         "options": options(windows=141, macos=142, linux=143)},
        {"type": "text", "key": "app_version", "label": "Version", "pattern": r"^\d+\.\d+(\.\d+)?$"},
        {"type": "url", "key": "page_url", "label": "Page",
         "visible_when": {"rules": [{"field": "component", "op": "equals", "value": "web"}]}},
        {"type": "datetime", "key": "occurred_at", "label": "When"},
        {"type": "integer", "key": "affected_users", "label": "Users", "min_value": 1, "max_value": 100000},
        {"type": "yesno", "key": "reproducible", "label": "Reproducible"},
        {"type": "richtext", "key": "steps", "label": "Steps", "required": True, "maps_to": "sys_content_rich"},
        {"type": "attachments", "key": "screenshots", "label": "Screenshots", "maps_to": "sys_attachments",
         "attachments": {"max_files": 3, "max_file_size_mb": 5, "accept": ["image/*"]}},
    ],
    form="bug-report",
    subject_template="[{component}] {summary}",
)  # fmt: skip

BUG_ANSWERS: dict[str, Any] = {
    "email": "linus@example.com",
    "summary": "Export to PDF crashes",
    "component": "web",
    "severity": "high",
    "platforms": ["windows", "linux"],
    "app_version": "4.2.1",
    "page_url": "https://app.example.com/reports/42",
    "occurred_at": "2026-12-01T09:30:00",
    "affected_users": 12,
    "reproducible": True,
    "steps": {"blocks": [{"type": "paragraph", "data": {"text": "Press <i>Export</i>."}}]},
}


def test_it_support_ticket() -> None:
    request = one_request(IT_SUPPORT, IT_ANSWERS)

    blocks = request["sys_content_rich"]["editorjs"]["blocks"]
    assert all(isinstance(block["id"], str) and len(block["id"]) == 10 for block in blocks)
    assert blocks_without_ids(request) == IT_ANSWERS["details"]["blocks"]
    del request["sys_content_rich"]["editorjs"]
    assert request == {
        "subject": "Laptop does not start after the update",
        "requester": {"email": "ada.lovelace@example.com", "name": "Ada Lovelace"},
        "sys_content_rich": {
            "html": '<p class="ejs-paragraph">My laptop shows a <b>black screen</b>.</p>'
            '<ol class="ejs-list ejs-list-ordered"><li>Power on</li><li>Logo</li></ol>',
            "read_minutes": 1,
        },
        "category": {"id": 101},
        "serial": "PF3X9K2L",
        "urgency": {"id": 113},
    }


def test_defaults_are_sent_and_condition_hidden_answers_are_not() -> None:
    answers = {**IT_ANSWERS, "category": "software"}
    del answers["urgency"]

    request = one_request(IT_SUPPORT, answers)

    assert request["urgency"] == {"id": 112}  # the default, "normal"
    assert "serial" not in request  # hidden once the category is not hardware
    assert request["category"] == {"id": 102}


def test_walk_in_ticket() -> None:
    answers = {
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "phone": "+1 555 0100",
        "reason": "device",
        "reason_details": 'My phone no longer gets <mail> & more.\nSince Monday.\n\n\n  It\'s "dead".  ',
        "consent": "yes",
    }

    request = one_request(WALK_IN, answers)

    assert blocks_without_ids(request) == [
        {"type": "paragraph", "data": {"text": "My phone no longer gets &lt;mail&gt; &amp; more.<br>Since Monday."}},
        {"type": "paragraph", "data": {"text": 'It\'s "dead".'}},
    ]  # fmt: skip
    del request["sys_content_rich"]
    assert request == {
        "subject": "Walk-in: Device",
        "requester": {"email": "grace@example.com", "name": "Grace Hopper"},
        "sys_tags": [{"id": 301}],
        "phone": "+1 555 0100",
        "reason": {"id": 122},
        "consent": True,
        "channel": "kiosk",
    }


def test_walk_in_without_consent_is_refused_with_the_reason() -> None:
    with pytest.raises(AnswersInvalid) as caught:
        build_tickets(WALK_IN, {"name": "G", "reason": "other", "consent": False})

    assert caught.value.result.errors == {"consent": ["You need to answer Yes to continue."]}
    assert str(caught.value) == "1 answer needs fixing before sending."


def test_bug_report_ticket() -> None:
    request = one_request(BUG_REPORT, BUG_ANSWERS)

    assert request["subject"] == "[Web] Export to PDF crashes"
    assert request["requester"] == {"email": "linus@example.com"}
    assert request["sys_tags"] == [{"id": 203}]
    assert "severity" not in request
    assert request["platforms"] == [{"id": 141}, {"id": 143}]
    assert request["component"] == {"id": 132}
    assert request["page_url"] == "https://app.example.com/reports/42"
    assert request["occurred_at"] == "2026-12-01T09:30"
    assert request["affected_users"] == 12
    assert request["reproducible"] is True
    assert request["app_version"] == "4.2.1"
    assert request["summary"] == "Export to PDF crashes"
    assert "sys_attachments" not in request and "screenshots" not in request

    request = one_request(BUG_REPORT, {**BUG_ANSWERS, "component": 131, "reproducible": False})
    assert "page_url" not in request
    assert request["subject"] == "[Desktop] Export to PDF crashes"
    assert request["reproducible"] is False  # "No" is an answer and is sent


def test_attachments_use_uploaded_ids() -> None:
    answers = {
        **BUG_ANSWERS,
        "screenshots": ["/tmp/a.png", {"id": 77}, {"path": "C:\\b.jpg", "size": 10}],
    }

    request = one_request(
        BUG_REPORT, answers, attachment_ids={"/tmp/a.png": 5, "C:\\b.jpg": 6, "other": 9}
    )

    assert request["sys_attachments"] == [{"id": 5}, {"id": 77}, {"id": 6}]


def test_attachments_not_uploaded_are_never_dropped_silently() -> None:
    answers = {**BUG_ANSWERS, "screenshots": ["/tmp/a.png", {"id": 77}, "/tmp/c.png"]}

    with pytest.raises(AttachmentsNotUploaded) as caught:
        build_tickets(BUG_REPORT, answers, attachment_ids={"/tmp/a.png": 5})

    assert caught.value.paths == ["/tmp/c.png"]
    assert "/tmp/c.png" in str(caught.value)
    with pytest.raises(AttachmentsNotUploaded) as caught:
        build_tickets(BUG_REPORT, answers)
    assert caught.value.paths == ["/tmp/a.png", "/tmp/c.png"]


def test_tags_merge_answers_and_form_tags_without_repeats() -> None:
    form = make_form(
        [
            {"type": "choice", "key": "severity", "label": "S", "maps_to": "sys_tags",
             "options": options(low=201, high=203)},
            {"type": "multichoice", "key": "areas", "label": "A", "maps_to": "sys_tags",
             "options": options(ui=301, db=203, net=401)},
        ],
        tag_ids=[301, 500, 203],
    )  # fmt: skip

    request = one_request(form, {"severity": "high", "areas": ["net", "db", "ui"]})

    assert request["sys_tags"] == [{"id": 203}, {"id": 301}, {"id": 401}, {"id": 500}]
    assert one_request(form, {})["sys_tags"] == [{"id": 301}, {"id": 500}, {"id": 203}]


def test_custom_fields_travel_typed() -> None:
    form = make_form(
        [
            {"type": "choice", "key": "plain_choice", "label": "P", "options": options(a=None, b=None)},
            {"type": "multichoice", "key": "mixed", "label": "M", "options": options(x=1, y=None)},
            {"type": "decimal", "key": "amount", "label": "Amount"},
            {"type": "date", "key": "day", "label": "Day"},
            {"type": "time", "key": "at", "label": "At"},
            {"type": "richtext", "key": "notes", "label": "Notes"},
            {"type": "multiline", "key": "body", "label": "Body", "maps_to": "machine_notes"},
            {"type": "hidden", "key": "meta", "label": "Meta", "default": {"source": "kiosk", "n": [1]}},
        ]
    )  # fmt: skip
    notes = {"blocks": [{"id": "keepme", "type": "header", "data": {"text": "Hi", "level": 2}}]}

    request = one_request(
        form,
        {
            "plain_choice": "b",
            "mixed": ["y", "x"],
            "amount": "12.50",
            "day": "2026-12-31",
            "at": "08:15:00",
            "notes": notes,
            "body": "first\nline",
        },
    )

    assert request["plain_choice"] == "b"
    assert request["mixed"] == [{"id": 1}, "y"]
    assert request["amount"] == 12.5
    assert request["day"] == "2026-12-31"
    assert request["at"] == "08:15"
    assert request["notes"] == {
        "editorjs": {"blocks": notes["blocks"]},
        "html": '<h2 class="ejs-header">Hi</h2>',
        "read_minutes": 1,
    }
    assert request["machine_notes"] == "first\nline"
    assert request["meta"] == {"source": "kiosk", "n": [1]}
    assert request["subject"] == "Test form"  # no subject field nor template


def test_answers_win_over_fixed_properties() -> None:
    form = make_form(
        [
            {"type": "text", "key": "source", "label": "Source"},
            {"type": "email", "key": "email", "label": "E-mail", "maps_to": "requester.email"},
        ],
        fixed_properties={
            "source": "desk",
            "sys_status": {"id": 1},
            "requester": {"name": "Front desk"},
            "subject": "Fixed subject",
        },
    )

    assert one_request(form, {}) == {
        "source": "desk",
        "sys_status": {"id": 1},
        "requester": {"name": "Front desk"},
        "subject": "Fixed subject",
    }
    request = one_request(form, {"source": "phone", "email": "a@b.co"})
    assert request["source"] == "phone"
    assert request["requester"] == {"name": "Front desk", "email": "a@b.co"}
    # The form's own fixed properties are not changed by building a ticket.
    assert form.target.fixed_properties["requester"] == {"name": "Front desk"}


def test_subject_template_fills_labels_collapses_space_and_cuts() -> None:
    form = make_form(
        [
            {"type": "multichoice", "key": "areas", "label": "Areas", "options": options(ui=1, db_layer=2)},
            {"type": "yesno", "key": "urgent", "label": "Urgent"},
            {"type": "richtext", "key": "text", "label": "Text"},
            {"type": "decimal", "key": "amount", "label": "Amount"},
            {"type": "text", "key": "missing", "label": "Missing"},
        ],
        subject_template="{areas} |{urgent}| {text} {amount}{missing} {{literal}}",
    )  # fmt: skip
    text = {"blocks": [{"type": "paragraph", "data": {"text": "two\n  <b>lines</b>"}}]}

    request = one_request(
        form, {"areas": ["db_layer", "ui"], "urgent": False, "text": text, "amount": 2.5}
    )

    assert request["subject"] == "Ui, Db Layer |No| two lines 2.5 {literal}"
    long_text = {"blocks": [{"type": "paragraph", "data": {"text": "word " * 100}}]}
    subject = one_request(form, {"text": long_text})["subject"]
    assert len(subject) == 250 and subject.endswith("…") and "  " not in subject


def test_an_empty_subject_falls_back_to_the_form_title() -> None:
    form = make_form([{"type": "text", "key": "a", "label": "A"}], subject_template="  {a}  ")

    assert one_request(form, {})["subject"] == "Test form"
    assert one_request(form, {"a": " x "})["subject"] == "x"


def test_read_minutes_count_words() -> None:
    form = make_form(
        [{"type": "multiline", "key": "b", "label": "B", "maps_to": "sys_content_rich"}]
    )

    def minutes(words: int) -> int:
        request = one_request(form, {"b": "word " * words})
        return int(request["sys_content_rich"]["read_minutes"])

    assert [minutes(1), minutes(200), minutes(201), minutes(401)] == [1, 1, 2, 3]


def test_image_only_rich_text_still_takes_a_minute() -> None:
    form = make_form(
        [{"type": "richtext", "key": "b", "label": "B", "maps_to": "sys_content_rich"}]
    )
    image = {"blocks": [{"type": "image", "data": {"file": {"url": "https://x/y.png"}}}]}

    assert one_request(form, {"b": image})["sys_content_rich"]["read_minutes"] == 1


def test_block_ids_are_stable_and_distinct() -> None:
    details = {"blocks": [{"type": "paragraph", "data": {"text": "same"}}] * 3}
    answers = {**IT_ANSWERS, "details": details}

    first = one_request(IT_SUPPORT, answers)["sys_content_rich"]["editorjs"]["blocks"]
    second = one_request(IT_SUPPORT, copy.deepcopy(answers))["sys_content_rich"]["editorjs"][
        "blocks"
    ]

    assert [b["id"] for b in first] == [b["id"] for b in second]
    assert len({b["id"] for b in first}) == 3
    assert "id" not in details["blocks"][0]  # the answers are left untouched


@pytest.mark.parametrize("key", ["created", "id", "requester", "sys_status"])
def test_a_custom_field_cannot_overwrite_a_ticket_property(key: str) -> None:
    with pytest.raises(ValueError, match=f"would overwrite the ticket's '{key}'"):
        make_form([{"type": "text", "key": key, "label": "Created"}])


def test_answers_summary_names_drafts_too() -> None:
    assert answers_summary(WALK_IN, {"reason": "billing"}) == "Walk-in: Billing"
    assert answers_summary(WALK_IN, {"reason": "nonsense"}) == "Walk-in:"
    assert answers_summary(IT_SUPPORT, {}) == "Test form"
    assert answers_summary(IT_SUPPORT, IT_ANSWERS) == IT_ANSWERS["subject"]


def test_display_text() -> None:
    field = BUG_REPORT.field
    assert display_text(field("component"), "web") == "Web"
    assert display_text(field("platforms"), ["windows", "linux"]) == "Windows, Linux"
    assert display_text(field("reproducible"), True) == "Yes"
    assert display_text(field("affected_users"), 12) == "12"
    assert display_text(field("steps"), BUG_ANSWERS["steps"]) == "Press Export."
    assert (
        display_text(field("screenshots"), [{"path": "/a/b.png", "name": "b.png"}, {"id": 4}])
        == "b.png, #4"
    )
    assert display_text(field("summary"), None) == ""


# --- properties -----------------------------------------------------------------------------

# (valid answers, invalid answers) per field of the bug report.
CANDIDATES: dict[str, tuple[list[Any], list[Any]]] = {
    "email": (["linus@example.com"], ["bad"]),
    "summary": (["Crash", "Export  fails"], ["x" * 121]),
    "component": (["web", "desktop", 133, 132], ["nope"]),
    "severity": (["low", "critical", 202], []),
    "platforms": ([["windows"], "linux, macos", []], [["beos"]]),
    "app_version": (["1.2"], ["v1"]),
    "page_url": (["https://x.org/a"], ["nope"]),
    "occurred_at": (["2026-12-01T09:30:00", "2026-12-01"], ["yesterday"]),
    "affected_users": ([1, "500"], [0]),
    "reproducible": ([True, False, "no"], ["perhaps"]),
    "steps": ([BUG_ANSWERS["steps"], "plain steps\n\nmore"], [{"blocks": []}]),
    "screenshots": ([["/tmp/a.png"], [{"id": 3}], ["/tmp/a.png", "/tmp/b.gif"]], [["x.exe"]]),
}
REQUIRED = ("email", "summary", "component", "severity", "steps")
UPLOADED = {"/tmp/a.png": 11, "/tmp/b.gif": 12}


@st.composite
def bug_answers(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly valid answers; now and then a field is left out or answered wrongly."""
    answers: dict[str, Any] = {}
    for key, (valid, invalid) in CANDIDATES.items():
        if key not in REQUIRED and draw(st.booleans()):
            continue
        wrong = invalid and draw(st.integers(0, 29)) == 0
        answers[key] = draw(st.sampled_from(invalid if wrong else valid))
    return answers


@settings(max_examples=300)
@given(bug_answers())
def test_tickets_serialize_and_never_carry_invisible_fields(answers: dict[str, Any]) -> None:
    try:
        tickets = build_tickets(BUG_REPORT, answers, attachment_ids=UPLOADED)
    except AnswersInvalid as invalid:
        assert invalid.result.errors
        return
    request = tickets[0].to_request()

    json.dumps(request)  # a request body is plain JSON
    if answers["component"] not in ("web", 132):
        assert "page_url" not in request
    custom = set(tickets[0].custom_fields)
    sent_keys = {f.key for f in BUG_REPORT.fields if f.maps_to is None and f.key in answers}
    assert custom <= sent_keys
    assert 0 < len(request["subject"]) <= 250
    assert request["sys_tags"] and request["sys_content_rich"]["read_minutes"] >= 1
