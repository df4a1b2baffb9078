"""Scaled images read off the UI thread (thumbnails, previews), cached by content hash."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QImageReader

# Decoding a 40-megapixel photo takes longer than a frame; one worker keeps the order of
# requests and leaves the other core to the UI. Python threads, not QThreads: the work only
# touches QImage/QImageReader, which are reentrant.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deskforms-images")


class _Dispatcher(QObject):
    """Runs callbacks on the thread it lives on (the UI thread); it is never deleted."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._on_posted, Qt.ConnectionType.QueuedConnection)

    def _on_posted(self, callback: Callable[[], None]) -> None:
        callback()


_dispatcher: _Dispatcher | None = None


def _ui_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()  # first used from a widget: the UI thread
    return _dispatcher


def read_scaled(path: str, side: int) -> QImage:
    """The image at `path`, at most `side` pixels wide and high (a null QImage if unreadable).

    Large images are decoded at the reduced size (JPEG decodes at 1/8 scale directly), so a
    thumbnail of a huge photo costs little memory.
    """
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > side or size.height() > side):
        reader.setScaledSize(size.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if not image.isNull() and (image.width() > side or image.height() > side):
        image = image.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


class ImageCache(QObject):
    """Scaled images by (key, side): `image` answers from the cache or starts a read.

    `loaded(key, side)` is emitted on the UI thread when a read finishes (also when it
    failed: `image` then returns None for good).
    """

    loaded = Signal(str, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._images: dict[tuple[str, int], QImage | None] = {}
        self._waiting: set[tuple[str, int]] = set()
        self._dispatcher = _ui_dispatcher()

    def image(self, key: str, path: str, side: int) -> QImage | None:
        """The cached image, or None while it is read (or when it cannot be)."""
        wanted = (key, side)
        if wanted in self._images:
            return self._images[wanted]
        if wanted not in self._waiting:
            self._waiting.add(wanted)
            future = _executor.submit(read_scaled, path, side)
            future.add_done_callback(partial(self._post, weakref.ref(self), wanted))
        return None

    def is_loading(self, key: str, side: int) -> bool:
        return (key, side) in self._waiting

    def _post(
        self, ref: weakref.ref[ImageCache], wanted: tuple[str, int], future: Future[QImage]
    ) -> None:
        # On the worker thread: hand the result to the UI thread.
        self._dispatcher.posted.emit(partial(_deliver, ref, wanted, future))


def _deliver(ref: weakref.ref[ImageCache], wanted: tuple[str, int], future: Future[QImage]) -> None:
    cache = ref()
    if cache is None or not shiboken6.isValid(cache):
        return  # the field went away meanwhile
    error = future.exception()
    image = None if error is not None else future.result()
    cache._waiting.discard(wanted)
    cache._images[wanted] = image if image is not None and not image.isNull() else None
    cache.loaded.emit(*wanted)
