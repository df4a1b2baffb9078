"""Grouping due submissions into requests: one each, or batches of the same form when allowed."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from desktop_app.store import SubmissionRecord


@dataclass
class Group:
    """The submissions of one request; `uploads` when files must be uploaded first (alone)."""

    records: list[SubmissionRecord] = field(default_factory=list)
    uploads: bool = False


def plan(
    records: Sequence[SubmissionRecord],
    *,
    slots: int,
    per_request: int,
    solo: Collection[str] = (),
    needs_upload: Callable[[SubmissionRecord], bool] = lambda record: False,
) -> list[Group]:
    """At most `slots` groups, oldest submissions first.

    A batch holds submissions to the same target form (the form is part of the URL). A
    submission with files to upload, or one that must go alone (`solo`: its batch was split),
    gets a request of its own.
    """
    groups: list[Group] = []
    open_batches: dict[str, Group] = {}
    for record in records:
        uploads = needs_upload(record)
        if uploads or per_request == 1 or record.id in solo:
            if len(groups) < slots:
                groups.append(Group([record], uploads=uploads))
            continue
        key = record.form.target.form
        batch = open_batches.get(key)
        if batch is not None and len(batch.records) < per_request:
            batch.records.append(record)
        elif len(groups) < slots:
            batch = Group([record])
            groups.append(batch)
            open_batches[key] = batch
    return groups
