"""The crash dialog: says the app keeps running, shows the details, offers to copy them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class CrashDialog(QDialog):
    """Non-modal: says the app keeps running, shows the details, offers to copy them."""

    def __init__(self, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("DeskForms: something went wrong")
        self.setModal(False)
        where = f" The details were written to {log_file}." if log_file else ""
        self.intro = intro = QLabel(
            "DeskForms ran into an unexpected problem and keeps running; your drafts and queued"
            f" tickets are saved.{where} If it happens again, send the details below to your"
            " administrator, or quit and start DeskForms again.",
            self,
        )
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setAccessibleName("Error details")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy details", self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = QPushButton("&Quit DeskForms", self)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.close)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.quit_button.clicked.connect(self._on_quit_button_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.reports = 0

    def add_report(self, text: str) -> None:
        """Append one traceback; several crashes in a row share the one dialog."""
        self.reports += 1
        if self.reports > 1:
            self.details.appendPlainText("\n" + "-" * 60 + "\n")
        self.details.appendPlainText(text.rstrip())

    def _on_copy_button_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.details.toPlainText())

    def _on_quit_button_clicked(self) -> None:
        self.close()
        # Closing the windows lets the app stop the engine and the sandbox in order.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.closeAllWindows()
