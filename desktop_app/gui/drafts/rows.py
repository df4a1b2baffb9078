"""What one line of the drafts table shows: form, a short summary, last change and validity."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import IntEnum
from typing import Any

from desktop_app.core.form.mapping import display_text
from desktop_app.core.form.model import FieldType, Form
from desktop_app.core.form.validation import validate_answers
from desktop_app.store import DraftRecord, StoreError

SUMMARY_LENGTH = 80
# Filtering reads this much of a draft's typed text; enough to find what the operator typed.
SEARCH_LENGTH = 4000
NO_ANSWERS = "(nothing typed yet)"
# Answers that read as words, for a summary when the form has no subject.
_TEXT_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.MULTILINE,
        FieldType.RICHTEXT,
        FieldType.EMAIL,
        FieldType.PHONE,
        FieldType.URL,
        FieldType.CHOICE,
    }
)


class Column(IntEnum):
    """The table's columns, in order."""

    FORM = 0
    SUMMARY = 1
    UPDATED = 2
    VALID = 3


HEADERS: dict[Column, str] = {
    Column.FORM: "Form",
    Column.SUMMARY: "Summary",
    Column.UPDATED: "Last change",
    Column.VALID: "Valid",
}


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def ellipsize(text: str, length: int = SUMMARY_LENGTH) -> str:
    """One line of at most `length` characters, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def typed_texts(form: Form, answers: Mapping[str, Any]) -> list[str]:
    """The answers that read as words, in the form's order (empty ones left out)."""
    texts = []
    for field in form.fields:
        if field.type in _TEXT_TYPES:
            text = " ".join(display_text(field, answers.get(field.key)).split())
            if text:
                texts.append(text)
    return texts


class DraftRow:
    """One draft as the table shows it; its validity is worked out when first asked for.

    Validation reads every answer, so the table pays for it only for rows that are painted.
    """

    __slots__ = (
        "_form",
        "_problems",
        "answers",
        "form_id",
        "form_title",
        "form_version",
        "full_summary",
        "id",
        "search_text",
        "summary",
        "updated",
        "updated_text",
    )

    def __init__(self, record: DraftRecord) -> None:
        self.id = record.id
        self.form_id = record.form_id
        self.form_version = record.form_version
        self.updated = record.updated
        self.updated_text = local_time(record.updated)
        self.answers = record.answers_with_attachments()
        self._problems: tuple[str, ...] | None = None
        try:
            form: Form | None = record.form
        except StoreError as error:
            form, self._problems = None, (str(error),)
        self._form = form
        self.form_title = form.title if form is not None else record.form_id
        texts = typed_texts(form, self.answers) if form is not None else []
        # The store's summary is the ticket subject, or the form's title when there is none yet:
        # then the first typed answers say more about which draft this is.
        if record.summary and record.summary != self.form_title:
            self.full_summary = record.summary
        else:
            self.full_summary = " · ".join(texts[:3]) or NO_ANSWERS
        self.summary = ellipsize(self.full_summary)
        searched = [self.form_title, self.form_id, record.summary, *texts]
        self.search_text = " ".join(searched)[:SEARCH_LENGTH].casefold()

    def matches(self, needle: str) -> bool:
        """Whether the casefolded `needle` is in the form's name or the typed text."""
        return not needle or needle in self.search_text

    @property
    def problems(self) -> tuple[str, ...]:
        """What still needs fixing before it can be sent ("Label: message"); () when complete."""
        if self._problems is None:
            self._problems = self._validate()
        return self._problems

    @property
    def valid_text(self) -> str:
        count = len(self.problems)
        return "✔ Complete" if not count else plural(count, "problem")

    @property
    def form_tooltip(self) -> str:
        return f"{self.form_title} — form '{self.form_id}', version {self.form_version}"

    def _validate(self) -> tuple[str, ...]:
        form = self._form
        if form is None:
            return ()
        labels = {field.key: field.label for field in form.fields}
        errors = validate_answers(form, self.answers).errors
        return tuple(
            f"{labels.get(key, key)}: {' '.join(messages)}" for key, messages in errors.items()
        )
