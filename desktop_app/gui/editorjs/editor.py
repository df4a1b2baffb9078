"""RichTextEditor: a form field that edits Editor.js content in a QTextEdit with a toolbar."""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QMetaObject, Signal
from PySide6.QtGui import QAction, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QLabel,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.dto import EditorJs, EditorJsBlock, RichText
from desktop_app.core.editorjs import document_blocks, rich_text_from_editorjs
from desktop_app.gui.editorjs.editor_blocks import assemble
from desktop_app.gui.editorjs.editor_commands import (
    apply_inline,
    convert,
    group_blocks,
    insert_delimiter,
    link_span,
    relink_group,
    selected_blocks,
    selection_has_mark,
    unquote,
)
from desktop_app.gui.editorjs.editor_document import fill_document, read_entries
from desktop_app.gui.editorjs.editor_format import (
    CAPTION,
    CODE_LINE,
    DELIMITER,
    HEADER,
    LIST,
    PARAGRAPH,
    QUOTE,
    block_kind,
    char_format,
    href_of,
    list_style_of,
    marks_of,
    style_of,
)
from desktop_app.gui.editorjs.editor_inline import BOLD, CODE, ITALIC, STRIKE, UNDERLINE
from desktop_app.gui.editorjs.editor_link import REFUSED_LINK, LinkPrompt, ask_for_link, link_target
from desktop_app.gui.editorjs.editor_placeholder import PlaceholderObject, install_placeholders
from desktop_app.gui.editorjs.editor_text import EditorTextEdit
from desktop_app.gui.editorjs.editor_toolbar import build_actions, build_toolbar

# The Editor.js release whose output format `value()` follows: blocks with ids (2.25+) and
# lists as the List tool 2.x writes them (nested items with `meta`).
EDITORJS_VERSION = "2.31.0"


_MARKS = {
    "bold": BOLD,
    "italic": ITALIC,
    "underline": UNDERLINE,
    "strike": STRIKE,
    "inline_code": CODE,
}
_LISTS = {"bulleted_list": "unordered", "numbered_list": "ordered", "checklist": "checklist"}
_HEADINGS = {"heading_1": 1, "heading_2": 2, "heading_3": 3}
_NO_INLINE = (CODE_LINE, DELIMITER)


class RichTextEditor(QWidget):
    """Rich text for forms; its value is an Editor.js document.

    `value()` / `set_value()` exchange Editor.js data, `rich_text()` the DTO_rich_text sent to
    DeskHero. `changed` is emitted on every edit (debouncing is the caller's job) and once per
    `set_value`. `link_refused` carries an address the link action would not accept.
    """

    changed = Signal()
    link_refused = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, link_prompt: LinkPrompt | None = None
    ) -> None:
        super().__init__(parent)
        self._counter = itertools.count(1)
        self.link_prompt: LinkPrompt = link_prompt or ask_for_link
        self._placeholders = PlaceholderObject(self)
        self._text = EditorTextEdit(self._next_token, self)
        self._text.setObjectName("rich_text_edit")
        self._actions = build_actions(self)
        self._toolbar = build_toolbar(self._actions, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._text)
        # Says why a link was refused, under the text; not a popup, so typing goes on.
        self._notice = QLabel(self)
        self._notice.setObjectName("rich_text_notice")
        self._notice.setWordWrap(True)
        self._notice.hide()
        layout.addWidget(self._notice)
        self.setFocusProxy(self._text)
        for name, action in self._actions.items():
            action.triggered.connect(getattr(self, f"_on_{name}_triggered"))
        self._text.currentCharFormatChanged.connect(self._on_text_current_char_format_changed)
        self._text.cursorPositionChanged.connect(self._on_text_cursor_position_changed)
        self._install(QTextDocument(self._text))

    # --- public API -------------------------------------------------------------------------

    def value(self) -> dict[str, Any]:
        """The content as an Editor.js document: {"time", "blocks", "version"}."""
        blocks = assemble(read_entries(self._text.document()))
        return {"time": int(time.time() * 1000), "blocks": blocks, "version": EDITORJS_VERSION}

    def set_value(self, data: object) -> None:
        """Load Editor.js data: a document, a DTO_rich_text, the models, or a list of blocks.

        Entries that are not objects are not blocks and are left out; blocks the editor does
        not edit are shown as placeholders and written back exactly as loaded.
        """
        blocks = [b for b in document_blocks(data) or [] if isinstance(b, Mapping)]
        document = QTextDocument(self._text)
        document.setDefaultFont(self._text.font())
        install_placeholders(document, self._placeholders)
        # Loading is not an edit the user could undo.
        document.setUndoRedoEnabled(False)
        fill_document(document, blocks, self._next_token)
        document.setUndoRedoEnabled(True)
        self._install(document)
        # Not `changed.emit()`: in PySide6 6.12 every Python-side emit() drops a reference to
        # True, which ends the process after some thousands; a meta-call does not.
        QMetaObject.invokeMethod(self, "changed")

    def rich_text(self) -> RichText:
        """The DTO_rich_text of the value: Editor.js data, web HTML, preview, reading time.

        Blocks that are not valid DTO_editorjs_block objects (kept as loaded in `value()`)
        cannot be sent and are left out here.
        """
        value = self.value()
        try:
            return rich_text_from_editorjs(value)
        except ValidationError:
            blocks = []
            for block in value["blocks"]:
                try:
                    blocks.append(EditorJsBlock.model_validate(block))
                except ValidationError:
                    continue
            model = EditorJs(time=value["time"], version=value["version"], blocks=blocks)
            return rich_text_from_editorjs(model)

    def text_edit(self) -> QTextEdit:
        return self._text

    def toolbar(self) -> QToolBar:
        return self._toolbar

    def action(self, name: str) -> QAction:
        """A toolbar action by name: bold, italic, underline, strike, inline_code, link,
        paragraph, heading_1..3, bulleted_list, numbered_list, checklist, quote, code_block,
        delimiter."""
        return self._actions[name]

    def set_read_only(self, read_only: bool) -> None:
        self._text.setReadOnly(read_only)
        self._toolbar.setEnabled(not read_only)
        self._update_actions()

    def insert_link(self, address: str) -> bool:
        """Link the selection (or the word, or the link at the cursor) to an address.

        An empty address removes the link. Returns False, and emits `link_refused`, for an
        address that is not http, https, mailto or tel.
        """
        if self._text.isReadOnly():
            return False
        cursor = self._text.textCursor()
        if not cursor.hasSelection():
            span = link_span(cursor)
            if span is not None:
                cursor.setPosition(span[0])
                cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        if not address.strip():
            if cursor.hasSelection():
                apply_inline(cursor, lambda marks, _href: (marks, None))
            return True
        href = link_target(address)
        if href is None:
            self._notice.setText(f"Not linked: {REFUSED_LINK}")
            self._notice.show()
            self.link_refused.emit(address)
            return False
        if block_kind(cursor.block()) in _NO_INLINE:
            return False
        if cursor.hasSelection():
            apply_inline(cursor, lambda marks, _href: (marks, href))
        else:
            cursor.insertText(href, char_format(0, href, style_of(cursor.block())))
            self._text.setTextCursor(cursor)
        self._update_actions()
        return True

    # --- internals --------------------------------------------------------------------------

    def _next_token(self) -> int:
        return next(self._counter)

    def _install(self, document: QTextDocument) -> None:
        document.setDefaultFont(self._text.font())
        # QTextEdit deletes the previous document itself: it is the text edit's child.
        self._text.setDocument(document)
        install_placeholders(document, self._placeholders)
        # Signal to signal, so each edit emits from C++ (see set_value for why that matters).
        document.contentsChanged.connect(self.changed)
        document.contentsChanged.connect(self._on_document_contents_changed)
        self._text.moveCursor(QTextCursor.MoveOperation.Start)
        self._update_actions()

    def _update_actions(self) -> None:
        """Check states follow the text at the cursor."""
        cursor = self._text.textCursor()
        fmt = self._text.currentCharFormat()
        marks = marks_of(fmt)
        block = cursor.block()
        kind = block_kind(block)
        editable = not self._text.isReadOnly()
        for action in self._actions.values():
            action.setEnabled(editable)
        for name, bit in _MARKS.items():
            self._actions[name].setChecked(bool(marks & bit) and kind not in _NO_INLINE)
            self._actions[name].setEnabled(editable and kind not in _NO_INLINE)
        self._actions["link"].setChecked(href_of(fmt) is not None)
        self._actions["link"].setEnabled(editable and kind not in _NO_INLINE)
        level = block.blockFormat().headingLevel() if kind == HEADER else 0
        for name, wanted in _HEADINGS.items():
            self._actions[name].setChecked(level == wanted)
        self._actions["paragraph"].setChecked(kind == PARAGRAPH)
        text_list = block.textList()
        style = (
            list_style_of(text_list.format()) if kind == LIST and text_list is not None else None
        )
        for name, wanted_style in _LISTS.items():
            self._actions[name].setChecked(style == wanted_style)
        self._actions["quote"].setChecked(kind in (QUOTE, CAPTION))
        self._actions["code_block"].setChecked(kind == CODE_LINE)

    def _toggle_mark(self, bit: int) -> None:
        cursor = self._text.textCursor()
        if block_kind(cursor.block()) in _NO_INLINE and not cursor.hasSelection():
            return
        if cursor.hasSelection():
            on = not selection_has_mark(cursor, bit)
            apply_inline(
                cursor, lambda marks, href: ((marks | bit) if on else (marks & ~bit), href)
            )
        else:
            fmt = self._text.currentCharFormat()
            style = style_of(cursor.block())
            self._text.setCurrentCharFormat(char_format(marks_of(fmt) ^ bit, href_of(fmt), style))
        self._update_actions()

    def _set_kind(self, kind: str, *, level: int = 0, style: str = "unordered") -> None:
        cursor = self._text.textCursor()
        blocks = selected_blocks(cursor)
        kinds = {block_kind(b) for b in blocks}
        if (
            kind == HEADER
            and kinds == {HEADER}
            and all(b.blockFormat().headingLevel() == level for b in blocks)
        ):
            kind = PARAGRAPH  # a second press turns the heading back into a paragraph
        elif kind == LIST and kinds == {LIST}:
            styles = {
                list_style_of(b.textList().format()) for b in blocks if b.textList() is not None
            }
            if styles == {style}:
                kind = PARAGRAPH
            else:  # Editor.js lists have one style: switch the whole list
                cursor.beginEditBlock()
                for block in blocks:
                    relink_group(group_blocks(block)[0], style=style)
                cursor.endEditBlock()
                self._after_block_change()
                return
        elif kind in (QUOTE, CODE_LINE) and kinds <= (
            {QUOTE, CAPTION} if kind == QUOTE else {CODE_LINE}
        ):
            kind = PARAGRAPH
        # Blocks keep their numbers through a conversion, while the text cursor could be
        # carried along by a block inserted at its position (a quote's caption).
        document = self._text.document()
        anchor, position = cursor.anchor(), cursor.position()
        marks = [
            (document.findBlock(p).blockNumber(), p - document.findBlock(p).position())
            for p in (anchor, position)
        ]
        if kind == PARAGRAPH and kinds & {QUOTE, CAPTION}:
            unquote(cursor, self._next_token)
        convert(cursor, kind, self._next_token, level=level, style=style)
        restored = QTextCursor(document)
        for (number, offset), mode in zip(
            marks, (QTextCursor.MoveMode.MoveAnchor, QTextCursor.MoveMode.KeepAnchor), strict=True
        ):
            block = document.findBlockByNumber(number)
            restored.setPosition(block.position() + min(offset, block.length() - 1), mode)
        self._text.setTextCursor(restored)
        self._after_block_change()

    def _after_block_change(self) -> None:
        # The typing format follows the block's new look (a heading's size, a code font).
        cursor = self._text.textCursor()
        if not cursor.hasSelection():
            fmt = self._text.currentCharFormat()
            block = cursor.block()
            marks = 0 if block_kind(block) in _NO_INLINE else marks_of(fmt)
            self._text.setCurrentCharFormat(char_format(marks, href_of(fmt), style_of(block)))
        self._update_actions()
        self._text.setFocus()

    # --- handlers ---------------------------------------------------------------------------

    def _on_document_contents_changed(self) -> None:
        self._notice.hide()

    def _on_text_current_char_format_changed(self, _format: object) -> None:
        self._update_actions()

    def _on_text_cursor_position_changed(self) -> None:
        self._update_actions()

    def _on_bold_triggered(self) -> None:
        self._toggle_mark(BOLD)

    def _on_italic_triggered(self) -> None:
        self._toggle_mark(ITALIC)

    def _on_underline_triggered(self) -> None:
        self._toggle_mark(UNDERLINE)

    def _on_strike_triggered(self) -> None:
        self._toggle_mark(STRIKE)

    def _on_inline_code_triggered(self) -> None:
        self._toggle_mark(CODE)

    def _on_link_triggered(self) -> None:
        current = href_of(self._text.currentCharFormat()) or ""
        address = self.link_prompt(self, current)
        if address is not None:
            self.insert_link(address)
        self._update_actions()

    def _on_paragraph_triggered(self) -> None:
        self._set_kind(PARAGRAPH)

    def _on_heading_1_triggered(self) -> None:
        self._set_kind(HEADER, level=1)

    def _on_heading_2_triggered(self) -> None:
        self._set_kind(HEADER, level=2)

    def _on_heading_3_triggered(self) -> None:
        self._set_kind(HEADER, level=3)

    def _on_bulleted_list_triggered(self) -> None:
        self._set_kind(LIST, style="unordered")

    def _on_numbered_list_triggered(self) -> None:
        self._set_kind(LIST, style="ordered")

    def _on_checklist_triggered(self) -> None:
        self._set_kind(LIST, style="checklist")

    def _on_quote_triggered(self) -> None:
        self._set_kind(QUOTE)

    def _on_code_block_triggered(self) -> None:
        self._set_kind(CODE_LINE)

    def _on_delimiter_triggered(self) -> None:
        cursor = self._text.textCursor()
        insert_delimiter(cursor, self._next_token)
        self._text.setTextCursor(cursor)
        self._after_block_change()
