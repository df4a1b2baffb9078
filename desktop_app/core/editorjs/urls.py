"""URL checks for Editor.js content: which links and image sources may be shown or sent."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_SCHEMES = frozenset({"http", "https"})
REMOTE_SCHEMES = frozenset({"http", "https"})

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers drop tab and newline anywhere in a URL and trim C0 controls and spaces at the ends
# ("jav\tascript:" is "javascript:"), so the check must see the URL as they will.
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters that are never literal in a URL; percent-encoded so the value stays one token.
_UNSAFE_CHARS = re.compile(r"[ \"<>\\^`{|}]")
_EDGE = "".join(map(chr, range(0x21)))  # C0 controls and space
# The authority of a hierarchical URL: browsers read "\\" like "/" in http(s) URLs.
_HOST = re.compile(r"^[/\\]{2}([^/\\?#]*)")
_BACKSLASH = re.compile(r"\\|%5c", re.IGNORECASE)
# An http(s) URL with an ordinary host and only characters that need no normalizing.
_PLAIN_WEB_URL = re.compile(
    r"https?://[A-Za-z0-9.\-]+(?::[0-9]+)?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?"
)
_LOCAL_HOSTS = frozenset({"", "localhost"})
# The host of a plain web URL (no user info, no IPv6 literal): what urlsplit would find.
_PLAIN_HOST = re.compile(r"https?://([A-Za-z0-9.\-]+)(?::[0-9]+)?(?=[/?#]|\Z)")


def _encode(match: re.Match[str]) -> str:
    return f"%{ord(match.group()):02X}"


def clean_url(url: object, *, allow_images: bool = False, allow_file: bool = False) -> str | None:
    """The normalized URL (not HTML-escaped), or None when it may not be used.

    Links may be http, https, mailto or tel. With `allow_images` the URL is an image source and
    only http and https are accepted. `allow_file` also accepts local `file:` URLs (no host or
    `localhost`), meant for previews of attachments on this machine; a `file://server/...` URL
    is refused because opening it would contact that server. Relative URLs are refused: content
    travels between DeskHero and this app, so there is no base they could resolve against.
    """
    if not isinstance(url, str):
        return None
    if _PLAIN_WEB_URL.fullmatch(url):
        return url  # the common case, already in normal form
    text = _TAB_OR_NEWLINE.sub("", url).strip(_EDGE)
    if not text or _CONTROL.search(text):
        return None
    match = _SCHEME.match(text)
    if match is None:
        return None
    scheme = match.group(1).lower()
    rest = text[match.end() :]
    if scheme == "file" and allow_file:
        host = _HOST.match(rest)
        if host is not None and host.group(1).lower() not in _LOCAL_HOSTS:
            return None
        path = rest[host.end() :] if host is not None else rest
        # Windows reads backslashes and a doubled slash as a network (UNC) path.
        if not path.startswith("/") or path.startswith("//") or _BACKSLASH.search(path):
            return None
    elif scheme not in (IMAGE_SCHEMES if allow_images else LINK_SCHEMES):
        return None
    elif scheme in REMOTE_SCHEMES:
        host = _HOST.match(rest)
        if host is None or not host.group(1):
            return None
        rest = "//" + rest[2:]  # "http:\\\\host" is how browsers read "http://host"
    elif not rest:
        return None
    return scheme + ":" + _UNSAFE_CHARS.sub(_encode, rest)


def safe_url(url: object, *, allow_images: bool = False, allow_file: bool = False) -> str | None:
    """`clean_url`, escaped for use inside a double-quoted HTML attribute."""
    cleaned = clean_url(url, allow_images=allow_images, allow_file=allow_file)
    return None if cleaned is None else html.escape(cleaned, quote=True)


def is_remote(url: str) -> bool:
    """Whether a clean URL would be fetched from the network (http or https)."""
    match = _SCHEME.match(url)
    return match is not None and match.group(1).lower() in REMOTE_SCHEMES


def host_of(url: str) -> str:
    """The lower-case host name of a URL ("" when it has none), as `urlsplit` reads it."""
    plain = _PLAIN_HOST.match(url)
    if plain is not None:
        return plain.group(1).lower()  # most links: no need for the general parser
    return urlsplit(url).hostname or ""
