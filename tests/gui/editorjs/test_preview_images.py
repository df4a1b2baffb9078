"""The preview shows local attachment images and never fetches anything remote."""

from __future__ import annotations

import select
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from pytestqt.qtbot import QtBot

from desktop_app.gui.editorjs.preview import EditorJsPreview
from desktop_app.gui.editorjs.resources import PLACEHOLDER_SIZE, ImageResources

IMAGE = QTextDocument.ResourceType.ImageResource.value
RED = QColor(220, 20, 30)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local TCP port that records whether anything connects to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server
    server.close()


def assert_no_connection(server: socket.socket) -> None:
    readable, _, _ = select.select([server], [], [], 0.3)
    assert not readable, "the preview connected to a remote image address"


def port_of(server: socket.socket) -> int:
    port: int = server.getsockname()[1]
    return port


def picture(path: Path, color: QColor = RED, size: tuple[int, int] = (30, 20)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(color)
    assert image.save(str(path))
    return path


def image_block(url: str) -> dict[str, object]:
    return {"type": "image", "data": {"file": {"url": url}, "caption": "Shot"}}


def shown(qtbot: QtBot, preview: EditorJsPreview) -> QImage:
    preview.resize(500, 400)
    preview.show()
    qtbot.waitExposed(preview)
    return preview.grab().toImage()  # lays out and paints, which requests the images


def contains(image: QImage, color: QColor) -> bool:
    return any(
        image.pixelColor(x, y) == color
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )


def test_remote_image_blocks_are_not_fetched(qtbot: QtBot, listener: socket.socket) -> None:
    url = f"http://127.0.0.1:{port_of(listener)}/shot.png"
    preview = EditorJsPreview(url_opener=lambda _: False)
    qtbot.addWidget(preview)
    preview.set_document(
        {"blocks": [image_block(url), {"type": "raw", "data": {"html": f'<img src="{url}">'}}]}
    )
    shown(qtbot, preview)
    assert_no_connection(listener)
    assert url in preview.toHtml()  # offered as a link to open on click instead


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_remote_images_in_the_document_get_the_placeholder(
    qtbot: QtBot, listener: socket.socket, scheme: str
) -> None:
    # Bypass the renderer: even an <img> that reached the document is not fetched.
    url = f"{scheme}://127.0.0.1:{port_of(listener)}/direct.png"
    preview = EditorJsPreview(url_opener=lambda _: False)
    qtbot.addWidget(preview)
    preview.document().setHtml(f'<p>before<img src="{url}">after</p>')
    shown(qtbot, preview)
    image = preview.document().resource(IMAGE, QUrl(url))
    assert isinstance(image, QImage) and image.width() == PLACEHOLDER_SIZE
    assert_no_connection(listener)


def test_a_local_attachment_image_is_shown(qtbot: QtBot, tmp_path: Path) -> None:
    attachments = tmp_path / "attachments"
    path = picture(attachments / "screen.png")
    preview = EditorJsPreview(url_opener=lambda _: False, allowed_image_roots=[attachments])
    qtbot.addWidget(preview)
    url = QUrl.fromLocalFile(str(path)).toString()
    preview.set_document({"blocks": [image_block(url)]})
    grabbed = shown(qtbot, preview)
    loaded = preview.document().resource(IMAGE, QUrl(url))
    assert isinstance(loaded, QImage) and (loaded.width(), loaded.height()) == (30, 20)
    assert contains(grabbed, RED)


def test_local_files_outside_the_allowed_folders_are_not_shown(
    qtbot: QtBot, tmp_path: Path
) -> None:
    attachments = tmp_path / "attachments"
    attachments.mkdir()
    secret = picture(tmp_path / "private" / "secret.png")
    link = attachments / "link.png"
    link.symlink_to(secret)
    preview = EditorJsPreview(url_opener=lambda _: False, allowed_image_roots=[attachments])
    qtbot.addWidget(preview)
    urls = [
        QUrl.fromLocalFile(str(secret)).toString(),
        QUrl.fromLocalFile(str(link)).toString(),  # a symlink out of the folder
        f"file://{attachments}/../private/secret.png",
    ]
    preview.set_document({"blocks": [image_block(url) for url in urls]})
    grabbed = shown(qtbot, preview)
    assert not contains(grabbed, RED)
    for url in urls:
        assert preview.document().resource(IMAGE, QUrl(url)).width() == PLACEHOLDER_SIZE


def test_images_registered_in_memory_are_shown(qtbot: QtBot) -> None:
    preview = EditorJsPreview(url_opener=lambda _: False)
    qtbot.addWidget(preview)
    image = QImage(24, 24, QImage.Format.Format_RGB32)
    image.fill(RED)
    preview.add_image("file:///attachments/42/photo.png", image)
    preview.set_document({"blocks": [image_block("file:///attachments/42/photo.png")]})
    assert contains(shown(qtbot, preview), RED)


def test_an_image_registered_later_replaces_the_placeholder(qtbot: QtBot) -> None:
    preview = EditorJsPreview(url_opener=lambda _: False)
    qtbot.addWidget(preview)
    url = "file:///attachments/7/later.png"
    preview.set_document({"blocks": [image_block(url), image_block("file:///other.png")]})
    assert not contains(shown(qtbot, preview), RED)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(RED)
    preview.add_image(url, image)
    assert contains(preview.grab().toImage(), RED)
    assert image_heights(preview) == [30, PLACEHOLDER_SIZE]  # laid out at the new size


def image_heights(preview: EditorJsPreview) -> list[int]:
    """The height each image in the document is laid out at, in document order."""
    heights = []
    layout = preview.document().documentLayout()
    block = preview.document().begin()
    while block.isValid():
        if "\ufffc" in block.text():
            heights.append(round(layout.blockBoundingRect(block).height()))
        block = block.next()
    return heights


def test_the_resource_policy(tmp_path: Path) -> None:
    path = picture(tmp_path / "a.png")
    resources = ImageResources([tmp_path])
    assert resources.is_allowed_file(QUrl.fromLocalFile(str(path)))
    assert not resources.is_allowed_file(QUrl(f"file://fileserver{path}"))  # a network share
    assert not resources.is_allowed_file(QUrl("https://example.com/a.png"))
    assert not resources.is_allowed_file(QUrl.fromLocalFile(str(tmp_path / "missing.png")))
    assert resources.load(QUrl("https://example.com/a.png")) is resources.placeholder()
    (tmp_path / "not-an-image.png").write_text("hello")
    assert (
        resources.load(QUrl.fromLocalFile(str(tmp_path / "not-an-image.png")))
        is resources.placeholder()
    )
    no_roots = ImageResources()
    assert no_roots.load(QUrl.fromLocalFile(str(path))) is no_roots.placeholder()


def test_other_resources_are_never_loaded(qtbot: QtBot, listener: socket.socket) -> None:
    preview = EditorJsPreview(url_opener=lambda _: False)
    qtbot.addWidget(preview)
    url = QUrl(f"http://127.0.0.1:{port_of(listener)}/style.css")
    for kind in QTextDocument.ResourceType:
        if kind != QTextDocument.ResourceType.ImageResource:
            assert preview.loadResource(kind.value, url) is None
    assert_no_connection(listener)
