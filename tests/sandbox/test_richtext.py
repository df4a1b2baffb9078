"""Plain text, preview and reading time derived from Editor.js blocks."""

from __future__ import annotations

from desktop_app.sandbox.richtext import derive, plain_text, preview, read_minutes


def doc(*blocks: dict[str, object]) -> dict[str, object]:
    return {"editorjs": {"blocks": list(blocks)}}


def test_text_of_every_standard_block_kind() -> None:
    rich = doc(
        {"type": "header", "data": {"text": "Title", "level": 2}},
        {"type": "list", "data": {"style": "unordered", "items": ["one", "<b>two</b>"]}},
        {
            "type": "list",
            "data": {
                "style": "ordered",
                "items": [
                    {"content": "outer", "meta": {}, "items": [{"content": "inner", "items": []}]}
                ],
            },
        },
        {"type": "checklist", "data": {"items": [{"text": "done", "checked": True}]}},
        {"type": "table", "data": {"content": [["a", "b"], ["c", "<i>d</i>"]]}},
        {"type": "code", "data": {"code": "if a < b: print('<tag>')"}},
        {"type": "quote", "data": {"text": "Quoted", "caption": "Someone"}},
        {"type": "warning", "data": {"title": "Careful", "message": "Hot"}},
        {"type": "delimiter", "data": {}},
        {"type": "raw", "data": {"html": "<script>x</script><p>raw</p>"}},
        {"type": "unknown-kind", "data": None},
    )

    assert plain_text(rich) == (
        "Title one two outer inner done a b c d if a < b: print('<tag>') "
        "Quoted Someone Careful Hot raw"
    )


def test_preview_keeps_short_text_and_cuts_long_text_at_a_word() -> None:
    assert preview("short text") == "short text"
    long_text = "abcd " * 60
    cut = preview(long_text.strip())
    assert len(cut) <= 200 and cut.endswith("abcd…")


def test_read_minutes_rounds_up_and_is_zero_only_when_empty() -> None:
    assert read_minutes("") == 0
    assert read_minutes("one") == 1
    assert read_minutes("w " * 200) == 1
    assert read_minutes("w " * 201) == 2


def test_derive_overwrites_client_values() -> None:
    rich = {"html": "<p>a b</p>", "plain_preview": "stale", "read_minutes": 9}
    assert derive(rich) == {"html": "<p>a b</p>", "plain_preview": "a b", "read_minutes": 1}
