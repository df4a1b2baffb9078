"""Plain text, previews, reading time and the DTO_rich_text built from Editor.js data."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.dto import EditorJs
from desktop_app.core.editorjs import (
    cut_preview,
    plain_preview,
    plain_text,
    read_minutes,
    rich_text_from_editorjs,
)


def doc(*texts: str) -> dict[str, Any]:
    return {"blocks": [{"type": "paragraph", "data": {"text": text}} for text in texts]}


def test_plain_text_of_every_wrapping() -> None:
    document = doc("Hello <b>big</b>&nbsp;world", "Second")
    assert plain_text(document) == "Hello big\xa0world\nSecond"
    assert plain_text({"editorjs": document}) == plain_text(document)
    assert plain_text(EditorJs.model_validate(document)) == plain_text(document)
    assert plain_text("not a document") == ""


def test_plain_text_leaves_out_scripts_in_raw_html() -> None:
    raw = {
        "blocks": [
            {
                "type": "raw",
                "data": {"html": "<p>Shown</p><script>hidden()</script><style>p{}</style>"},
            }
        ]
    }
    assert plain_text(raw) == "Shown"


def test_plain_text_of_deep_lists_does_not_recurse() -> None:
    node: dict[str, Any] = {"content": "leaf", "items": []}
    for _ in range(5000):
        node = {"content": "x", "items": [node]}
    assert plain_text({"blocks": [{"type": "list", "data": {"items": [node]}}]}).count("x") == 5000


def test_preview_folds_whitespace_and_keeps_short_text() -> None:
    assert plain_preview(doc("  a\n\tb  ", "c")) == "a b c"
    assert plain_preview(doc("")) == ""


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("one two three", 13, "one two three"),
        ("one two three", 12, "one two…"),
        ("one two three", 8, "one two…"),
        ("one two three", 7, "one…"),
        ("one two three", 4, "one…"),
        ("onetwothree", 6, "onetw…"),  # one long word is cut inside it
        ("one two", 1, "…"),
        ("one two", 0, ""),
        ("one  two   three", 9, "one two…"),
    ],
)
def test_preview_cuts_at_a_word_boundary(text: str, limit: int, expected: str) -> None:
    result = cut_preview(text, limit)
    assert result == expected
    assert len(result) <= max(limit, 0)


def test_preview_default_limit_is_200() -> None:
    preview = plain_preview(doc("word " * 100))
    assert len(preview) <= 200 and preview.endswith("word…")


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 0), (1, 1), (200, 1), (201, 2), (400, 2), (401, 3)]
)
def test_read_minutes(words: int, minutes: int) -> None:
    assert read_minutes(doc("w " * words)) == minutes


def test_media_only_content_takes_a_minute_and_nothing_takes_none() -> None:
    image = {"blocks": [{"type": "image", "data": {"file": {"url": "https://x.org/a.png"}}}]}
    assert read_minutes(image) == 1
    assert read_minutes({"blocks": []}) == 0
    assert read_minutes({"blocks": [{"type": "delimiter", "data": {}}]}) == 0
    assert read_minutes(None) == 0


def test_rich_text_from_editorjs() -> None:
    document = doc("Hello <b>you</b>", "w " * 300)
    rich = rich_text_from_editorjs(document)
    assert rich.html is not None and rich.html.startswith(
        '<p class="ejs-paragraph">Hello <b>you</b></p>'
    )
    assert rich.read_minutes == 2
    assert rich.plain_preview is not None and rich.plain_preview.startswith("Hello you w w")
    assert rich.editorjs is not None and rich.editorjs.blocks[0].data == {
        "text": "Hello <b>you</b>"
    }
    request = rich.to_request()
    assert "plain_preview" not in request  # read-only: the server derives it
    assert request["html"] == rich.html
    assert rich_text_from_editorjs(EditorJs.model_validate(document)) == rich


def test_rich_text_html_is_sanitized() -> None:
    rich = rich_text_from_editorjs(doc('<img src=x onerror="alert(1)">Hi<script>x</script>'))
    assert rich.html == '<p class="ejs-paragraph">Hi</p>'


def test_preview_of_a_long_document_reads_only_its_start() -> None:
    texts = [f"word{i} " * 7 for i in range(5_000)]
    document = doc(*texts)
    assert plain_preview(document, 50) == cut_preview(plain_text(document), 50)
    assert plain_preview(document, 10_000) == cut_preview(plain_text(document), 10_000)
    assert read_minutes(document) == (5_000 * 7 + 199) // 200
