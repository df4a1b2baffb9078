"""Renderers of the Editor.js blocks that point elsewhere: image, embed, attaches, linkTool."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from desktop_app.core.editorjs.base import (
    NOTE_STYLE_QT,
    Malformed,
    Target,
    escape,
    flag,
    is_mapping,
    mapping,
    text,
)
from desktop_app.core.editorjs.sanitize import sanitize_inline
from desktop_app.core.editorjs.text import inline_html_text
from desktop_app.core.editorjs.urls import clean_url, host_of, is_remote

Data = Mapping[str, Any]

REL = ' rel="noopener noreferrer"'
IMAGE_BACKGROUND_QT = "#eef1f4"
# What an embed is called, by Editor.js embed service name.
SERVICES = {
    "youtube": "YouTube video",
    "vimeo": "Vimeo video",
    "coub": "Coub video",
    "twitch-video": "Twitch video",
    "twitch-channel": "Twitch channel",
    "facebook": "Facebook post",
    "instagram": "Instagram post",
    "twitter": "Twitter post",
    "codepen": "CodePen",
    "imgur": "Imgur image",
    "gfycat": "Gfycat animation",
    "pinterest": "Pinterest pin",
    "github": "GitHub gist",
    "miro": "Miro board",
    "aparat": "Aparat video",
    "vine": "Vine video",
    "yandex-music-track": "Yandex Music track",
    "yandex-music-album": "Yandex Music album",
    "yandex-music-playlist": "Yandex Music playlist",
}
# What an embed of no known service is called ("embed" is what a frame of an unknown host
# becomes when HTML is read back into blocks).
GENERIC_EMBED = "Embedded content"
_GENERIC_SERVICES = frozenset({"", "embed"})
_UNITS = ("KB", "MB", "GB", "TB", "PB")
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,10})$")


def _plain(inline: str) -> str:
    """Escaped one-line text of inline HTML (for link labels and alt text)."""
    return escape(" ".join(inline_html_text(inline).split()))


def _caption(data: Data, target: Target) -> str:
    caption = sanitize_inline(text(data, "caption"), target)
    if not caption:
        return ""
    if target == "qt":
        return f'<p align="center"><i>{caption}</i></p>'
    return f"<figcaption>{caption}</figcaption>"


def image(data: Data, target: Target) -> str:
    file = mapping(data.get("file"))
    raw_url = file.get("url") if isinstance(file.get("url"), str) else data.get("url")
    # Only the Qt preview may show local files (attachments on this machine); DeskHero can't.
    url = clean_url(raw_url, allow_images=True, allow_file=target == "qt")
    if url is None:
        raise Malformed("no usable image address")
    src, caption = escape(url), _caption(data, target)
    border, background = flag(data.get("withBorder")), flag(data.get("withBackground"))
    stretched = flag(data.get("stretched"))
    if target == "web":
        classes = "ejs-image" + "".join(
            f" ejs-image--{name}"
            for name, on in (
                ("bordered", border),
                ("background", background),
                ("stretched", stretched),
            )
            if on
        )
        alt = _plain(text(data, "caption"))
        return f'<figure class="{classes}"><img src="{src}" alt="{alt}">{caption}</figure>'
    if is_remote(url):
        # The preview never fetches remote content: a remote picture is a link to it.
        label = _plain(text(data, "caption")) or src
        return f'<p><a href="{src}">Image: {label}</a></p>'
    if not (border or background or stretched):
        return f'<p align="center"><img src="{src}"></p>{caption}'
    # Qt draws borders and backgrounds on table cells, not on images.
    table = 'align="center" cellpadding="8" cellspacing="0"'
    table += ' border="1"' if border else ' border="0"'
    table += f' bgcolor="{IMAGE_BACKGROUND_QT}"' if background else ""
    table += ' width="100%"' if stretched else ""
    return f'<table {table}><tr><td align="center"><img src="{src}"></td></tr></table>{caption}'


def embed(data: Data, target: Target) -> str:
    # Never an iframe: the embedded page would run its own scripts inside the content.
    url = clean_url(data.get("source")) or clean_url(data.get("embed"))
    if url is None:
        raise Malformed("no usable source address")
    service = text(data, "service").strip()
    what = SERVICES.get(service.lower()) or (
        GENERIC_EMBED if service.lower() in _GENERIC_SERVICES else f"{service[:40]} content"
    )
    href = escape(url)
    if target == "qt":
        return f'<p>{escape(what)}: <a href="{href}">{href}</a></p>{_caption(data, target)}'
    link = f'<p>{escape(what)}: <a href="{href}"{REL}>{href}</a></p>'
    return f'<figure class="ejs-embed">{link}{_caption(data, target)}</figure>'


def human_size(size: Any) -> str | None:
    """A byte count as people read it (1024-based): "512 B", "1.5 KB", "1.2 MB", "15 MB"."""
    if isinstance(size, str):
        try:
            size = float(size.strip())
        except ValueError:
            return None
    if isinstance(size, bool) or not isinstance(size, int | float):
        return None
    if not 0 <= size < 1024**6:  # also rejects NaN
        return None
    if size < 1024:
        return f"{int(size)} B"
    value, unit = float(size), ""
    for unit in _UNITS:
        value /= 1024
        if round(value, 1) < 1024 or unit == _UNITS[-1]:
            break
    shown = f"{value:.1f}" if value < 10 else f"{round(value)}"
    return f"{shown.removesuffix('.0')} {unit}"


def attaches(data: Data, target: Target) -> str:
    file = data.get("file")
    if not is_mapping(file):
        raise Malformed("file is missing")
    url = clean_url(file.get("url"))
    name = text(file, "name")
    label = _plain(text(data, "title")) or escape(name)
    extension = text(file, "extension").strip().lstrip(".")
    if not label or not extension:
        # Only then does the address have to tell the file name.
        path = urlsplit(url).path if url else ""
        label = label or escape(path.rsplit("/", 1)[-1]) or "Attachment"
        if not extension:
            found = _EXTENSION.search(name) or _EXTENSION.search(path)
            extension = found.group(1) if found else ""
    facts = [escape(extension[:10].upper())] if extension else []
    size = human_size(file.get("size"))
    facts += [size] if size else []
    details = f" ({', '.join(facts)})" if facts else ""
    if target == "qt":
        shown = f'<a href="{escape(url)}">{label}</a>' if url else label
        return f"<p><b>Attachment:</b> {shown}{details}</p>"
    shown = f'<a href="{escape(url)}"{REL}>{label}</a>' if url else label
    meta = f'<span class="ejs-attaches-meta">{details}</span>' if details else ""
    return f'<div class="ejs-attaches"><span class="ejs-attaches-title">{shown}</span>{meta}</div>'


def link_tool(data: Data, target: Target) -> str:
    url = clean_url(data.get("link"))
    if url is None:
        raise Malformed("no usable link")
    meta = mapping(data.get("meta"))
    href = escape(url)
    # Link previews hold text scraped from the page (og:title, ...): shown as text, not HTML.
    title = escape(text(meta, "title").strip()) or href
    description = escape(text(meta, "description").strip())
    host = escape(host_of(url))
    if target == "qt":
        parts = [f'<p><a href="{href}"><b>{title}</b></a></p>']
        parts += [f"<p>{description}</p>"] if description else []
        parts += [f'<p style="{NOTE_STYLE_QT}">{host}</p>'] if host else []
        # Qt draws a frame around a table cell: the card look of a link preview.
        return (
            '<table width="100%" border="1" cellpadding="6" cellspacing="0"><tr><td>'
            + "".join(parts)
            + "</td></tr></table>"
        )
    image_url = clean_url(mapping(meta.get("image")).get("url"), allow_images=True)
    parts = [f'<p class="ejs-link-tool-title"><a href="{href}"{REL}>{title}</a></p>']
    parts += [f'<p class="ejs-link-tool-description">{description}</p>'] if description else []
    parts += [f'<p class="ejs-link-tool-host">{host}</p>'] if host else []
    if image_url:
        parts.append(f'<img class="ejs-link-tool-image" src="{escape(image_url)}" alt="">')
    return f'<div class="ejs-link-tool">{"".join(parts)}</div>'
