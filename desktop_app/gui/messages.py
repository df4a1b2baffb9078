"""The one place expected errors and notices are shown: a non-modal bar atop the main window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

logger = logging.getLogger(__name__)

# Oldest messages give way beyond this many at once: the bar must not push the page away.
MAX_SHOWN = 4
# Notices go by themselves; errors stay until dismissed, because they say what to do.
INFO_TIMEOUT_MS = 8000


class Level(StrEnum):
    INFO = "info"
    ERROR = "error"


@dataclass(frozen=True)
class Message:
    level: Level
    text: str


_STYLE = {
    Level.INFO: "background: palette(alternate-base); border: 1px solid palette(mid);",
    Level.ERROR: "background: #fdecea; color: #611a15; border: 1px solid #e0b4b4;",
}


class MessageRow(QFrame):
    """One message: its text and a dismiss button."""

    dismissed = Signal()

    def __init__(self, message: Message, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = message
        # Not at import: the main window's frame avoids the `Qt` namespace (main_window.py).
        from PySide6.QtCore import Qt

        self.repeats = 1
        self.setObjectName(f"message-{message.level.value}")
        self.setStyleSheet(
            f"#{self.objectName()} {{ {_STYLE[message.level]} border-radius: 3px; }}"
        )
        kind = "Error" if message.level is Level.ERROR else "Notice"
        self.setAccessibleName(kind)
        self.setAccessibleDescription(message.text)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.label = QLabel(message.text, self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss this message")
        self.close_button.setAccessibleName(f"Dismiss: {message.text}")
        self.close_button.clicked.connect(self.dismissed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The main window's layout does not ask wrapped labels for their height at a given
        # width, so a one-line message would get three lines' room; fit it to the text.
        self._fit_label()

    def _fit_label(self) -> None:
        height = self.label.heightForWidth(self.label.width())
        if height > 0 and height != self.label.height():
            self.label.setFixedHeight(height)

    def repeat(self) -> None:
        """The same message again: count it instead of stacking a copy."""
        self.repeats += 1
        self.label.setText(f"{self.message.text} (×{self.repeats})")
        self._fit_label()


class MessageBar(QWidget):
    """A stack of dismissable messages; hidden while empty. `show_error` / `show_info`."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Messages")
        self._rows: list[MessageRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 6, 6, 0)
        self._layout.setSpacing(4)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(False)

    def show_error(self, text: str) -> None:
        """Show an expected error (what happened, what to do) until the user dismisses it."""
        self._add(Message(Level.ERROR, text))

    def show_info(self, text: str) -> None:
        """Show a notice that goes away by itself after a few seconds."""
        self._add(Message(Level.INFO, text))

    def messages(self) -> list[Message]:
        """What is shown now, oldest first."""
        return [row.message for row in self._rows]

    def dismiss_all(self) -> None:
        for row in list(self._rows):
            self._remove(row)

    def _add(self, message: Message) -> None:
        for row in self._rows:
            if row.message == message:
                row.repeat()
                return
        row = MessageRow(message, self)
        row.dismissed.connect(lambda: self._remove(row))
        self._rows.append(row)
        self._layout.addWidget(row)
        while len(self._rows) > MAX_SHOWN:
            self._remove(self._rows[0])
        if message.level is Level.INFO:
            QTimer.singleShot(INFO_TIMEOUT_MS, row, lambda: self._remove(row))
        self.setVisible(True)
        self.changed.emit()

    def _remove(self, row: MessageRow) -> None:
        if row not in self._rows:
            return
        self._rows.remove(row)
        self._layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        self.setVisible(bool(self._rows))
        self.changed.emit()


class MessageChannel:
    """Where code sends user-facing messages; queued until a MessageBar is attached.

    Start-up runs before the window exists (e.g. a profiles file that could not be read);
    those messages wait here and show as soon as the window attaches its bar. Each message
    is logged too, so the log tells the whole story.
    """

    def __init__(self) -> None:
        self._pending: list[Message] = []
        self._sink: MessageBar | None = None

    @property
    def pending(self) -> list[Message]:
        return list(self._pending)

    def error(self, text: str) -> None:
        logger.warning("shown to the user: %s", text)
        self._send(Message(Level.ERROR, text))

    def info(self, text: str) -> None:
        logger.info("shown to the user: %s", text)
        self._send(Message(Level.INFO, text))

    def attach(self, bar: MessageBar) -> None:
        """Show the queued messages on `bar`, and every later one; detached when it is destroyed."""
        self._sink = bar
        bar.destroyed.connect(self._on_bar_destroyed)
        pending, self._pending = self._pending, []
        for message in pending:
            self._send(message)

    def _on_bar_destroyed(self) -> None:
        self._sink = None

    def _send(self, message: Message) -> None:
        if self._sink is None:
            self._pending.append(message)
            return
        show: Callable[[str], None] = (
            self._sink.show_error if message.level is Level.ERROR else self._sink.show_info
        )
        show(message.text)
