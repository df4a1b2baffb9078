"""Documents in their wrappings, whole-document rendering, notes for what cannot be shown."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.dto import EditorJs, RichText, Ticket
from desktop_app.core.editorjs import (
    BLOCK_TYPES,
    Target,
    document_blocks,
    render_block,
    render_html,
)
from tests.core.editorjs.markup import parse

TARGETS: list[Target] = ["web", "qt"]
PARAGRAPH = {"id": "p1", "type": "paragraph", "data": {"text": "Hello"}}
DOCUMENT = {"time": 1, "version": "2.29", "blocks": [PARAGRAPH]}


def test_block_types_are_the_standard_ones() -> None:
    assert {
        "paragraph", "header", "list", "checklist", "quote", "code", "delimiter", "table",
        "image", "simple-image", "embed", "warning", "raw", "attaches", "linkTool",
    } == BLOCK_TYPES  # fmt: skip


@pytest.mark.parametrize(
    "wrapped",
    [
        DOCUMENT,
        {"editorjs": DOCUMENT, "html": "<p>old</p>"},
        {"subject": "s", "sys_content_rich": {"editorjs": DOCUMENT}},
        [PARAGRAPH],
        EditorJs.model_validate(DOCUMENT),
        RichText.model_validate({"editorjs": DOCUMENT}),
        Ticket.model_validate({"sys_content_rich": {"editorjs": DOCUMENT}}),
    ],
)
def test_document_blocks_unwraps_every_usual_shape(wrapped: object) -> None:
    blocks = document_blocks(wrapped)
    assert blocks is not None and len(blocks) == 1
    assert blocks[0]["type"] == "paragraph" and blocks[0]["data"] == {"text": "Hello"}
    assert render_html(wrapped) == '<p class="ejs-paragraph">Hello</p>'


@pytest.mark.parametrize(
    "thing",
    [None, "text", 5, {}, {"blocks": "x"}, {"editorjs": None, "html": "<p>x</p>"}, {"sys_content_rich": None},
     RichText(html="<p>x</p>"), Ticket(subject="s"), {"title": "x"}],
)  # fmt: skip
def test_things_that_are_not_documents(thing: object) -> None:
    assert document_blocks(thing) is None
    assert render_html(thing) == '<p class="ejs-unsupported">Not an Editor.js document</p>'
    assert "Not an Editor.js document" in render_html(thing, "qt")


def test_self_wrapping_mapping_does_not_loop() -> None:
    looped: dict[str, Any] = {}
    looped["editorjs"] = looped
    assert document_blocks(looped) is None


def test_non_blocks_are_kept_so_they_show_as_notes() -> None:
    blocks = document_blocks({"blocks": [PARAGRAPH, "junk", 3]})
    assert blocks == [PARAGRAPH, "junk", 3]


@pytest.mark.parametrize(
    ("block", "note"),
    [
        ({"type": "mystery", "data": {}}, "Unsupported block: <code>mystery</code>"),
        (
            {"type": "<script>alert(1)</script>"},
            "Unsupported block: <code>&lt;script&gt;alert(1)&lt;/script&gt;</code>",
        ),
        ({"type": "x" * 100}, "Unsupported block: <code>" + "x" * 39 + "…</code>"),
        ({"data": {"text": "no type"}}, "Unsupported block: <code>(no type)</code>"),
        ({"type": 7, "data": {}}, "Unsupported block: <code>(no type)</code>"),
        ("a string", "Unsupported block: <code>(not a block)</code>"),
        (None, "Unsupported block: <code>(not a block)</code>"),
        ({"type": "paragraph", "data": "text"}, "Invalid block: <code>paragraph</code>"),
        ({"type": "paragraph", "data": {"text": 5}}, "Invalid block: <code>paragraph</code>"),
        ({"type": "paragraph", "data": {}}, "Invalid block: <code>paragraph</code>"),
        ({"type": "header", "data": [1]}, "Invalid block: <code>header</code>"),
        ({"type": "code", "data": {"code": None}}, "Invalid block: <code>code</code>"),
        ({"type": "table", "data": {"content": "a|b"}}, "Invalid block: <code>table</code>"),
        ({"type": "raw", "data": {"html": ["x"]}}, "Invalid block: <code>raw</code>"),
        ({"type": "quote", "data": {"caption": "c"}}, "Invalid block: <code>quote</code>"),
        ({"type": "warning", "data": {}}, "Invalid block: <code>warning</code>"),
    ],
)
def test_blocks_that_cannot_be_shown_become_notes(block: object, note: str) -> None:
    assert render_block(block) == f'<p class="ejs-unsupported">{note}</p>'
    assert render_block(block, "qt") == f'<p style="color:#6b6b6b"><i>{note}</i></p>'


def test_one_bad_block_does_not_stop_the_rest() -> None:
    doc = {
        "blocks": [
            PARAGRAPH,
            {"type": "table", "data": {"content": 3}},
            "junk",
            {"type": "header", "data": {"text": "After", "level": 2}},
        ]
    }
    for target in TARGETS:
        root = parse(render_html(doc, target))
        assert root.find("p").text == "Hello"
        assert root.find("h2").text == "After"
        assert render_html(doc, target).count("block: <code>") == 2


def test_a_null_data_reads_as_empty() -> None:
    assert render_block({"type": "delimiter", "data": None}) == '<hr class="ejs-delimiter">'


def test_rendering_is_deterministic_and_cached_by_content() -> None:
    block = {"type": "paragraph", "data": {"text": "<b>x</b>", "alignment": "center"}}
    first = render_block(block, "qt")
    assert render_block(dict(block), "qt") == first
    block["data"] = {"text": "changed"}  # a changed block is rendered anew, not served stale
    assert render_block(block, "qt") == "<p>changed</p>"


def test_tuples_and_lists_are_not_confused_by_the_cache() -> None:
    as_list = {"type": "list", "data": {"items": ["a"]}}
    as_tuple = {"type": "list", "data": {"items": ("a",)}}
    assert render_block(as_list) != render_block(as_tuple)
    assert "Invalid block" in render_block(as_tuple)


def test_uncacheable_blocks_still_render() -> None:
    class Odd(dict[str, Any]):
        pass

    assert render_block(Odd(type="paragraph", data={"text": "x"}), "qt") == "<p>x</p>"


def test_unknown_target_renders_for_the_web() -> None:
    assert render_block(PARAGRAPH, "pdf") == render_block(PARAGRAPH, "web")  # type: ignore[arg-type]


def test_aliases_of_the_nested_list() -> None:
    nested = {
        "type": "nestedList",
        "data": {"style": "ordered", "items": [{"content": "a", "items": []}]},
    }
    assert render_block(nested, "qt") == "<ol><li>a</li></ol>"


def test_a_mapping_that_fails_when_read_is_not_a_document() -> None:
    class Hostile(dict[str, Any]):
        def get(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    assert "Not an Editor.js document" in render_html(Hostile(blocks=[]))
    assert "Invalid block" in render_block(Hostile(type="paragraph"))  # type read, data fails


def test_cache_key_leaves_out_the_id_and_keeps_the_data() -> None:
    first = render_block({"id": "a", "type": "paragraph", "data": {"text": "same"}})
    assert render_block({"id": "b", "type": "paragraph", "data": {"text": "same"}}) == first
    assert render_block({"type": "paragraph", "data": {"text": "other"}}) != first
    # A tuple standing for a block is not a block, whatever its contents.
    assert "Invalid block" not in first
    assert "Unsupported block" in render_block(("paragraph", {"text": "same"}))


def test_a_full_cache_forgets_its_oldest_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.core.editorjs import clear_cache, render

    clear_cache()
    monkeypatch.setattr(render, "CACHE_SIZE", 3)
    blocks = [{"type": "paragraph", "data": {"text": f"p{i}"}} for i in range(10)]
    assert [render_block(b, "qt") for b in blocks] == [f"<p>p{i}</p>" for i in range(10)]
    assert len(render._CACHES["qt"]) <= 3
    assert render_block(blocks[0], "qt") == "<p>p0</p>"  # evicted, rendered again


def test_models_render_like_their_dumped_data_without_being_copied() -> None:
    from desktop_app.core.editorjs.document import read_blocks

    model = EditorJs.model_validate(
        {"blocks": [PARAGRAPH, {"type": "list", "data": {"style": "ordered", "items": ["x"]}}]}
    )
    for target in TARGETS:
        assert render_html(model, target) == render_html(model.model_dump(), target)
    read = read_blocks(model)
    assert read is not None and read[0]["data"] is model.blocks[0].data
    dumped = document_blocks(model)
    assert dumped is not None and dumped[0]["data"] is not model.blocks[0].data
