"""Attached files copied into the store once each, and the store's view of an answer's files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.store import AttachmentStore, StoredFile, StoreError
from desktop_app.store.attachments import check_sha256, guess_mime
from desktop_app.store.records import STORED_ATTACHMENT_PREFIX


class AttachmentCopies:
    """Copies files into the store when they are attached, and remembers each copy by path.

    So a file is read once however often the draft is saved, and moving or changing the
    original after attaching it changes nothing. Items restored from a draft already point at
    stored copies ("sha256:…" paths) and are only looked up.
    """

    def __init__(self, files: AttachmentStore) -> None:
        self._files = files
        self._copies: dict[str, StoredFile] = {}

    def stored(self, item: Any) -> StoredFile | None:
        """The stored copy of one attachment answer item, copying it now if needed.

        None for items already uploaded ({"id": n}); StoreError when the file cannot be read.
        """
        if isinstance(item, Mapping):
            if "id" in item:
                return None
            path, name = item.get("path"), item.get("name")
        else:
            path, name = item, None
        if not isinstance(path, str) or not path.strip():
            raise StoreError(f"Cannot attach {item!r}: it names no file.")
        shown = name if isinstance(name, str) and name.strip() else None
        if path.startswith(STORED_ATTACHMENT_PREFIX):
            return self._restored(path.removeprefix(STORED_ATTACHMENT_PREFIX), shown, item)
        copy = self._copies.get(path)
        if copy is None:
            copy = self._files.add_file(path, shown)
            self._copies[path] = copy
        return copy

    def stored_all(self, items: list[Any]) -> tuple[list[StoredFile], list[str]]:
        """The stored copies of a field's items, in order, and why any could not be copied."""
        files: list[StoredFile] = []
        problems: list[str] = []
        for item in items:
            try:
                copy = self.stored(item)
            except StoreError as error:
                problems.append(str(error))
                continue
            if copy is not None:
                files.append(copy)
        return files, problems

    def _restored(self, sha256: str, name: str | None, item: Any) -> StoredFile:
        try:
            check_sha256(sha256)
        except ValueError:
            raise StoreError(f"Cannot attach {item!r}: it names no stored file.") from None
        self._files.require(sha256)
        shown = name or sha256[:12]
        size = item.get("size") if isinstance(item, Mapping) else None
        mime = item.get("type") if isinstance(item, Mapping) else None
        if not isinstance(size, int):
            size = self._files.path_of(sha256).stat().st_size
        return StoredFile(
            sha256=sha256,
            name=shown,
            size=size,
            mime=mime if isinstance(mime, str) else guess_mime(shown),
        )
