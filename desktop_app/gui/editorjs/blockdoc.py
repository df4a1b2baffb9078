"""A QTextDocument holding a list of HTML fragments, each replaceable without touching the rest."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtGui import (
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextFrameFormat,
)

from desktop_app.gui.editorjs.htmlbalance import balanced

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
# Fragments are grouped into frames of about sqrt(n)/2 of them. Qt lays out a changed frame
# and then only moves the frames after it, so an edit costs one chunk plus the frame list
# instead of every block below the edit (~15 ms at 10,000 blocks in one flow). Frames per
# block would be worse: Qt inserts frames in quadratic time and walks all siblings on every
# change. Half of sqrt(n) keeps one chunk's import (a step of a progressive load) near a frame.
MIN_CHUNK = 32
# A chunk that grows past this multiple of its target size is split.
SPLIT_FACTOR = 3

Fragment = Callable[[int], str]


def chunk_size(count: int) -> int:
    """How many fragments one frame holds in a document of `count` fragments."""
    return max(MIN_CHUNK, math.isqrt(max(count, 1)) // 2)


def _sentinel_formats() -> tuple[QTextBlockFormat, QTextCharFormat]:
    # Read back from Qt's own import, so set formats equal imported ones (same format index).
    scratch = QTextDocument()
    scratch.setHtml(SENTINEL_HTML)
    block = scratch.begin()
    return block.blockFormat(), block.charFormat()


class BlockDocument:
    """Fragments of HTML in `document`, fragment i starting at position `starts[i]`.

    Only this class may change the document's content. Fragments are added chunk by chunk:
    `load` puts in the first ones and `load_more` the rest, so that a huge document never
    blocks the event loop for long; until then the later fragments are pending, held as HTML
    or, when `load` got None for them, made on demand by `fragment(index)`. Every operation
    works on pending fragments too. Positions are plain ints, shifted by the change in length
    after each edit (cheap next to Qt's layout).
    """

    def __init__(self, document: QTextDocument, fragment: Fragment | None = None) -> None:
        self.document = document
        self.starts: list[int] = []  # of the loaded fragments
        self._fragment = fragment
        self._html: list[str | None] = []
        self._loaded = 0  # fragments [0, _loaded) are in the document
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
    def loaded(self) -> int:
        """How many fragments (from the first) are in the document."""
        return self._loaded

    @property
    def pending(self) -> bool:
        return self._loaded < len(self._html)

    @property
    def frames(self) -> Sequence[QTextFrame]:
        return self._frames

    def html(self, index: int) -> str:
        """The HTML of fragment `index` (made now if it was left to `fragment`)."""
        markup = self._html[index]
        if markup is None:
            if self._fragment is None:
                raise ValueError("a fragment without HTML needs a fragment function")
            markup = self._html[index] = balanced(self._fragment(index))
        return markup

    # -- whole document ------------------------------------------------------------------

    def load(self, fragments: Sequence[str | None], *, eager: int | None = None) -> None:
        """Replace everything with `fragments`; at least the first `eager` (all by default)
        are put in now, the rest by `load_more`."""
        self._html = [None if markup is None else balanced(markup) for markup in fragments]
        self._loaded = 0
        self._chunk = chunk_size(len(fragments))
        self._frames, self._counts, self.starts = [], [], []
        wanted = len(self._html) if eager is None else min(eager, len(self._html))
        with self._edit():
            # Cleared inside the edit block, the load reads to Qt as a whole new document,
            # which it lays out lazily (what is visible first), as after setHtml.
            self.document.clear()
            while self._loaded < wanted:
                self._append_chunk()

    def load_more(self, seconds: float) -> bool:
        """Put in pending fragments, a chunk at a time, for about `seconds`; True if some
        remain."""
        deadline = time.perf_counter() + seconds
        with self._edit():
            while self.pending:
                self._append_chunk()
                if time.perf_counter() >= deadline:
                    break
        return self.pending

    def ensure_loaded(self, count: int) -> None:
        """Put in pending fragments until the first `count` are in the document."""
        if self._loaded >= min(count, len(self._html)):
            return
        with self._edit():  # laid out once, after the last chunk
            while self._loaded < min(count, len(self._html)):
                self._append_chunk()

    def show_html(self, markup: str) -> None:
        """Show `markup` as the whole document, holding no fragments (e.g. a notice)."""
        self._html, self._frames, self._counts, self.starts = [], [], [], []
        self._loaded = 0
        self.document.setHtml(markup)

    def range(self, index: int) -> tuple[int, int]:
        """Document positions [start, end) of fragment `index`, its sentinel included."""
        if not 0 <= index < len(self._html):
            raise IndexError(index)
        self.ensure_loaded(index + 1)
        return self.starts[index], self._end(index)

    # -- one fragment --------------------------------------------------------------------

    def replace(self, index: int, fragment: str) -> None:
        fragment = balanced(fragment)
        if index >= self._loaded:
            self._html[index] = fragment
            return
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
        fragment = balanced(fragment)
        if not self._html:
            self.load([fragment])
            return
        if index > self._loaded or (index == self._loaded and self.pending):
            self._html.insert(index, fragment)  # among the pending ones, in order
            return
        with self._edit() as cursor:
            before = self.document.characterCount()
            if index < self._loaded:
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
            self._loaded += 1
            self._counts[chunk] += 1
            if self._counts[chunk] > SPLIT_FACTOR * self._chunk:
                self._split(chunk, cursor)

    def remove(self, index: int) -> None:
        if index >= self._loaded:
            del self._html[index]
            return
        if self._loaded == 1:  # the document would be empty: start again from the rest
            rest = self._html[:index] + self._html[index + 1 :]
            self.load(rest, eager=min(len(rest), self._chunk))
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
            self._loaded -= 1
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
        """The chunk holding loaded fragment `index` and the index of its first fragment."""
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

    def _append_chunk(self) -> None:
        """Put the next chunk of pending fragments in a new frame at the end."""
        first = self._loaded
        part = [self.html(index) for index in range(first, min(len(self), first + self._chunk))]
        with self._edit() as cursor:
            if self._frames:
                cursor.setPosition(self._frames[-1].lastPosition() + 1)  # the closing gap
            frame, starts = self._insert_chunk(cursor, part)
            self._format_gaps(cursor, [frame])
        self._frames.append(frame)
        self._counts.append(len(part))
        self.starts.extend(starts)
        self._loaded += len(part)

    def _insert_chunk(
        self, cursor: QTextCursor, part: Sequence[str]
    ) -> tuple[QTextFrame, list[int]]:
        """A new frame at the cursor holding `part`, and the positions of its fragments."""
        position = cursor.position()
        frame = cursor.insertFrame(self._frame_format)
        self._fill(cursor, SENTINEL_HTML.join(part))
        starts = self._scan([frame])
        if len(starts) == len(part):
            return frame, starts
        # A sentinel went missing: some fragment reached into the next one, which `balanced`
        # is there to prevent. Inserted one by one, fragments cannot reach each other.
        self._remove_frame(cursor, frame)
        cursor.setPosition(position)
        frame = cursor.insertFrame(self._frame_format)
        # Last first, each in front of the previous one: a fragment that ends inside a table
        # has no block after it, and one appended there would land in the table.
        starts = []
        for number, fragment in enumerate(reversed(part)):
            before = self.document.characterCount()
            start = frame.firstPosition()
            if number:
                cursor.setPosition(start)
                cursor.insertBlock()
                cursor.setPosition(start)
            self._fill(cursor, fragment)
            delta = self.document.characterCount() - before
            starts = [start, *(position + delta for position in starts)]
        return frame, starts

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
        frames, counts, starts = [], [], []
        for offset in range(0, count, self._chunk):
            part = [self.html(first + i) for i in range(offset, min(count, offset + self._chunk))]
            new_frame, new_starts = self._insert_chunk(cursor, part)
            frames.append(new_frame)
            counts.append(len(part))
            starts.extend(new_starts)
            cursor.setPosition(new_frame.lastPosition() + 1)
        self._frames[chunk : chunk + 1] = frames
        self._counts[chunk : chunk + 1] = counts
        self._format_gaps(cursor, frames)
        self.starts[first : first + count] = starts
        self._shift(first + count, self.document.characterCount() - before)

    def _format_gaps(self, cursor: QTextCursor, frames: Iterable[QTextFrame]) -> None:
        """Make the blocks around `frames` (the root frame's own blocks) thin."""
        for frame in frames:
            for position in (frame.firstPosition() - 1, frame.lastPosition() + 1):
                block = self.document.findBlock(position)
                if block.isValid() and block.blockFormat() != self._gap_format:
                    cursor.setPosition(block.position())
                    cursor.setBlockFormat(self._gap_format)

    def _scan(self, frames: Iterable[QTextFrame]) -> list[int]:
        """Positions of the sentinels that are blocks of `frames` themselves.

        A sentinel inside a table or a list is not counted: it would mean a fragment's HTML
        reached into the next one, which `_insert_chunk` then repairs.
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
                    # Qt's iterator can step into a malformed table; frameAt cannot be fooled.
                    if verdict and block.textList() is None:
                        position = block.position()
                        if self.document.frameAt(position) is frame:
                            found.append(position)
                iterator += 1
        return found


def _is_sentinel_format(block_format: QTextBlockFormat) -> bool:
    return (
        block_format.lineHeightType() == QTextBlockFormat.LineHeightTypes.FixedHeight.value
        and block_format.lineHeight() == SENTINEL_HEIGHT
    )
