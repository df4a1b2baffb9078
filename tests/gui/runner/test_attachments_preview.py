"""The preview pane beside the attachments list: images, text, PDF, anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import QColor, QPageSize, QPainter, QPdfWriter
from pytestqt.qtbot import QtBot

from desktop_app.gui.runner.attachments import AttachmentsField
from desktop_app.gui.runner.attachments_preview import TEXT_LIMIT, qt_pdf
from desktop_app.store import Store
from tests.gui.runner.test_attachments_field import image_file, make_field, write

ANY_FILE = {"max_files": 5, "max_file_size_mb": 1}


@pytest.fixture
def field(qtbot: QtBot, store: Store) -> AttachmentsField:
    return make_field(qtbot, store, ANY_FILE)


def select(field: AttachmentsField, row: int) -> None:
    field.view.setCurrentIndex(field.model.index(row))


def tiny_pdf(path: Path) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QSizeF(100, 100), QPageSize.Unit.Point))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    painter = QPainter(writer)
    painter.fillRect(0, 0, 400, 400, QColor("navy"))
    painter.end()
    return path


def test_text_files_show_as_plain_text_never_html(field: AttachmentsField, tmp_path: Path) -> None:
    field.add_files([write(tmp_path / "mail.txt", b"<b>not bold</b> & <img src=x>\nline 2")])
    assert field.preview.kind() == "empty"
    select(field, 0)
    assert field.preview.kind() == "text"
    assert field.preview.text() == "<b>not bold</b> & <img src=x>\nline 2"
    assert "mail.txt" in field.preview.caption.text()


def test_only_the_start_of_a_big_text_file_is_shown(
    field: AttachmentsField, tmp_path: Path
) -> None:
    field.add_files([write(tmp_path / "big.log", b"a" * (TEXT_LIMIT + 5000))])
    select(field, 0)
    text = field.preview.text()
    assert text.startswith("a" * TEXT_LIMIT + "\n") and "first 64 KB" in text


def test_images_show_scaled_to_fit(qtbot: QtBot, field: AttachmentsField, tmp_path: Path) -> None:
    field.add_files([write(tmp_path / "a.txt"), image_file(tmp_path / "photo.png", 1200, 600)])
    select(field, 1)
    qtbot.waitUntil(lambda: field.preview.kind() == "image", timeout=3000)
    image = field.preview.image()
    assert image is not None and image.width() <= 480 and image.pixelColor(5, 5) == QColor("teal")
    shown = field.preview.image_label.pixmap()
    room = field.preview.image_label.size()
    assert 0 < shown.width() <= room.width() and shown.height() <= room.height()
    select(field, 0)
    assert field.preview.kind() == "text" and field.preview.image() is None


@pytest.mark.skipif(qt_pdf() is None, reason="this PySide6 build has no QtPdf")
def test_pdf_shows_its_first_page(field: AttachmentsField, tmp_path: Path) -> None:
    field.add_files([tiny_pdf(tmp_path / "form.pdf")])
    select(field, 0)
    assert field.preview.kind() == "pdf"
    image = field.preview.image()
    assert image is not None and image.pixelColor(10, 10) == QColor("navy")


@pytest.mark.skipif(qt_pdf() is not None, reason="QtPdf is available here")
def test_pdf_without_qtpdf_says_why(field: AttachmentsField, tmp_path: Path) -> None:
    field.add_files([tiny_pdf(tmp_path / "form.pdf")])
    select(field, 0)
    assert field.preview.kind() == "info"
    assert "needs Qt PDF" in field.preview.text()


def test_other_files_show_name_size_and_icon(field: AttachmentsField, tmp_path: Path) -> None:
    field.add_files([write(tmp_path / "data.bin", bytes(range(256)) * 8)])
    select(field, 0)
    assert field.preview.kind() == "info"
    assert field.preview.text().startswith("data.bin\n2 KB")
    assert not field.preview.info_icon.pixmap().isNull()


def test_the_preview_can_be_hidden(qtbot: QtBot, field: AttachmentsField, tmp_path: Path) -> None:
    field.add_files([write(tmp_path / "a.txt")])
    assert field.preview.isVisible()
    qtbot.mouseClick(field.preview_button, Qt.MouseButton.LeftButton)
    assert not field.preview.isVisible() and field.view.isVisible()
    qtbot.mouseClick(field.preview_button, Qt.MouseButton.LeftButton)
    select(field, 0)
    assert field.preview.isVisible() and field.preview.kind() == "text"
