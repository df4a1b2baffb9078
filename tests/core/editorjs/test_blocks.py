"""Rendering of the text blocks (paragraph, header, quote, code, delimiter, table, warning, raw)."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.editorjs import Target, render_block
from tests.core.editorjs.markup import parse

TARGETS: list[Target] = ["web", "qt"]


def block(kind: str, **data: Any) -> dict[str, Any]:
    return {"id": "b1", "type": kind, "data": data}


def test_paragraph_web() -> None:
    out = render_block(block("paragraph", text="Hello <b>you</b>"))
    assert out == '<p class="ejs-paragraph">Hello <b>you</b></p>'


def test_paragraph_qt() -> None:
    assert (
        render_block(block("paragraph", text="Hello <b>you</b>"), "qt") == "<p>Hello <b>you</b></p>"
    )


@pytest.mark.parametrize("align", ["center", "right", "justify", "CENTER"])
def test_paragraph_alignment(align: str) -> None:
    web = parse(render_block(block("paragraph", text="x", alignment=align))).find("p")
    qt = parse(render_block(block("paragraph", text="x", alignment=align), "qt")).find("p")
    assert web.attrs["style"] == f"text-align:{align.lower()}"
    assert qt.attrs == {"align": align.lower()}


@pytest.mark.parametrize("align", ["left", "middle", "", None, 3, "center;color:red"])
def test_paragraph_default_or_unknown_alignment_adds_nothing(align: object) -> None:
    for target in TARGETS:
        element = parse(render_block(block("paragraph", text="x", alignment=align), target)).find(
            "p"
        )
        assert "style" not in element.attrs and "align" not in element.attrs


def test_paragraph_accepts_the_older_align_key() -> None:
    assert 'align="right"' in render_block(block("paragraph", text="x", align="right"), "qt")


@pytest.mark.parametrize(
    ("level", "tag"),
    [(1, "h1"), (3, "h3"), (6, "h6"), ("4", "h4"), (4.0, "h4"), (0, "h1"), (-5, "h1"), (9, "h6"),
     (None, "h2"), ("x", "h2"), (True, "h2"), (2.5, "h2")],
)  # fmt: skip
def test_header_levels_are_clamped(level: object, tag: str) -> None:
    for target in TARGETS:
        root = parse(render_block(block("header", text="Title", level=level), target))
        assert root.tags() == [tag]
        assert root.find(tag).text == "Title"
    assert 'class="ejs-header"' in render_block(block("header", text="T", level=2))


def test_quote_web_has_text_caption_and_alignment() -> None:
    out = render_block(block("quote", text="Be <i>kind</i>", caption="Someone", alignment="center"))
    root = parse(out)
    assert root.tags() == ["figure", "blockquote", "i", "figcaption"]
    assert root.find("blockquote").attrs == {"style": "text-align:center"}
    assert root.find("blockquote").text == "Be kind"
    assert root.find("figcaption").text == "Someone"


def test_quote_qt_is_an_indented_italic_block() -> None:
    out = render_block(block("quote", text="Be kind", caption="Someone"), "qt")
    assert out == '<blockquote><p><i>Be kind</i></p><p align="right">— Someone</p></blockquote>'
    assert "—" not in render_block(block("quote", text="q"), "qt")


def test_code_is_always_escaped_and_keeps_whitespace() -> None:
    source = '<script>alert("x")</script>\n\tindented  twice\n'
    web = render_block(block("code", code=source))
    assert web == (
        '<pre class="ejs-code"><code>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\n'
        "\tindented  twice\n</code></pre>"
    )
    qt = render_block(block("code", code=source), "qt")
    assert parse(qt).find("pre").text == source
    assert parse(web).find("code").text == source


def test_code_keeps_a_leading_newline_in_qt() -> None:
    # HTML parsers drop one newline right after <pre>.
    qt = render_block(block("code", code="\nx"), "qt")
    assert qt.endswith(">\n\nx</pre>")
    assert render_block(block("code", code="a\r\nb"), "qt").endswith(">a\nb</pre>")


def test_delimiter() -> None:
    assert render_block(block("delimiter")) == '<hr class="ejs-delimiter">'
    qt = parse(render_block(block("delimiter"), "qt"))
    assert qt.find("p").attrs == {"align": "center"} and qt.text.split() == ["*", "*", "*"]
    assert render_block({"type": "delimiter"}, "qt") == render_block(block("delimiter"), "qt")


def test_table_with_heading_row_web() -> None:
    out = render_block(block("table", withHeadings=True, content=[["A", "<b>B</b>"], ["1", "2"]]))
    root = parse(out)
    assert root.find("table").attrs == {"class": "ejs-table"}
    assert [th.text for th in root.find("thead").find_all("th")] == ["A", "B"]
    assert [td.text for td in root.find("tbody").find_all("td")] == ["1", "2"]
    assert root.find_all("th")[1].find("b").text == "B"


def test_table_without_heading_row_qt() -> None:
    out = render_block(block("table", withHeadings=False, content=[["A", "B"], ["1", "2"]]), "qt")
    root = parse(out)
    assert root.find("table").attrs == {
        "border": "1",
        "cellpadding": "4",
        "cellspacing": "0",
        "style": "border-collapse:collapse",
    }
    assert root.find_all("thead") == [] and root.find_all("th") == []
    assert [td.text for td in root.find_all("td")] == ["A", "B", "1", "2"]


def test_ragged_and_odd_table_rows_are_tolerated() -> None:
    content = [["a"], "not a row", ["b", "c", "d"], [], [1, None, 2.5, True, {"x": 1}]]
    for target in TARGETS:
        root = parse(render_block(block("table", content=content), target))
        rows = root.find_all("tr")
        assert [len(row.find_all("td")) for row in rows] == [5, 5, 5, 5]
        assert [td.text for td in rows[0].find_all("td")] == ["a", "", "", "", ""]
        assert [td.text for td in rows[3].find_all("td")] == ["1", "", "2.5", "", ""]


def test_empty_table_and_headings_only() -> None:
    assert render_block(block("table", content=[])) == '<table class="ejs-table"></table>'
    only_head = parse(render_block(block("table", withHeadings=True, content=[["h"]])))
    assert only_head.tags() == ["table", "thead", "tr", "th"]


def test_warning_web() -> None:
    root = parse(render_block(block("warning", title="Careful", message="Hot <b>surface</b>")))
    box = root.find("div")
    assert box.attrs == {"class": "ejs-warning", "role": "note"}
    assert box.find("strong").text == "Careful"
    assert [p.attrs["class"] for p in box.find_all("p")] == [
        "ejs-warning-title",
        "ejs-warning-message",
    ]
    assert box.find_all("p")[1].text == "Hot surface"


def test_warning_qt_is_a_coloured_one_cell_table() -> None:
    root = parse(render_block(block("warning", title="Careful", message="Hot"), "qt"))
    table = root.find("table")
    assert table.attrs["bgcolor"] == "#fff4e5" and table.attrs["width"] == "100%"
    assert len(root.find_all("td")) == 1
    assert root.find("b").text == "Careful" and root.find("td").text == "CarefulHot"
    untitled = parse(render_block(block("warning", message="Hot"), "qt"))
    assert untitled.find("b").text == "Warning"


def test_raw_is_sanitized_html() -> None:
    out = render_block(block("raw", html='<h3 onclick="x">T</h3><script>x()</script><p>p</p>'))
    assert out == '<div class="ejs-raw"><h3>T</h3><p>p</p></div>'
    assert render_block(block("raw", html="<p>p</p>"), "qt") == "<div><p>p</p></div>"
