"""Editing loaded content: ids, placeholders, conversions, keys per block kind, paste, undo."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QTextCursor, QTextFormat
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.gui.editorjs.editor import RichTextEditor
from tests.gui.editorjs.test_editor_support import (
    CTRL,
    SHIFT,
    blocks,
    editor,
    enter,
    key,
    prompt,
    type_text,
    without_ids,
)

__all__ = ["editor", "prompt"]  # fixtures

TABLE = {"id": "tbl", "type": "table", "data": {"withHeadings": False, "content": [["a", "b"]]}}


def paragraph(block_id: str, text: str) -> dict[str, Any]:
    return {"id": block_id, "type": "paragraph", "data": {"text": text}}


def move_to(editor: RichTextEditor, block_number: int, offset: int = 0) -> None:
    document = editor.text_edit().document()
    cursor = QTextCursor(document.findBlockByNumber(block_number))
    cursor.setPosition(cursor.position() + offset)
    editor.text_edit().setTextCursor(cursor)


def test_typing_into_a_loaded_block_keeps_its_id(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [paragraph("keep", "hello")]})
    key(qtbot, editor, Qt.Key.Key_End)
    type_text(qtbot, editor, " world")
    assert blocks(editor) == [paragraph("keep", "hello world")]


def test_splitting_keeps_the_id_with_the_text(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [paragraph("a", "first"), paragraph("b", "second")]})
    key(qtbot, editor, Qt.Key.Key_End)
    enter(qtbot, editor)
    type_text(qtbot, editor, "new")
    move_to(editor, 2)
    enter(qtbot, editor)  # at the start of "second": an empty line opens above it
    out = blocks(editor)
    assert [b["data"]["text"] for b in out] == ["first", "new", "second"]
    assert out[0]["id"] == "a" and out[2]["id"] == "b"
    assert out[1]["id"] not in ("a", "b")


def test_typing_beside_a_placeholder_makes_a_paragraph(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    editor.set_value({"blocks": [TABLE]})
    key(qtbot, editor, Qt.Key.Key_End)
    type_text(qtbot, editor, "after")
    key(qtbot, editor, Qt.Key.Key_Home, CTRL)
    type_text(qtbot, editor, "before")
    assert without_ids(blocks(editor)) == [
        {"type": "paragraph", "data": {"text": "before"}},
        {"type": "table", "data": TABLE["data"]},
        {"type": "paragraph", "data": {"text": "after"}},
    ]
    assert blocks(editor)[1] == TABLE


def test_backspace_removes_a_placeholder_whole_and_undo_restores_it(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    editor.set_value({"blocks": [paragraph("a", "x"), TABLE, paragraph("b", "y")]})
    move_to(editor, 2)
    key(qtbot, editor, Qt.Key.Key_Backspace)
    assert blocks(editor) == [paragraph("a", "x"), paragraph("b", "y")]
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert blocks(editor) == [paragraph("a", "x"), TABLE, paragraph("b", "y")]


def test_enter_on_a_placeholder_does_not_copy_it(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [TABLE]})
    key(qtbot, editor, Qt.Key.Key_End)
    enter(qtbot, editor)
    type_text(qtbot, editor, "z")
    assert without_ids(blocks(editor)) == [
        {"type": "table", "data": TABLE["data"]},
        {"type": "paragraph", "data": {"text": "z"}},
    ]


def test_loading_is_not_undoable(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [paragraph("a", "loaded")]})
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert blocks(editor) == [paragraph("a", "loaded")]


def test_switching_a_list_style_switches_the_whole_list(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    editor.set_value(
        {
            "blocks": [
                {"id": "l", "type": "list", "data": {"style": "unordered", "items": ["a", "b"]}}
            ]
        }
    )
    assert editor.action("bulleted_list").isChecked()
    key(qtbot, editor, Qt.Key.Key_7, CTRL | SHIFT)
    assert editor.action("numbered_list").isChecked()
    # Still flat and plain: written back as a list v1 block, as it was loaded.
    assert blocks(editor) == [
        {"id": "l", "type": "list", "data": {"style": "ordered", "items": ["a", "b"]}}
    ]
    key(qtbot, editor, Qt.Key.Key_Down)
    key(qtbot, editor, Qt.Key.Key_Tab)  # nesting needs list v2
    out = blocks(editor)[0]
    assert out["id"] == "l"
    assert out["data"]["items"] == [
        {"content": "a", "meta": {}, "items": [{"content": "b", "meta": {}, "items": []}]}
    ]
    key(qtbot, editor, Qt.Key.Key_7, CTRL | SHIFT)  # same style again: the item leaves
    out = blocks(editor)
    assert out[0] == {"id": "l", "type": "list", "data": {"style": "ordered", "items": ["a"]}}
    assert without_ids(out[1:]) == [{"type": "paragraph", "data": {"text": "b"}}]


def test_checklist_tool_blocks_stay_checklists(qtbot: QtBot, editor: RichTextEditor) -> None:
    block = {"id": "c", "type": "checklist", "data": {"items": [{"text": "a", "checked": False}]}}
    editor.set_value({"blocks": [block]})
    enter(qtbot, editor, CTRL)
    assert blocks(editor) == [
        {"id": "c", "type": "checklist", "data": {"items": [{"text": "a", "checked": True}]}}
    ]


def test_backspace_at_item_start_outdents_then_leaves_the_list(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    key(qtbot, editor, Qt.Key.Key_8, CTRL | SHIFT)
    type_text(qtbot, editor, "a")
    enter(qtbot, editor)
    key(qtbot, editor, Qt.Key.Key_Tab)
    type_text(qtbot, editor, "b")
    key(qtbot, editor, Qt.Key.Key_Home)
    key(qtbot, editor, Qt.Key.Key_Backspace)
    assert [i["content"] for i in blocks(editor)[0]["data"]["items"]] == ["a", "b"]
    key(qtbot, editor, Qt.Key.Key_Backspace)
    assert without_ids(blocks(editor))[1] == {"type": "paragraph", "data": {"text": "b"}}


def test_shift_tab_on_a_top_level_item_and_tab_on_the_first_do_nothing(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    key(qtbot, editor, Qt.Key.Key_8, CTRL | SHIFT)
    type_text(qtbot, editor, "a")
    key(qtbot, editor, Qt.Key.Key_Tab)
    key(qtbot, editor, Qt.Key.Key_Backtab, SHIFT)
    assert blocks(editor)[0]["data"]["items"] == [{"content": "a", "meta": {}, "items": []}]


def test_tab_outside_lists_moves_focus(qtbot: QtBot) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    field = RichTextEditor()
    after = QLineEdit()
    layout.addWidget(field)
    layout.addWidget(after)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    field.text_edit().setFocus()
    qtbot.waitUntil(field.text_edit().hasFocus)
    qtbot.keyClick(field.text_edit(), Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus)
    assert field.value()["blocks"] == []


def test_delimiter_is_removed_whole(qtbot: QtBot, editor: RichTextEditor) -> None:
    rule = {"id": "d", "type": "delimiter", "data": {}}
    editor.set_value({"blocks": [paragraph("a", "x"), rule, paragraph("b", "y")]})
    move_to(editor, 2)
    key(qtbot, editor, Qt.Key.Key_Backspace)
    assert blocks(editor) == [paragraph("a", "x"), paragraph("b", "y")]
    editor.set_value({"blocks": [paragraph("a", "x"), rule, paragraph("b", "y")]})
    move_to(editor, 0, 1)
    key(qtbot, editor, Qt.Key.Key_Delete)
    assert blocks(editor) == [paragraph("a", "x"), paragraph("b", "y")]


def test_typing_on_a_delimiter_goes_below_it(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [{"id": "d", "type": "delimiter", "data": {}}]})
    type_text(qtbot, editor, "t")
    assert without_ids(blocks(editor)) == [
        {"type": "delimiter", "data": {}},
        {"type": "paragraph", "data": {"text": "t"}},
    ]


def test_quote_and_code_toggle_back_to_paragraphs(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [paragraph("a", "text")]})
    key(qtbot, editor, Qt.Key.Key_Q, CTRL | SHIFT)
    assert blocks(editor) == [
        {"id": "a", "type": "quote", "data": {"text": "text", "caption": "", "alignment": "left"}}
    ]
    key(qtbot, editor, Qt.Key.Key_Q, CTRL | SHIFT)
    assert blocks(editor) == [paragraph("a", "text")]
    assert editor.text_edit().document().blockCount() == 1
    key(qtbot, editor, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.AltModifier)
    assert blocks(editor) == [{"id": "a", "type": "code", "data": {"code": "text"}}]
    assert editor.action("code_block").isChecked()
    assert not editor.action("bold").isEnabled()
    key(qtbot, editor, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.AltModifier)
    assert blocks(editor) == [paragraph("a", "text")]


def test_code_drops_inline_markup(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [paragraph("a", "<b>x</b> &lt;y&gt;")]})
    key(qtbot, editor, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.AltModifier)
    assert blocks(editor) == [{"id": "a", "type": "code", "data": {"code": "x <y>"}}]


def test_heading_over_a_selection_of_paragraphs(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [paragraph("a", "one"), paragraph("b", "<b>two</b>")]})
    key(qtbot, editor, Qt.Key.Key_End, CTRL | SHIFT)
    key(qtbot, editor, Qt.Key.Key_1, CTRL)
    assert blocks(editor) == [
        {"id": "a", "type": "header", "data": {"text": "one", "level": 1}},
        {"id": "b", "type": "header", "data": {"text": "<b>two</b>", "level": 1}},
    ]


def test_actions_follow_the_cursor(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value(
        {
            "blocks": [
                paragraph("a", "plain <b>bold</b>"),
                {"id": "h", "type": "header", "data": {"text": "Head", "level": 3}},
                {
                    "id": "l",
                    "type": "list",
                    "data": {
                        "style": "checklist",
                        "items": [{"content": "c", "meta": {"checked": False}, "items": []}],
                    },
                },
            ]
        }
    )
    move_to(editor, 0, 3)
    assert not editor.action("bold").isChecked() and editor.action("paragraph").isChecked()
    move_to(editor, 0, 9)
    assert editor.action("bold").isChecked()
    move_to(editor, 1, 2)
    assert editor.action("heading_3").isChecked() and not editor.action("bold").isChecked()
    move_to(editor, 2)
    assert editor.action("checklist").isChecked() and not editor.action("heading_3").isChecked()


def test_paste_is_plain_text(qtbot: QtBot, editor: RichTextEditor) -> None:
    mime = QMimeData()
    mime.setHtml("<script>alert(1)</script><b>bold</b>")
    mime.setText("line one\r\nline two")
    editor.text_edit().insertFromMimeData(mime)
    assert without_ids(blocks(editor)) == [
        {"type": "paragraph", "data": {"text": "line one"}},
        {"type": "paragraph", "data": {"text": "line two"}},
    ]
    key(qtbot, editor, Qt.Key.Key_Q, CTRL | SHIFT)
    editor.text_edit().insertFromMimeData(mime)
    assert blocks(editor)[1]["data"]["text"] == "line twoline one<br>line two"


def test_read_only_ignores_typing_and_shortcuts(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [paragraph("a", "fixed")]})
    editor.set_read_only(True)
    type_text(qtbot, editor, "x")
    key(qtbot, editor, Qt.Key.Key_2, CTRL)
    assert blocks(editor) == [paragraph("a", "fixed")]


def test_select_all_and_delete_leaves_an_empty_editor(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value(
        {
            "blocks": [
                {"id": "l", "type": "list", "data": {"style": "unordered", "items": ["a", "b"]}},
                paragraph("p", "tail"),
            ]
        }
    )
    key(qtbot, editor, Qt.Key.Key_A, CTRL)
    key(qtbot, editor, Qt.Key.Key_Delete)
    assert blocks(editor) == []
    assert editor.action("paragraph").isChecked()


def test_deleting_across_blocks_restyles_the_merged_text(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    editor.set_value(
        {
            "blocks": [
                paragraph("p", "start"),
                {"id": "h", "type": "header", "data": {"text": "Big", "level": 1}},
            ]
        }
    )
    move_to(editor, 0, 5)
    key(qtbot, editor, Qt.Key.Key_Right, SHIFT)
    key(qtbot, editor, Qt.Key.Key_Backspace)
    assert blocks(editor) == [paragraph("p", "startBig")]
    document = editor.text_edit().document()
    cursor = QTextCursor(document.begin())
    cursor.setPosition(7)
    # The heading's size went with its block: the text now looks like the paragraph it joined.
    size = cursor.charFormat().property(QTextFormat.Property.FontSizeAdjustment)
    assert size in (None, 0)


def test_insert_link_without_selection_inserts_the_address(editor: RichTextEditor) -> None:
    assert editor.insert_link("example.com")
    assert (
        blocks(editor)[0]["data"]["text"] == '<a href="https://example.com">https://example.com</a>'
    )
    editor.set_read_only(True)
    assert not editor.insert_link("https://other.example")


def test_a_list_grows_by_the_paragraphs_below_it(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_value(
        {
            "blocks": [
                {"id": "l", "type": "list", "data": {"style": "unordered", "items": ["a", "b"]}},
                paragraph("p", "c"),
                paragraph("q", "d"),
            ]
        }
    )
    move_to(editor, 1)  # from item "b" down to the end of "d"
    key(qtbot, editor, Qt.Key.Key_End, CTRL | SHIFT)
    key(qtbot, editor, Qt.Key.Key_8, CTRL | SHIFT)
    assert blocks(editor) == [
        {"id": "l", "type": "list", "data": {"style": "unordered", "items": ["a", "b", "c", "d"]}}
    ]


def test_list_items_turned_to_paragraphs_get_their_own_ids(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    editor.set_value(
        {
            "blocks": [
                {"id": "l", "type": "list", "data": {"style": "ordered", "items": ["a", "b", "c"]}}
            ]
        }
    )
    key(qtbot, editor, Qt.Key.Key_End, CTRL | SHIFT)
    key(qtbot, editor, Qt.Key.Key_7, CTRL | SHIFT)
    out = blocks(editor)
    assert [b["data"] for b in out] == [{"text": "a"}, {"text": "b"}, {"text": "c"}]
    assert out[0]["id"] == "l"
    assert len({b["id"] for b in out}) == 3
