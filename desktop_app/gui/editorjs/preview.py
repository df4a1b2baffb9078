"""The read-only viewer of Editor.js content: rendered per block, links on click, local images only."""

from __future__ import annotations

import bisect
import html
import json
import marshal
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QImage,
    QPalette,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop_app.core.editorjs import document_blocks, not_a_document, render_block
from desktop_app.gui.editorjs.blockdoc import BlockDocument
from desktop_app.gui.editorjs.resources import ImageResources
from desktop_app.gui.editorjs.theme import colour_adapter, colour_mapping

UrlOpener = Callable[[QUrl], bool]

# Schemes a click may hand to the system: the same the renderer keeps in links.
OPENABLE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DOCUMENT_MARGIN = 12
# Spacing for the elements the renderer's "qt" target writes. No colours: text, links and
# backgrounds come from the palette, so a dark theme stays readable.
STYLE_SHEET = """
p { margin-top: 0px; margin-bottom: 8px; }
h1, h2, h3, h4, h5, h6 { margin-top: 12px; margin-bottom: 6px; }
ul, ol { margin-top: 0px; margin-bottom: 8px; }
blockquote { margin-top: 4px; margin-bottom: 8px; margin-left: 16px; margin-right: 16px; }
pre { margin-top: 0px; margin-bottom: 8px; white-space: pre-wrap; }
table { margin-bottom: 8px; }
"""
# A set_blocks that changes more than this share of the blocks (or this many) is loaded whole:
# one import is then cheaper than many single-block edits.
DIFF_RATIO = 0.25
DIFF_LIMIT = 2_000
DIFF_ALWAYS = 16  # this many changed blocks are edited in place whatever the document size

# Blocks beyond the first chunk are put in from the event loop, this long per turn, so a huge
# document shows its start at once and never freezes the window.
LOAD_STEP_SECONDS = 0.008
# Documents up to this many blocks are put in at once (~50 ms at most): no partial first view.
LOAD_AT_ONCE = 256

DiffStep = tuple[str, int, int, int, int]  # difflib opcode: tag, old start/end, new start/end


def block_key(block: object) -> bytes | str:
    """An identity of a block's content: equal keys render the same HTML."""
    # marshal writes equal JSON-like values the same way and keeps types apart (1, 1.0, True),
    # several times faster than canonical JSON; JSON is the fallback for other objects.
    try:
        return marshal.dumps(block, 2)  # type: ignore[arg-type]
    except (ValueError, RecursionError):
        return json.dumps(block, sort_keys=True, default=repr, ensure_ascii=False)


def diff_plan(old: Sequence[bytes | str], new: Sequence[bytes | str]) -> list[DiffStep] | None:
    """The edits (difflib opcodes, "equal" left out) that turn block keys `old` into `new`,
    or None when loading `new` whole is cheaper."""
    if not old or not new:
        return None
    prefix, limit = 0, min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    old_middle, new_middle = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if max(len(old_middle), len(new_middle)) > DIFF_LIMIT:
        return None
    # Unchanged ends are cut first: most updates change one run of blocks, which needs no
    # matcher at all, and the matcher's cost grows with what it is given.
    steps: list[DiffStep] = [
        (tag, a1 + prefix, a2 + prefix, b1 + prefix, b2 + prefix)
        for tag, a1, a2, b1, b2 in SequenceMatcher(None, old_middle, new_middle).get_opcodes()
        if tag != "equal"
    ]
    edits = sum(max(a2 - a1, b2 - b1) for _, a1, a2, b1, b2 in steps)
    budget = max(DIFF_ALWAYS, min(DIFF_LIMIT, DIFF_RATIO * len(new)))
    if edits > budget or edits >= len(old):
        return None
    return steps


class EditorJsPreview(QTextBrowser):
    """Shows Editor.js content read-only and updates it block by block.

    Each block's sanitized Qt HTML (`render_block(block, "qt")`, cached by the renderer) sits in
    its own document range, so `update_block`, `insert_block` and `remove_block` re-render and
    re-lay-out only that block; `set_blocks` edits just the blocks that differ. Links open
    only on a click, through `url_opener` (the system browser by default) and only for http,
    https, mailto and tel. Images come only from files under `allowed_image_roots` or from
    `add_image`; nothing is ever fetched from the network.
    """

    link_activated = Signal(QUrl)
    """A link was clicked and handed to `url_opener`."""
    link_refused = Signal(QUrl)
    """A link was clicked whose scheme may not be opened (e.g. javascript:, file:)."""
    loaded = Signal()
    """All blocks are in the document (large documents fill in from the event loop)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        url_opener: UrlOpener | None = None,
        allowed_image_roots: Iterable[str | Path] = (),
    ) -> None:
        super().__init__(parent)
        self.url_opener: UrlOpener = url_opener or QDesktopServices.openUrl
        self.images = ImageResources(allowed_image_roots)
        self._blocks: list[Any] = []
        self._keys: list[bytes | str] = []
        self._look = self._current_look()
        self._adapt = colour_adapter(self.palette())
        # Links are ours to open: never navigate the browser itself, never open on hover.
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        document = self.document()
        # Read-only content needs no undo history (it would keep every replaced block).
        document.setUndoRedoEnabled(False)
        document.setDefaultStyleSheet(STYLE_SHEET)
        document.setDocumentMargin(DOCUMENT_MARGIN)
        self._announce = False  # emit `loaded` when the load in progress is complete
        self._content = BlockDocument(document, self._fragment_at)
        self._load_timer = QTimer(self)
        self._load_timer.setInterval(0)
        self._load_timer.timeout.connect(self._on_load_timer_timeout)
        self.anchorClicked.connect(self._on_anchor_clicked)

    # -- content -------------------------------------------------------------------------

    def set_document(self, document: object) -> None:
        """Show anything `document_blocks` accepts; anything else shows a short notice."""
        found = document_blocks(document)
        if found is None:
            self._blocks, self._keys = [], []
            self._content.show_html(self._adapt(not_a_document("qt")))
            self._after_change()
            return
        self.set_blocks(found)

    def set_blocks(self, blocks: Sequence[Any]) -> None:
        """Show `blocks`, re-rendering only the ones that differ from what is shown."""
        blocks = list(blocks)
        keys = [block_key(block) for block in blocks]
        consistent = len(self._content) == len(self._keys) and not self._content.pending
        plan = diff_plan(self._keys, keys) if consistent else None
        if plan is None:
            self._blocks, self._keys = blocks, keys
            self._load()
            return
        with self._batch():
            # From the end, so the old indices of the steps still to come stay valid.
            for tag, old_start, old_end, new_start, new_end in reversed(plan):
                common = min(old_end - old_start, new_end - new_start) if tag == "replace" else 0
                for offset in range(common):
                    markup = self._render(blocks[new_start + offset])
                    self._content.replace(old_start + offset, markup)
                for offset in range(new_start + common, new_end):
                    markup = self._render(blocks[offset])
                    self._content.insert(old_start + offset - new_start, markup)
                for _ in range(old_start + common, old_end):
                    self._content.remove(old_start + new_end - new_start)
        self._blocks, self._keys = blocks, keys
        self._after_change()

    def blocks(self) -> list[Any]:
        """The blocks shown, in order (a new list; the blocks themselves are not copied)."""
        return list(self._blocks)

    def block_range(self, index: int) -> tuple[int, int]:
        """The document positions [start, end) the block at `index` occupies."""
        return self._content.range(self._index(index))

    def block_text(self, index: int) -> str:
        """The plain text the block at `index` shows."""
        start, end = self.block_range(index)
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        # The range opens with the block's empty sentinel paragraph: one line break.
        return cursor.selection().toPlainText().removeprefix("\n")

    def scroll_to_block(self, index: int) -> None:
        """Scroll so that the start of the block at `index` is visible."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.block_range(index)[0])
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def update_block(self, index: int, block: Any) -> None:
        """Replace the block at `index` (negative counts from the end, as for lists)."""
        index = self._index(index)
        key = block_key(block)
        self._blocks[index] = block
        if key != self._keys[index]:
            self._keys[index] = key
            self._content.replace(index, self._render(block))
            self._after_change()

    def insert_block(self, index: int, block: Any) -> None:
        """Insert `block` before `index`, clamped to the ends as `list.insert` does."""
        count = len(self._blocks)
        index = max(0, min(count, index + count if index < 0 else index))
        markup = self._render(block)
        # The lists change first: the document may ask `_fragment_at` for pending blocks.
        self._blocks.insert(index, block)
        self._keys.insert(index, block_key(block))
        if count == 0:
            self._content.load([markup])  # also replaces a notice shown for a non-document
        else:
            self._content.insert(index, markup)
        self._after_change()

    def remove_block(self, index: int) -> Any:
        """Remove the block at `index` and return it."""
        index = self._index(index)
        del self._keys[index]
        block = self._blocks.pop(index)
        self._content.remove(index)
        self._after_change()
        return block

    def move_block(self, source: int, destination: int) -> None:
        """Move the block at `source` so that it ends up at index `destination`."""
        source = self._index(source)
        destination = self._index(destination)
        if source == destination:
            return
        with self._batch():
            block = self.remove_block(source)
            self.insert_block(destination, block)

    def is_loading(self) -> bool:
        """Whether blocks are still being put in from the event loop (see `loaded`)."""
        return self._content.pending

    def finish_loading(self) -> None:
        """Put in all remaining blocks now (e.g. before printing or copying everything)."""
        self._content.ensure_loaded(len(self._content))
        self._after_change()

    def clear(self) -> None:
        """Show nothing (QTextEdit.clear, kept in step with the blocks)."""
        self.set_blocks([])

    # -- images --------------------------------------------------------------------------

    def add_image(self, name: str | QUrl, image: QImage) -> None:
        """Show `image` wherever the content uses `name` (a URL) as an image source."""
        self.images.add_image(name, image)
        url = name if isinstance(name, QUrl) else QUrl(name)
        # Qt keeps the images it has loaded: replace this one, then put the blocks that use it
        # in again so that they are laid out at the image's size.
        self.document().addResource(QTextDocument.ResourceType.ImageResource.value, url, image)
        needles = {url.toString(), html.escape(url.toString(), quote=True)}
        with self._batch():
            for index in range(self._content.loaded):
                markup = self._content.html(index)
                if any(needle in markup for needle in needles):
                    self._content.replace(index, markup)

    def add_image_root(self, root: str | Path) -> None:
        """Allow images from files under `root` (e.g. an attachment folder)."""
        self.images.add_root(root)

    def loadResource(self, resource_type: int, name: QUrl | str) -> Any:
        """Images from memory or allowed local files; nothing else, and never the network."""
        if resource_type == QTextDocument.ResourceType.ImageResource.value:
            return self.images.load(name if isinstance(name, QUrl) else QUrl(name))
        return None  # style sheets, HTML or markdown from elsewhere: content never needs them

    # -- Qt events -----------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            # Qt fixes a link's colour when it imports HTML, and the highlight colours are
            # chosen per palette: a new palette (dark mode) needs the blocks imported again.
            look = self._current_look()
            if look != self._look:
                self._look = look
                self._adapt = colour_adapter(self.palette())
                self._reload()

    def _on_load_timer_timeout(self) -> None:
        self._content.load_more(LOAD_STEP_SECONDS)
        self._after_change()

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme().lower() not in OPENABLE_SCHEMES or not url.isValid():
            self.link_refused.emit(url)
            return
        self.url_opener(url)
        self.link_activated.emit(url)

    # -- internals -----------------------------------------------------------------------

    def _index(self, index: int) -> int:
        count = len(self._blocks)
        if not -count <= index < count:
            raise IndexError(f"block index {index} out of range for {count} blocks")
        return index + count if index < 0 else index

    def _render(self, block: Any) -> str:
        return self._adapt(render_block(block, "qt"))

    def _fragment_at(self, index: int) -> str:
        return self._render(self._blocks[index])

    def _load(self) -> None:
        """Show `self._blocks` anew: the first chunk now, rendered as it is put in."""
        count = len(self._blocks)
        self._content.load([None] * count, eager=count if count <= LOAD_AT_ONCE else 1)
        self._announce = True
        self._after_change()

    def _after_change(self) -> None:
        """Keep filling in pending blocks from the event loop, or say that all are in."""
        if self._content.pending:
            self._announce = True
            if not self._load_timer.isActive():
                self._load_timer.start()
            return
        self._load_timer.stop()
        if self._announce:
            self._announce = False
            self.loaded.emit()

    def _current_look(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        link = QGuiApplication.palette().color(QPalette.ColorRole.Link).name()
        return link, tuple(sorted(colour_mapping(self.palette()).items()))

    def _reload(self) -> None:
        if not self._blocks:
            return
        # Blocks fill in again from the top: keep the block at the top of the view in view.
        top = bisect.bisect_right(
            self._content.starts, self.cursorForPosition(QPoint(0, 0)).position()
        )
        self._load()
        if top > 0:
            self.scroll_to_block(top - 1)

    @contextmanager
    def _batch(self) -> Iterator[None]:
        # Nested edit blocks: Qt lays the document out once, after the last change.
        with self._content.batch():
            yield
