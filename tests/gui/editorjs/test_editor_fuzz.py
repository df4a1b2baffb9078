"""Random keystrokes and shortcuts never break the editor: ids stay unique, output is stable."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.gui.editorjs.editor import RichTextEditor
from tests.gui.editorjs.test_editor_roundtrip import EDITABLE, UNTOUCHED
from tests.gui.editorjs.test_editor_support import ALT, CTRL, SHIFT, Prompt, editor, prompt

__all__ = ["editor", "prompt"]  # fixtures

K = Qt.Key
KEYS = [
    *[(code, None) for code in (K.Key_Return, K.Key_Tab, K.Key_Backspace, K.Key_Delete)],
    *[
        (code, None)
        for code in (K.Key_Left, K.Key_Right, K.Key_Up, K.Key_Down, K.Key_Home, K.Key_End)
    ],
    (K.Key_Return, SHIFT),
    (K.Key_Return, CTRL),
    (K.Key_Backtab, SHIFT),
    *[(code, SHIFT) for code in (K.Key_Left, K.Key_Right, K.Key_Up, K.Key_Down)],
    *[(code, CTRL) for code in (K.Key_A, K.Key_Z, K.Key_B, K.Key_I, K.Key_E, K.Key_K)],
    *[(code, CTRL) for code in (K.Key_0, K.Key_1, K.Key_2, K.Key_Home, K.Key_End)],
    *[(code, CTRL | SHIFT) for code in (K.Key_Z, K.Key_7, K.Key_8, K.Key_9, K.Key_Q, K.Key_Minus)],
    (K.Key_C, CTRL | ALT),
]
STEPS = st.one_of(
    st.text(alphabet="ab <&", min_size=1, max_size=3),
    st.sampled_from(KEYS),
)
STARTS = [
    [],
    list(EDITABLE.values())[:12],
    [UNTOUCHED["table"], EDITABLE["list-nested"], EDITABLE["quote"], EDITABLE["code"]],
    [EDITABLE["delimiter"], EDITABLE["list-checklist"], UNTOUCHED["raw"], EDITABLE["header-2"]],
]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.sampled_from(STARTS), st.lists(STEPS, max_size=30))
def test_random_editing_keeps_the_value_consistent(
    qtbot: QtBot,
    editor: RichTextEditor,
    prompt: Prompt,
    start: list[dict[str, Any]],
    steps: list[Any],
) -> None:
    editor.set_value({"blocks": copy.deepcopy(start)})
    prompt.answers = ["https://example.com"] * len(steps)
    target = editor.text_edit()
    for step in steps:
        if isinstance(step, str):
            qtbot.keyClicks(target, step)
        elif step[1] is None:
            qtbot.keyClick(target, step[0])
        else:
            qtbot.keyClick(target, step[0], step[1])
    blocks = editor.value()["blocks"]
    ids = [block["id"] for block in blocks if "id" in block]
    assert len(ids) == len(set(ids))
    # What the editor writes, it reads back unchanged.
    editor.set_value({"blocks": copy.deepcopy(blocks)})
    assert editor.value()["blocks"] == blocks
