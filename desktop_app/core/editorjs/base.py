"""Shared pieces of the Editor.js renderer: the target type, data access and the notes."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any, Literal, TypeGuard

Target = Literal["web", "qt"]

ALIGNMENTS = frozenset({"left", "center", "right", "justify"})
NOTE_STYLE_QT = "color:#6b6b6b"


def escape(value: str) -> str:
    """Plain text as HTML text or a double-quoted attribute value."""
    return html.escape(value, quote=True)


class Malformed(Exception):
    """A block's data lacks something its type needs; it renders as a note instead."""


def is_mapping(value: object) -> TypeGuard[Mapping[str, Any]]:
    """`isinstance(value, Mapping)`, with the common case (a dict) decided without the ABC."""
    return type(value) is dict or isinstance(value, Mapping)


def data_of(block: Mapping[str, Any]) -> Mapping[str, Any]:
    """The block's `data` object (a missing one reads as empty; any other type is malformed)."""
    data = block.get("data", {})
    if data is None:
        return {}
    if not is_mapping(data):
        raise Malformed("data is not an object")
    return data


def text(data: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    """A string member; other types read as missing, which `required` members may not be."""
    value = data.get(key)
    if isinstance(value, str):
        return value
    if required:
        raise Malformed(f"{key} is missing")
    return ""


def mapping(value: Any) -> Mapping[str, Any]:
    """An object member, or an empty one when it is missing or not an object."""
    return value if is_mapping(value) else {}


def integer(value: Any) -> int | None:
    """An int from an int, an integral float or a numeric string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) < 20:
        return int(value.strip())
    return None


def flag(value: Any) -> bool:
    """An Editor.js boolean option (also "true" as text, which some back ends write)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def alignment(data: Mapping[str, Any]) -> str | None:
    """The block's alignment (`alignment`, or the older `align`) when valid and not left."""
    value = data.get("alignment", data.get("align"))
    if isinstance(value, str) and value.lower() in ALIGNMENTS and value.lower() != "left":
        return value.lower()
    return None


def align_attribute(align: str | None, target: Target) -> str:
    """The attribute that aligns a block element: CSS on the web, `align` for Qt."""
    if align is None:
        return ""
    return f' align="{align}"' if target == "qt" else f' style="text-align:{align}"'


NOT_A_BLOCK = "(not a block)"
NO_TYPE = "(no type)"


def describe(kind: str) -> str:
    """A short printable name for a block type in a note."""
    return kind if len(kind) <= 40 else kind[:39] + "…"


def note(kind: str, target: Target, *, invalid: bool = False) -> str:
    """The visible, harmless stand-in for a block that cannot be shown."""
    label = "Invalid block" if invalid else "Unsupported block"
    body = f"{label}: <code>{escape(describe(kind))}</code>"
    if target == "qt":
        return f'<p style="{NOTE_STYLE_QT}"><i>{body}</i></p>'
    return f'<p class="ejs-unsupported">{body}</p>'
