"""Helpers for the drafts tests: small forms and drafts saved through the real store."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex

from desktop_app.core.form.model import Form
from desktop_app.gui.drafts.model import DraftsModel
from desktop_app.gui.drafts.rows import Column
from desktop_app.store import Store

ROOT = QModelIndex()


def help_form() -> Form:
    """A form with a subject field and two required answers."""
    return Form.model_validate(
        {
            "id": "it-help",
            "title": "IT help",
            "version": 3,
            "target": {"form": "it-help"},
            "pages": [
                {
                    "items": [
                        {
                            "type": "text",
                            "key": "summary",
                            "label": "Summary",
                            "maps_to": "subject",
                            "required": True,
                        },
                        {"type": "email", "key": "email", "label": "Your e-mail", "required": True},
                        {"type": "multiline", "key": "details", "label": "Details"},
                    ]
                }
            ],
        }
    )


def visit_form() -> Form:
    """A form without a subject: its drafts are summarized by their first typed answers."""
    return Form.model_validate(
        {
            "id": "visit",
            "title": "Visitor log",
            "target": {"form": "visit"},
            "pages": [
                {
                    "items": [
                        {"type": "text", "key": "name", "label": "Name"},
                        {"type": "integer", "key": "badge", "label": "Badge"},
                        {"type": "multiline", "key": "reason", "label": "Reason"},
                    ]
                }
            ],
        }
    )


def save(store: Store, summary: str, *, draft_id: str | None = None, **answers: Any) -> str:
    return store.save_draft(help_form(), {"summary": summary, **answers}, draft_id=draft_id)


def save_many(store: Store, count: int) -> list[str]:
    return [save(store, f"Draft {number}") for number in range(count)]


def ids(model: DraftsModel) -> list[str]:
    return [model.draft_id(row) for row in range(model.rowCount())]


def cell(model: DraftsModel, row: int, column: Column, role: int = 0) -> Any:
    return model.data(model.index(row, column), role)


def fetch_all(model: DraftsModel) -> None:
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)
