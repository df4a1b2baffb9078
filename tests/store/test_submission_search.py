"""Listing submissions by form and by text in SQL, and the forms that have submissions."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.store import Status, Store
from tests.store.conftest import FakeClock, make_form, make_profile, queue


def facilities(version: int = 1, title: str = "Facilities request") -> Any:
    return make_form(version, id="facilities", title=title, target={"form": "facilities"})


def accept(store: Store, submission_id: str, ticket_id: int, message: str) -> None:
    attempt = store.mark_sending(submission_id)
    store.record_outcome(
        submission_id,
        attempt,
        status=Status.ACCEPTED,
        http_status=201,
        outcome_kind="accepted",
        message=message,
        outcome_json="{}",
        duration_ms=5,
        ticket_id=ticket_id,
    )


def found(store: Store, **filters: Any) -> set[str]:
    listed = {record.id for record in store.submissions(limit=1000, **filters)}
    assert store.submission_count(
        filters.get("status"),
        filters.get("profile"),
        form_id=filters.get("form_id"),
        text=filters.get("text", ""),
    ) == len(listed)
    return listed


@pytest.fixture
def rows(store: Store, clock: FakeClock) -> dict[str, str]:
    store.save_profile(make_profile("beta", "beta"))
    made = {
        "printer": queue(store, summary="Printer on fire"),
        "vpn": queue(store, summary="VPN is down"),
        "toner": queue(store, facilities(), summary="Printer toner low"),
        "badge": store.queue_submission(
            make_form(), {"summary": "Badge lost", "details": ""}, "beta"
        ),
        "percent": queue(store, summary="Disk 100% full_now"),
        "accented": queue(store, summary="Ärger mit dem Drucker"),
    }
    clock.advance(1)
    accept(store, made["vpn"], 4242, "Created ticket #4242 for the network team.")
    return made


def test_a_text_search_finds_words_in_any_order_in_any_field_ignoring_case(
    store: Store, rows: dict[str, str]
) -> None:
    assert found(store, text="printer") == {rows["printer"], rows["toner"]}
    assert found(store, text="FIRE   printer") == {rows["printer"]}
    assert found(store, text="printer vpn") == set()
    assert found(store, text="#4242") == {rows["vpn"]}  # the ticket, as the table shows it
    assert found(store, text="4242") == {rows["vpn"]}
    assert found(store, text="network") == {rows["vpn"]}  # the last message
    assert found(store, text="beta") == {rows["badge"]}  # the profile
    assert found(store, text=rows["badge"][:8].upper()) == {rows["badge"]}  # the id
    assert found(store, text="request") == {rows["toner"]}  # the form's title
    assert found(store, text="FACILITIES") == {rows["toner"]}  # the form's id
    assert found(store, text="") == set(rows.values())


def test_like_wildcards_in_the_search_are_literal_text(store: Store, rows: dict[str, str]) -> None:
    assert found(store, text="100%") == {rows["percent"]}
    assert found(store, text="full_now") == {rows["percent"]}
    assert found(store, text="1%0") == set()
    assert found(store, text="full_") == {rows["percent"]}
    assert found(store, text="ful__ow") == set()
    assert found(store, text="\\") == set()


def test_words_beyond_ascii_match_whatever_their_case(store: Store, rows: dict[str, str]) -> None:
    assert found(store, text="ärger") == {rows["accented"]}
    assert found(store, text="ÄRGER drucker") == {rows["accented"]}
    assert found(store, text="ärgerlich") == set()


def test_form_filter_with_status_profile_text_and_paging(
    store: Store, clock: FakeClock, rows: dict[str, str]
) -> None:
    more = []
    for n in range(5):
        clock.advance(1)
        more.append(queue(store, facilities(), summary=f"Door {n}"))
    assert found(store, form_id="facilities") == {rows["toner"], *more}
    assert found(store, form_id="it-help", text="printer") == {rows["printer"]}
    assert found(store, form_id="it-help", profile="beta") == {rows["badge"]}
    assert found(store, form_id="it-help", status=Status.ACCEPTED) == {rows["vpn"]}
    assert found(store, form_id="nope") == set()
    # A newer version of the form is the same form.
    clock.advance(1)
    newer = queue(store, facilities(2), summary="Door 9")
    assert newer in found(store, form_id="facilities")
    pages = [
        record.id
        for offset in range(0, 7, 3)
        for record in store.submissions(
            form_id="facilities", limit=3, offset=offset, order="created"
        )
    ]
    assert pages == [rows["toner"], *more, newer]


def test_which_of_some_ids_match_a_filter(store: Store, rows: dict[str, str]) -> None:
    ids = list(rows.values())
    assert store.matching_submission_ids(ids, text="printer") == {rows["printer"], rows["toner"]}
    assert store.matching_submission_ids(ids, Status.ACCEPTED, text="ticket") == {rows["vpn"]}
    assert store.matching_submission_ids(ids, form_id="facilities") == {rows["toner"]}
    assert store.matching_submission_ids([rows["vpn"], "gone"]) == {rows["vpn"]}
    assert store.matching_submission_ids([]) == set()


def test_the_forms_with_submissions_by_title_with_the_newest_title(
    store: Store, rows: dict[str, str]
) -> None:
    assert store.submission_forms() == [
        ("facilities", "Facilities request"),
        ("it-help", "IT help"),
    ]
    queue(store, facilities(2, title="Building and doors"), summary="Door")
    store.save_draft(make_form(id="drafted", title="Only a draft", target={"form": "drafted"}), {})
    assert store.submission_forms() == [
        ("facilities", "Building and doors"),
        ("it-help", "IT help"),
    ]


def test_many_rows_one_match_deep_down(store: Store) -> None:
    answers = [{"summary": f"Noise {n}", "details": ""} for n in range(3000)]
    answers[123]["summary"] = "Needle in the stack"
    ids = store.queue_submissions(make_form(), answers, "acme")
    assert found(store, text="needle") == {ids[123]}
    assert store.submissions(text="needle", limit=1, order="-created")[0].id == ids[123]


@pytest.mark.parametrize("order", ["-updated", "updated", "-created", "created"])
def test_keyset_pages_follow_on_from_the_last_row_in_every_order(
    store: Store, clock: FakeClock, order: Any
) -> None:
    answers = [{"summary": f"Row {n}", "details": ""} for n in range(25)]
    store.queue_submissions(make_form(), answers, "acme")  # a microsecond apart
    clock.advance(1)
    for n in range(5):
        queue(store, summary=f"Row 1{n} tie")  # the clock stands still: the same time, ties
    everything = [record.id for record in store.submissions(limit=100, order=order)]
    pages: list[str] = []
    after = None
    for _ in range(20):  # bounded: a page that repeats rows must fail, not hang
        page = store.submissions(limit=4, order=order, after=after)
        if not page:
            break
        pages += [record.id for record in page]
        last = page[-1]
        after = (last.created if order.endswith("created") else last.updated, last.id)
    assert pages == everything and len(everything) == 30
    # With a filter too.
    first = store.submissions(limit=3, order=order, text="row 1")
    moment = first[-1].created if order.endswith("created") else first[-1].updated
    rest = store.submissions(limit=100, order=order, text="row 1", after=(moment, first[-1].id))
    listed = [record.id for record in store.submissions(limit=100, order=order, text="row 1")]
    assert [record.id for record in first + rest] == listed
