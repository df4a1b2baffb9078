"""The preview follows the palette: dark themes get readable highlight colours."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from desktop_app.core.editorjs.blocks import CODE_BACKGROUND_QT, WARNING_BACKGROUND_QT
from desktop_app.core.editorjs.fastpath import MARKER_BACKGROUND
from desktop_app.gui.editorjs.preview import STYLE_SHEET, EditorJsPreview
from desktop_app.gui.editorjs.theme import colour_adapter, colour_mapping, is_dark


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    palette = dark_palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    return palette


def test_light_palettes_keep_the_renderer_colours() -> None:
    assert not is_dark(light_palette())
    markup = f'<pre style="background-color:{CODE_BACKGROUND_QT}">x</pre>'
    assert colour_adapter(light_palette())(markup) == markup


def test_dark_palettes_darken_highlights_in_markup_only() -> None:
    adapt = colour_adapter(dark_palette())
    mapping = colour_mapping(dark_palette())
    markup = (
        f'<span style="background-color:{MARKER_BACKGROUND.upper()}">see {MARKER_BACKGROUND}</span>'
    )
    adapted = adapt(markup)
    assert (
        adapted
        == f'<span style="background-color:{mapping[MARKER_BACKGROUND]}">see {MARKER_BACKGROUND}</span>'
    )
    for colour in (CODE_BACKGROUND_QT, WARNING_BACKGROUND_QT, MARKER_BACKGROUND):
        assert QColor(mapping[colour]).lightness() < 128  # light text stays readable on it


def test_the_preview_follows_a_palette_change(qtbot: QtBot) -> None:
    preview = EditorJsPreview(url_opener=lambda _: False)
    qtbot.addWidget(preview)
    preview.set_document({"blocks": [{"type": "code", "data": {"code": "print(1)"}}]})
    assert QColor(CODE_BACKGROUND_QT).name() in preview.toHtml()

    preview.setPalette(dark_palette())

    dark_code = colour_mapping(dark_palette())[CODE_BACKGROUND_QT]
    assert dark_code in preview.toHtml() and CODE_BACKGROUND_QT not in preview.toHtml()
    assert preview.blocks()[0]["type"] == "code"


def test_the_style_sheet_sets_no_colours() -> None:
    assert "color" not in STYLE_SHEET  # text and background come from the palette


def test_void_calls_do_not_free_none() -> None:
    # PySide6 6.12.0 took a reference from None on every void call, so this loop aborted the
    # interpreter on Python 3.11; pyproject caps the binding below that release.
    point = QPoint()
    for _ in range(20_000):  # several times the references None holds without the fix
        point.setX(1)
    assert sys.getrefcount(None) > 1_000  # getting here at all means None survived
