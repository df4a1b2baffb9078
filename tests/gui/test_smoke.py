"""The Qt test harness works offscreen: a widget can be created, shown and grabbed."""

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_a_widget_renders_offscreen(qtbot: QtBot) -> None:
    label = QLabel("DeskForms")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    assert not label.grab().isNull()
