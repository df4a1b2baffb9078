"""Attached files copied into the data folder, content-addressed by SHA-256."""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from desktop_app.core.form.model import FieldType, Form
from desktop_app.store.errors import NotFound, StoreError

ATTACHMENTS_DIR = "attachments"
CHUNK_SIZE = 1024 * 1024
DEFAULT_MIME = "application/octet-stream"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredFile:
    """A file as the store keeps it: its content hash and the name it was attached under."""

    sha256: str
    name: str
    size: int
    mime: str


def guess_mime(name: str) -> str:
    """The MIME type of a file name's extension, or application/octet-stream."""
    return mimetypes.guess_type(name, strict=False)[0] or DEFAULT_MIME


class AttachmentStore:
    """Files under `<data_dir>/attachments/<sha[:2]>/<sha>`; the same content is kept once.

    A copy is written to a temporary file, flushed to disk and renamed into place, so a crash
    never leaves a half-written file under a hash name. Stored files are never modified.
    """

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / ATTACHMENTS_DIR

    def relative_path(self, sha256: str) -> str:
        """Where a file lives relative to the data folder (as the database records it)."""
        check_sha256(sha256)
        return f"{ATTACHMENTS_DIR}/{sha256[:2]}/{sha256}"

    def path_of(self, sha256: str) -> Path:
        """The absolute path of a stored file (which may not exist)."""
        return self.data_dir / self.relative_path(sha256)

    def exists(self, sha256: str) -> bool:
        """True when the file with this content is stored."""
        return self.path_of(sha256).is_file()

    def add_file(self, path: Path | str, name: str | None = None) -> StoredFile:
        """Copy a file into the store; `name` defaults to the file's own name."""
        source = Path(path)
        shown = name or source.name
        try:
            with source.open("rb") as stream:
                return self._add_stream(stream, shown)
        except FileNotFoundError:
            raise StoreError(f"Cannot attach '{source}': the file does not exist.") from None
        except IsADirectoryError:
            raise StoreError(f"Cannot attach '{source}': it is a folder, not a file.") from None
        except PermissionError:
            raise StoreError(
                f"Cannot attach '{source}': DeskForms is not allowed to read it."
            ) from None
        except OSError as error:
            raise StoreError(f"Cannot attach '{source}': {error.strerror or error}.") from None

    def add_bytes(self, data: bytes, name: str) -> StoredFile:
        """Store content that is not a file yet (a pasted image, a screenshot)."""
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.exists(sha256):
            self._write_atomically(sha256, [data])
        return StoredFile(sha256=sha256, name=name, size=len(data), mime=guess_mime(name))

    def open(self, sha256: str) -> BinaryIO:
        """The stored file, opened for reading."""
        try:
            return self.path_of(sha256).open("rb")
        except FileNotFoundError:
            raise self._missing(sha256) from None
        except OSError as error:
            raise StoreError(
                f"Cannot read attachment {sha256[:12]}: {error.strerror or error}."
            ) from None

    def read_bytes(self, sha256: str) -> bytes:
        """The whole content of a stored file."""
        with self.open(sha256) as stream:
            return stream.read()

    def require(self, sha256: str) -> None:
        """Raise NotFound unless the file is stored (a submission must never point nowhere)."""
        if not self.exists(sha256):
            raise self._missing(sha256)

    def import_answers(self, form: Form, answers: Mapping[str, Any]) -> dict[str, list[StoredFile]]:
        """Copy every file that an attachments answer names by path; per field key, in order.

        Items already uploaded ({"id": n}) are left to the answers. For the command line and
        imports; the desktop app copies each file the moment it is attached.
        """
        stored: dict[str, list[StoredFile]] = {}
        for field in form.fields:
            value = answers.get(field.key)
            if field.type is not FieldType.ATTACHMENTS or value is None:
                continue
            for item in value if isinstance(value, list | tuple) else [value]:
                path, name = _path_and_name(item)
                if path is not None:
                    stored.setdefault(field.key, []).append(self.add_file(path, name))
        return stored

    def _add_stream(self, stream: BinaryIO, name: str) -> StoredFile:
        digest = hashlib.sha256()
        size = 0
        self.root.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as temp:
                # One pass: hash while copying, so a file that changes meanwhile still gets
                # the hash of exactly the bytes we kept.
                while chunk := stream.read(CHUNK_SIZE):
                    digest.update(chunk)
                    temp.write(chunk)
                    size += len(chunk)
                temp.flush()
                os.fsync(temp.fileno())
            sha256 = digest.hexdigest()
            if self.exists(sha256):
                os.unlink(temp_name)
            else:
                self._place(temp_name, sha256)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise
        return StoredFile(sha256=sha256, name=name, size=size, mime=guess_mime(name))

    def _write_atomically(self, sha256: str, chunks: list[bytes]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as temp:
                for chunk in chunks:
                    temp.write(chunk)
                temp.flush()
                os.fsync(temp.fileno())
            self._place(temp_name, sha256)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise

    def _place(self, temp_name: str, sha256: str) -> None:
        target = self.path_of(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp_name, target)
        _fsync_dir(target.parent)

    def _missing(self, sha256: str) -> NotFound:
        return NotFound(
            f"Attachment {sha256[:12]} is missing from {self.root}: the data folder was changed outside DeskForms."
        )


def check_sha256(sha256: str) -> None:
    """Refuse anything but 64 lowercase hex digits (it becomes part of a path)."""
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")


def _path_and_name(item: Any) -> tuple[str | None, str | None]:
    if isinstance(item, str) and item.strip():
        return item.strip(), None
    if isinstance(item, Mapping) and "id" not in item:
        path, name = item.get("path"), item.get("name")
        if isinstance(path, str) and path.strip():
            return path.strip(), name if isinstance(name, str) and name.strip() else None
    return None, None


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open folders and needs no such step."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
