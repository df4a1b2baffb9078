"""The inline and raw-HTML sanitizers: what they keep, what they remove, the Qt spelling."""

from __future__ import annotations

import pytest

from desktop_app.core.editorjs import Target, sanitize_html, sanitize_inline
from desktop_app.core.editorjs.fastpath import fast_inline
from desktop_app.core.editorjs.sanitize import nh3_inline
from tests.core.editorjs.markup import active_content, parse, same_document


def test_editorjs_inline_markup_is_kept() -> None:
    markup = (
        "a <b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <s>s</s> <strike>k</strike> "
        '<del>d</del> <a href="https://x.org/">l</a> <code class="inline-code">c</code> '
        '<mark class="cdx-marker">m</mark> x<br>y'
    )
    out = sanitize_inline(markup)
    assert parse(out).tags() == [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "mark",
        "br",
    ]
    assert '<a href="https://x.org/" rel="noopener noreferrer">l</a>' in out
    assert '<code class="inline-code">c</code>' in out
    assert '<mark class="cdx-marker">m</mark>' in out


def test_other_tags_lose_their_markup_but_keep_their_text() -> None:
    out = sanitize_inline('<span style="color:red">red</span> <font size=7>big</font> <p>para</p>')
    assert out == "red big para"


def test_script_like_elements_go_with_their_content() -> None:
    out = sanitize_inline("a<script>alert(1)</script>b<style>p{}</style>c<iframe>x</iframe>d")
    assert out == "abcd"


def test_attributes_and_classes_are_reduced_to_the_allow_list() -> None:
    out = sanitize_inline(
        '<b onclick="x()" style="color:red">b</b><mark class="cdx-marker evil">m</mark>'
        '<code class="other">c</code><a href="https://x.org" title="t" target="_blank">a</a>'
    )
    assert out == (
        '<b>b</b><mark class="cdx-marker">m</mark><code>c</code>'
        '<a href="https://x.org" rel="noopener noreferrer">a</a>'
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "/relative",
    ],
)
def test_unsafe_links_lose_their_href(href: str) -> None:
    for target in ("web", "qt"):
        out = sanitize_inline(f'<a href="{href}">x</a>', target)  # type: ignore[arg-type]
        assert "href" not in out and ">x</a>" in out


def test_qt_spelling() -> None:
    out = sanitize_inline(
        '<mark class="cdx-marker">m</mark><code class="inline-code">c</code><del>d</del>'
        '<strike>s</strike><a href="https://x.org">a</a>',
        "qt",
    )
    assert out == (
        '<span style="background-color:#fff3a3">m</span>'
        '<code style="background-color:#eeeeee">c</code><s>d</s><s>s</s>'
        '<a href="https://x.org">a</a>'
    )


def test_text_is_escaped_not_interpreted() -> None:
    assert sanitize_inline("1 < 2 & 3 > 2") == "1 &lt; 2 &amp; 3 &gt; 2"
    assert sanitize_inline("&lt;script&gt;") == "&lt;script&gt;"
    assert sanitize_inline(7) == ""  # type: ignore[arg-type]


def test_unbalanced_markup_is_closed_inside_the_fragment() -> None:
    # Otherwise an open <b> would make every following block bold.
    assert sanitize_inline("<b>bold") == "<b>bold</b>"
    assert sanitize_inline("x</i>y") == "xy"
    assert (
        sanitize_inline('<a href="https://x.org">one<a href="https://y.org">two').count("</a>") == 2
    )


@pytest.mark.parametrize(
    "markup",
    [
        "plain",
        "<b>b</b> and <i>i</i>",
        '<a href="https://x.org/?a=1&amp;b=2">l</a>',
        '<a href="javascript:alert(1)">l</a>',
        '<a href="">empty</a>',
        '<mark class="cdx-marker">m</mark><br/>x<br />y',
        '<code class="inline-code">c</code><code>d</code><mark>e</mark>',
        "<b><i>x</i></b><del>d</del><strike>s</strike>",
        "&nbsp;&amp; & a",
        '<u class="cdx-underline">u</u> <s class="cdx-strikethrough">s</s>',
        '<b class="x">b</b><code class="inline-code other">c</code><mark class="y">m</mark>',
        '<a href="https://x.org/a?b=1&amp;c=2#d">plain</a><a href="https://x.org/it\'s">q</a>',
        '<a href="mailto:a@b.co">m</a> <b><i><a href="tel:+1">t</a></i></b><br class="k">',
    ],
)
@pytest.mark.parametrize("target", ["web", "qt"])
def test_fast_path_matches_the_sanitizer(markup: str, target: Target) -> None:
    fast = fast_inline(markup, target)
    assert fast is not None
    assert same_document(fast, nh3_inline(markup, target))


@pytest.mark.parametrize(
    "markup",
    ["<b>x", "x</b>", "<b><i>x</b></i>", "<B>x</B>", "<a href='x'>", "<!-- c -->", "a > b"],
)
def test_fast_path_declines_anything_unusual(markup: str) -> None:
    assert fast_inline(markup, "web") is None


def test_raw_html_keeps_structure() -> None:
    out = sanitize_html(
        '<h2>T</h2><p>p</p><ul><li>a</li></ul><ol start="3" type="i"><li>b</li></ol>'
        '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td>c</td></tr></tbody>'
        '</table><blockquote>q</blockquote><pre>  x</pre><hr><img src="https://x.org/a.png" alt="A">'
    )
    assert parse(out).tags() == [
        "h2", "p", "ul", "li", "ol", "li", "table", "thead", "tr", "th", "tbody", "tr", "td",
        "blockquote", "pre", "hr", "img",
    ]  # fmt: skip
    root = parse(out)
    assert root.find("ol").attrs == {"start": "3", "type": "i"}
    assert root.find("th").attrs == {"colspan": "2"}
    assert root.find("img").attrs == {"src": "https://x.org/a.png", "alt": "A"}
    assert "<pre>  x</pre>" in out


def test_raw_html_drops_active_content() -> None:
    out = sanitize_html(
        '<div onclick="x" style="background:url(https://t.org/p)" class="c" id="i">d</div>'
        '<img src="javascript:alert(1)"><img src="mailto:a@b.co"><img src="file:///etc/passwd">'
        '<form action="https://t.org"><input value="v"><button>b</button></form>'
        "<script>s()</script><style>p{}</style><svg onload=alert(1)><circle/></svg>"
        '<iframe src="https://t.org"></iframe><object data="x"></object><embed src="x">'
        '<link rel="stylesheet" href="https://t.org/s.css"><meta http-equiv="refresh" content="0">'
    )
    assert active_content(out) == []
    assert "<div>d</div>" in out
    assert "src=" not in out


def test_raw_html_for_qt_turns_images_into_links() -> None:
    out = sanitize_html('<p>x<img src="https://x.org/a.png" alt="Chart"></p>', "qt")
    assert out == '<p>x<a href="https://x.org/a.png">[Image: Chart]</a></p>'
    assert "<img" not in sanitize_html('<img src="https://x.org/a.png">', "qt")
    assert sanitize_html("<img>", "qt") == ""


def test_fast_path_link_memory_is_bounded_and_exact() -> None:
    from desktop_app.core.editorjs import fastpath

    fastpath.forget_links()
    for index in range(fastpath._KNOWN_LINKS + 50):
        markup = f'<a href="https://kb.example.com/{index}?a=1&amp;b=2">x</a>'
        fast = fast_inline(markup, "web")
        assert fast == f'<a href="https://kb.example.com/{index}?a=1&amp;b=2"{fastpath.REL}>x</a>'
    table = fastpath._TAGS["web"]
    assert len(table) <= fastpath._KNOWN_LINKS + 1
    assert 'a href="https://kb.example.com/0?a=1&amp;b=2"' not in table  # forgotten when full
    assert f'a href="https://kb.example.com/{fastpath._KNOWN_LINKS + 49}?a=1&amp;b=2"' in table
    unsafe = '<a href="javascript:alert(1)">x</a>'
    assert fast_inline(unsafe, "qt") == fast_inline(unsafe, "qt") == "<a>x</a>"
