"""The preview's document structure: fragment ranges, chunk frames and diffs stay exact."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument
from pytestqt.qtbot import QtBot

from desktop_app.gui.editorjs import blockdoc
from desktop_app.gui.editorjs.blockdoc import BlockDocument
from desktop_app.gui.editorjs.htmlbalance import balanced
from desktop_app.gui.editorjs.preview import EditorJsPreview, diff_plan
from tests.gui.editorjs.preview_samples import SAMPLES, mixed_blocks, numbered_paragraph


@pytest.fixture
def make_preview(qtbot: QtBot) -> Callable[[], EditorJsPreview]:
    def make() -> EditorJsPreview:
        preview = EditorJsPreview(url_opener=lambda url: False)
        qtbot.addWidget(preview)
        return preview

    return make


def fragment_html(preview: EditorJsPreview) -> list[str]:
    """Each block's range as Qt HTML: equal lists mean equal content, chunking aside."""
    out = []
    for index in range(len(preview.blocks())):
        start, end = preview.block_range(index)
        cursor = QTextCursor(preview.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        out.append(cursor.selection().toHtml())
    return out


def assert_consistent(
    preview: EditorJsPreview, make_preview: Callable[[], EditorJsPreview]
) -> None:
    content = preview._content
    assert content.starts == content._scan(content.frames)  # positions match the sentinels
    assert preview.document().rootFrame().childFrames() == list(content.frames)
    fresh = make_preview()
    fresh.set_blocks(preview.blocks())
    assert fragment_html(preview) == fragment_html(fresh)


def random_block(rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.3:
        return numbered_paragraph(rng.randrange(1000))
    return rng.choice(list(SAMPLES.values()))[0]


def test_random_edits_in_small_chunks_match_a_fresh_render(
    monkeypatch: pytest.MonkeyPatch, make_preview: Callable[[], EditorJsPreview]
) -> None:
    # Chunks of 4 blocks make frame splits and frame removals frequent.
    monkeypatch.setattr(blockdoc, "MIN_CHUNK", 4)
    rng = random.Random(20)
    preview = make_preview()
    preview.set_blocks(mixed_blocks(30))
    for _ in range(250):
        count, choice = len(preview.blocks()), rng.random()
        if choice < 0.4 or count == 0:
            preview.insert_block(rng.randint(0, count), random_block(rng))
        elif choice < 0.7:
            preview.update_block(rng.randrange(count), random_block(rng))
        elif choice < 0.9:
            preview.remove_block(rng.randrange(count))
        else:
            preview.move_block(rng.randrange(count), rng.randrange(count))
        assert_consistent(preview, make_preview)
    assert len(preview._content.frames) > 1


def test_random_set_blocks_diffs_match_a_fresh_render(
    monkeypatch: pytest.MonkeyPatch, make_preview: Callable[[], EditorJsPreview]
) -> None:
    monkeypatch.setattr(blockdoc, "MIN_CHUNK", 8)
    rng = random.Random(3)
    preview = make_preview()
    blocks = mixed_blocks(120)
    preview.set_blocks(blocks)
    for _ in range(40):
        blocks = list(blocks)
        for _ in range(rng.randint(1, 6)):
            index = rng.randrange(len(blocks))
            step = rng.choice(["replace", "insert", "delete"])
            if step == "replace":
                blocks[index] = random_block(rng)
            elif step == "insert":
                blocks.insert(index, random_block(rng))
            elif len(blocks) > 1:
                del blocks[index]
        preview.set_blocks(blocks)
        assert preview.blocks() == blocks
        assert_consistent(preview, make_preview)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("abcdef", "abcdef", []),
        ("abcdef", "abXdef", [("replace", 2, 3, 2, 3)]),
        ("abcdef", "abdef", [("delete", 2, 3, 2, 2)]),
        ("abcdef", "aXbcdeYf", [("insert", 1, 1, 1, 2), ("insert", 5, 5, 6, 7)]),
        ("", "abc", None),  # nothing to keep: load
        ("abc", "", None),
        ("abcdefgh" * 10, "ABCDEFGH" * 10, None),  # everything changed: load
    ],
)
def test_diff_plan(
    old: str, new: str, expected: list[tuple[str, int, int, int, int]] | None
) -> None:
    assert diff_plan(list(old), list(new)) == expected


def test_a_big_change_is_loaded_whole() -> None:
    old = [str(number) for number in range(1000)]
    new = old[:100] + [f"new {number}" for number in range(300)] + old[400:]
    assert diff_plan(old, new) is None
    assert diff_plan(old, old[:500] + ["x"] * 3 + old[500:]) == [("insert", 500, 500, 500, 503)]


def test_html_that_leaks_out_of_its_block_is_contained(qtbot: QtBot) -> None:
    # The renderer writes balanced HTML; should a bug ever let a table or list stay open,
    # it must not swallow the blocks after it.
    document = QTextDocument()
    content = BlockDocument(document)
    content.load(
        ["<p>one</p>", "<ul><li>open list", "<p>three</p>", "<table><tr><td>open", "<p>five</p>"]
    )
    assert len(content.starts) == 5
    content.replace(1, "<p>two</p>")
    content.replace(2, "<table><tr><td>3")
    content.insert(3, "<blockquote><p>quoted")
    content.remove(4)
    assert document.toPlainText().split() == ["one", "two", "3", "quoted", "five"]
    assert content.starts == content._scan(content.frames)
    assert [document.frameAt(start) for start in content.starts] == [content.frames[0]] * 5


def test_a_chunk_whose_sentinels_went_missing_is_rebuilt_block_by_block(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(blockdoc, "balanced", lambda fragment: fragment)
    document = QTextDocument()
    content = BlockDocument(document)
    content.load(["<p>one</p>", "<ul><li>open list", "<p>three</p>"])
    assert len(content.starts) == 3
    assert content.starts == content._scan(content.frames)
    content.remove(1)
    assert document.toPlainText().split() == ["one", "three"]


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>fine</p>", "<p>fine</p>"),
        ("<table><tr><td>x", "<table><tr><td>x</td></tr></table>"),
        ("<ul><li>a<ul><li>b</ul>", "<ul><li>a<ul><li>b</li></ul></li></ul>"),
        ("<div>a</span></div>", "<div>a</span></div>"),  # balanced containers are left alone
        ("<div>a</p></div></div><pre>&lt;x&gt;", "<div>a</div><pre>&lt;x&gt;</pre>"),
        ('<TABLE border="1"><tr><td>y<br>', '<TABLE border="1"><tr><td>y<br></td></tr></table>'),
    ],
)
def test_balanced(fragment: str, expected: str) -> None:
    assert balanced(fragment) == expected


def test_chunk_size_grows_with_the_document() -> None:
    assert blockdoc.chunk_size(10) == blockdoc.MIN_CHUNK
    assert blockdoc.chunk_size(10_000) == 50


def test_edits_while_loading_match_a_fresh_render(
    monkeypatch: pytest.MonkeyPatch, make_preview: Callable[[], EditorJsPreview]
) -> None:
    monkeypatch.setattr(blockdoc, "MIN_CHUNK", 4)
    rng = random.Random(11)
    preview = make_preview()
    preview.set_blocks(mixed_blocks(300))
    content = preview._content
    while preview.is_loading():
        count, choice = len(preview.blocks()), rng.random()
        index = rng.randrange(count)
        if choice < 0.3:
            preview.insert_block(index, random_block(rng))
        elif choice < 0.6:
            preview.update_block(index, random_block(rng))
        elif choice < 0.8:
            preview.remove_block(index)
        else:
            content.load_more(0)  # one more chunk, as the event loop would
        assert content.starts == content._scan(content.frames)
    assert_consistent(preview, make_preview)
