"""The filter bar over the outbox table: statuses, profile, form and a debounced text search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from desktop_app.gui.results.rows import STATUS_LABELS, OutboxFilter
from desktop_app.store import Status

SEARCH_DELAY_MS = 250
_ALL_PROFILES = "All profiles"
_ALL_FORMS = "All forms"
_SHORT_LABELS = {Status.FAILED: "Failed"}


class FilterBar(QWidget):
    """Emits `filter_changed(OutboxFilter)`: at once for choices, after a pause for typing."""

    filter_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search summary, ticket, message, form, id…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search submissions")
        self.profile_box = QComboBox()
        self.profile_box.setAccessibleName("Profile filter")
        self.profile_box.addItem(_ALL_PROFILES, None)
        self.form_box = QComboBox()
        self.form_box.setAccessibleName("Form filter")
        self.form_box.addItem(_ALL_FORMS, None)
        self.status_boxes: dict[Status, QCheckBox] = {}
        statuses = QHBoxLayout()
        statuses.setContentsMargins(0, 0, 0, 0)
        for status in Status:
            box = QCheckBox(_SHORT_LABELS.get(status, STATUS_LABELS[status]))
            box.setToolTip("Show only the checked statuses (none checked: all)")
            box.toggled.connect(self._emit)
            self.status_boxes[status] = box
            statuses.addWidget(box)
        statuses.addStretch(1)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.profile_box)
        top.addWidget(self.form_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(statuses)
        # Typing waits for a pause: each filter change re-reads the first page from the store.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.profile_box.currentIndexChanged.connect(self._emit)
        self.form_box.currentIndexChanged.connect(self._emit)
        self._last = self.current_filter()

    def current_filter(self) -> OutboxFilter:
        return OutboxFilter.of(
            (status for status, box in self.status_boxes.items() if box.isChecked()),
            self.profile_box.currentData(),
            self.form_box.currentData(),
            self.search.text(),
        )

    def set_statuses(self, statuses: Iterable[Status]) -> None:
        """Check exactly these statuses (one filter change, not one per box)."""
        wanted = set(statuses)
        for status, box in self.status_boxes.items():
            box.blockSignals(True)
            box.setChecked(status in wanted)
            box.blockSignals(False)
        self._emit()

    def set_status_counts(self, counts: Mapping[Status, int]) -> None:
        for status, box in self.status_boxes.items():
            label = _SHORT_LABELS.get(status, STATUS_LABELS[status])
            count = counts.get(status, 0)
            box.setText(f"{label} ({count:,})" if count else label)

    def set_profiles(self, names: Iterable[str]) -> None:
        self._set_choices(self.profile_box, _ALL_PROFILES, [(name, name) for name in names])

    def set_forms(self, forms: Iterable[tuple[str, str]]) -> None:
        """The forms to offer, as (form id, title) pairs, in the order given."""
        self._set_choices(
            self.form_box,
            _ALL_FORMS,
            [
                (form_id, title if title == form_id else f"{title} ({form_id})")
                for form_id, title in forms
            ],
        )

    def _set_choices(
        self, box: QComboBox, everything: str, choices: Iterable[tuple[str, str]]
    ) -> None:
        """Offer `choices` ((value, label) pairs) after `everything`; the current one stays."""
        current = box.currentData()
        choices = list(choices)
        if current and all(value != current for value, _label in choices):
            choices.append((current, current))  # chosen, though gone from the list: kept
        old = [(box.itemData(i), box.itemText(i)) for i in range(1, box.count())]
        if old == choices:
            return
        box.blockSignals(True)
        box.clear()
        box.addItem(everything, None)
        for value, label in choices:
            box.addItem(label, value)
        box.setCurrentIndex(max(0, box.findData(current)) if current else 0)
        box.blockSignals(False)

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _emit(self) -> None:
        self._search_timer.stop()
        current = self.current_filter()
        if current != self._last:
            self._last = current
            self.filter_changed.emit(current)
