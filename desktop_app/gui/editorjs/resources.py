"""Images the Editor.js preview may show: attachments on this machine, never anything remote."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QImageReader

# Larger pictures are refused rather than decoded: a preview has no use for them and a
# crafted file could ask for gigabytes.
MAX_PIXELS = 40_000_000
PLACEHOLDER_SIZE = 16
_LOCAL_HOSTS = frozenset({"", "localhost"})


class ImageResources:
    """Answers image requests of a rich-text document from local files and memory only.

    `allowed_roots` are folders (attachment folders) whose files may be shown; `add_image`
    registers an in-memory image under the URL the content uses for it. Everything else,
    remote URLs above all, gets the placeholder: nothing here does network I/O.
    """

    def __init__(self, allowed_roots: Iterable[str | Path] = ()) -> None:
        self._roots: list[Path] = []
        self._images: dict[str, QImage] = {}
        self._placeholder: QImage | None = None
        for root in allowed_roots:
            self.add_root(root)

    @property
    def roots(self) -> tuple[Path, ...]:
        return tuple(self._roots)

    def add_root(self, root: str | Path) -> None:
        resolved = Path(root).resolve()
        if resolved not in self._roots:
            self._roots.append(resolved)

    def add_image(self, name: str | QUrl, image: QImage) -> None:
        self._images[_key(name)] = image

    def remove_image(self, name: str | QUrl) -> None:
        self._images.pop(_key(name), None)

    def is_allowed_file(self, url: QUrl) -> bool:
        """Whether `url` is a local file (no remote host) inside one of the allowed roots."""
        return self._allowed_path(url) is not None

    def load(self, url: QUrl) -> QImage:
        """The image for `url`: registered, or read from an allowed file; else the placeholder."""
        registered = self._images.get(_key(url))
        if registered is not None:
            return registered
        path = self._allowed_path(url)
        if path is not None:
            image = _read(path)
            if image is not None:
                return image
        return self.placeholder()

    def placeholder(self) -> QImage:
        """A small neutral square that stands in for an image that is not shown."""
        if self._placeholder is None:
            image = QImage(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE, QImage.Format.Format_ARGB32)
            image.fill(QColor(128, 128, 128, 96))  # translucent: readable on light and dark
            self._placeholder = image
        return self._placeholder

    def _allowed_path(self, url: QUrl) -> Path | None:
        # A file URL with a host names a network share: opening it would contact that server.
        if url.scheme().lower() != "file" or url.host().lower() not in _LOCAL_HOSTS:
            return None
        local = url.toLocalFile()
        if not local or not self._roots:
            return None
        # resolve() follows symlinks and "..", so a link inside a root cannot lead outside it.
        path = Path(local).resolve()
        if not any(path.is_relative_to(root) for root in self._roots):
            return None
        return path if path.is_file() else None


def _key(name: str | QUrl) -> str:
    return (name if isinstance(name, QUrl) else QUrl(name)).toString()


def _read(path: Path) -> QImage | None:
    reader = QImageReader(str(path))
    size = reader.size()
    if size.isValid() and size.width() * size.height() > MAX_PIXELS:
        return None
    image = reader.read()
    return None if image.isNull() else image
