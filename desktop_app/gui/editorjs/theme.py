"""Fits the renderer's fixed highlight colours to the palette, so dark themes stay readable."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import QColor, QPalette

from desktop_app.core.editorjs.base import NOTE_STYLE_QT
from desktop_app.core.editorjs.blocks import CODE_BACKGROUND_QT, WARNING_BACKGROUND_QT
from desktop_app.core.editorjs.fastpath import CODE_BACKGROUND, MARKER_BACKGROUND
from desktop_app.core.editorjs.media import IMAGE_BACKGROUND_QT

# The "qt" target paints light backgrounds (code, marker, warning, framed images) and grey
# notes. Text takes the palette's colour, so on a dark palette it would be light on light.
# Each colour becomes a mix of the palette's base with a tint: (tint, share of the tint).
_NOTE_COLOR = NOTE_STYLE_QT.removeprefix("color:")
_TEXT = "text"  # the palette's text colour as the tint
_DARK_MIXES: dict[str, tuple[str, float]] = {
    CODE_BACKGROUND_QT: (_TEXT, 0.10),
    CODE_BACKGROUND: (_TEXT, 0.14),
    IMAGE_BACKGROUND_QT: (_TEXT, 0.08),
    WARNING_BACKGROUND_QT: ("#ff9800", 0.22),
    MARKER_BACKGROUND: ("#ffd400", 0.40),
    _NOTE_COLOR: (_TEXT, 0.60),
}
# Only colours inside tags change: the same characters in text are content. Sanitized text has
# its < and > escaped, so every match of _TAG is markup.
_TAG = re.compile(r"<[^<>]*>")


def is_dark(palette: QPalette) -> bool:
    """Whether text is lighter than the background it is written on."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return text.lightness() > base.lightness()


def _mix(base: QColor, tint: QColor, share: float) -> str:
    def channel(a: int, b: int) -> int:
        return round(a * (1 - share) + b * share)

    return QColor(
        channel(base.red(), tint.red()),
        channel(base.green(), tint.green()),
        channel(base.blue(), tint.blue()),
    ).name()


def colour_mapping(palette: QPalette) -> dict[str, str]:
    """Renderer colour (lower-case #rrggbb) -> colour to show instead; empty for light palettes."""
    if not is_dark(palette):
        return {}
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return {
        colour.lower(): _mix(base, text if tint == _TEXT else QColor(tint), share)
        for colour, (tint, share) in _DARK_MIXES.items()
    }


def colour_adapter(palette: QPalette) -> Callable[[str], str]:
    """A function that rewrites the renderer's colours in Qt HTML for `palette`."""
    mapping = colour_mapping(palette)
    if not mapping:
        return _unchanged
    colours = re.compile("|".join(re.escape(colour) for colour in mapping), re.IGNORECASE)

    def in_tag(match: re.Match[str]) -> str:
        return colours.sub(lambda found: mapping[found.group().lower()], match.group())

    def adapt(markup: str) -> str:
        return _TAG.sub(in_tag, markup)

    return adapt


def _unchanged(markup: str) -> str:
    return markup
