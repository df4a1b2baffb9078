"""The app's look from the settings: light/dark/system colour scheme and the font scale."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    # A type only: the window's shell applies the saved look before the settings model loads.
    from desktop_app.core.settings import Theme

FALLBACK_STYLE = "Fusion"
# Remembered on the QApplication as dynamic properties: the look before DeskForms changed it.
_BASE_FONT = "deskforms_base_font"
_BASE_STYLE = "deskforms_base_style"
_OVERRIDDEN = "deskforms_palette_overridden"

_SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def apply_appearance(app: QApplication, theme: Theme, font_scale: float) -> None:
    """Show the app in `theme` with fonts `font_scale` times the platform's default size.

    The theme is asked of the platform (Qt 6.8's `QStyleHints.setColorScheme`); where the
    platform cannot switch (offscreen, many X11 desktops, older Qt) and its own palette is not
    already the wanted one, the app switches to the Fusion style with a dark or light palette.
    "system" undoes all of that. The platform's font is remembered the first time, so scaling
    is always relative to it, never compounded.
    """
    _apply_theme(app, theme)
    _apply_font_scale(app, font_scale)


def base_font(app: QApplication) -> QFont:
    """The application font before any scaling (remembered on first use)."""
    stored = app.property(_BASE_FONT)
    if isinstance(stored, QFont):
        return QFont(stored)
    font = QFont(app.font())
    app.setProperty(_BASE_FONT, font)
    return QFont(font)


def reset_appearance(app: QApplication) -> None:
    """Undo `apply_appearance`: the platform's colour scheme, style, palette and font again."""
    _unset_scheme(app)
    _restore_platform_look(app)
    stored = app.property(_BASE_FONT)
    if isinstance(stored, QFont):
        app.setFont(stored)
    for name in (_BASE_FONT, _BASE_STYLE, _OVERRIDDEN):
        app.setProperty(name, None)


def is_dark(palette: QPalette) -> bool:
    """Whether a palette shows light text on a dark window."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style (contrast of text on window ~ 12:1)."""
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Text: "#e8e8e8",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e8e8e8",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Light: "#4a4a4a",
        QPalette.ColorRole.Midlight: "#3e3e3e",
        QPalette.ColorRole.Mid: "#2a2a2a",
        QPalette.ColorRole.Dark: "#1a1a1a",
        QPalette.ColorRole.Shadow: "#0a0a0a",
        QPalette.ColorRole.Highlight: "#3d8ee6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb4ff",
        QPalette.ColorRole.LinkVisited: "#c3a6ff",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, QColor("#808080"))
    palette.setColor(disabled, QPalette.ColorRole.Highlight, QColor("#505050"))
    return palette


def light_palette() -> QPalette:
    """A light palette for the Fusion style (when the platform's own one is dark)."""
    palette = QPalette(QColor("#efefef"), QColor("#efefef"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1a1a1a"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1a1a1a"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#1a1a1a"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fcf"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    return palette


def _apply_theme(app: QApplication, theme: Theme) -> None:
    # Any palette set before would hide what the platform does now: start from its own look.
    _restore_platform_look(app)
    if theme == "system":
        _unset_scheme(app)
        return
    wanted = _SCHEMES[theme]
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8
        hints.setColorScheme(wanted)
        if hints.colorScheme() == wanted:
            return
    if is_dark(app.palette()) == (theme == "dark"):
        return  # the platform's palette already is the wanted one
    if app.style().name().lower() != FALLBACK_STYLE.lower():
        app.setProperty(_BASE_STYLE, app.style().name())
        app.setStyle(FALLBACK_STYLE)
    app.setPalette(dark_palette() if theme == "dark" else light_palette())
    app.setProperty(_OVERRIDDEN, True)


def _restore_platform_look(app: QApplication) -> None:
    style = app.property(_BASE_STYLE)
    if isinstance(style, str) and style:
        app.setStyle(style)
        app.setProperty(_BASE_STYLE, None)
    if app.property(_OVERRIDDEN):
        # A palette with no role set means "the style's and platform's own" again.
        app.setPalette(QPalette())
        app.setProperty(_OVERRIDDEN, None)


def _unset_scheme(app: QApplication) -> None:
    hints = app.styleHints()
    if hasattr(hints, "unsetColorScheme"):
        hints.unsetColorScheme()


def _apply_font_scale(app: QApplication, font_scale: float) -> None:
    base = base_font(app)
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * font_scale)
    elif base.pixelSize() > 0:
        font.setPixelSize(max(1, round(base.pixelSize() * font_scale)))
    if font != app.font():
        app.setFont(font)
