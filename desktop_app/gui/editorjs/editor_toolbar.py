"""The rich-text field's actions (with shortcuts) and the toolbar that shows them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget


@dataclass(frozen=True)
class ActionSpec:
    name: str
    glyph: str  # shown when the icon theme has no icon for it
    label: str
    shortcut: str
    icon: str = ""
    checkable: bool = True


ACTIONS = (
    ActionSpec("bold", "B", "Bold", "Ctrl+B", "format-text-bold"),
    ActionSpec("italic", "I", "Italic", "Ctrl+I", "format-text-italic"),
    ActionSpec("underline", "U", "Underline", "Ctrl+U", "format-text-underline"),
    ActionSpec("strike", "S", "Strikethrough", "Ctrl+Shift+X", "format-text-strikethrough"),
    ActionSpec("inline_code", "</>", "Inline code", "Ctrl+E"),
    ActionSpec("link", "Link", "Link", "Ctrl+K", "insert-link"),
    ActionSpec("paragraph", "¶", "Paragraph", "Ctrl+0"),
    ActionSpec("heading_1", "H1", "Heading 1", "Ctrl+1"),
    ActionSpec("heading_2", "H2", "Heading 2", "Ctrl+2"),
    ActionSpec("heading_3", "H3", "Heading 3", "Ctrl+3"),
    ActionSpec("bulleted_list", "•", "Bulleted list", "Ctrl+Shift+8"),
    ActionSpec("numbered_list", "1.", "Numbered list", "Ctrl+Shift+7"),
    ActionSpec("checklist", "☑", "Checklist", "Ctrl+Shift+9"),
    ActionSpec("quote", "❝", "Quote", "Ctrl+Shift+Q"),
    ActionSpec("code_block", "{ }", "Code block", "Ctrl+Alt+C"),
    ActionSpec("delimiter", "—", "Delimiter", "Ctrl+Shift+-", checkable=False),
)
# Where the toolbar shows a separator: after these actions.
_GROUP_ENDS = frozenset({"inline_code", "link", "heading_3", "checklist"})


def tooltip(spec: ActionSpec) -> str:
    """E.g. "Bold (Ctrl+B)", in the platform's spelling of the shortcut."""
    keys = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
    return f"{spec.label} ({keys})"


def build_actions(owner: QWidget) -> dict[str, QAction]:
    """The actions, added to `owner` so their shortcuts work while focus is inside it."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.glyph, owner)
        action.setObjectName(f"action_{spec.name}")
        action.setIconText(spec.glyph)
        if spec.icon and QIcon.hasThemeIcon(spec.icon):
            action.setIcon(QIcon.fromTheme(spec.icon))
        action.setShortcut(QKeySequence(spec.shortcut))
        # Several rich-text fields can share a form: a shortcut acts on the focused one only.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(tooltip(spec))
        action.setStatusTip(spec.label)
        action.setCheckable(spec.checkable)
        if spec.name in ("bold", "italic", "underline", "strike"):
            font = QFont()
            font.setBold(spec.name == "bold")
            font.setItalic(spec.name == "italic")
            font.setUnderline(spec.name == "underline")
            font.setStrikeOut(spec.name == "strike")
            action.setFont(font)
        owner.addAction(action)
        actions[spec.name] = action
    return actions


def build_toolbar(actions: dict[str, QAction], parent: QWidget | None = None) -> QToolBar:
    toolbar = QToolBar(parent)
    toolbar.setObjectName("rich_text_toolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for spec in ACTIONS:
        toolbar.addAction(actions[spec.name])
        if spec.name in _GROUP_ENDS:
            toolbar.addSeparator()
    return toolbar
