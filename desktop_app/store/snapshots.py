"""Form snapshots: the canonical JSON of a form version and its content hash, cached per Form."""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass

from desktop_app.core.form.loading import dump_form
from desktop_app.core.form.model import Form


@dataclass(frozen=True)
class Snapshot:
    """One exact form version as stored in `form_snapshots`."""

    hash: str
    form_id: str
    form_version: int
    json: str


def take_snapshot(form: Form) -> Snapshot:
    """Serialize and hash a form (about 4 ms for 300 fields: not for every keystroke)."""
    text = dump_form(form)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Snapshot(hash=digest, form_id=form.id, form_version=form.version, json=text)


class SnapshotCache:
    """The snapshot of each live Form object, so autosave does not re-serialize the form.

    Keyed by object identity: Forms are treated as values. A form edited in place keeps its
    old snapshot here until `refresh` (queueing always refreshes, so a submission gets the
    form exactly as it is). Entries go away with their Form object.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[Form], Snapshot]] = {}

    def get(self, form: Form) -> Snapshot:
        entry = self._entries.get(id(form))
        if entry is not None and entry[0]() is form:
            return entry[1]
        return self.refresh(form)

    def refresh(self, form: Form) -> Snapshot:
        snapshot = take_snapshot(form)
        key = id(form)

        def forget(_: weakref.ref[Form]) -> None:
            # Only drop our own entry: the id may already belong to a newer object.
            current = self._entries.get(key)
            if current is not None and current[0]() is None:
                del self._entries[key]

        self._entries[key] = (weakref.ref(form, forget), snapshot)
        return snapshot

    def __len__(self) -> int:
        return len(self._entries)
