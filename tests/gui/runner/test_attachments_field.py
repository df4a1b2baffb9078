"""The attachments field with a real store: paste, limits, the list model, reorder, remove, open."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QIcon, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.gui.runner.attachments import AttachmentsField
from desktop_app.gui.runner.attachments_model import THUMBNAIL_SIDE
from desktop_app.gui.runner.fields import make_field_widget
from desktop_app.store import Store
from tests.gui.runner.conftest import make_field_form

LIMITS = {"max_files": 3, "max_file_size_mb": 0.05, "accept": [".png", ".txt", ".log"]}


def make_field(
    qtbot: QtBot, store: Store, limits: dict[str, Any] | None = None
) -> AttachmentsField:
    item = {
        "type": "attachments",
        "key": "files",
        "label": "Files",
        "maps_to": "sys_attachments",
        "attachments": limits or LIMITS,
    }
    widget = make_field_widget(make_field_form(item).fields[0])
    assert isinstance(widget, AttachmentsField)
    widget.use_store(store.attachments)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


@pytest.fixture
def field(qtbot: QtBot, store: Store) -> AttachmentsField:
    return make_field(qtbot, store)


def write(path: Path, data: bytes = b"hello") -> Path:
    path.write_bytes(data)
    return path


def names(field: AttachmentsField) -> list[str]:
    return [item["name"] for item in field.value() or []]


def image_file(path: Path, width: int = 300, height: int = 200) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(path))
    return path


def test_pasted_image_is_stored_as_a_png(
    qtbot: QtBot, field: AttachmentsField, store: Store
) -> None:
    image = QImage(20, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    QApplication.clipboard().setImage(image)
    with qtbot.waitSignal(field.changed):
        qtbot.mouseClick(field.paste_button, Qt.MouseButton.LeftButton)
    [item] = field.value() or []
    assert re.fullmatch(r"pasted-\d{4}-\d{2}-\d{2}-\d{6}\.png", item["name"])
    assert item["type"] == "image/png" and item["path"].startswith("sha256:")
    data = store.attachments.read_bytes(item["path"].removeprefix("sha256:"))
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and item["size"] == len(data)
    decoded = QImage.fromData(data)
    assert (decoded.width(), decoded.height()) == (20, 10)
    assert decoded.pixelColor(3, 3) == QColor("red")


def test_ctrl_v_attaches_copied_files_and_the_copy_outlives_the_original(
    qtbot: QtBot, field: AttachmentsField, store: Store, tmp_path: Path
) -> None:
    log = write(tmp_path / "app.log", b"disk full")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(log))])
    QApplication.clipboard().setMimeData(data)
    field.view.setFocus()
    qtbot.keyClick(field.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    [item] = field.value() or []
    assert item["name"] == "app.log" and item["size"] == 9
    log.rename(tmp_path / "moved.log")  # moving (or changing) the original changes nothing
    (tmp_path / "moved.log").write_bytes(b"overwritten")
    assert store.attachments.read_bytes(item["path"].removeprefix("sha256:")) == b"disk full"


def test_plain_text_on_the_clipboard_is_ignored_with_a_message(
    qtbot: QtBot, field: AttachmentsField
) -> None:
    QApplication.clipboard().setText("just some words")
    with qtbot.waitSignal(field.files_rejected) as rejected:
        qtbot.mouseClick(field.paste_button, Qt.MouseButton.LeftButton)
    assert field.value() is None
    assert "holds text" in rejected.args[0] and "holds text" in field.notice_text()


def test_limits_are_checked_at_once_naming_the_file_and_the_limit(
    qtbot: QtBot, field: AttachmentsField, tmp_path: Path
) -> None:
    big = write(tmp_path / "huge.png", b"x" * 60_000)
    exe = write(tmp_path / "tool.exe", b"MZ")
    problems = field.add_files([big, exe])
    assert problems == [
        "'huge.png' was not added: it is 58.6 KB, over the 0.05 MB limit.",
        "'tool.exe' was not added: only .png, .txt, .log files are accepted.",
    ]
    assert field.value() is None and "huge.png" in field.notice_text()
    files = [write(tmp_path / f"{n}.txt") for n in "abcd"]
    problems = field.add_files(files)
    assert problems == ["'d.txt' was not added: you can attach at most 3 file(s)."]
    assert names(field) == ["a.txt", "b.txt", "c.txt"]
    QApplication.clipboard().setImage(QImage(4, 4, QImage.Format.Format_RGB32))
    [refused] = field.paste()
    assert "at most 3 file(s)" in refused and field.model.rowCount() == 3


def test_a_pasted_image_over_the_size_limit_is_refused(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    field = make_field(qtbot, store, {"max_files": 2, "max_file_size_mb": 0.001})
    noise = QImage(200, 200, QImage.Format.Format_RGB32)
    for y in range(200):
        for x in range(200):
            noise.setPixel(x, y, (x * 7919 + y * 104729) & 0xFFFFFF)
    QApplication.clipboard().setImage(noise)
    field.paste()
    assert field.value() is None and field.model.rowCount() == 0
    assert re.search(
        r"'pasted-[\d-]+\.png' was not added: .* over the 0.001 MB", field.notice_text()
    )


def test_the_list_model_passes_the_model_tester(
    qtbot: QtBot, field: AttachmentsField, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    qtmodeltester.check(field.model)  # stays attached: the changes below are checked too
    field.add_files([write(tmp_path / "a.txt"), image_file(tmp_path / "b.png")])
    field.view.setCurrentIndex(field.model.index(1))
    assert field.move_selected(-1)
    field.remove_selected()
    field.set_value(None)
    assert field.model.rowCount() == 0


def test_rows_show_name_size_type_and_an_icon(field: AttachmentsField, tmp_path: Path) -> None:
    field.add_files([write(tmp_path / "notes.txt", b"x" * 2048)])
    index = field.model.index(0)
    assert index.data() == "notes.txt\n2 KB · " + field.model.type_text(field.model.entry(0))
    assert field.model.type_text(field.model.entry(0)) not in ("", "text/plain")
    icon = index.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert str(tmp_path / "notes.txt") in index.data(Qt.ItemDataRole.ToolTipRole)


def test_images_get_thumbnails_off_the_ui_thread(
    qtbot: QtBot, field: AttachmentsField, tmp_path: Path
) -> None:
    field.add_files([image_file(tmp_path / "shot.png", 300, 200), write(tmp_path / "a.txt")])
    assert field.model.thumbnail(1) is None  # not an image
    qtbot.waitUntil(lambda: field.model.thumbnail(0) is not None, timeout=3000)
    thumbnail = field.model.thumbnail(0)
    assert thumbnail is not None
    assert (thumbnail.width(), thumbnail.height()) == (THUMBNAIL_SIDE, 32)
    icon = field.model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert icon.pixmap(THUMBNAIL_SIDE).toImage().pixelColor(10, 10) == QColor("teal")


def test_reorder_by_keys_buttons_and_drag_changes_the_answer_order(
    qtbot: QtBot, field: AttachmentsField, tmp_path: Path
) -> None:
    field.add_files([write(tmp_path / f"{n}.txt", n.encode()) for n in "abc"])
    field.view.setFocus()
    field.view.setCurrentIndex(field.model.index(2))
    with qtbot.waitSignal(field.changed):
        qtbot.keyClick(field.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert names(field) == ["a.txt", "c.txt", "b.txt"]
    assert field.view.currentIndex().row() == 1  # the moved file stays selected
    qtbot.mouseClick(field.up_button, Qt.MouseButton.LeftButton)
    assert names(field) == ["c.txt", "a.txt", "b.txt"]
    assert not field.up_button.isEnabled() and field.down_button.isEnabled()
    qtbot.keyClick(field.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert names(field) == ["a.txt", "c.txt", "b.txt"]
    data = field.model.mimeData([field.model.index(0)])
    target = field.view.visualRect(field.model.index(2)).center()
    drop = QDropEvent(
        target.toPointF(),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    field.view.dropEvent(drop)
    assert names(field) == ["c.txt", "b.txt", "a.txt"]


def test_delete_removes_the_selected_files(
    qtbot: QtBot, field: AttachmentsField, tmp_path: Path
) -> None:
    field.add_files([write(tmp_path / f"{n}.txt") for n in "abc"])
    field.view.setFocus()
    field.view.setCurrentIndex(field.model.index(0))
    field.view.selectionModel().select(
        field.model.index(2), field.view.selectionModel().SelectionFlag.Select
    )
    with qtbot.waitSignal(field.changed):
        qtbot.keyClick(field.view, Qt.Key.Key_Delete)
    assert names(field) == ["b.txt"]


def test_open_hands_the_stored_copy_to_the_opener(
    qtbot: QtBot, field: AttachmentsField, store: Store, tmp_path: Path
) -> None:
    opened: list[QUrl] = []

    def opener(url: QUrl) -> bool:
        opened.append(url)
        return True

    field.opener = opener
    original = write(tmp_path / "report.txt", b"all good")
    field.add_files([original])
    original.unlink()
    sha256 = field.model.entry(0).sha256
    assert sha256 is not None
    field.view.setFocus()
    field.view.setCurrentIndex(field.model.index(0))
    qtbot.keyClick(field.view, Qt.Key.Key_Return)
    assert len(opened) == 1
    rect = field.view.visualRect(field.model.index(0))
    qtbot.mouseClick(field.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(field.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 2 and opened[0] == opened[1]
    shown = Path(opened[0].toLocalFile())
    # The stored copy under its own name (viewers pick a program by extension), read-only so
    # a viewer that saves in place cannot change what is sent.
    assert shown.name == "report.txt" and shown.read_bytes() == b"all good"
    assert shown.stat().st_mode & 0o222 == 0
    assert shown.read_bytes() == store.attachments.read_bytes(sha256)


def test_files_dropped_on_the_list_are_attached(field: AttachmentsField, tmp_path: Path) -> None:
    field.add_files([write(tmp_path / "a.txt")])
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(write(tmp_path / "b.log")))])
    drop = QDropEvent(
        QPoint(5, 5).toPointF(),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    field.view.dropEvent(drop)
    assert names(field) == ["a.txt", "b.log"]
