"""The QTextEdit inside the rich-text field: Enter, Tab, Backspace and paste per block kind."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QKeyEvent, QTextBlock, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget

from desktop_app.gui.editorjs.editor_commands import (
    Tokens,
    convert,
    group_blocks,
    holds_kept,
    indent,
    list_level,
    remove_block,
    restyle,
    split_format,
    toggle_checked,
    unquote,
)
from desktop_app.gui.editorjs.editor_format import (
    CAPTION,
    CODE_LINE,
    DELIMITER,
    HEADER,
    LIST,
    P_RAW,
    PARAGRAPH,
    QUOTE,
    alignment_name,
    block_format,
    block_kind,
    char_format,
    group_of,
)
from desktop_app.gui.editorjs.editor_inline import LINE_BREAK

_NO_MODIFIERS = Qt.KeyboardModifier.NoModifier | Qt.KeyboardModifier.KeypadModifier


def _locked(block: QTextBlock) -> bool:
    """Blocks that hold no text of their own: a delimiter, a kept block's placeholder."""
    return block_kind(block) == DELIMITER or holds_kept(block)


class EditorTextEdit(QTextEdit):
    """A QTextEdit that edits the editor's block kinds the way Editor.js users expect."""

    def __init__(self, tokens: Tokens, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens = tokens
        self.setAcceptRichText(False)

    # --- keys -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        key, modifiers = event.key(), event.modifiers()
        plain = (modifiers & ~_NO_MODIFIERS) == Qt.KeyboardModifier.NoModifier
        shift_only = modifiers & ~_NO_MODIFIERS == Qt.KeyboardModifier.ShiftModifier
        ctrl_only = modifiers & ~_NO_MODIFIERS == Qt.KeyboardModifier.ControlModifier
        cursor = self.textCursor()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if ctrl_only:
                toggle_checked(cursor.block())
                return
            if plain or shift_only:
                self._enter(shift_only)
                return
        elif key == Qt.Key.Key_Tab and plain:
            self._tab(1)
            return
        elif key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift_only):
            self._tab(-1)
            return
        elif (
            key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and plain and not cursor.hasSelection()
        ):
            handled = self._backspace() if key == Qt.Key.Key_Backspace else self._delete()
            if handled:
                return
        if event.text() and event.text().isprintable() and (plain or shift_only):
            self._prepare_typing()
        spanning = cursor.hasSelection() and cursor.block() != self._selection_start_block()
        super().keyPressEvent(event)
        self._repair(spanning)

    def _prepare_typing(self) -> None:
        """Typing into a delimiter or placeholder goes into a new paragraph next to it."""
        cursor = self.textCursor()
        if not cursor.hasSelection() and _locked(cursor.block()):
            self._paragraph_beside(
                cursor, before=cursor.atBlockStart() and holds_kept(cursor.block())
            )
        fmt = self.currentCharFormat()
        if fmt.hasProperty(P_RAW) and not self.textCursor().hasSelection():
            fmt.clearProperty(P_RAW)  # a stand-in's raw character is not for typed text
            self.setCurrentCharFormat(fmt)

    def _paragraph_beside(self, cursor: QTextCursor, *, before: bool) -> None:
        cursor.beginEditBlock()
        fmt = block_format(PARAGRAPH, group=self._tokens())
        empty = char_format(0, None, (PARAGRAPH, 0))
        if before:
            cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            cursor.insertBlock(cursor.blockFormat(), cursor.blockCharFormat())
            cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
            cursor.setBlockFormat(fmt)
            cursor.setBlockCharFormat(empty)
        else:
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            cursor.insertBlock(fmt, empty)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.setCurrentCharFormat(empty)

    def _typing_format(self) -> QTextCharFormat:
        fmt = self.currentCharFormat()
        fmt.clearProperty(P_RAW)
        return fmt

    def _enter(self, shift: bool) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        block = cursor.block()
        kind = block_kind(block)
        if _locked(block):
            self._paragraph_beside(cursor, before=cursor.atBlockStart() and holds_kept(block))
        elif kind == CODE_LINE:
            members = group_blocks(block)
            if not shift and block.length() == 1 and len(members) > 1 and members[-1] == block:
                convert(
                    cursor, PARAGRAPH, self._tokens
                )  # Enter on an empty last line leaves the code
            else:
                cursor.insertBlock(block.blockFormat(), char_format(0, None, (CODE_LINE, 0)))
        elif shift:
            cursor.insertText(LINE_BREAK, self._typing_format())
        elif kind == LIST and block.length() == 1:
            if list_level(block) > 0:
                indent(cursor, -1)
            else:
                convert(cursor, PARAGRAPH, self._tokens)
        elif kind == QUOTE:
            self._enter_quote(cursor)
        elif kind == CAPTION:
            last = group_blocks(block)[-1]
            cursor.setPosition(last.position() + last.length() - 1)
            empty = char_format(0, None, (PARAGRAPH, 0))
            cursor.insertBlock(block_format(PARAGRAPH, group=self._tokens()), empty)
        elif kind == HEADER and cursor.atBlockEnd():
            empty = char_format(0, None, (PARAGRAPH, 0))
            cursor.insertBlock(block_format(PARAGRAPH, group=self._tokens()), empty)
        elif cursor.atBlockStart() and block.length() > 1:
            # The text moving down keeps its block's identity; the new empty line is new.
            cursor.insertBlock(block.blockFormat(), block.charFormat())
            previous = cursor.block().previous()
            QTextCursor(previous).setBlockFormat(split_format(previous, self._tokens))
        else:
            cursor.insertBlock(split_format(block, self._tokens), self._typing_format())
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _enter_quote(self, cursor: QTextCursor) -> None:
        """Enter breaks the line; Enter on an empty last line moves on to the caption."""
        block = cursor.block()
        if not (cursor.atBlockEnd() and block.text().endswith(LINE_BREAK)):
            cursor.insertText(LINE_BREAK, self._typing_format())
            return
        cursor.deletePreviousChar()
        members = group_blocks(block)
        captions = [m for m in members if block_kind(m) == CAPTION]
        if captions:
            cursor.setPosition(captions[0].position())
        else:
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            alignment = alignment_name(block.blockFormat())
            fmt = block_format(CAPTION, group=group_of(block), alignment=alignment)
            cursor.insertBlock(fmt, char_format(0, None, (CAPTION, 0)))

    def _tab(self, delta: int) -> None:
        cursor = self.textCursor()
        kind = block_kind(cursor.block())
        if kind == LIST:
            indent(cursor, delta)
        elif kind == CODE_LINE and delta > 0:
            cursor.insertText("\t", char_format(0, None, (CODE_LINE, 0)))
        else:  # elsewhere Tab moves on through the form, as in any other field
            self.setTabChangesFocus(True)
            try:
                self.focusNextPrevChild(delta > 0)
            finally:
                self.setTabChangesFocus(False)

    def _backspace(self) -> bool:
        cursor = self.textCursor()
        block = cursor.block()
        kind = block_kind(block)
        if kind == DELIMITER:
            remove_block(block)
            return True
        if not cursor.atBlockStart():
            return False
        previous = block.previous()
        if kind == LIST:
            if not indent(cursor, -1):
                convert(cursor, PARAGRAPH, self._tokens)
            return True
        if kind in (HEADER, CODE_LINE) and (kind == HEADER or group_blocks(block)[0] == block):
            convert(cursor, PARAGRAPH, self._tokens)
            return True
        if kind == QUOTE and group_blocks(block)[0] == block:
            unquote(cursor, self._tokens)
            return True
        if kind == CAPTION and previous.isValid():
            cursor.setPosition(previous.position() + previous.length() - 1)
            self.setTextCursor(cursor)
            return True
        if previous.isValid() and _locked(previous):
            remove_block(previous)
            return True
        if previous.isValid() and not holds_kept(block):
            cursor.beginEditBlock()
            cursor.deletePreviousChar()
            restyle(cursor, cursor.block())  # merged text takes on the look of its new block
            cursor.endEditBlock()
            self.setTextCursor(cursor)
            return True
        return False

    def _delete(self) -> bool:
        cursor = self.textCursor()
        block = cursor.block()
        if block_kind(block) == DELIMITER:
            remove_block(block)
            return True
        following = block.next()
        if not cursor.atBlockEnd() or not following.isValid():
            return False
        if _locked(following):
            remove_block(following)
            return True
        if holds_kept(block):
            return False
        cursor.beginEditBlock()
        cursor.deleteChar()
        restyle(cursor, cursor.block())
        cursor.endEditBlock()
        return True

    def _selection_start_block(self) -> QTextBlock:
        cursor = self.textCursor()
        return self.document().findBlock(cursor.selectionStart())

    def _repair(self, merged: bool) -> None:
        """Tidy up after Qt removed a selection across blocks.

        Text merged into a rule makes it a paragraph; an emptied document is one plain
        paragraph again (not an empty list item or heading); merged text takes on the look
        of the block it joined.
        """
        cursor = self.textCursor()
        block = cursor.block()
        emptied = self.document().characterCount() == 1 and block_kind(block) != PARAGRAPH
        if (block_kind(block) == DELIMITER and block.length() > 1) or emptied:
            cursor.beginEditBlock()
            cursor.setBlockFormat(block_format(PARAGRAPH, group=self._tokens()))
            restyle(cursor, cursor.block())
            cursor.endEditBlock()
            self.setCurrentCharFormat(char_format(0, None, (PARAGRAPH, 0)))
        elif merged:
            cursor.beginEditBlock()
            restyle(cursor, block)
            cursor.endEditBlock()

    # --- paste ------------------------------------------------------------------------------

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste as plain text: pasted HTML would bring formats the editor cannot write back."""
        if not source.hasText() or self.isReadOnly():
            return
        text = source.text().replace("\r\n", "\n").replace("\r", "\n")
        self._prepare_typing()
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        kind = block_kind(cursor.block())
        if kind in (QUOTE, CAPTION):
            text = text.replace("\n", LINE_BREAK)
        fmt = char_format(0, None, (CODE_LINE, 0)) if kind == CODE_LINE else self._typing_format()
        cursor.insertText(text, fmt)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
