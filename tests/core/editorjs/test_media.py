"""Rendering of image, simple-image, embed, attaches and linkTool blocks."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.editorjs import Target, human_size, render_block
from tests.core.editorjs.markup import parse

TARGETS: list[Target] = ["web", "qt"]


def block(kind: str, **data: Any) -> dict[str, Any]:
    return {"type": kind, "data": data}


def test_image_web_with_caption_and_flags() -> None:
    data = block(
        "image",
        file={"url": "https://x.org/a.png"},
        caption="A <b>cat</b>",
        withBorder=True,
        withBackground=True,
        stretched=True,
    )
    root = parse(render_block(data))
    figure = root.find("figure")
    assert (
        figure.attrs["class"]
        == "ejs-image ejs-image--bordered ejs-image--background ejs-image--stretched"
    )
    assert root.find("img").attrs == {"src": "https://x.org/a.png", "alt": "A cat"}
    assert root.find("figcaption").find("b").text == "cat"


def test_image_web_without_flags_or_caption() -> None:
    out = render_block(block("image", file={"url": "https://x.org/a.png"}, withBorder=False))
    assert out == '<figure class="ejs-image"><img src="https://x.org/a.png" alt=""></figure>'


def test_simple_image_uses_url() -> None:
    out = render_block(block("simple-image", url="https://x.org/b.png", caption="B"))
    assert parse(out).find("img").attrs["src"] == "https://x.org/b.png"


def test_remote_image_in_qt_is_a_link_never_an_img() -> None:
    out = render_block(
        block("image", file={"url": "https://x.org/a.png"}, caption="A <i>cat</i>"), "qt"
    )
    assert out == '<p><a href="https://x.org/a.png">Image: A cat</a></p>'
    bare = render_block(block("image", file={"url": "https://x.org/a.png"}), "qt")
    assert parse(bare).find("a").text == "Image: https://x.org/a.png"


def test_local_image_in_qt_is_shown_with_flags_as_a_table_cell() -> None:
    plain = render_block(block("image", file={"url": "file:///data/att/a.png"}, caption="A"), "qt")
    assert (
        plain
        == '<p align="center"><img src="file:///data/att/a.png"></p><p align="center"><i>A</i></p>'
    )
    flagged = parse(
        render_block(
            block(
                "image",
                file={"url": "file:///data/att/a.png"},
                withBorder=True,
                withBackground=True,
                stretched=True,
            ),
            "qt",
        )
    )
    table = flagged.find("table")
    assert (
        table.attrs["border"] == "1"
        and table.attrs["bgcolor"] == "#eef1f4"
        and table.attrs["width"] == "100%"
    )
    assert flagged.find("td").find("img").attrs == {"src": "file:///data/att/a.png"}


def test_local_images_are_not_sent_to_the_web() -> None:
    out = render_block(block("image", file={"url": "file:///data/att/a.png"}))
    assert out == '<p class="ejs-unsupported">Invalid block: <code>image</code></p>'


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:image/png;base64,AA", "", None, "a.png"]
)
def test_images_without_a_usable_address_give_a_note(url: object) -> None:
    for target in TARGETS:
        out = render_block(block("image", file={"url": url}, caption="c"), target)
        assert "Invalid block: <code>image</code>" in out and "<img" not in out


def test_embed_is_a_titled_link_never_an_iframe() -> None:
    data = block(
        "embed",
        service="youtube",
        source="https://www.youtube.com/watch?v=abc",
        embed="https://www.youtube.com/embed/abc",
        width=580,
        height=320,
        caption="Demo",
    )
    web = render_block(data)
    assert "iframe" not in web
    root = parse(web)
    assert root.find("figure").attrs == {"class": "ejs-embed"}
    assert root.find("p").text == "YouTube video: https://www.youtube.com/watch?v=abc"
    assert root.find("a").attrs["href"] == "https://www.youtube.com/watch?v=abc"
    assert root.find("figcaption").text == "Demo"
    qt = parse(render_block(data, "qt"))
    assert qt.tags() == ["p", "a", "p", "i"] and qt.find("a").attrs == {
        "href": "https://www.youtube.com/watch?v=abc"
    }


def test_embed_falls_back_to_the_embed_url_and_a_generic_title() -> None:
    root = parse(render_block(block("embed", service="someservice", embed="https://e.org/x"), "qt"))
    assert root.find("p").text == "someservice content: https://e.org/x"
    unnamed = parse(render_block(block("embed", source="https://e.org/y"), "qt"))
    assert unnamed.find("p").text.startswith("Embedded content: ")
    # "embed" is the service of a frame of an unknown host read from HTML: no service at all.
    generic = block("embed", service="embed", source="https://e.org/z")
    for target in ("web", "qt"):
        assert parse(render_block(generic, target)).find("p").text.startswith("Embedded content: ")
    assert "Invalid block" in render_block(block("embed", source="javascript:alert(1)"))


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 B"), (1, "1 B"), (1023, "1023 B"), (1024, "1 KB"), (1536, "1.5 KB"), (10 * 1024, "10 KB"),
     (1_258_291, "1.2 MB"), (15.3 * 1024**2, "15 MB"), (1024**3 * 2.3, "2.3 GB"), ("2048", "2 KB"),
     (1024**2 - 1, "1 MB"), (-1, None), (True, None), ("big", None), (float("nan"), None), (None, None)],
)  # fmt: skip
def test_human_size(size: object, shown: str | None) -> None:
    assert human_size(size) == shown


def test_attaches_web() -> None:
    data = block(
        "attaches",
        file={
            "url": "https://x.org/f/report.pdf",
            "name": "report.pdf",
            "size": 1_258_291,
            "extension": "pdf",
        },
        title="Q3 report",
    )
    root = parse(render_block(data))
    assert root.find("div").attrs == {"class": "ejs-attaches"}
    link = root.find("a")
    assert link.attrs == {"href": "https://x.org/f/report.pdf", "rel": "noopener noreferrer"}
    assert link.text == "Q3 report"
    assert root.find_all("span")[1].text == " (PDF, 1.2 MB)"


def test_attaches_qt_and_fallbacks() -> None:
    data = block("attaches", file={"url": "https://x.org/f/data.tar.gz", "size": 500})
    out = render_block(data, "qt")
    assert (
        out
        == '<p><b>Attachment:</b> <a href="https://x.org/f/data.tar.gz">data.tar.gz</a> (GZ, 500 B)</p>'
    )
    named = render_block(block("attaches", file={"name": "notes.txt"}), "qt")
    assert named == "<p><b>Attachment:</b> notes.txt (TXT)</p>"  # no usable link: name only
    unsafe = render_block(block("attaches", file={"url": "javascript:alert(1)", "name": "x"}), "qt")
    assert "href" not in unsafe
    assert "Invalid block" in render_block(block("attaches", title="t"))


def test_link_tool_web() -> None:
    data = block(
        "linkTool",
        link="https://example.com/post",
        meta={
            "title": "A <post>",
            "description": "About it",
            "image": {"url": "https://example.com/i.png"},
        },
    )
    root = parse(render_block(data))
    assert root.find("div").attrs == {"class": "ejs-link-tool"}
    assert root.find("a").attrs == {
        "href": "https://example.com/post",
        "rel": "noopener noreferrer",
    }
    assert root.find("a").text == "A <post>"  # scraped text is shown as text
    texts = [p.text for p in root.find_all("p")]
    assert texts == ["A <post>", "About it", "example.com"]
    assert root.find("img").attrs == {
        "class": "ejs-link-tool-image",
        "src": "https://example.com/i.png",
        "alt": "",
    }


def test_link_tool_qt_is_a_card_without_the_image() -> None:
    data = block(
        "linkTool",
        link="https://example.com/post",
        meta={"title": "Post", "image": {"url": "https://example.com/i.png"}},
    )
    root = parse(render_block(data, "qt"))
    assert "img" not in root.tags()
    assert root.find("table").attrs["border"] == "1"
    assert (
        root.find("a").attrs == {"href": "https://example.com/post"}
        and root.find("a").text == "Post"
    )
    untitled = parse(render_block(block("linkTool", link="https://example.com/p"), "qt"))
    assert untitled.find("a").text == "https://example.com/p"
    assert "Invalid block" in render_block(
        block("linkTool", link="javascript:alert(1)", meta={"title": "t"})
    )
