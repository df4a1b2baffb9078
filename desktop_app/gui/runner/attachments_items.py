"""What the attachments field lists: one entry per file, the limits check and naming helpers."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.core.form.model import AttachmentLimits
from desktop_app.core.form.validation import file_name, format_number
from desktop_app.store import AttachmentStore, StoredFile
from desktop_app.store.attachments import check_sha256, guess_mime
from desktop_app.store.records import STORED_ATTACHMENT_PREFIX, stored_attachment_path

_tokens = itertools.count(1)


def human_size(size: int) -> str:
    """1.2 MB, 340 KB, 12 bytes."""
    if size < 1024:
        return f"{size} bytes" if size != 1 else "1 byte"
    if size < 1024 * 1024:
        return f"{format_number(round(size / 1024, 1))} KB"
    return f"{format_number(round(size / (1024 * 1024), 1))} MB"


def accepts(accept: list[str], name: str) -> bool:
    """Whether a file name matches the form's accepted extensions or MIME types (empty: any)."""
    if not accept:
        return True
    lowered = name.lower()
    mime = guess_mime(lowered)
    for entry in (rule.strip().lower() for rule in accept):
        if "/" in entry:
            major, _, minor = entry.partition("/")
            mime_major, _, mime_minor = mime.partition("/")
            if major in ("*", mime_major) and minor in ("*", mime_minor):
                return True
        elif entry and lowered.endswith(entry if entry.startswith(".") else "." + entry):
            return True
    return False


def item_name(item: Any) -> str:
    """The name a path or {"path"/"name"} attachment answer shows."""
    if isinstance(item, Mapping):
        name = item.get("name") or item.get("path") or f"#{item.get('id')}"
        return file_name(str(name))
    return file_name(str(item))


def item_path(item: Any) -> str | None:
    """The path of a path or {"path"} attachment answer (None for uploaded {"id"} items)."""
    if isinstance(item, str):
        return item
    path = item.get("path") if isinstance(item, Mapping) else None
    return path if isinstance(path, str) else None


def pasted_name(now: datetime, taken: set[str]) -> str:
    """pasted-2026-12-04-153012.png, with -2, -3… when pasted twice in one second."""
    stem = now.strftime("pasted-%Y-%m-%d-%H%M%S")
    name = f"{stem}.png"
    number = 2
    while name in taken:
        name = f"{stem}-{number}.png"
        number += 1
    return name


@dataclass(frozen=True)
class Entry:
    """One row of the list: an attached file, or one still being copied into the store.

    `item` is the answer item (a path, or {"path": "sha256:…", "name", "size", "type"} for a
    stored copy); None while the copy runs. `local` is the file to preview and open: the stored
    copy when there is one. `token` tells a finished copy which row it belongs to.
    """

    item: Any
    name: str
    size: int | None
    mime: str
    local: Path | None
    source: str | None = None
    sha256: str | None = None
    token: int = 0

    @property
    def copying(self) -> bool:
        return self.item is None

    @property
    def cache_key(self) -> str:
        """What thumbnails are cached by: the content hash, or the path for unstored files."""
        return self.sha256 or str(self.local or self.name)


def pending_entry(name: str, size: int | None, source: str | None) -> Entry:
    """A row for a file being copied; its copy reports back with the same token."""
    local = Path(source) if source else None
    return Entry(None, name, size, guess_mime(name), local, source, None, next(_tokens))


def stored_entry(pending: Entry, stored: StoredFile, files: AttachmentStore) -> Entry:
    """The row of a finished copy: its answer item now points at the stored file."""
    item = {
        "path": stored_attachment_path(stored.sha256),
        "name": stored.name,
        "size": stored.size,
        "type": stored.mime,
    }
    return replace(
        pending,
        item=item,
        size=stored.size,
        mime=stored.mime,
        local=files.path_of(stored.sha256),
        sha256=stored.sha256,
    )


def entry_for(item: Any, files: AttachmentStore | None) -> Entry:
    """The row of an answer item (a path, a stored copy, or an uploaded {"id"})."""
    name = item_name(item)
    path = item_path(item)
    size = item.get("size") if isinstance(item, Mapping) else None
    kind = item.get("type") if isinstance(item, Mapping) else None
    mime = kind if isinstance(kind, str) and kind else guess_mime(name)
    sha256: str | None = None
    local: Path | None = None
    if path is not None and path.startswith(STORED_ATTACHMENT_PREFIX):
        candidate = path.removeprefix(STORED_ATTACHMENT_PREFIX)
        try:
            check_sha256(candidate)
        except ValueError:
            candidate = ""
        if candidate:
            sha256 = candidate
            local = files.path_of(candidate) if files is not None else None
    elif path is not None:
        local = Path(path)
    if not isinstance(size, int) and local is not None:
        try:
            size = local.stat().st_size
        except OSError:
            size = None
    source = path if sha256 is None else None
    return Entry(item, name, size if isinstance(size, int) else None, mime, local, source, sha256)


def refusal(name: str, size: int | None, count: int, limits: AttachmentLimits) -> str | None:
    """Why a file cannot be attached beside `count` others, in words; None when it can."""
    if count >= limits.max_files:
        return f"'{name}' was not added: you can attach at most {limits.max_files} file(s)."
    if not accepts(limits.accept, name):
        return f"'{name}' was not added: only {', '.join(limits.accept)} files are accepted."
    if size is not None and size > limits.max_file_size_mb * 1024 * 1024:
        limit = format_number(limits.max_file_size_mb)
        return f"'{name}' was not added: it is {human_size(size)}, over the {limit} MB limit."
    return None


def file_refusal(path: Path, count: int, limits: AttachmentLimits) -> str | None:
    """`refusal` for a file on disk, after checking that it is a readable file."""
    name = path.name
    early = refusal(name, None, count, limits)
    if early is not None:
        return early
    try:
        if not path.is_file():
            return f"'{name}' was not added: it is not a file."
        size = path.stat().st_size
    except OSError as error:
        return f"'{name}' was not added: {error.strerror or error}."
    return refusal(name, size, count, limits)
