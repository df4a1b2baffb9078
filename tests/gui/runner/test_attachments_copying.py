"""Files are copied into the store in the executor while the window stays responsive."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.gui.runner.attachments import AttachmentsField
from desktop_app.store import Store, StoredFile, StoreError
from tests.gui.runner.conftest import RunnerFactory
from tests.gui.runner.test_runner_store import example


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def test_a_big_file_is_copied_off_the_ui_thread_and_then_autosaved(
    qtbot: QtBot,
    qasync_runner: asyncio.Runner,
    make_runner: RunnerFactory,
    store: Store,
    tmp_path: Path,
) -> None:
    big = tmp_path / "capture.log"
    big.write_bytes(b"0123456789abcdef" * (512 * 1024))  # 8 MB
    runner = make_runner("it-support")
    runner.load_answers(example("it-support"))
    field = runner.fields["attachments"]
    assert isinstance(field, AttachmentsField)
    saved: list[str] = []
    runner.draft_saved.connect(saved.append)

    async def attach() -> None:
        field.add_files([big])
        # The copy runs in the executor: the row says so, and the answer waits for it.
        assert field.model.index(0).data().startswith("capture.log\ncopying… (8 MB)")
        assert field.value() is None and field.is_copying()
        assert not runner.go_review()  # a ticket must not leave without the file
        assert "'capture.log' is still being copied" in runner.message()
        await until(lambda: not field.is_copying())
        await until(lambda: bool(saved))

    qasync_runner.run(attach())
    [item] = field.value() or []
    assert item["name"] == "capture.log" and item["size"] == 8 * 1024 * 1024
    assert "copying" not in field.model.index(0).data()
    [link] = store.draft(saved[-1]).attachments
    assert (link.name, link.size) == ("capture.log", 8 * 1024 * 1024)
    big.unlink()
    assert runner.send() is not None


def test_a_file_removed_while_copying_stays_out(
    qtbot: QtBot, qasync_runner: asyncio.Runner, make_runner: RunnerFactory, tmp_path: Path
) -> None:
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text("one")
    second.write_text("two")
    runner = make_runner("it-support")
    field = runner.fields["attachments"]
    assert isinstance(field, AttachmentsField)

    async def attach_and_remove() -> None:
        field.add_files([first, second])
        field.view.setCurrentIndex(field.model.index(0))
        field.remove_selected()
        await until(lambda: not field.is_copying())

    qasync_runner.run(attach_and_remove())
    assert [item["name"] for item in field.value() or []] == ["two.txt"]


def test_a_copy_that_fails_is_named_in_the_notice(
    qtbot: QtBot,
    qasync_runner: asyncio.Runner,
    make_runner: RunnerFactory,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doomed = tmp_path / "gone.txt"
    doomed.write_text("soon gone")
    runner = make_runner("it-support")
    field = runner.fields["attachments"]
    assert isinstance(field, AttachmentsField)

    def vanished(path: Path, name: str | None = None) -> StoredFile:
        # The file went away between the check and the copy (no other way to time that).
        raise StoreError(f"Cannot attach '{path}': the file does not exist.")

    monkeypatch.setattr(store.attachments, "add_file", vanished)

    async def attach() -> None:
        field.add_files([doomed])
        assert field.is_copying()
        await until(lambda: not field.is_copying())

    qasync_runner.run(attach())
    assert field.value() is None and field.model.rowCount() == 0
    assert field.notice_text() == f"Cannot attach '{doomed}': the file does not exist."


def test_a_pasted_image_is_encoded_and_stored_in_the_executor(
    qtbot: QtBot, qasync_runner: asyncio.Runner, make_runner: RunnerFactory, store: Store
) -> None:
    runner = make_runner("it-support")
    field = runner.fields["attachments"]
    assert isinstance(field, AttachmentsField)
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    QApplication.clipboard().setImage(image)

    async def paste() -> None:
        assert field.paste() == []
        assert field.is_copying() and field.value() is None
        await until(lambda: not field.is_copying())

    qasync_runner.run(paste())
    [item] = field.value() or []
    stored = QImage.fromData(store.attachments.read_bytes(item["path"].removeprefix("sha256:")))
    assert (stored.width(), stored.height()) == (64, 48)
