"""Small parts of the Profiles page: shortcut actions, tool buttons and the 'paused' banner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop_app.store import ProfileRecord

PAUSED_STYLE = "background: #fff4e5; border: 1px solid #f0c36d; border-radius: 3px;"

# (title, question) -> True for yes: how the page confirms deleting and discarding edits.
Ask = Callable[[str, str], bool]


def ask_with_dialog(title: str, question: str) -> bool:
    """A Yes/No question over the active window (a function, not a closure over the page)."""
    answer = QMessageBox.question(QApplication.activeWindow(), title, question)
    return answer == QMessageBox.StandardButton.Yes


def shortcut_action(
    owner: QWidget,
    text: str,
    keys: QKeySequence | str,
    tip: str,
    *,
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
) -> QAction:
    """An action whose shortcut works while focus is in `owner`; the tooltip names the keys."""
    sequence = QKeySequence(keys)
    action = QAction(text, owner)
    action.setShortcut(sequence)
    action.setShortcutContext(context)
    action.setToolTip(f"{tip} ({sequence.toString(QKeySequence.SequenceFormat.NativeText)})")
    owner.addAction(action)
    return action


def tool_button(parent: QWidget, action: QAction, name: str) -> QToolButton:
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setAccessibleName(name)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class PausedBanner(QFrame):
    """Why a profile's queue stopped (403, 404, unsupported version) and the Resume button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paused")
        self.setStyleSheet(f"#paused {{ {PAUSED_STYLE} }}")
        self.setAccessibleName("Sending paused")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Why sending is paused")
        self.resume_button = QPushButton("&Resume sending", self)
        self.resume_button.setAccessibleName("Resume sending")
        self.resume_button.setToolTip("Let this profile's waiting tickets go again")
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.resume_button)

    def show_record(self, record: ProfileRecord | None) -> None:
        """Shown only for a paused profile."""
        reason = record.paused_reason if record is not None else None
        self.setVisible(reason is not None)
        if record is not None and reason is not None:
            text = (
                f"Sending with '{record.name}' is paused: {reason.rstrip('.')}. Fix the profile"
                " (Test connection helps), then resume; its tickets wait in the outbox."
            )
            self.label.setText(text)
            self.setAccessibleDescription(text)
