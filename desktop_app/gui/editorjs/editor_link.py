"""The link action's helpers: the address prompt and which typed addresses may be links."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from desktop_app.gui.editorjs.editor_inline import clean_href

# Asks for a link address: (parent, current address) -> the address typed, or None to cancel.
LinkPrompt = Callable[[QWidget, str], "str | None"]

REFUSED_LINK = "links may only use http, https, mailto or tel addresses."


def ask_for_link(parent: QWidget, current: str) -> str | None:
    """The default link prompt: a small input dialog."""
    text, accepted = QInputDialog.getText(
        parent,
        "Link",
        "Address (http, https, mailto or tel); empty removes the link:",
        QLineEdit.EchoMode.Normal,
        current,
    )
    return text if accepted else None


def link_target(typed: str) -> str | None:
    """The URL a typed address stands for; None when it is not an allowed link.

    An address without a scheme is taken as a web address ("example.com") or, with an @ and
    no slash, as a mail address; anything with another scheme (javascript:, data:) is refused.
    """
    text = typed.strip()
    head = text.split("/", 1)[0]
    if ":" not in head:
        text = ("mailto:" if "@" in text and "/" not in text else "https://") + text
    return clean_href(text)
