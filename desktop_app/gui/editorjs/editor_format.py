"""The editor's QTextDocument vocabulary: user properties, block kinds and derived looks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextFormat,
    QTextLength,
    QTextListFormat,
)

from desktop_app.gui.editorjs.editor_inline import BOLD, CODE, ITALIC, MARK, STRIKE, UNDERLINE

_USER = int(QTextFormat.Property.UserProperty)

# Block format properties.
P_GROUP = _USER + 1  # int: QTextBlocks of one Editor.js block (list, quote, code) share it
P_SOURCE = _USER + 2  # str: the block as loaded (JSON), for its id and the members not edited
P_ROLE = _USER + 3  # str: ROLE_CODE, ROLE_QUOTE or ROLE_CAPTION
# List format property: the Editor.js list style ("unordered", "ordered", "checklist").
P_LIST_STYLE = _USER + 4
# Char format properties.
P_MARKS = _USER + 10  # int: the inline marks (editor_inline bits); the looks follow from them
P_RAW = _USER + 11  # str: the character a stand-in holds (ones QTextDocument cannot store)
P_KEPT = _USER + 12  # str: JSON of an untouched block, on its placeholder object character

ROLE_CODE = "code"
ROLE_QUOTE = "quote"
ROLE_CAPTION = "caption"

KEPT_OBJECT = int(QTextFormat.ObjectTypes.UserObject) + 1
OBJECT_CHAR = "\ufffc"

# Characters QTextCursor.insertText turns into block breaks, with the stand-ins shown instead.
RAW_STAND_INS = {
    "\n": " ",  # a newline inside inline HTML shows as the space a browser would show
    "\r": "\u200b",
    "\u2029": "\ufffd",
    "\ufdd0": "\ufffd",
    "\ufdd1": "\ufffd",
}

# Kinds of QTextBlock.
PARAGRAPH = "paragraph"
HEADER = "header"
LIST = "list"
QUOTE = "quote"
CAPTION = "caption"
CODE_LINE = "code"
DELIMITER = "delimiter"

QT_ALIGNMENTS = {
    "left": "AlignLeft",
    "center": "AlignHCenter",
    "right": "AlignRight",
    "justify": "AlignJustify",
}
# Qt's own sizes for HTML h1-h6 (QTextCharFormat.FontSizeAdjustment).
_HEADING_SIZE = {1: 3, 2: 2, 3: 1, 4: 0, 5: -1, 6: -2}
# Translucent, so marker and code stay readable on light and dark palettes.
MARKER_COLOUR = QColor(255, 214, 0, 120)
CODE_COLOUR = QColor(128, 128, 128, 50)
LINK_COLOUR = QColor(26, 95, 180)
CAPTION_COLOUR = QColor(128, 128, 128)
QUOTE_MARGIN = 24.0

LIST_QT_STYLES = {
    "numeric": QTextListFormat.Style.ListDecimal,
    "lower-roman": QTextListFormat.Style.ListLowerRoman,
    "upper-roman": QTextListFormat.Style.ListUpperRoman,
    "lower-alpha": QTextListFormat.Style.ListLowerAlpha,
    "upper-alpha": QTextListFormat.Style.ListUpperAlpha,
}
_BULLETS = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)


def fixed_font_families() -> list[str]:
    return [QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family(), "monospace"]


def alignment_flag(name: str) -> Qt.AlignmentFlag:
    flag: Qt.AlignmentFlag = getattr(Qt.AlignmentFlag, QT_ALIGNMENTS.get(name, "AlignLeft"))
    return flag


def alignment_name(block_format: QTextBlockFormat) -> str:
    flags = block_format.alignment()
    if flags & Qt.AlignmentFlag.AlignJustify:
        return "justify"
    if flags & Qt.AlignmentFlag.AlignHCenter:
        return "center"
    if flags & (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTrailing):
        return "right"
    return "left"


def is_delimiter(block_format: QTextBlockFormat) -> bool:
    return block_format.hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth)


def block_kind(block: QTextBlock) -> str:
    """What a QTextBlock is part of; the order matters where stale properties linger."""
    block_format = block.blockFormat()
    if is_delimiter(block_format):
        return DELIMITER
    role = block_format.property(P_ROLE)
    if role == ROLE_CODE:
        return CODE_LINE
    if role == ROLE_QUOTE:
        return QUOTE
    if role == ROLE_CAPTION:
        return CAPTION
    if block.textList() is not None:
        return LIST
    if 1 <= block_format.headingLevel() <= 6:
        return HEADER
    return PARAGRAPH


def style_of(block: QTextBlock) -> tuple[str, int]:
    """The block's look for char formats: its kind and heading level."""
    kind = block_kind(block)
    return kind, block.blockFormat().headingLevel() if kind == HEADER else 0


def group_of(block: QTextBlock) -> int:
    value = block.blockFormat().property(P_GROUP)
    return value if isinstance(value, int) else 0


def marks_of(char_format: QTextCharFormat) -> int:
    value = char_format.property(P_MARKS)
    return value if isinstance(value, int) else 0


def href_of(char_format: QTextCharFormat) -> str | None:
    if not char_format.isAnchor():
        return None
    return char_format.anchorHref() or None


def raw_of(char_format: QTextCharFormat) -> str | None:
    value = char_format.property(P_RAW)
    return value if isinstance(value, str) and value in RAW_STAND_INS else None


def char_format(
    marks: int, href: str | None, style: tuple[str, int], raw: str | None = None
) -> QTextCharFormat:
    """The complete char format of text with these marks in a block of this style.

    The marks live in P_MARKS and are what is read back; weight, slant, colours and fonts
    are only their look, so a heading's bold or a quote's italic never reads as markup.
    """
    kind, level = style
    fmt = QTextCharFormat()
    if raw is not None:
        fmt.setProperty(P_RAW, raw)
    if kind == CODE_LINE:  # code is plain text: marks and links do not apply
        fmt.setFontFamilies(fixed_font_families())
        fmt.setFontFixedPitch(True)
        return fmt
    fmt.setProperty(P_MARKS, marks)
    heading = kind == HEADER
    if heading:
        fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, _HEADING_SIZE.get(level, 0))
    if marks & BOLD:
        fmt.setFontWeight(QFont.Weight.Black if heading else QFont.Weight.Bold)
    elif heading:
        fmt.setFontWeight(QFont.Weight.Bold)
    # Emphasis inside a quote's italic reads upright, as in print.
    fmt.setFontItalic(bool(marks & ITALIC) != (kind == QUOTE))
    fmt.setFontUnderline(bool(marks & UNDERLINE) or href is not None)
    fmt.setFontStrikeOut(bool(marks & STRIKE))
    if marks & CODE:
        fmt.setFontFamilies(fixed_font_families())
        fmt.setFontFixedPitch(True)
        fmt.setBackground(CODE_COLOUR)
    if marks & MARK:
        fmt.setBackground(MARKER_COLOUR)
    if href is not None:
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setForeground(LINK_COLOUR)
    elif kind == CAPTION:
        fmt.setForeground(CAPTION_COLOUR)
    if kind == CAPTION:
        fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
    return fmt


def block_format(
    kind: str, *, group: int = 0, source: str | None = None, level: int = 0, alignment: str = "left"
) -> QTextBlockFormat:
    """A fresh block format for a kind (no list membership: lists are attached separately)."""
    fmt = QTextBlockFormat()
    if group:
        fmt.setProperty(P_GROUP, group)
    if source is not None:
        fmt.setProperty(P_SOURCE, source)
    if kind == DELIMITER:
        fmt.setProperty(
            QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
            QTextLength(QTextLength.Type.PercentageLength, 100),
        )
        return fmt
    if kind in (PARAGRAPH, HEADER, QUOTE, CAPTION):
        fmt.setAlignment(alignment_flag(alignment))
    if kind == HEADER:
        fmt.setHeadingLevel(level)
        fmt.setTopMargin(8.0)
        fmt.setBottomMargin(4.0)
    elif kind in (QUOTE, CAPTION):
        fmt.setProperty(P_ROLE, ROLE_QUOTE if kind == QUOTE else ROLE_CAPTION)
        fmt.setLeftMargin(QUOTE_MARGIN)
        fmt.setRightMargin(QUOTE_MARGIN)
    elif kind == CODE_LINE:
        fmt.setProperty(P_ROLE, ROLE_CODE)
        fmt.setBackground(CODE_COLOUR)
        fmt.setNonBreakableLines(True)
        fmt.setLeftMargin(6.0)
    return fmt


def list_format(
    style: str, level: int, counter: str = "numeric", start: int = 1
) -> QTextListFormat:
    """The QTextListFormat of one nesting level of an Editor.js list."""
    fmt = QTextListFormat()
    fmt.setProperty(P_LIST_STYLE, style)
    fmt.setIndent(level + 1)
    if style == "ordered":
        fmt.setStyle(LIST_QT_STYLES.get(counter, QTextListFormat.Style.ListDecimal))
        if level == 0:
            fmt.setStart(start)
    else:  # checklist items draw their box instead of the bullet
        fmt.setStyle(_BULLETS[level % len(_BULLETS)])
    return fmt


def list_style_of(fmt: QTextListFormat) -> str:
    value = fmt.property(P_LIST_STYLE)
    if value in ("unordered", "ordered", "checklist"):
        return str(value)
    return "ordered" if fmt.style() in LIST_QT_STYLES.values() else "unordered"


def counter_of(fmt: QTextListFormat) -> str:
    for name, qt_style in LIST_QT_STYLES.items():
        if fmt.style() == qt_style:
            return name
    return "numeric"


def kept_format(block_json: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setObjectType(KEPT_OBJECT)
    fmt.setProperty(P_KEPT, block_json)
    return fmt


def is_kept(char_format: QTextCharFormat) -> bool:
    return char_format.objectType() == KEPT_OBJECT and isinstance(char_format.property(P_KEPT), str)
