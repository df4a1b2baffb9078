"""Editor.js blocks into a QTextDocument (built with QTextCursor) and back (walking QTextBlocks)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from PySide6.QtGui import QTextBlock, QTextBlockFormat, QTextCursor, QTextDocument, QTextList

from desktop_app.gui.editorjs.editor_format import (
    CAPTION,
    CODE_LINE,
    DELIMITER,
    HEADER,
    LIST,
    OBJECT_CHAR,
    P_KEPT,
    P_SOURCE,
    PARAGRAPH,
    QUOTE,
    RAW_STAND_INS,
    alignment_name,
    block_format,
    block_kind,
    char_format,
    counter_of,
    group_of,
    href_of,
    is_kept,
    kept_format,
    list_format,
    list_style_of,
    marks_of,
    raw_of,
)
from desktop_app.gui.editorjs.editor_inline import ALL_MARKS, Run, Runs, normalize_runs
from desktop_app.gui.editorjs.editor_model import (
    CodeModel,
    DelimiterModel,
    Entry,
    KeptModel,
    ListItem,
    ListModel,
    Model,
    QuoteModel,
    TextModel,
    joined,
    model_from_block,
)

_RAW = re.compile("([" + "".join(RAW_STAND_INS) + "])\\1*")
Checked = QTextBlockFormat.MarkerType.Checked
Unchecked = QTextBlockFormat.MarkerType.Unchecked
NoMarker = QTextBlockFormat.MarkerType.NoMarker


def to_json(block: Any) -> str:
    # Values JSON cannot hold (only possible in Python-built data) are kept as their text.
    return json.dumps(block, ensure_ascii=False, separators=(",", ":"), default=str)


# --- building -------------------------------------------------------------------------------


def insert_text(
    cursor: QTextCursor, text: str, marks: int, href: str | None, style: tuple[str, int]
) -> None:
    """Insert text, putting stand-ins (P_RAW) where Qt would break the block."""
    position = 0
    for match in _RAW.finditer(text):
        if match.start() > position:
            cursor.insertText(text[position : match.start()], char_format(marks, href, style))
        raw = match.group(1)
        stand_in = RAW_STAND_INS[raw] * (match.end() - match.start())
        cursor.insertText(stand_in, char_format(marks, href, style, raw))
        position = match.end()
    if position < len(text):
        cursor.insertText(text[position:], char_format(marks, href, style))


def insert_runs(cursor: QTextCursor, runs: Runs, style: tuple[str, int]) -> None:
    for run in runs:
        insert_text(cursor, run.text, run.marks, run.href, style)


class DocumentBuilder:
    """Appends blocks to a fresh QTextDocument; `tokens` numbers the multi-block groups."""

    def __init__(self, document: QTextDocument, tokens: Callable[[], int]) -> None:
        self._cursor = QTextCursor(document)
        self._first = True
        self._tokens = tokens

    def _block(self, fmt: QTextBlockFormat, style: tuple[str, int]) -> None:
        empty = char_format(0, None, style)
        if self._first:
            self._cursor.setBlockFormat(fmt)
            self._cursor.setBlockCharFormat(empty)
            self._first = False
        else:
            self._cursor.insertBlock(fmt, empty)

    def add(self, block: Any) -> None:
        model = model_from_block(block)
        if isinstance(model, KeptModel):
            self._block(block_format(PARAGRAPH), (PARAGRAPH, 0))
            self._cursor.insertText(OBJECT_CHAR, kept_format(to_json(block)))
            return
        source = to_json(block)
        group = self._tokens()
        if isinstance(model, TextModel):
            kind = HEADER if model.level else PARAGRAPH
            fmt = block_format(
                kind, group=group, source=source, level=model.level, alignment=model.alignment
            )
            self._block(fmt, (kind, model.level))
            insert_runs(self._cursor, model.runs, (kind, model.level))
        elif isinstance(model, ListModel):
            self._list(model, group, source)
        elif isinstance(model, QuoteModel):
            for kind, runs in ((QUOTE, model.text), (CAPTION, model.caption)):
                fmt = block_format(kind, group=group, source=source, alignment=model.alignment)
                self._block(fmt, (kind, 0))
                insert_runs(self._cursor, runs, (kind, 0))
        elif isinstance(model, CodeModel):
            for line in model.code.split("\n"):
                self._block(block_format(CODE_LINE, group=group, source=source), (CODE_LINE, 0))
                insert_text(self._cursor, line, 0, None, (CODE_LINE, 0))
        elif isinstance(model, DelimiterModel):
            self._block(block_format(DELIMITER, group=group, source=source), (PARAGRAPH, 0))

    def _list(self, model: ListModel, group: int, source: str) -> None:
        lists: list[QTextList] = []
        for item in model.items:
            fmt = block_format(LIST, group=group, source=source)
            if model.style == "checklist":
                fmt.setMarker(Checked if item.checked else Unchecked)
            self._block(fmt, (LIST, 0))
            del lists[item.level + 1 :]
            if len(lists) > item.level:
                lists[item.level].add(self._cursor.block())
            else:
                list_fmt = list_format(model.style, len(lists), model.counter, model.start)
                lists.append(self._cursor.createList(list_fmt))
            insert_runs(self._cursor, item.runs, (LIST, 0))


def fill_document(
    document: QTextDocument, blocks: Iterable[Any], tokens: Callable[[], int]
) -> None:
    """Write Editor.js blocks into an empty document."""
    builder = DocumentBuilder(document, tokens)
    for block in blocks:
        try:
            builder.add(block)
        except (ValueError, RecursionError):  # a self-containing block: no JSON, not a block
            continue


# --- reading --------------------------------------------------------------------------------


Segment = Runs | KeptModel


def block_segments(block: QTextBlock) -> list[Segment]:
    """A block's content in order: runs of text, split wherever a kept block's placeholder sits."""
    segments: list[Segment] = []
    runs: list[Run] = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        it += 1
        if not fragment.isValid():
            continue
        fmt = fragment.charFormat()
        text = fragment.text()
        if is_kept(fmt):
            # Text typed with a placeholder's format is still text; only the object is kept.
            pieces = text.split(OBJECT_CHAR)
            for index, piece in enumerate(pieces):
                if index:
                    segments.append(normalize_runs(runs))
                    runs = []
                    segments.append(KeptModel(json.loads(fmt.property(P_KEPT))))
                runs.append(Run(piece))
            continue
        raw = raw_of(fmt)
        if raw is not None:
            text = text.replace(RAW_STAND_INS[raw], raw)
        runs.append(Run(text, marks_of(fmt) & ALL_MARKS, href_of(fmt)))
    segments.append(normalize_runs(runs))
    return segments


def _split(segments: list[Segment]) -> tuple[Runs, list[KeptModel]]:
    runs: list[Run] = []
    kept: list[KeptModel] = []
    for segment in segments:
        if isinstance(segment, KeptModel):
            kept.append(segment)
        else:
            runs.extend(segment)
    return normalize_runs(runs), kept


def _source(block: QTextBlock) -> str | None:
    value = block.blockFormat().property(P_SOURCE)
    return value if isinstance(value, str) else None


def _family(kind: str) -> str:
    return QUOTE if kind == CAPTION else kind


def group_members(block: QTextBlock) -> list[QTextBlock]:
    """The block and the following ones of the same Editor.js block (list, quote or code)."""
    members = [block]
    family, group = _family(block_kind(block)), group_of(block)
    following = block.next()
    while following.isValid() and group and group_of(following) == group:
        if _family(block_kind(following)) != family:
            break
        if (
            family == QUOTE
            and block_kind(following) == QUOTE
            and block_kind(members[-1]) == CAPTION
        ):
            break  # a second quote typed right after a first one's caption
        members.append(following)
        following = following.next()
    return members


def _list_model(members: list[QTextBlock]) -> tuple[ListModel, list[KeptModel]]:
    first = members[0].textList()
    first_format = first.format() if first is not None else list_format("unordered", 0)
    style = list_style_of(first_format)
    items: list[ListItem] = []
    kept: list[KeptModel] = []
    previous = -1
    for member in members:
        text_list = member.textList()
        level = text_list.format().indent() - 1 if text_list is not None else 0
        level = max(0, min(level, previous + 1))
        previous = level
        runs, found = _split(block_segments(member))
        kept.extend(found)
        checked = style == "checklist" and member.blockFormat().marker() == Checked
        items.append(ListItem(runs, level, checked))
    if style == "ordered":
        model = ListModel(style, tuple(items), first_format.start(), counter_of(first_format))
    else:
        model = ListModel(style, tuple(items))
    return model, kept


def _code_text(members: list[QTextBlock]) -> tuple[str, list[KeptModel]]:
    lines: list[str] = []
    kept: list[KeptModel] = []
    for member in members:
        runs, found = _split(block_segments(member))
        kept.extend(found)
        lines.append("".join(run.text for run in runs))
    return "\n".join(lines), kept


def _quote_model(members: list[QTextBlock]) -> tuple[QuoteModel, list[KeptModel]]:
    text: list[Runs] = []
    caption: list[Runs] = []
    kept: list[KeptModel] = []
    for member in members:
        runs, found = _split(block_segments(member))
        kept.extend(found)
        (caption if block_kind(member) == CAPTION else text).append(runs)
    alignment = alignment_name(members[0].blockFormat())
    return QuoteModel(joined(text), joined(caption), alignment), kept


def _text_entries(block: QTextBlock, kind: str) -> Iterator[Entry]:
    source = _source(block)
    level = block.blockFormat().headingLevel() if kind == HEADER else 0
    alignment = alignment_name(block.blockFormat())
    segments = block_segments(block)
    for index, segment in enumerate(segments):
        if isinstance(segment, KeptModel):
            yield Entry(segment, None)
        elif segment or len(segments) == 1:
            yield Entry(TextModel(segment, level, alignment), source if index == 0 else None)


def read_entries(document: QTextDocument) -> list[Entry]:
    """Every Editor.js block the document holds, in order."""
    entries: list[Entry] = []
    block = document.begin()
    while block.isValid():
        kind = block_kind(block)
        if kind in (PARAGRAPH, HEADER):
            entries.extend(_text_entries(block, kind))
            block = block.next()
            continue
        if kind == DELIMITER:
            entries.append(Entry(DelimiterModel(), _source(block)))
            entries.extend(e for e in _text_entries(block, PARAGRAPH) if not _blank_entry(e))
            block = block.next()
            continue
        members = group_members(block)
        model: Model
        if kind == LIST:
            model, kept = _list_model(members)
        elif kind == CODE_LINE:
            code, kept = _code_text(members)
            model = CodeModel(code)
        else:
            model, kept = _quote_model(members)
        entries.append(Entry(model, _source(members[0])))
        entries.extend(Entry(found, None) for found in kept)
        block = members[-1].next()
    return entries


def _blank_entry(entry: Entry) -> bool:
    return isinstance(entry.model, TextModel) and not entry.model.runs
