"""The runner's status widgets: the page indicator and the message line."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from desktop_app.gui.runner.field_base import ERROR_STYLE


class MessageLine(QLabel):
    """A non-modal line above the buttons; `kind` says what it is about, so it can go away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runner_message")
        self.setWordWrap(True)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str, *, error: bool = False) -> None:
        """Show `text`; `kind` (e.g. "queued", "save") names it for `clear`."""
        self.kind = kind
        self.setStyleSheet(ERROR_STYLE if error else "")
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def clear_kind(self, *kinds: str) -> None:
        """Hide the message if it is of one of these kinds."""
        if self.kind in kinds:
            self.show_message("", "")

    def message(self) -> str:
        """The text shown, or "" when hidden."""
        return "" if self.isHidden() else self.text()


class PageIndicator(QWidget):
    """ "Page 2 of 3" and a progress bar; "Review" with a full bar on the review page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setObjectName("page_indicator")
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Progress through the form")
        self.progress.setMaximumHeight(self.label.fontMetrics().height() // 2 + 2)
        layout.addWidget(self.label)
        layout.addWidget(self.progress, 1)

    def show_page(self, position: int | None, total: int) -> None:
        """Page `position` (1-based) of `total`, or the review page for None."""
        total = max(total, 1)
        self.progress.setRange(0, total)
        self.progress.setValue(total if position is None else position)
        self.label.setText("Review" if position is None else f"Page {position} of {total}")
        self.progress.setAccessibleDescription(self.label.text())
