"""Editing commands on the editor's QTextDocument: inline marks, links, block kinds, lists."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import (
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextList,
)

from desktop_app.gui.editorjs.editor_document import Checked, NoMarker, Unchecked, group_members
from desktop_app.gui.editorjs.editor_format import (
    CAPTION,
    CODE_LINE,
    DELIMITER,
    LIST,
    P_GROUP,
    P_SOURCE,
    PARAGRAPH,
    QUOTE,
    alignment_name,
    block_format,
    block_kind,
    char_format,
    counter_of,
    href_of,
    is_kept,
    list_format,
    list_style_of,
    marks_of,
    raw_of,
    style_of,
)

Tokens = Callable[[], int]
InlineChange = Callable[[int, str | None], tuple[int, str | None]]
GROUPED = (LIST, QUOTE, CODE_LINE)


def selected_blocks(cursor: QTextCursor) -> list[QTextBlock]:
    """Blocks the selection touches (a selection ending at a block's start leaves it out)."""
    document = cursor.document()
    first = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    if cursor.hasSelection() and last.position() == cursor.selectionEnd() and last != first:
        last = last.previous()
    blocks = [first]
    while blocks[-1] != last and blocks[-1].next().isValid():
        blocks.append(blocks[-1].next())
    return blocks


def _span(cursor: QTextCursor, start: int, end: int) -> QTextCursor:
    ranged = QTextCursor(cursor.document())
    ranged.setPosition(start)
    ranged.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return ranged


def _text_end(block: QTextBlock) -> int:
    return block.position() + block.length() - 1


def fragments(block: QTextBlock, start: int, end: int) -> list[tuple[int, int, QTextCharFormat]]:
    """(start, end, char format) of the block's text pieces, clipped to [start, end)."""
    pieces: list[tuple[int, int, QTextCharFormat]] = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        it += 1
        if not fragment.isValid():
            continue
        lo = max(start, fragment.position())
        hi = min(end, fragment.position() + fragment.length())
        if lo < hi:
            pieces.append((lo, hi, fragment.charFormat()))
    return pieces


def holds_kept(block: QTextBlock) -> bool:
    return any(is_kept(fmt) for _a, _b, fmt in fragments(block, block.position(), _text_end(block)))


def restyle(
    cursor: QTextCursor,
    block: QTextBlock,
    change: InlineChange | None = None,
    span: tuple[int, int] | None = None,
) -> None:
    """Rewrite char formats of (a span of) a block for its kind, keeping marks unless changed."""
    style = style_of(block)
    lo, hi = span if span is not None else (block.position(), _text_end(block))
    for a, b, fmt in fragments(block, lo, hi):
        if is_kept(fmt):
            continue
        marks, href = marks_of(fmt), href_of(fmt)
        if change is not None:
            marks, href = change(marks, href)
        _span(cursor, a, b).setCharFormat(char_format(marks, href, style, raw_of(fmt)))
    if span is None:  # what typing into the block, once emptied, starts with
        QTextCursor(block).setBlockCharFormat(char_format(0, None, style))


def apply_inline(cursor: QTextCursor, change: InlineChange) -> None:
    """Change the marks or link of the selected text (code blocks and rules have none)."""
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    cursor.beginEditBlock()
    for block in selected_blocks(cursor):
        if block_kind(block) not in (CODE_LINE, DELIMITER):
            span = (max(start, block.position()), min(end, _text_end(block)))
            restyle(cursor, block, change, span)
    cursor.endEditBlock()


def selection_has_mark(cursor: QTextCursor, bit: int) -> bool:
    """Whether every selected character carries the mark."""
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    found = False
    for block in selected_blocks(cursor):
        for _a, _b, fmt in fragments(block, start, end):
            if is_kept(fmt):
                continue
            found = True
            if not marks_of(fmt) & bit:
                return False
    return found


def link_span(cursor: QTextCursor) -> tuple[int, int] | None:
    """The extent of the link at the cursor, or None."""
    block = cursor.block()
    position = cursor.position()
    pieces = fragments(block, block.position(), _text_end(block))
    for index, (a, b, fmt) in enumerate(pieces):
        href = href_of(fmt)
        if href is None or not a <= position <= b:
            continue
        lo = hi = index
        while lo > 0 and href_of(pieces[lo - 1][2]) == href:
            lo -= 1
        while hi + 1 < len(pieces) and href_of(pieces[hi + 1][2]) == href:
            hi += 1
        return pieces[lo][0], pieces[hi][1]
    return None


# --- groups and lists -----------------------------------------------------------------------


def group_blocks(block: QTextBlock) -> list[QTextBlock]:
    """All QTextBlocks of the Editor.js block this one belongs to."""
    if block_kind(block) not in (LIST, QUOTE, CAPTION, CODE_LINE):
        return [block]
    first = block
    while True:
        previous = first.previous()
        if not previous.isValid() or block not in group_members(previous):
            return group_members(first)
        first = previous


def list_level(block: QTextBlock) -> int:
    text_list = block.textList()
    return text_list.format().indent() - 1 if text_list is not None else 0


def relink(
    blocks: list[QTextBlock],
    levels: list[int],
    style: str,
    counter: str = "numeric",
    start: int = 1,
) -> None:
    """Attach items to QTextLists by nesting level: one list per parent item, as in HTML."""
    lists: list[QTextList] = []
    previous = -1
    for block, wanted in zip(blocks, levels, strict=True):
        level = max(0, min(wanted, previous + 1))
        previous = level
        fmt = block.blockFormat()
        if style == "checklist":
            fmt.setMarker(Checked if fmt.marker() == Checked else Unchecked)
        else:
            fmt.setMarker(NoMarker)
        fmt.clearProperty(QTextFormat.Property.ObjectIndex)
        item = QTextCursor(block)
        item.setBlockFormat(fmt)
        del lists[level + 1 :]
        if len(lists) > level:
            lists[level].add(item.block())
        else:
            lists.append(item.createList(list_format(style, len(lists), counter, start)))


def _list_look(block: QTextBlock) -> tuple[str, str, int]:
    text_list = block.textList()
    fmt = text_list.format() if text_list is not None else list_format("unordered", 0)
    return list_style_of(fmt), counter_of(fmt), fmt.start()


def relink_group(
    block: QTextBlock, levels: dict[int, int] | None = None, style: str | None = None
) -> None:
    """Re-attach a list's items, with new levels (by block number) or a new style if given."""
    members = group_blocks(block)
    if block_kind(members[0]) != LIST:
        return
    own_style, counter, start = _list_look(members[0])
    wanted = [(levels or {}).get(m.blockNumber(), list_level(m)) for m in members]
    relink(members, wanted, style or own_style, counter, start)


def indent(cursor: QTextCursor, delta: int) -> bool:
    """Nest (+1) or un-nest (-1) the selected list items together with their sub-items."""
    blocks = [b for b in selected_blocks(cursor) if block_kind(b) == LIST]
    if not blocks:
        return False
    members = group_blocks(blocks[0])
    numbers = [m.blockNumber() for m in members]
    levels = [list_level(m) for m in members]
    chosen = {b.blockNumber() for b in blocks}
    first = numbers.index(blocks[0].blockNumber())
    last = first
    while last + 1 < len(members) and (
        numbers[last + 1] in chosen or levels[last + 1] > levels[first]
    ):
        last += 1
    if delta > 0 and (first == 0 or levels[first] > levels[first - 1]):
        return False  # an item nests one level below the item above it, no deeper
    if delta < 0 and min(levels[first : last + 1]) == 0:
        return False
    for index in range(first, last + 1):
        levels[index] += delta
    cursor.beginEditBlock()
    relink_group(members[0], dict(zip(numbers, levels, strict=True)))
    cursor.endEditBlock()
    return True


def toggle_checked(block: QTextBlock) -> bool:
    """Tick or untick a checklist item."""
    fmt = block.blockFormat()
    if block_kind(block) != LIST or fmt.marker() == NoMarker:
        return False
    fmt.setMarker(Unchecked if fmt.marker() == Checked else Checked)
    QTextCursor(block).setBlockFormat(fmt)
    return True


def _runs_of_numbers(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs


# --- block kinds ----------------------------------------------------------------------------


def _convert_one(
    cursor: QTextCursor, block: QTextBlock, kind: str, group: int, level: int, keep_source: bool
) -> None:
    old = block.blockFormat()
    source = old.property(P_SOURCE)
    fmt = block_format(
        kind,
        group=group,
        source=source if keep_source and isinstance(source, str) else None,
        level=level,
        alignment=alignment_name(old),
    )
    QTextCursor(block).setBlockFormat(fmt)
    restyle(cursor, block, (lambda _m, _h: (0, None)) if kind == CODE_LINE else None)


def convert(
    cursor: QTextCursor, kind: str, tokens: Tokens, *, level: int = 0, style: str = "unordered"
) -> None:
    """Make the selected blocks `kind`: a header of `level`, a list of `style`, a quote, code.

    The blocks of a list, quote or code block become one Editor.js block; a converted block
    keeps its loaded source (and so its id) only if it was the first of its own block.
    """
    document = cursor.document()
    blocks = [b for b in selected_blocks(cursor) if not holds_kept(b)]
    if not blocks:
        return
    numbers = [b.blockNumber() for b in blocks]
    chosen = set(numbers)
    lists_cut: list[tuple[list[int], tuple[str, str, int]]] = []
    for block in blocks:
        if block_kind(block) == LIST:
            members = [m.blockNumber() for m in group_blocks(block)]
            if all(members != cut for cut, _look in lists_cut):
                lists_cut.append((members, _list_look(group_blocks(block)[0])))
    cursor.beginEditBlock()
    group = tokens()
    joined: list[QTextBlock] = []
    previous = document.findBlockByNumber(numbers[0] - 1)
    if (
        kind == LIST
        and previous.isValid()
        and block_kind(previous) == LIST
        and _list_look(previous)[0] == style
    ):  # continue the list just above
        group = previous.blockFormat().intProperty(P_GROUP)
        joined = [b for b in group_blocks(previous) if b.blockNumber() not in chosen]
    firsts = {n for n, b in zip(numbers, blocks, strict=True) if group_blocks(b)[0] == b}
    for index, number in enumerate(numbers):
        block = document.findBlockByNumber(number)
        keep = number in firsts and (index == 0 or kind not in GROUPED)
        _convert_one(cursor, block, kind, group if kind in GROUPED else tokens(), level, keep)
    for members, (old_style, counter, start) in lists_cut:
        for run in _runs_of_numbers([n for n in members if n not in chosen]):
            run_blocks = [document.findBlockByNumber(n) for n in run]
            relink(run_blocks, [list_level(b) for b in run_blocks], old_style, counter, start)
    if kind == LIST:
        items = [document.findBlockByNumber(n) for n in numbers]
        relink(joined + items, [list_level(b) for b in joined] + [0] * len(items), style)
    if kind == QUOTE:
        after = QTextCursor(document.findBlockByNumber(numbers[-1]))
        after.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        after.insertBlock(block_format(CAPTION, group=group), char_format(0, None, (CAPTION, 0)))
    cursor.endEditBlock()


def unquote(cursor: QTextCursor, tokens: Tokens) -> None:
    """Turn the quotes the selection touches back into paragraphs (empty captions go)."""
    cursor.beginEditBlock()
    for block in selected_blocks(cursor):
        members = group_blocks(block)
        for member in members:
            if block_kind(member) == CAPTION and member.length() == 1:
                remove_block(member)
            elif block_kind(member) in (QUOTE, CAPTION):
                _convert_one(cursor, member, PARAGRAPH, tokens(), 0, member == members[0])
    cursor.endEditBlock()


def insert_delimiter(cursor: QTextCursor, tokens: Tokens) -> None:
    """A delimiter after the current block (or in place of an empty paragraph), then a paragraph."""
    cursor.beginEditBlock()
    block = cursor.block()
    rule = block_format(DELIMITER, group=tokens())
    empty = char_format(0, None, (PARAGRAPH, 0))
    if block_kind(block) == PARAGRAPH and block.length() == 1 and not holds_kept(block):
        cursor.setBlockFormat(rule)
    else:
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.insertBlock(rule, empty)
    cursor.insertBlock(block_format(PARAGRAPH, group=tokens()), empty)
    cursor.endEditBlock()


def remove_block(block: QTextBlock) -> None:
    """Delete a whole block (a delimiter, a kept block's placeholder, an empty caption)."""
    edit = QTextCursor(block)
    following, previous = block.next(), block.previous()
    if following.isValid():
        edit.setPosition(following.position(), QTextCursor.MoveMode.KeepAnchor)
        edit.removeSelectedText()
    elif previous.isValid():
        edit.setPosition(_text_end(previous))
        edit.setPosition(_text_end(block), QTextCursor.MoveMode.KeepAnchor)
        edit.removeSelectedText()
    else:
        edit.setPosition(_text_end(block), QTextCursor.MoveMode.KeepAnchor)
        edit.removeSelectedText()
        edit.setBlockFormat(block_format(PARAGRAPH))
        edit.setBlockCharFormat(char_format(0, None, (PARAGRAPH, 0)))


def split_format(block: QTextBlock, tokens: Tokens) -> QTextBlockFormat:
    """The format of a block split off this one: a single block gets no source, a fresh group."""
    fmt = block.blockFormat()
    if block_kind(block) not in GROUPED and block_kind(block) != CAPTION:
        fmt.clearProperty(P_SOURCE)
        fmt.setProperty(P_GROUP, tokens())
    if fmt.marker() == Checked:
        fmt.setMarker(Unchecked)
    return fmt
