"""Property tests: random and hostile documents never raise and never let active content through."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.editorjs import (
    BLOCK_TYPES,
    Target,
    clean_url,
    clear_cache,
    cut_preview,
    plain_preview,
    plain_text,
    read_minutes,
    render_block,
    render_html,
)
from desktop_app.core.editorjs.fastpath import fast_inline
from desktop_app.core.editorjs.sanitize import nh3_inline
from desktop_app.core.editorjs.text import text_facts
from tests.core.editorjs.hostile import HOSTILE, blocks_with
from tests.core.editorjs.markup import active_content, same_document

PIECES = [
    "<", ">", "/", '"', "'", "=", " ", "\t", "\n", "\r", "\x00", "\x0b", "&", "#", ";", "x", "09",
    "script", "img", "svg", "a", "b", "i", "href", "src", "on", "error", "load", "onerror=",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "data:", "vbscript:", "jav&#x09;ascript:",
    "&#106;", "&#x6A;", "&colon;", "alert(1)", "style", "expression(", "url(", "iframe",
    "object", "embed", "math", "mark", "code", "class", "cdx-marker", "inline-code", "<!--",
    "-->", "<![CDATA[", "]]>", "https://ok.example/", "file:///x", "file://evil/x", "\\\\",
    "<a href=", "<img src=", "</", "<b>", "</b>", "<br>", "<script>", "</script>", "<style>",
]  # fmt: skip
KEYS = [
    "text", "level", "items", "content", "meta", "checked", "style", "start", "counterType",
    "caption", "alignment", "code", "withHeadings", "file", "url", "name", "size", "extension",
    "title", "message", "html", "service", "source", "embed", "link", "description", "image",
    "withBorder", "withBackground", "stretched",
]  # fmt: skip
TARGETS: list[Target] = ["web", "qt"]

hostile_text = (
    st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
    | st.sampled_from(HOSTILE)
    | st.text(max_size=20)
)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | hostile_text
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | hostile_text, children, max_size=5)
    ),
    max_leaves=25,
)
# Real block shapes (every type, every field) with random hostile strings in them, and
# nested list items of random depth and shape.
shaped_blocks = st.builds(
    lambda value, index: blocks_with(value)[index],
    hostile_text | scalars,
    st.sampled_from(range(len(blocks_with("")))),
)
list_items = st.recursive(
    hostile_text,
    lambda children: st.fixed_dictionaries(
        {"content": hostile_text, "items": st.lists(children, max_size=3)},
        optional={"meta": st.fixed_dictionaries({"checked": st.booleans() | hostile_text})},
    ),
    max_leaves=15,
)
list_blocks = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["list", "checklist"]),
        "data": st.fixed_dictionaries(
            {
                "style": st.sampled_from(["ordered", "unordered", "checklist"]) | hostile_text,
                "items": st.lists(list_items, max_size=4),
            },
            optional={"meta": st.dictionaries(st.sampled_from(["start", "counterType"]), scalars)},
        ),
    }
)
blocks = (
    shaped_blocks
    | list_blocks
    | st.fixed_dictionaries(
        {
            "type": st.sampled_from(sorted(BLOCK_TYPES)) | hostile_text,
            "data": st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6) | json_values,
        },
        optional={"id": hostile_text},
    )
    | json_values
)
documents = st.fixed_dictionaries({"blocks": st.lists(blocks, max_size=6)}) | json_values
quick = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(documents)
def test_random_documents_render_without_active_content(document: Any) -> None:
    for target in TARGETS:
        out = render_html(document, target)
        assert isinstance(out, str)
        assert active_content(out, target=target) == [], out


@quick
@given(st.lists(shaped_blocks | list_blocks, min_size=1, max_size=8))
def test_real_block_shapes_with_hostile_strings(found: list[Any]) -> None:
    for target in TARGETS:
        out = render_html(found, target)
        assert active_content(out, target=target) == [], out


@quick
@given(blocks)
def test_rendering_a_block_is_pure(block: Any) -> None:
    for target in TARGETS:
        first = render_block(block, target)
        clear_cache()
        assert render_block(block, target) == first


@quick
@given(documents, st.integers(min_value=0, max_value=300))
def test_text_facts_never_raise(document: Any, limit: int) -> None:
    preview = plain_preview(document, limit)
    assert len(preview) <= limit and "\n" not in preview
    assert read_minutes(document) >= 0
    # The preview reads only the blocks it needs; it must equal the cut of the whole text.
    assert preview == cut_preview(plain_text(document), limit)
    assert text_facts(document, limit) == (preview, read_minutes(document))


@given(st.text(), st.integers(min_value=-5, max_value=50))
def test_preview_is_a_prefix_of_the_folded_text(text: str, limit: int) -> None:
    folded = " ".join(text.split())
    preview = cut_preview(text, limit)
    assert len(preview) <= max(limit, 0)
    assert preview == folded or folded.startswith(preview.removesuffix("…").rstrip())


INLINE_PIECES = [
    "<b>", "</b>", "<i>", "</i>", "<strong>", "</strong>", "<del>", "</del>", "<strike>",
    "</strike>", "<code>", '<code class="inline-code">', "</code>", '<mark class="cdx-marker">',
    "<mark>", "</mark>", "<br>", "<br/>", '<a href="', "https://x.org/p?a=1&amp;b=2",
    "javascript:alert(1)", "jav&#x09;ascript:", "mailto:a@b.co", '">', "</a>", "text", " ",
    "&amp;", "&nbsp;", "&", '"', "'", "é", '<u class="cdx-underline">', "<u>", "</u>",
    '<s class="cdx-strikethrough">', "<s>", "</s>", '<b class="x y">', '<i class="">',
    '<code class="inline-code x">', '<code class="x">', '<mark class="cdx-marker cdx-marker">',
    '<br class="z">', '<br />', '<a class="k">', '<span class="s">', "https://x.org/it's",
    "http://h.example:8080/a_b/~c;d=(e)[f]%20", "tel:+1-555", "<", ">", "\r", "\x00",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(INLINE_PIECES), max_size=12).map("".join), st.sampled_from(TARGETS))
def test_fast_path_agrees_with_the_parser(markup: str, target: Target) -> None:
    fast = fast_inline(markup, target)
    if fast is not None:
        assert same_document(fast, nh3_inline(markup, target)), (markup, fast)


@given(hostile_text)
def test_clean_urls_only_have_allowed_schemes(url: str) -> None:
    for options in ({}, {"allow_images": True}, {"allow_images": True, "allow_file": True}):
        cleaned = clean_url(url, **options)
        if cleaned is not None:
            assert cleaned.split(":", 1)[0] in {"http", "https", "mailto", "tel", "file"}
            assert not any(c in cleaned for c in ' "<>\t\n\r\x00')
