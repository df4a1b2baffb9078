"""The main window's pages: their keys, titles and shortcuts, and the host a page widget sits in."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


# A NamedTuple, not a dataclass: this module is loaded before the first paint, and
# `dataclasses` is not (PySide6 has already loaded `typing`).
class PageSpec(NamedTuple):
    key: str
    title: str
    shortcut: str
    description: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("forms", "Forms", "Ctrl+1", "The form library: open a form to fill it"),
    PageSpec("drafts", "Drafts", "Ctrl+2", "Forms you started and did not send yet"),
    PageSpec(
        "outbox", "Outbox && results", "Ctrl+3", "Every ticket sent or waiting, and its result"
    ),
    PageSpec("profiles", "Profiles", "Ctrl+4", "The DeskHero tenants tickets are sent to"),
    PageSpec("settings", "Settings", "Ctrl+5", "Theme, font size and sending preferences"),
)
PAGE_KEYS = tuple(page.key for page in PAGES)


def page_spec(key: str) -> PageSpec:
    for page in PAGES:
        if page.key == key:
            return page
    raise KeyError(f"no page '{key}'; pages: {', '.join(PAGE_KEYS)}")


def plain_title(spec: PageSpec) -> str:
    """The title without menu mnemonics ('&&' is a literal '&' in menus)."""
    return spec.title.replace("&&", "&")


class PageHost(QWidget):
    """Holds one page's content widget; `set_content` swaps it (the old one is deleted)."""

    def __init__(self, spec: PageSpec, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setAccessibleName(plain_title(spec))
        self.setAccessibleDescription(spec.description)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._content = content
        self._layout.addWidget(content)

    def content(self) -> QWidget:
        return self._content

    def set_content(self, widget: QWidget) -> None:
        if widget is self._content:
            return
        old, self._content = self._content, widget
        self._layout.replaceWidget(old, widget)
        old.hide()
        old.setParent(None)
        old.deleteLater()
        widget.show()


def placeholder(
    title: str, text: str, *, coming_soon: bool = True, parent: QWidget | None = None
) -> QLabel:
    """A page's stand-in until MainWindow.set_page_widget puts the real one there."""
    soon = "<p><i>Coming soon.</i></p>" if coming_soon else ""
    # Centred by the markup (a label centres vertically by itself): the main window's frame
    # uses placeholders before the `Qt` namespace is loaded (see main_window.py).
    label = QLabel(f'<div align="center"><h2>{title}</h2><p>{text}</p>{soon}</div>', parent)
    label.setWordWrap(True)
    label.setAccessibleName(f"{title}: coming soon" if coming_soon else title)
    label.setObjectName("placeholder")
    return label
