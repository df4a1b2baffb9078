"""Fixtures for store tests: a real SQLite store in tmp_path, a settable clock, small forms."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.events import Event, EventBus
from desktop_app.core.form.model import Form
from desktop_app.core.profile import TenantProfile
from desktop_app.store import Status, Store

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand (the store only reads it)."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def make_form(version: int = 1, label: str = "Summary", **extra: Any) -> Form:
    return Form.model_validate(
        {
            "id": "it-help",
            "title": "IT help",
            "version": version,
            "target": {"form": "it-help"},
            "pages": [
                {
                    "items": [
                        {"type": "text", "key": "summary", "label": label, "maps_to": "subject"},
                        {"type": "multiline", "key": "details", "label": "Details"},
                        {
                            "type": "attachments",
                            "key": "files",
                            "label": "Files",
                            "maps_to": "sys_attachments",
                        },
                    ]
                }
            ],
            **extra,
        }
    )


def big_form(fields: int = 300) -> tuple[Form, dict[str, Any]]:
    """A form of `fields` mixed questions and a full set of answers to it."""
    kinds = ["text", "multiline", "email", "integer", "date", "choice", "multichoice", "yesno"]
    samples: dict[str, Any] = {
        "text": "hello there",
        "multiline": "line one\nline two",
        "email": "ada@example.com",
        "integer": 42,
        "date": "2026-01-02",
        "choice": "o1",
        "multichoice": ["o1", "o2"],
        "yesno": True,
    }
    items: list[dict[str, Any]] = []
    answers: dict[str, Any] = {}
    for number in range(fields):
        kind = kinds[number % len(kinds)]
        item: dict[str, Any] = {"type": kind, "key": f"f{number}", "label": f"Question {number}"}
        if kind in ("choice", "multichoice"):
            item["options"] = [{"id": f"o{n}", "label": f"Option {n}"} for n in range(5)]
        if number and number % 10 == 0:
            item["visible_when"] = {"rules": [{"field": "f1", "op": "not_empty"}]}
        items.append(item)
        answers[f"f{number}"] = samples[kind]
    form = Form.model_validate(
        {
            "id": "big",
            "title": "Big form",
            "target": {"form": "big", "subject_template": "Request: {f0}"},
            "pages": [{"items": items[n : n + 30]} for n in range(0, fields, 30)],
        }
    )
    return form, answers


def make_profile(name: str = "acme", tenant: str = "acme", **extra: Any) -> TenantProfile:
    return TenantProfile(name=name, base_url="https://help.example.com", tenant=tenant, **extra)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def events() -> tuple[EventBus, list[Event]]:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    return bus, seen


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    with Store(tmp_path / "data", clock=clock) as opened:
        opened.save_profile(make_profile())
        yield opened


@pytest.fixture
def form() -> Form:
    return make_form()


def queue(store: Store, form: Form | None = None, summary: str = "Printer jams", **kw: Any) -> str:
    return store.queue_submission(
        form or make_form(), {"summary": summary, "details": "It jams."}, "acme", **kw
    )


def bring_to(store: Store, clock: FakeClock, status: Status) -> str:
    """A new submission in `status`, reached through the legal path."""
    submission_id = queue(store)
    if status is Status.QUEUED:
        return submission_id
    if status is Status.CANCELLED:
        store.cancel(submission_id)
        return submission_id
    attempt = store.mark_sending(submission_id)
    if status is Status.SENDING:
        return submission_id
    outcomes: dict[Status, dict[str, Any]] = {
        Status.ACCEPTED: {"http_status": 201, "outcome_kind": "accepted", "ticket_id": 1001},
        Status.REJECTED: {
            "http_status": 400,
            "outcome_kind": "rejected",
            "messages": [{"field": "summary", "message": "Too short"}],
        },
        Status.FAILED: {
            "http_status": 503,
            "outcome_kind": "rate_limited",
            "next_attempt_at": clock.now + timedelta(seconds=30),
        },
        Status.UNCERTAIN: {"http_status": None, "outcome_kind": "outcome_unknown"},
    }
    details = outcomes[status]
    store.record_outcome(
        submission_id,
        attempt,
        status=status,
        message=f"went {status.value}",
        outcome_json='{"kind": "x"}',
        duration_ms=12,
        **details,
    )
    return submission_id
