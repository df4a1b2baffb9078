"""A QTextDocument holding a list of HTML fragments, each replaceable without touching the rest."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtGui import (
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextFrameFormat,
)

# Each fragment opens with a sentinel: an empty, 1 px high paragraph. It gives every fragment
# a plain first block of its own (a fragment may start with a list or a table, which would
# otherwise merge into or hang off its neighbour), so a fragment is exactly the document range
# from its sentinel to the next one. Sentinels are recognised by their fixed line height: the
# sanitized content never carries a line height, and unlike a block's user state the format
# survives QTextCursor.insertHtml.
SENTINEL_HEIGHT = 1.0
SENTINEL_HTML = (
    '<p style="-qt-paragraph-type:empty; margin:0px; '
    f'line-height:{SENTINEL_HEIGHT:g}px; -qt-line-height-type:fixed"></p>'
)
# Blocks between the chunk frames (Qt needs a block after each frame): as thin as sentinels.
GAP_HEIGHT = 2.0
# Fragments are grouped into frames of about sqrt(n) of them. Qt lays out a changed frame and
# then only moves the frames after it, so an edit costs one chunk plus the frame list instead
# of every block below the edit (~15 ms at 10,000 blocks in one flow). Frames per block would
# be worse: Qt inserts frames in quadratic time and walks all siblings on every change.
MIN_CHUNK = 64
# A chunk that grows past this multiple of its target size is split in two.
SPLIT_FACTOR = 3


def chunk_size(count: int) -> int:
    """How many fragments one frame holds in a document of `count` fragments."""
    return max(MIN_CHUNK, math.isqrt(max(count, 1)))


def _sentinel_formats() -> tuple[QTextBlockFormat, QTextCharFormat]:
    # Read back from Qt's own import, so set formats equal imported ones (same format index).
    scratch = QTextDocument()
    scratch.setHtml(SENTINEL_HTML)
    block = scratch.begin()
    return block.blockFormat(), block.charFormat()


class BlockDocument:
    """Fragments of HTML in `document`, fragment i starting at `starts[i]`.

    The document is read-only for users; only this class may change its content. Positions are
    kept as plain ints and shifted by the change in length after each edit (cheap next to Qt's
    layout), with frame handles per chunk of fragments.
    """

    def __init__(self, document: QTextDocument) -> None:
        self.document = document
        self.starts: list[int] = []
        self._html: list[str] = []
        self._frames: list[QTextFrame] = []
        self._counts: list[int] = []
        self._chunk = MIN_CHUNK
        self._sentinel_format, self._sentinel_char_format = _sentinel_formats()
        self._gap_format = QTextBlockFormat()
        self._gap_format.setTopMargin(0)
        self._gap_format.setBottomMargin(0)
        self._gap_format.setLineHeight(
            GAP_HEIGHT, QTextBlockFormat.LineHeightTypes.FixedHeight.value
        )
        self._frame_format = QTextFrameFormat()
        self._frame_format.setMargin(0)
        self._frame_format.setPadding(0)
        self._frame_format.setBorder(0)

    def __len__(self) -> int:
        return len(self._html)

    @property
    def html(self) -> Sequence[str]:
        return self._html

    @property
    def frames(self) -> Sequence[QTextFrame]:
        return self._frames

    # -- whole document ------------------------------------------------------------------

    def load(self, fragments: Sequence[str]) -> None:
        """Replace everything with `fragments`, in frames of `chunk_size` fragments."""
        self._html = list(fragments)
        self._chunk = chunk_size(len(fragments))
        self._build(separately=False)
        if len(self.starts) != len(self._html):
            # Only HTML that leaks out of its fragment (an unclosed element swallowing the next
            # sentinel) gets here; inserted one by one, fragments cannot reach each other.
            self._build(separately=True)

    def _build(self, *, separately: bool) -> None:
        self._frames, self._counts, self.starts = [], [], []
        cursor = QTextCursor(self.document)
        cursor.beginEditBlock()
        # Cleared inside the edit block, the load reads to Qt as a whole new document, which it
        # lays out lazily (the visible part first, the rest from the event loop), as setHtml.
        self.document.clear()
        starts: list[int] | None = [] if separately else None
        for first in range(0, len(self._html), self._chunk):
            part = self._html[first : first + self._chunk]
            frame = self._insert_frame(cursor, part, starts)
            self._frames.append(frame)
            self._counts.append(len(part))
            cursor.setPosition(frame.lastPosition() + 1)
        self._format_gaps(cursor)
        cursor.endEditBlock()
        self.starts = starts if starts is not None else self._scan(self._frames)

    def show_html(self, markup: str) -> None:
        """Show `markup` as the whole document, holding no fragments (e.g. a notice)."""
        self._html, self._frames, self._counts, self.starts = [], [], [], []
        self.document.setHtml(markup)

    def range(self, index: int) -> tuple[int, int]:
        """Document positions [start, end) of fragment `index`, its sentinel included."""
        return self.starts[index], self._end(index)

    # -- one fragment --------------------------------------------------------------------

    def replace(self, index: int, fragment: str) -> None:
        start, end = self.starts[index], self._end(index)
        with self._edit() as cursor:
            before = self.document.characterCount()
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            self._fill(cursor, fragment)
            self._shift(index + 1, self.document.characterCount() - before)
        self._html[index] = fragment

    def insert(self, index: int, fragment: str) -> None:
        """Insert before fragment `index` (0 <= index <= len)."""
        if not self._html:
            self.load([fragment])
            return
        with self._edit() as cursor:
            before = self.document.characterCount()
            if index < len(self._html):
                chunk, _ = self._locate(index)
                position = self.starts[index]
                cursor.setPosition(position)
                cursor.insertBlock()  # an empty block for the new fragment, inside the frame
                cursor.setPosition(position)
            else:
                chunk = len(self._frames) - 1
                cursor.setPosition(self._frames[chunk].lastPosition())
                cursor.insertBlock()
                position = cursor.position()
            self._fill(cursor, fragment)
            self._shift(index, self.document.characterCount() - before)
            self.starts.insert(index, position)
            self._html.insert(index, fragment)
            self._counts[chunk] += 1
            if self._counts[chunk] > SPLIT_FACTOR * self._chunk:
                self._split(chunk, cursor)

    def remove(self, index: int) -> None:
        if len(self._html) == 1:
            self.load([])
            return
        chunk, first = self._locate(index)
        with self._edit() as cursor:
            before = self.document.characterCount()
            frame = self._frames[chunk]
            if self._counts[chunk] == 1:
                self._remove_frame(cursor, frame)
                del self._frames[chunk]
                del self._counts[chunk]
            else:
                last = index == first + self._counts[chunk] - 1
                if last:  # take the separator before it, so the previous fragment stays whole
                    cursor.setPosition(self.starts[index] - 1)
                    cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
                else:
                    cursor.setPosition(self.starts[index])
                    cursor.setPosition(self.starts[index + 1], QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
                self._counts[chunk] -= 1
            del self.starts[index]
            del self._html[index]
            self._shift(index, self.document.characterCount() - before)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group edits: Qt lays the document out once, when the outermost group ends."""
        with self._edit():
            yield

    # -- internals -----------------------------------------------------------------------

    @contextmanager
    def _edit(self) -> Iterator[QTextCursor]:
        # One edit block: Qt lays the document out once, when it ends.
        cursor = QTextCursor(self.document)
        cursor.beginEditBlock()
        try:
            yield cursor
        finally:
            cursor.endEditBlock()

    def _locate(self, index: int) -> tuple[int, int]:
        """The chunk holding fragment `index` and the index of that chunk's first fragment."""
        first = 0
        for chunk, count in enumerate(self._counts):
            if index < first + count:
                return chunk, first
            first += count
        raise IndexError(index)

    def _end(self, index: int) -> int:
        """Where fragment `index` ends (before the separator that starts the next one)."""
        chunk, first = self._locate(index)
        if index == first + self._counts[chunk] - 1:
            return self._frames[chunk].lastPosition()
        return self.starts[index + 1] - 1

    def _shift(self, index: int, delta: int) -> None:
        if delta:
            starts = self.starts
            starts[index:] = [position + delta for position in starts[index:]]

    def _fill(self, cursor: QTextCursor, fragment: str) -> None:
        """Put a sentinel and `fragment` into the empty block at the cursor."""
        block = cursor.block()
        text_list = block.textList()
        if text_list is not None:
            text_list.remove(block)
        # The fragment's first block (its sentinel) merges into this one and keeps this
        # block's format, so the block must already look like a sentinel.
        cursor.setBlockFormat(self._sentinel_format)
        cursor.setBlockCharFormat(self._sentinel_char_format)
        cursor.setCharFormat(self._sentinel_char_format)
        cursor.insertHtml(SENTINEL_HTML + fragment)

    def _insert_frame(
        self, cursor: QTextCursor, fragments: Sequence[str], starts: list[int] | None = None
    ) -> QTextFrame:
        """A new frame at the cursor holding `fragments`: parsed as one piece of HTML, or one
        at a time when `starts` is given (their positions are appended to it)."""
        frame = cursor.insertFrame(self._frame_format)
        if starts is None:
            self._fill(cursor, SENTINEL_HTML.join(fragments))
            return frame
        for number, fragment in enumerate(fragments):
            if number:
                # After the frame's last block, not where the cursor was left: a fragment with
                # an unclosed table leaves the cursor in its last cell.
                cursor.setPosition(frame.lastPosition())
                cursor.insertBlock()
            starts.append(cursor.position())
            self._fill(cursor, fragment)
        return frame

    def _remove_frame(self, cursor: QTextCursor, frame: QTextFrame) -> None:
        # From the frame's opening mark through its closing one: the gap blocks around it merge.
        cursor.setPosition(frame.firstPosition() - 1)
        cursor.setPosition(frame.lastPosition() + 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()

    def _split(self, chunk: int, cursor: QTextCursor) -> None:
        """Rebuild an overgrown chunk as chunks of the target size."""
        first = sum(self._counts[:chunk])
        count = self._counts[chunk]
        frame = self._frames[chunk]
        before = self.document.characterCount()
        position = frame.firstPosition() - 1
        self._remove_frame(cursor, frame)
        cursor.setPosition(position)
        frames, counts = [], []
        for offset in range(0, count, self._chunk):
            part = self._html[first + offset : first + min(count, offset + self._chunk)]
            new_frame = self._insert_frame(cursor, part)
            frames.append(new_frame)
            counts.append(len(part))
            cursor.setPosition(new_frame.lastPosition() + 1)
        self._frames[chunk : chunk + 1] = frames
        self._counts[chunk : chunk + 1] = counts
        self._format_gaps(cursor)
        delta = self.document.characterCount() - before
        self.starts[first : first + count] = self._scan(frames)
        self._shift(first + count, delta)

    def _format_gaps(self, cursor: QTextCursor) -> None:
        """Make the blocks between frames (the root frame's own blocks) thin."""
        iterator = self.document.rootFrame().begin()
        while not iterator.atEnd():
            block = iterator.currentBlock()
            if block.isValid() and block.blockFormat() != self._gap_format:
                cursor.setPosition(block.position())
                cursor.setBlockFormat(self._gap_format)
            iterator += 1

    def _scan(self, frames: Iterable[QTextFrame]) -> list[int]:
        """Positions of the sentinels that are blocks of `frames` themselves.

        A sentinel inside a table or a list is not counted: it would mean a fragment's HTML
        reached into the next one, which `load` then repairs.
        """
        found: list[int] = []
        verdicts: dict[int, bool] = {}  # format index -> is a sentinel format
        for frame in frames:
            iterator = frame.begin()
            while not iterator.atEnd():
                block = iterator.currentBlock()
                if block.isValid():
                    index = block.blockFormatIndex()
                    verdict = verdicts.get(index)
                    if verdict is None:
                        verdict = verdicts[index] = _is_sentinel_format(block.blockFormat())
                    if verdict and block.textList() is None:
                        found.append(block.position())
                iterator += 1
        return found


def _is_sentinel_format(block_format: QTextBlockFormat) -> bool:
    return (
        block_format.lineHeightType() == QTextBlockFormat.LineHeightTypes.FixedHeight.value
        and block_format.lineHeight() == SENTINEL_HEIGHT
    )
