"""Fixtures for the results view: a real Store in tmp_path with a ticking clock, and helpers that
bring submissions to each status through the store's own transitions."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.events import EventBus
from desktop_app.core.form.model import Form
from desktop_app.core.profile import TenantProfile
from desktop_app.store import Status, Store

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


class TickingClock:
    """Each reading is a millisecond after the last: every change gets its own `updated`."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


def make_form(form_id: str = "it-help") -> Form:
    return Form.model_validate(
        {
            "id": form_id,
            "title": "IT help",
            "version": 1,
            "target": {"form": form_id},
            "pages": [
                {
                    "items": [
                        {
                            "type": "text",
                            "key": "summary",
                            "label": "Summary",
                            "maps_to": "subject",
                        },
                        {"type": "email", "key": "email", "label": "Your e-mail"},
                        {"type": "multiline", "key": "details", "label": "Details"},
                    ]
                }
            ],
        }
    )


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def store(tmp_path: Path, bus: EventBus) -> Iterator[Store]:
    with Store(tmp_path / "data", events=bus, clock=TickingClock()) as opened:
        for name in ("acme", "beta"):
            opened.save_profile(
                TenantProfile(name=name, base_url="https://help.example.com", tenant=name)
            )
        yield opened


def queue(
    store: Store, summary: str = "Printer jams", *, profile: str = "acme", form: Form | None = None
) -> str:
    answers = {"summary": summary, "email": "ada@example.com", "details": "It jams."}
    return store.queue_submission(form or make_form(), answers, profile)


def queue_many(store: Store, count: int, prefix: str = "Ticket") -> list[str]:
    answers = [
        {"summary": f"{prefix} {n}", "email": "ada@example.com", "details": "x"}
        for n in range(count)
    ]
    return store.queue_submissions(make_form(), answers, "acme")


def send(
    store: Store, submission_id: str, status: Status, *, message: str | None = None, **details: Any
) -> None:
    """One attempt that ends in `status` (accepted, rejected, failed)."""
    attempt = store.mark_sending(submission_id)
    outcome: dict[str, Any] = {
        Status.ACCEPTED: {"http_status": 201, "outcome_kind": "accepted", "ticket_id": 1001},
        Status.REJECTED: {"http_status": 400, "outcome_kind": "rejected"},
        Status.FAILED: {
            "http_status": 503,
            "outcome_kind": "unavailable",
            "next_attempt_at": START + timedelta(hours=1),
        },
    }[status] | details
    store.record_outcome(
        submission_id,
        attempt,
        status=status,
        message=message or f"It was {status.value}.",
        outcome_json=json.dumps({"kind": status.value, "status": outcome["http_status"]}),
        duration_ms=42,
        **outcome,
    )


def make_uncertain(store: Store, ids: Sequence[str]) -> None:
    """Sending when the app stopped: crash recovery marks them uncertain."""
    for submission_id in ids:
        store.mark_sending(submission_id)
    store.recover_interrupted()


def in_status(store: Store, status: Status, summary: str = "Printer jams") -> str:
    submission_id = queue(store, summary)
    if status is Status.QUEUED:
        return submission_id
    if status is Status.CANCELLED:
        store.cancel(submission_id)
    elif status is Status.SENDING:
        store.mark_sending(submission_id)
    elif status is Status.UNCERTAIN:
        make_uncertain(store, [submission_id])
    else:
        send(store, submission_id, status)
    return submission_id
