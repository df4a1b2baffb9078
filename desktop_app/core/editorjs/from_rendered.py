"""Readers of the renderer's own web output for the blocks plain HTML has no element for."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from desktop_app.core.editorjs.html_tree import VOID, Element, find, text_of
from desktop_app.core.editorjs.media import GENERIC_EMBED, SERVICES
from desktop_app.core.editorjs.sanitize import sanitize_html
from desktop_app.core.editorjs.urls import clean_url

Block = dict[str, Any]
# The converter's reading of an element's content as Editor.js inline HTML.
InlineHtml = Callable[[Element], str]

# The renderer's container classes, in the order they are checked.
CLASSES = ("ejs-warning", "ejs-raw", "ejs-attaches", "ejs-link-tool", "ejs-embed")
_LABEL_SERVICES = {label: name for name, label in SERVICES.items()}
_SIZE = re.compile(r"([0-9.]+) (B|KB|MB|GB|TB|PB)")
_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")
_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_.:-]*$")


def image_flags(holder: Element) -> Block:
    """The image tool's display options, from the classes of the renderer's <figure>."""
    return {
        "withBorder": holder.has_class("ejs-image--bordered"),
        "withBackground": holder.has_class("ejs-image--background"),
        "stretched": holder.has_class("ejs-image--stretched"),
    }


def warning(box: Element, inline_html: InlineHtml) -> Block:
    title = find(box, lambda e: e.has_class("ejs-warning-title"))
    message = find(box, lambda e: e.has_class("ejs-warning-message"))
    if title is None and message is None:
        message = box  # a pasted box without the renderer's parts: all of it is the message
    if title is not None:
        # The renderer sets the title in bold; the bold is its, not the title's.
        inner = [c for c in title.children if isinstance(c, Element) or c.strip()]
        if len(inner) == 1 and isinstance(inner[0], Element) and inner[0].tag in ("strong", "b"):
            title = inner[0]
    return {
        "type": "warning",
        "data": {
            "title": inline_html(title) if title is not None else "",
            "message": inline_html(message) if message is not None else "",
        },
    }


def _serialize(nodes: list[Element | str]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(html.escape(node, quote=False))
            continue
        attributes = "".join(
            f' {name}="{html.escape(value)}"'
            for name, value in node.attrs.items()
            if _ATTRIBUTE_NAME.match(name)
        )
        parts.append(f"<{node.tag}{attributes}>")
        if node.tag not in VOID:
            parts.append(f"{_serialize(node.children)}</{node.tag}>")
    return "".join(parts)


def raw(box: Element) -> Block:
    return {"type": "raw", "data": {"html": sanitize_html(_serialize(box.children))}}


def attaches(box: Element) -> Block:
    link = find(box, lambda e: e.tag == "a")
    title_element = find(box, lambda e: e.has_class("ejs-attaches-title")) or link or box
    meta = find(box, lambda e: e.has_class("ejs-attaches-meta"))
    file: Block = {}
    url = clean_url(link.attrs.get("href")) if link is not None else None
    if url is not None:
        file["url"] = url
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        if name:
            file["name"] = name
    facts = text_of(meta).strip("() ") if meta is not None else ""
    for fact in filter(None, (part.strip() for part in facts.split(","))):
        size = _SIZE.fullmatch(fact)
        if size is not None:
            with contextlib.suppress(ValueError):
                file["size"] = round(float(size.group(1)) * 1024 ** _UNITS.index(size.group(2)))
        elif "extension" not in file:
            file["extension"] = fact.lower()
    return {"type": "attaches", "data": {"file": file, "title": text_of(title_element)}}


def link_tool(card: Element) -> Block | None:
    """The link card's block, or None when it has no usable link (then it is read as text)."""
    link = find(card, lambda e: e.tag == "a")
    url = clean_url(link.attrs.get("href")) if link is not None else None
    if link is None or url is None:
        return None
    meta: Block = {"title": text_of(link)}
    description = find(card, lambda e: e.has_class("ejs-link-tool-description"))
    meta["description"] = text_of(description) if description is not None else ""
    picture = find(card, lambda e: e.tag == "img")
    image = clean_url(picture.attrs.get("src"), allow_images=True) if picture else None
    if image is not None:
        meta["image"] = {"url": image}
    return {"type": "linkTool", "data": {"link": url, "meta": meta}}


def embed(figure: Element, inline_html: InlineHtml) -> Block | None:
    """The embed card's block, or None when it has no usable link (then it is read as text)."""
    link = find(figure, lambda e: e.tag == "a")
    url = clean_url(link.attrs.get("href")) if link is not None else None
    if url is None:
        return None
    line = find(figure, lambda e: e.tag == "p")
    # The renderer writes "<what>: <a>source</a>"; the words name the service.
    words = [c for c in line.children if isinstance(c, str)] if line is not None else []
    label = " ".join(" ".join(words).split()).removesuffix(":")
    service = _LABEL_SERVICES.get(label)
    if service is None:
        # "Embedded content" is an embed of no known service: "embed", as an iframe of an
        # unknown host reads, so pasted frames come back the same after a round trip.
        generic = label == GENERIC_EMBED or not label.endswith(" content")
        service = "embed" if generic else label.removesuffix(" content")
    caption = find(figure, lambda e: e.tag == "figcaption")
    text = inline_html(caption) if caption is not None else ""
    data = {"service": service, "source": url, "embed": url, "caption": text}
    return {"type": "embed", "data": data}
