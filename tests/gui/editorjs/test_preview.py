"""The Editor.js preview widget: every block type, incremental updates, links and diffing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from desktop_app.core.dto import EditorJs, RichText
from desktop_app.gui.editorjs.preview import EditorJsPreview
from tests.gui.editorjs.preview_samples import SAMPLES, mixed_blocks, numbered_paragraph

Opened = list[QUrl]


@pytest.fixture
def opened() -> Opened:
    return []


@pytest.fixture
def make_preview(qtbot: QtBot, opened: Opened) -> Callable[..., EditorJsPreview]:
    def make(**options: Any) -> EditorJsPreview:
        def opener(url: QUrl) -> bool:
            opened.append(url)
            return True

        preview = EditorJsPreview(url_opener=opener, **options)
        qtbot.addWidget(preview)
        preview.resize(640, 480)
        return preview

    return make


@pytest.fixture
def preview(make_preview: Callable[..., EditorJsPreview]) -> EditorJsPreview:
    return make_preview()


class Changes:
    """Records QTextDocument.contentsChange: (position, removed, added) per edit."""

    def __init__(self, preview: EditorJsPreview) -> None:
        self.edits: list[tuple[int, int, int]] = []
        preview.document().contentsChange.connect(self._on_document_contents_change)

    def _on_document_contents_change(self, position: int, removed: int, added: int) -> None:
        self.edits.append((position, removed, added))


def fresh(make_preview: Callable[..., EditorJsPreview], blocks: list[Any]) -> EditorJsPreview:
    other = make_preview()
    other.set_blocks(blocks)
    other.finish_loading()
    return other


def texts(preview: EditorJsPreview) -> list[str]:
    return [preview.block_text(index) for index in range(len(preview.blocks()))]


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_every_block_type_shows_its_text(preview: EditorJsPreview, kind: str) -> None:
    block, expected = SAMPLES[kind]
    preview.set_document({"blocks": [block]})
    preview.show()
    shown = preview.toPlainText()
    for text in expected:
        assert text in shown
    assert preview.block_text(0).strip() in shown
    assert "alert" not in shown  # a raw block's script is not text either


def test_a_document_of_every_type_renders_in_order(qtbot: QtBot, preview: EditorJsPreview) -> None:
    blocks = [block for block, _ in SAMPLES.values()]
    preview.set_document({"time": 1, "version": "2.31", "blocks": blocks})
    preview.show()
    qtbot.waitExposed(preview)
    assert not preview.grab().isNull()  # laid out and painted without a Qt warning
    shown = preview.toPlainText()
    positions = [shown.index(expected[0]) for _, expected in SAMPLES.values()]
    assert positions == sorted(positions)
    for index, (_, expected) in enumerate(SAMPLES.values()):
        assert expected[0] in preview.block_text(index)


@pytest.mark.parametrize(
    "wrap",
    [
        lambda blocks: {"blocks": blocks},
        lambda blocks: {"html": "", "editorjs": {"blocks": blocks}},
        lambda blocks: {"subject": "x", "sys_content_rich": {"editorjs": {"blocks": blocks}}},
        lambda blocks: RichText.model_validate({"editorjs": {"blocks": blocks}}),
        lambda blocks: EditorJs.model_validate({"blocks": blocks}),
        lambda blocks: blocks,
    ],
    ids=["bare", "rich-text", "ticket", "RichText", "EditorJs", "list"],
)
def test_documents_arrive_in_any_wrapping(
    preview: EditorJsPreview, wrap: Callable[[list[Any]], object]
) -> None:
    preview.set_document(wrap([numbered_paragraph(1), numbered_paragraph(2)]))
    assert texts(preview) == ["Paragraph 1", "Paragraph 2"]


@pytest.mark.parametrize("thing", [None, 42, "text", {"foo": 1}, {"blocks": "nope"}, b"\x00"])
def test_a_non_document_shows_a_harmless_note(preview: EditorJsPreview, thing: object) -> None:
    preview.set_document({"blocks": [numbered_paragraph(1)]})
    preview.set_document(thing)
    assert "Not an Editor.js document" in preview.toPlainText()
    assert "Paragraph" not in preview.toPlainText()
    assert preview.blocks() == []
    preview.insert_block(0, numbered_paragraph(5))  # content replaces the note
    assert preview.toPlainText().strip() == "Paragraph 5"


def test_entries_that_are_not_blocks_become_notes(preview: EditorJsPreview) -> None:
    preview.set_blocks([numbered_paragraph(1), "junk", {"type": 3}, numbered_paragraph(2)])
    shown = texts(preview)
    assert shown[0] == "Paragraph 1" and shown[3] == "Paragraph 2"
    assert "Unsupported block" in shown[1] and "Unsupported block" in shown[2]


def test_update_block_replaces_only_that_block(
    make_preview: Callable[..., EditorJsPreview], preview: EditorJsPreview
) -> None:
    blocks = mixed_blocks(60)
    preview.set_blocks(blocks)
    before = texts(preview)
    frames = preview.document().rootFrame().childFrames()
    start, end = preview.block_range(31)
    changes = Changes(preview)

    new = {"type": "header", "data": {"text": "Brand new heading", "level": 2}}
    preview.update_block(31, new)

    # Qt keeps a block's format on the separator before it, so a change may start there.
    assert changes.edits
    assert all(
        start - 1 <= position and position + removed <= end + 1
        for position, removed, _ in changes.edits
    )
    after = texts(preview)
    assert after[31] == "Brand new heading"
    assert after[:31] == before[:31] and after[32:] == before[32:]
    assert preview.document().rootFrame().childFrames() == frames
    blocks[31] = new
    assert preview.blocks() == blocks
    assert preview.document().toHtml() == fresh(make_preview, blocks).document().toHtml()


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_any_type_can_replace_any_neighbourhood(
    make_preview: Callable[..., EditorJsPreview], preview: EditorJsPreview, kind: str
) -> None:
    blocks = mixed_blocks(len(SAMPLES) + 2)
    preview.set_blocks(blocks)
    for index in (0, len(SAMPLES) // 2, len(blocks) - 1):
        preview.update_block(index, SAMPLES[kind][0])
        blocks[index] = SAMPLES[kind][0]
    assert preview.document().toHtml() == fresh(make_preview, blocks).document().toHtml()


def test_an_unchanged_block_is_not_rendered_again(preview: EditorJsPreview) -> None:
    blocks = mixed_blocks(10)
    preview.set_blocks(blocks)
    changes = Changes(preview)
    preview.update_block(4, dict(blocks[4]))
    preview.set_blocks([dict(block) for block in blocks])
    assert changes.edits == []


def test_insert_and_remove_keep_the_other_blocks(
    make_preview: Callable[..., EditorJsPreview], preview: EditorJsPreview
) -> None:
    blocks = mixed_blocks(25)
    preview.set_blocks(blocks)
    table = SAMPLES["table"][0]
    for index, block in (
        (0, table),
        (10, numbered_paragraph(100)),
        (27, table),
        (-1, SAMPLES["code"][0]),
    ):
        preview.insert_block(index, block)
        blocks.insert(index, block)
    assert preview.blocks() == blocks
    for index in (0, 5, -1, -2):
        assert preview.remove_block(index) == blocks.pop(index)
    assert preview.blocks() == blocks
    assert texts(preview) == texts(fresh(make_preview, blocks))
    assert preview.document().toHtml() == fresh(make_preview, blocks).document().toHtml()


def test_move_block(preview: EditorJsPreview) -> None:
    preview.set_blocks([numbered_paragraph(number) for number in range(5)])
    preview.move_block(0, 3)
    assert texts(preview) == [
        "Paragraph 1",
        "Paragraph 2",
        "Paragraph 3",
        "Paragraph 0",
        "Paragraph 4",
    ]
    preview.move_block(-1, 0)
    assert texts(preview)[0] == "Paragraph 4"


def test_removing_every_block_leaves_an_empty_view(preview: EditorJsPreview) -> None:
    preview.set_blocks([numbered_paragraph(1), SAMPLES["table"][0]])
    preview.remove_block(0)
    preview.remove_block(0)
    assert preview.blocks() == [] and preview.toPlainText() == ""
    preview.insert_block(5, numbered_paragraph(9))
    assert texts(preview) == ["Paragraph 9"]
    preview.clear()
    assert preview.blocks() == [] and preview.toPlainText() == ""


def test_bad_indices_raise_index_error(preview: EditorJsPreview) -> None:
    preview.set_blocks([numbered_paragraph(1)])
    for call in (
        lambda: preview.update_block(1, numbered_paragraph(2)),
        lambda: preview.remove_block(-2),
        lambda: preview.block_text(3),
    ):
        with pytest.raises(IndexError):
            call()


def test_set_blocks_edits_only_the_changed_middle(
    make_preview: Callable[..., EditorJsPreview], qtbot: QtBot, preview: EditorJsPreview
) -> None:
    blocks = mixed_blocks(400)
    with qtbot.waitSignal(preview.loaded):
        preview.set_blocks(blocks)
    frames = preview.document().rootFrame().childFrames()
    first_changed = preview.block_range(200)[0]
    changes = Changes(preview)

    edited = [
        *blocks[:200],
        numbered_paragraph(-1),
        numbered_paragraph(-2),
        *blocks[201:320],
        *blocks[321:],
    ]
    preview.set_blocks(edited)

    assert changes.edits, "the changed blocks were edited in place"
    assert min(position for position, _, _ in changes.edits) >= first_changed - 1
    kept = preview.document().rootFrame().childFrames()
    assert kept[:2] == frames[:2] and kept[-1] == frames[-1]  # untouched chunks keep their frames
    assert texts(preview) == texts(fresh(make_preview, edited))


def test_a_mostly_new_document_is_loaded_whole(preview: EditorJsPreview) -> None:
    preview.set_blocks(mixed_blocks(100, seed=1))
    changes = Changes(preview)
    replacement = [numbered_paragraph(number) for number in range(100)]
    preview.set_blocks(replacement)
    assert changes.edits[0][0] == 0  # one import from the top, not a hundred edits
    assert texts(preview)[99] == "Paragraph 99"


def test_a_2000_block_document_updates_in_place(
    make_preview: Callable[..., EditorJsPreview], qtbot: QtBot, preview: EditorJsPreview
) -> None:
    blocks = mixed_blocks(2000)
    preview.show()
    qtbot.waitExposed(preview)
    with qtbot.waitSignal(preview.loaded):
        preview.set_blocks(blocks)
    frames = preview.document().rootFrame().childFrames()
    assert len(frames) > 1  # big documents are chunked
    before = texts(preview)

    for index in (1500, 0, 1999):
        blocks[index] = numbered_paragraph(10_000 + index)
        preview.scroll_to_block(index)
        preview.update_block(index, blocks[index])
        assert preview.block_text(index) == f"Paragraph {10_000 + index}"
    preview.viewport().repaint()

    after = texts(preview)
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [
        0,
        1500,
        1999,
    ]
    assert preview.document().rootFrame().childFrames() == frames
    assert preview.document().toHtml() == fresh(make_preview, blocks).document().toHtml()


def test_a_big_document_shows_its_start_at_once_and_fills_in(
    make_preview: Callable[..., EditorJsPreview], qtbot: QtBot, preview: EditorJsPreview
) -> None:
    blocks = mixed_blocks(3000)
    with qtbot.waitSignal(preview.loaded, timeout=20_000) as loading:
        preview.set_blocks(blocks)
        assert preview.is_loading()
        shown = preview.toPlainText()
        assert blocks[0]["data"]["text"] in shown and "cell a" in shown  # the first chunk
        assert preview.document().blockCount() < 3000  # not everything yet
        # Edits while loading: a loaded block, pending ones, and an insertion among them.
        preview.update_block(1, numbered_paragraph(-1))
        preview.update_block(2500, numbered_paragraph(-2500))
        preview.insert_block(2000, numbered_paragraph(-2000))
        preview.remove_block(2999)
    assert loading.signal_triggered and not preview.is_loading()
    expected = [*blocks[:1], numbered_paragraph(-1), *blocks[2:2000], numbered_paragraph(-2000)]
    expected += [*blocks[2000:2500], numbered_paragraph(-2500), *blocks[2501:2998], blocks[2999]]
    assert preview.blocks() == expected
    assert preview.document().toHtml() == fresh(make_preview, expected).document().toHtml()


def test_finish_loading_puts_everything_in_now(preview: EditorJsPreview) -> None:
    preview.set_blocks([numbered_paragraph(number) for number in range(1000)])
    assert preview.is_loading()
    preview.finish_loading()
    assert not preview.is_loading()
    assert preview.toPlainText().split()[-1] == "999"


def test_https_link_opens_on_click(qtbot: QtBot, preview: EditorJsPreview, opened: Opened) -> None:
    preview.set_document(
        {
            "blocks": [
                {
                    "type": "paragraph",
                    "data": {"text": 'See <a href="https://example.com/kb?q=1">the guide</a>'},
                }
            ]
        }
    )
    preview.show()
    qtbot.waitExposed(preview)
    found = preview.document().find("the guide")
    cursor = preview.textCursor()
    cursor.setPosition(found.selectionStart() + 2)
    point = preview.cursorRect(cursor).center()

    with qtbot.waitSignal(preview.link_activated) as activated:
        qtbot.mouseClick(preview.viewport(), Qt.MouseButton.LeftButton, pos=point)

    assert activated.args == [QUrl("https://example.com/kb?q=1")]
    assert opened == [QUrl("https://example.com/kb?q=1")]
    assert "the guide" in preview.toPlainText()  # the viewer did not navigate away


@pytest.mark.parametrize("url", ["mailto:help@example.com", "tel:+3212345", "http://example.com/"])
def test_other_openable_schemes(preview: EditorJsPreview, opened: Opened, url: str) -> None:
    preview.anchorClicked.emit(QUrl(url))
    assert opened == [QUrl(url)]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "ftp://example.com/",
        "#top",
        "relative/page",
    ],
)
def test_other_links_are_refused(
    qtbot: QtBot, preview: EditorJsPreview, opened: Opened, url: str
) -> None:
    with qtbot.waitSignal(preview.link_refused) as refused:
        preview.anchorClicked.emit(QUrl(url))
    assert refused.args == [QUrl(url)]
    assert opened == []


def test_hover_does_not_open(qtbot: QtBot, preview: EditorJsPreview, opened: Opened) -> None:
    preview.set_document(
        {"blocks": [{"type": "paragraph", "data": {"text": '<a href="https://example.com">x</a>'}}]}
    )
    preview.show()
    qtbot.waitExposed(preview)
    qtbot.mouseMove(preview.viewport(), preview.cursorRect(preview.textCursor()).center())
    assert opened == []
    assert not preview.openLinks() and not preview.openExternalLinks()
