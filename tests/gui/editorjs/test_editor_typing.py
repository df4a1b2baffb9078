"""Typing and shortcuts in the rich-text editor produce the expected Editor.js blocks."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from desktop_app.gui.editorjs.editor import RichTextEditor
from tests.gui.editorjs.test_editor_support import (
    ALT,
    CTRL,
    SHIFT,
    Prompt,
    blocks,
    editor,
    enter,
    key,
    prompt,
    type_text,
    without_ids,
)

__all__ = ["editor", "prompt"]  # fixtures


def test_bold_shortcut_then_typing_makes_bold_text(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_text(qtbot, editor, "plain ")
    key(qtbot, editor, Qt.Key.Key_B, CTRL)
    assert editor.action("bold").isChecked()
    type_text(qtbot, editor, "bold")
    key(qtbot, editor, Qt.Key.Key_B, CTRL)
    type_text(qtbot, editor, " again")
    assert without_ids(blocks(editor)) == [
        {"type": "paragraph", "data": {"text": "plain <b>bold</b> again"}}
    ]


def test_inline_shortcuts_combine(qtbot: QtBot, editor: RichTextEditor) -> None:
    key(qtbot, editor, Qt.Key.Key_I, CTRL)
    key(qtbot, editor, Qt.Key.Key_U, CTRL)
    type_text(qtbot, editor, "iu")
    key(qtbot, editor, Qt.Key.Key_I, CTRL)
    key(qtbot, editor, Qt.Key.Key_U, CTRL)
    key(qtbot, editor, Qt.Key.Key_X, CTRL | SHIFT)
    type_text(qtbot, editor, "s")
    key(qtbot, editor, Qt.Key.Key_X, CTRL | SHIFT)
    key(qtbot, editor, Qt.Key.Key_E, CTRL)
    type_text(qtbot, editor, "c")
    assert (
        blocks(editor)[0]["data"]["text"]
        == '<i><u>iu</u></i><s>s</s><code class="inline-code">c</code>'
    )


def test_bold_on_a_selection_toggles(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_text(qtbot, editor, "one two")
    key(qtbot, editor, Qt.Key.Key_Left, SHIFT)
    key(qtbot, editor, Qt.Key.Key_Left, SHIFT)
    key(qtbot, editor, Qt.Key.Key_Left, SHIFT)
    key(qtbot, editor, Qt.Key.Key_B, CTRL)
    assert blocks(editor)[0]["data"]["text"] == "one <b>two</b>"
    key(qtbot, editor, Qt.Key.Key_B, CTRL)
    assert blocks(editor)[0]["data"]["text"] == "one two"


def test_heading_shortcut(qtbot: QtBot, editor: RichTextEditor) -> None:
    key(qtbot, editor, Qt.Key.Key_2, CTRL)
    type_text(qtbot, editor, "Title")
    assert editor.action("heading_2").isChecked()
    enter(qtbot, editor)
    type_text(qtbot, editor, "Body")
    assert without_ids(blocks(editor)) == [
        {"type": "header", "data": {"text": "Title", "level": 2}},
        {"type": "paragraph", "data": {"text": "Body"}},
    ]
    key(qtbot, editor, Qt.Key.Key_Up)
    key(qtbot, editor, Qt.Key.Key_0, CTRL)
    assert [b["type"] for b in blocks(editor)] == ["paragraph", "paragraph"]


def test_bulleted_list_with_tab_nesting(qtbot: QtBot, editor: RichTextEditor) -> None:
    key(qtbot, editor, Qt.Key.Key_8, CTRL | SHIFT)
    type_text(qtbot, editor, "fruit")
    enter(qtbot, editor)
    key(qtbot, editor, Qt.Key.Key_Tab)
    type_text(qtbot, editor, "apple")
    enter(qtbot, editor)
    key(qtbot, editor, Qt.Key.Key_Tab)
    type_text(qtbot, editor, "green")
    enter(qtbot, editor)
    key(qtbot, editor, Qt.Key.Key_Backtab, SHIFT)
    key(qtbot, editor, Qt.Key.Key_Backtab, SHIFT)
    type_text(qtbot, editor, "veg")
    enter(qtbot, editor)
    enter(qtbot, editor)  # Enter on an empty item leaves the list
    type_text(qtbot, editor, "after")

    def item(content: str, *children: dict[str, object]) -> dict[str, object]:
        return {"content": content, "meta": {}, "items": list(children)}

    assert without_ids(blocks(editor)) == [
        {
            "type": "list",
            "data": {
                "style": "unordered",
                "meta": {},
                "items": [item("fruit", item("apple", item("green"))), item("veg")],
            },
        },
        {"type": "paragraph", "data": {"text": "after"}},
    ]


def test_numbered_list_shortcut(qtbot: QtBot, editor: RichTextEditor) -> None:
    key(qtbot, editor, Qt.Key.Key_7, CTRL | SHIFT)
    type_text(qtbot, editor, "a")
    enter(qtbot, editor)
    type_text(qtbot, editor, "b")
    data = blocks(editor)[0]["data"]
    assert data["style"] == "ordered"
    assert data["meta"] == {"start": 1, "counterType": "numeric"}
    assert [i["content"] for i in data["items"]] == ["a", "b"]


def test_checklist_toggle_with_ctrl_enter(qtbot: QtBot, editor: RichTextEditor) -> None:
    key(qtbot, editor, Qt.Key.Key_9, CTRL | SHIFT)
    type_text(qtbot, editor, "milk")
    enter(qtbot, editor)
    type_text(qtbot, editor, "eggs")
    enter(qtbot, editor, CTRL)
    items = blocks(editor)[0]["data"]["items"]
    assert [(i["content"], i["meta"]) for i in items] == [
        ("milk", {"checked": False}),
        ("eggs", {"checked": True}),
    ]
    enter(qtbot, editor, CTRL)
    assert blocks(editor)[0]["data"]["items"][1]["meta"] == {"checked": False}


def test_checklist_toggle_by_clicking_the_box(qtbot: QtBot, editor: RichTextEditor) -> None:
    task = {"content": "task", "meta": {"checked": False}, "items": []}
    editor.set_value(
        {"blocks": [{"type": "list", "data": {"style": "checklist", "items": [task]}}]}
    )
    text = editor.text_edit()
    layout = text.document().documentLayout()
    rect = layout.blockBoundingRect(text.document().begin())
    y = rect.center().y()
    on_box = [
        x for x in range(0, int(rect.right())) if layout.blockWithMarkerAt(QPointF(x, y)).isValid()
    ]
    assert on_box, "the checkbox marker was not found"
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(on_box[2], int(y)))
    assert blocks(editor)[0]["data"]["items"][0]["meta"] == {"checked": True}


def test_code_block_keeps_lines_and_tabs(qtbot: QtBot, editor: RichTextEditor) -> None:
    key(qtbot, editor, Qt.Key.Key_C, CTRL | ALT)
    type_text(qtbot, editor, "if x:")
    enter(qtbot, editor)
    key(qtbot, editor, Qt.Key.Key_Tab)
    type_text(qtbot, editor, "y = 1  # <b>")
    enter(qtbot, editor)
    enter(qtbot, editor)  # Enter on an empty last line leaves the code block
    type_text(qtbot, editor, "done")
    assert without_ids(blocks(editor)) == [
        {"type": "code", "data": {"code": "if x:\n\ty = 1  # <b>"}},
        {"type": "paragraph", "data": {"text": "done"}},
    ]


def test_quote_with_caption(qtbot: QtBot, editor: RichTextEditor) -> None:
    key(qtbot, editor, Qt.Key.Key_Q, CTRL | SHIFT)
    type_text(qtbot, editor, "Stay hungry")
    enter(qtbot, editor)
    type_text(qtbot, editor, "stay foolish")
    enter(qtbot, editor)
    enter(qtbot, editor)  # on to the caption
    type_text(qtbot, editor, "Jobs")
    enter(qtbot, editor)  # out of the quote
    type_text(qtbot, editor, "after")
    assert without_ids(blocks(editor)) == [
        {
            "type": "quote",
            "data": {"text": "Stay hungry<br>stay foolish", "caption": "Jobs", "alignment": "left"},
        },
        {"type": "paragraph", "data": {"text": "after"}},
    ]


def test_delimiter_shortcut(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_text(qtbot, editor, "above")
    key(qtbot, editor, Qt.Key.Key_Minus, CTRL | SHIFT)
    type_text(qtbot, editor, "below")
    assert without_ids(blocks(editor)) == [
        {"type": "paragraph", "data": {"text": "above"}},
        {"type": "delimiter", "data": {}},
        {"type": "paragraph", "data": {"text": "below"}},
    ]


def test_link_is_applied_to_the_selection(
    qtbot: QtBot, editor: RichTextEditor, prompt: Prompt
) -> None:
    type_text(qtbot, editor, "see docs")
    key(qtbot, editor, Qt.Key.Key_Left, CTRL | SHIFT)
    prompt.answers.append("https://example.com/a?b=1&c=2")
    key(qtbot, editor, Qt.Key.Key_K, CTRL)
    assert (
        blocks(editor)[0]["data"]["text"]
        == 'see <a href="https://example.com/a?b=1&amp;c=2">docs</a>'
    )
    key(qtbot, editor, Qt.Key.Key_End)
    assert editor.action("link").isChecked()
    prompt.answers.append("")  # an empty address removes the link at the cursor
    key(qtbot, editor, Qt.Key.Key_K, CTRL)
    assert prompt.shown[-1] == "https://example.com/a?b=1&c=2"
    assert blocks(editor)[0]["data"]["text"] == "see docs"
    assert not editor.action("link").isChecked()


def test_link_refuses_javascript(qtbot: QtBot, editor: RichTextEditor, prompt: Prompt) -> None:
    type_text(qtbot, editor, "click")
    key(qtbot, editor, Qt.Key.Key_Left, CTRL | SHIFT)
    refused: list[str] = []
    editor.link_refused.connect(refused.append)
    for hostile in ("javascript:alert(1)", " JaVa\tScript:alert(1)", "data:text/html,<script>"):
        prompt.answers.append(hostile)
        key(qtbot, editor, Qt.Key.Key_K, CTRL)
    assert refused == ["javascript:alert(1)", " JaVa\tScript:alert(1)", "data:text/html,<script>"]
    assert blocks(editor)[0]["data"]["text"] == "click"
    assert editor.insert_link("mailto:help@example.com")
    assert blocks(editor)[0]["data"]["text"] == '<a href="mailto:help@example.com">click</a>'


def test_changed_is_emitted_on_edits(qtbot: QtBot, editor: RichTextEditor) -> None:
    with qtbot.waitSignal(editor.changed, timeout=1000):
        type_text(qtbot, editor, "x")
    with qtbot.waitSignal(editor.changed, timeout=1000):
        editor.set_value({"blocks": []})


def test_toolbar_tooltips_show_shortcuts(editor: RichTextEditor) -> None:
    assert editor.action("bold").toolTip() == "Bold (Ctrl+B)"
    assert editor.action("checklist").toolTip() == "Checklist (Ctrl+Shift+9)"
    assert editor.action("bold") in editor.toolbar().actions()


def test_edits_do_not_drain_references_to_true(qtbot: QtBot, editor: RichTextEditor) -> None:
    # PySide6 6.12's Python-side Signal.emit() drops a reference to True per call; `changed`
    # fires on every keystroke, so it must be emitted from C++ or a long session would crash.
    import sys

    emitted: list[None] = []
    editor.changed.connect(lambda: emitted.append(None))
    before = sys.getrefcount(True)
    type_text(qtbot, editor, "x" * 60)
    editor.set_value({"blocks": []})
    assert len(emitted) >= 61
    assert sys.getrefcount(True) > before - 30
