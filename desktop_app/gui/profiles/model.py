"""ProfileListModel: the store's tenant profiles as a list, kept live from ProfileChanged events."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop_app.core.builtin import SANDBOX_PROFILE
from desktop_app.core.events import ProfileChanged
from desktop_app.gui.bridge import EventsBridge
from desktop_app.store import NotFound, ProfileRecord, Status, Store, StoreError

NameRole = Qt.ItemDataRole.UserRole + 1
RecordRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
# Submissions that still need their profile (the store refuses to delete it under them).
PENDING = (Status.QUEUED, Status.SENDING, Status.FAILED, Status.UNCERTAIN, Status.REJECTED)


def is_builtin(name: str) -> bool:
    """True for the app's own Sandbox profile, which cannot be renamed or deleted."""
    return name == SANDBOX_PROFILE


def display_name(record: ProfileRecord, active: str | None) -> str:
    """The list text: the name plus what is special about the profile."""
    marks = []
    if is_builtin(record.name):
        marks.append("built-in")
    if record.name == active:
        marks.append("in use")
    if record.paused:
        marks.append("paused")
    return f"{record.name} ({', '.join(marks)})" if marks else record.name


def deletion_problem(store: Store, name: str, *, active: str | None) -> str | None:
    """Why the profile must not be deleted now (one line for the user), or None."""
    if is_builtin(name):
        return f"'{name}' is the built-in profile and cannot be deleted."
    if name == active:
        return f"'{name}' is in use for new tickets: choose another profile for them first, then delete it."
    counts = store.count_by_status(name)
    waiting = sum(counts[status] for status in PENDING)
    if waiting:
        return (
            f"'{name}' still has {waiting} ticket(s) in the outbox that are not finished (queued,"
            " failed, uncertain or rejected). Send, discard or cancel them in Outbox & results"
            " first; the profile was not deleted."
        )
    return None


def _sort_key(name: str) -> tuple[str, str]:
    # The store sorts with SQLite's NOCASE; casefold keeps inserts in the same order.
    return (name.casefold(), name)


class ProfileListModel(QAbstractListModel):
    """One row per saved profile, by name; rows follow the store through `bridge.profile_changed`.

    The whole list is read once (profiles are few); each event re-reads only the profile it
    names, so the view never polls.
    """

    def __init__(
        self,
        store: Store,
        bridge: EventsBridge,
        *,
        active: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._active = active
        self._records: list[ProfileRecord] = store.profiles()
        bridge.profile_changed.connect(self._on_bridge_profile_changed)

    # -- reading -----------------------------------------------------------------------------

    def records(self) -> list[ProfileRecord]:
        return list(self._records)

    def names(self) -> list[str]:
        return [record.name for record in self._records]

    def record(self, name: str) -> ProfileRecord | None:
        row = self.row_of(name)
        return None if row is None else self._records[row]

    def row_of(self, name: str) -> int | None:
        for row, record in enumerate(self._records):
            if record.name == name:
                return row
        return None

    @property
    def active(self) -> str | None:
        return self._active

    def set_active(self, name: str | None) -> None:
        """Mark the profile new tickets go to (shown as 'in use')."""
        changed = {self._active, name}
        self._active = name
        for each in changed:
            row = None if each is None else self.row_of(each)
            if row is not None:
                self.dataChanged.emit(self.index(row), self.index(row))

    # -- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._records)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return display_name(record, self._active)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = record.profile.api_url("")
            if record.paused_reason:
                tip += f"\nPaused: {record.paused_reason}"
            return tip
        if role == NameRole:
            return record.name
        if role == RecordRole:
            return record
        return None

    # -- live updates ------------------------------------------------------------------------

    def _on_bridge_profile_changed(self, event: ProfileChanged) -> None:
        try:
            fresh: ProfileRecord | None = self._store.profile(event.name)
        except NotFound:
            fresh = None
        except StoreError:
            # A saved profile that no longer validates: keep the row as it was rather than fail.
            return
        row = self.row_of(event.name)
        if fresh is None:
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._records[row]
                self.endRemoveRows()
            return
        if row is not None:
            self._records[row] = fresh
            self.dataChanged.emit(self.index(row), self.index(row))
            return
        key = _sort_key(fresh.name)
        at = next(
            (i for i, r in enumerate(self._records) if _sort_key(r.name) > key),
            len(self._records),
        )
        self.beginInsertRows(QModelIndex(), at, at)
        self._records.insert(at, fresh)
        self.endInsertRows()
