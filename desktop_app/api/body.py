"""Decode a response body as JSON, or say in words what came back instead (HTML page, garbage...)."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from desktop_app.api.messages import one_line

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<)", re.IGNORECASE)


@dataclass(frozen=True)
class Body:
    """A response body: `data` when it is JSON, else a description of what it is."""

    is_json: bool
    data: Any = None
    description: str = ""
    title: str | None = None  # the <title> of an HTML page, which often names the error


def _title(content: bytes) -> str | None:
    found = _TITLE.search(content[:65536])
    if not found:
        return None
    title = html.unescape(found.group(1).decode("utf-8", "replace"))
    return one_line(title, 80) or None


def _preview(content: bytes) -> str:
    return one_line(content[:200].decode("utf-8", "replace"), 40)


def read_body(content: bytes, content_type: str | None) -> Body:
    """Parse `content`; never raises."""
    if not content.strip():
        return Body(is_json=False, description="an empty body")
    try:
        return Body(is_json=True, data=json.loads(content))
    except (ValueError, RecursionError):
        pass
    media = (content_type or "").split(";")[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml") or _HTML_START.match(content):
        title = _title(content)
        suffix = f" (<title>{title}</title>)" if title else ""
        return Body(is_json=False, description=f"an HTML page instead of JSON{suffix}", title=title)
    return Body(
        is_json=False, description=f"a body that is not JSON (starts with '{_preview(content)}')"
    )
