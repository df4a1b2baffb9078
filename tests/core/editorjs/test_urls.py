"""Which URLs links and images may use, and how they are normalized."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from desktop_app.core.editorjs import clean_url, is_remote, safe_url
from desktop_app.core.editorjs.urls import host_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1#c", "https://example.com/a?b=1#c"),
        ("HTTP://Example.com", "http://Example.com"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("https://exa\nmple.com/\tx", "https://example.com/x"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ('https://example.com/"><script>', "https://example.com/%22%3E%3Cscript%3E"),
        ("http:\\\\example.com/x", "http://example.com/x"),
        ("mailto:help@example.com", "mailto:help@example.com"),
        ("tel:+41 44 000 00 00", "tel:+41%2044%20000%2000%2000"),
    ],
)
def test_links_are_normalized(url: str, expected: str) -> None:
    assert clean_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " \x01javascript:alert(1)",
        "jav\tascript:alert(1)",
        "java\nscript:alert(1)",
        "java\x00script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,AAAA",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "/relative/path",
        "relative.html",
        "//example.com/protocol-relative",
        "https:example.com",
        "https://",
        "mailto:",
        "",
        "   ",
        None,
        42,
        ["https://example.com"],
    ],
)
def test_other_urls_are_refused(url: object) -> None:
    assert clean_url(url) is None
    assert safe_url(url) is None


def test_images_come_from_the_web_or_local_files_when_allowed() -> None:
    assert clean_url("https://x.org/a.png", allow_images=True) == "https://x.org/a.png"
    assert clean_url("mailto:a@b.co", allow_images=True) is None
    assert clean_url("file:///tmp/a.png", allow_images=True) is None
    assert clean_url("file:///tmp/a.png", allow_images=True, allow_file=True) == "file:///tmp/a.png"
    assert clean_url("file://localhost/tmp/a.png", allow_file=True) == "file://localhost/tmp/a.png"


@pytest.mark.parametrize(
    "url",
    [
        "file://server/share/a.png",
        "file:\\\\server\\share\\a.png",
        "file:///\\\\server\\share\\a.png",
        "file:////server/share/a.png",
        "file:///%5C%5Cserver/a.png",
        "file:relative.png",
    ],
)
def test_file_urls_never_reach_another_machine(url: str) -> None:
    # A network path would make Windows contact that server (and send credentials).
    assert clean_url(url, allow_images=True, allow_file=True) is None


def test_safe_url_is_escaped_for_an_attribute() -> None:
    assert safe_url("https://x.org/?a=1&b='2'") == "https://x.org/?a=1&amp;b=&#x27;2&#x27;"


def test_is_remote() -> None:
    assert is_remote("https://x.org") and is_remote("HTTP://x.org")
    assert not is_remote("file:///tmp/a.png") and not is_remote("mailto:a@b.co")


@pytest.mark.parametrize(
    "url",
    [
        "https://Status.Example.com/abc",
        "http://a.b:80",
        "http://a.b:80/x?y#z",
        "http://user:pw@h.com/",
        "http://user:80@h.com/",
        "http://[::1]/x",
        "https://h.com?x",
        "http://h.com:/x",
        "https://h.com.",
        "mailto:a@b.c",
        "tel:+1555",
    ],
)
def test_host_of_agrees_with_urlsplit(url: str) -> None:
    assert host_of(url) == (urlsplit(url).hostname or "")
