"""Shared helpers for the rich-text editor tests (fixtures live here; this file has no tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.gui.editorjs.editor import RichTextEditor

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


class Prompt:
    """An injectable link prompt: answers with queued addresses and records what it was shown."""

    def __init__(self) -> None:
        self.answers: list[str | None] = []
        self.shown: list[str] = []

    def __call__(self, _parent: object, current: str) -> str | None:
        self.shown.append(current)
        return self.answers.pop(0) if self.answers else None


@pytest.fixture
def prompt() -> Prompt:
    return Prompt()


@pytest.fixture
def editor(qtbot: QtBot, prompt: Prompt) -> Iterator[RichTextEditor]:
    """A shown, active editor with focus in its text, so shortcuts reach its actions."""
    widget = RichTextEditor(link_prompt=prompt)
    qtbot.addWidget(widget)
    widget.resize(480, 360)
    widget.show()
    qtbot.waitExposed(widget)
    # Shortcuts only fire in the active window; the offscreen platform activates on request.
    window = widget.windowHandle()
    assert window is not None
    window.requestActivate()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    widget.text_edit().setFocus()
    qtbot.waitUntil(widget.text_edit().hasFocus)
    yield widget


def blocks(editor: RichTextEditor) -> list[dict[str, Any]]:
    return editor.value()["blocks"]


def without_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in block.items() if k != "id"} for block in items]


def round_trip(editor: RichTextEditor, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    editor.set_value({"time": 1, "blocks": items, "version": "2.31.0"})
    return blocks(editor)


def key(qtbot: QtBot, editor: RichTextEditor, code: Qt.Key, modifiers: Any = None) -> None:
    target = editor.text_edit()
    if modifiers is None:
        qtbot.keyClick(target, code)
    else:
        qtbot.keyClick(target, code, modifiers)


def type_text(qtbot: QtBot, editor: RichTextEditor, text: str) -> None:
    qtbot.keyClicks(editor.text_edit(), text)


def enter(qtbot: QtBot, editor: RichTextEditor, modifiers: Any = None) -> None:
    key(qtbot, editor, Qt.Key.Key_Return, modifiers)
