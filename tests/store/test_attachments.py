"""Attachments are copied into the data folder, content-addressed, and kept once per content."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from desktop_app.store import AttachmentStore, NotFound, Store, StoredFile, StoreError
from tests.store.conftest import make_form


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_file_is_copied_under_its_hash(tmp_path: Path) -> None:
    files = AttachmentStore(tmp_path / "data")
    original = write(tmp_path / "in" / "report.pdf", b"%PDF-1.7 report")
    stored = files.add_file(original)
    sha = hashlib.sha256(b"%PDF-1.7 report").hexdigest()
    assert stored == StoredFile(sha256=sha, name="report.pdf", size=15, mime="application/pdf")
    assert files.path_of(sha) == tmp_path / "data" / "attachments" / sha[:2] / sha
    assert files.relative_path(sha) == f"attachments/{sha[:2]}/{sha}"
    assert files.read_bytes(sha) == b"%PDF-1.7 report"
    with files.open(sha) as stream:
        assert stream.read(4) == b"%PDF"


def test_the_same_content_twice_is_stored_once_under_two_names(tmp_path: Path) -> None:
    files = AttachmentStore(tmp_path / "data")
    first = files.add_file(write(tmp_path / "a" / "photo.jpg", b"same bytes"))
    second = files.add_file(write(tmp_path / "b" / "copy.png", b"same bytes"), name="Copy.png")
    assert first.sha256 == second.sha256
    assert (first.name, second.name) == ("photo.jpg", "Copy.png")
    assert (first.mime, second.mime) == ("image/jpeg", "image/png")
    stored = [p for p in (tmp_path / "data" / "attachments").rglob("*") if p.is_file()]
    assert stored == [files.path_of(first.sha256)]  # one file, no temporary leftovers


def test_the_copy_survives_deleting_the_original(tmp_path: Path) -> None:
    files = AttachmentStore(tmp_path / "data")
    original = write(tmp_path / "in" / "log.txt", b"line\n" * 100_000)
    stored = files.add_file(original)
    original.unlink()
    assert files.read_bytes(stored.sha256) == b"line\n" * 100_000
    assert stored.size == 500_000


def test_large_files_are_hashed_while_streaming(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # several chunks and a remainder
    files = AttachmentStore(tmp_path / "data")
    stored = files.add_file(write(tmp_path / "big.bin", data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.mime == "application/octet-stream"
    assert files.read_bytes(stored.sha256) == data


def test_add_bytes_dedups_with_files(tmp_path: Path) -> None:
    files = AttachmentStore(tmp_path / "data")
    pasted = files.add_bytes(b"screenshot", "screenshot.png")
    from_disk = files.add_file(write(tmp_path / "s.png", b"screenshot"))
    assert pasted.sha256 == from_disk.sha256
    assert files.exists(pasted.sha256)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "missing.pdf", "the file does not exist"),
        (lambda tmp: tmp, "it is a folder"),
    ],
)
def test_files_that_cannot_be_read_give_one_clear_line(
    tmp_path: Path, make: object, expected: str
) -> None:
    files = AttachmentStore(tmp_path / "data")
    with pytest.raises(StoreError, match=expected) as caught:
        files.add_file(make(tmp_path))  # type: ignore[operator]
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", b"x")
    secret.chmod(0)
    with pytest.raises(StoreError, match="not allowed to read"):
        AttachmentStore(tmp_path / "data").add_file(secret)


def test_a_missing_stored_file_is_not_found(tmp_path: Path) -> None:
    files = AttachmentStore(tmp_path / "data")
    sha = hashlib.sha256(b"gone").hexdigest()
    with pytest.raises(NotFound, match="missing"):
        files.read_bytes(sha)
    with pytest.raises(NotFound):
        files.require(sha)


def test_hashes_are_checked_before_they_become_paths(tmp_path: Path) -> None:
    files = AttachmentStore(tmp_path / "data")
    with pytest.raises(ValueError, match="SHA-256"):
        files.path_of("../../etc/passwd")


def test_import_answers_copies_files_named_by_path(tmp_path: Path) -> None:
    files = AttachmentStore(tmp_path / "data")
    one = write(tmp_path / "one.txt", b"1")
    two = write(tmp_path / "two.txt", b"2")
    answers = {
        "summary": "x",
        "files": [str(one), {"path": str(two), "name": "Second.txt"}, {"id": 99}],
    }
    stored = files.import_answers(make_form(), answers)
    assert [(f.name, f.size) for f in stored["files"]] == [("one.txt", 1), ("Second.txt", 1)]
    assert list(stored) == ["files"]


def test_a_store_refuses_to_link_a_file_that_is_not_stored(store: Store) -> None:
    ghost = StoredFile(sha256="0" * 64, name="ghost.txt", size=1, mime="text/plain")
    with pytest.raises(NotFound):
        store.save_draft(make_form(), {}, attachments={"files": [ghost]})
    assert store.draft_count() == 0


def test_files_only_attach_to_attachment_fields(store: Store) -> None:
    stored = store.attachments.add_bytes(b"x", "x.txt")
    with pytest.raises(StoreError, match="does not take attachments"):
        store.save_draft(make_form(), {}, attachments={"summary": [stored]})
    with pytest.raises(StoreError, match="no field 'nope'"):
        store.save_draft(make_form(), {}, attachments={"nope": [stored]})
