"""Editor.js -> rich-text editor -> Editor.js gives the same blocks; other types pass untouched."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.gui.editorjs.editor import EDITORJS_VERSION, RichTextEditor
from tests.gui.editorjs.test_editor_support import blocks, round_trip


@pytest.fixture
def editor(qtbot: QtBot) -> RichTextEditor:
    widget = RichTextEditor()
    qtbot.addWidget(widget)
    return widget


def item(content: str, *children: dict[str, Any], checked: bool | None = None) -> dict[str, Any]:
    meta = {} if checked is None else {"checked": checked}
    return {"content": content, "meta": meta, "items": list(children)}


EDITABLE: dict[str, dict[str, Any]] = {
    "paragraph": {"id": "p1", "type": "paragraph", "data": {"text": "Just text."}},
    "paragraph-aligned": {
        "id": "p2",
        "type": "paragraph",
        "data": {"text": "Centered", "alignment": "center"},
    },
    "paragraph-left-kept": {
        "id": "p3",
        "type": "paragraph",
        "data": {"text": "Left", "alignment": "left"},
    },
    "paragraph-right": {
        "id": "p4",
        "type": "paragraph",
        "data": {"text": "R", "alignment": "right"},
    },
    "paragraph-justify": {
        "id": "p5",
        "type": "paragraph",
        "data": {"text": "J", "alignment": "justify"},
    },
    "inline": {
        "id": "in",
        "type": "paragraph",
        "data": {
            "text": 'a <b>bold <i>both</i></b> <u>u</u> <s>s</s> <code class="inline-code">c()</code> '
            '<mark class="cdx-marker">m</mark> <a href="https://example.com/?q=1&amp;r=2">link '
            "<b>bold link</b></a><br>line two &amp; &lt;tag&gt; &nbsp;x"
        },
    },
    "inline-nesting": {
        "id": "nest",
        "type": "paragraph",
        "data": {
            "text": '<b><a href="mailto:a@example.com">mail</a> after</b> <i>x<br>y</i>'
            '<mark class="cdx-marker"><code class="inline-code">mc</code></mark> '
            '<a href="tel:+123">call</a>'
        },
    },
    **{
        f"header-{level}": {
            "id": f"h{level}",
            "type": "header",
            "data": {"text": f"Level <i>{level}</i>", "level": level},
        }
        for level in range(1, 7)
    },
    "list-nested": {
        "id": "l1",
        "type": "list",
        "data": {
            "style": "unordered",
            "meta": {},
            "items": [
                item("one", item("one.a", item("one.a.i", item("one.a.i.x"))), item("one.b")),
                item("<b>two</b>"),
                item("", item("child of empty")),
            ],
        },
    },
    "list-ordered": {
        "id": "l2",
        "type": "list",
        "data": {
            "style": "ordered",
            "meta": {"start": 4, "counterType": "upper-roman"},
            "items": [item("four", item("nested")), item("five")],
        },
    },
    **{
        f"list-counter-{counter}": {
            "id": f"c-{counter}",
            "type": "list",
            "data": {
                "style": "ordered",
                "meta": {"start": 1, "counterType": counter},
                "items": [item("x"), item("y")],
            },
        }
        for counter in ("numeric", "lower-roman", "lower-alpha", "upper-alpha")
    },
    "list-checklist": {
        "id": "l3",
        "type": "list",
        "data": {
            "style": "checklist",
            "meta": {},
            "items": [
                item("done", item("sub done", checked=True), checked=True),
                item("todo", checked=False),
            ],
        },
    },
    "list-meta-kept": {
        "id": "lm",
        "type": "list",
        "data": {
            "style": "unordered",
            "meta": {"start": 3, "counterType": "lower-roman", "custom": [1]},
            "items": [item("x")],
        },
    },
    "list-ordered-sparse-meta": {
        "id": "ls",
        "type": "list",
        "data": {"style": "ordered", "meta": {}, "items": [item("x")]},
    },
    "list-v1": {
        "id": "v1",
        "type": "list",
        "data": {"style": "ordered", "items": ["a", "<i>b</i>"]},
    },
    "list-v1-unordered": {
        "id": "v1u",
        "type": "list",
        "data": {"style": "unordered", "items": ["a"]},
    },
    "list-nested-1x": {
        "id": "n1",
        "type": "list",
        "data": {
            "style": "unordered",
            "items": [{"content": "a", "items": [{"content": "b", "items": []}]}],
        },
    },
    "checklist": {
        "id": "ck",
        "type": "checklist",
        "data": {"items": [{"text": "yes", "checked": True}, {"text": "no", "checked": False}]},
    },
    "quote": {
        "id": "q1",
        "type": "quote",
        "data": {"text": "To be<br>or not", "caption": "<i>Hamlet</i>", "alignment": "left"},
    },
    "quote-center": {
        "id": "q2",
        "type": "quote",
        "data": {"text": "Centered", "caption": "", "alignment": "center"},
    },
    "code": {
        "id": "k1",
        "type": "code",
        "data": {"code": "def f(x):\n\tif x:\n        return '<b>'\n\n\n    # trailing  \n"},
    },
    "code-windows": {"id": "k2", "type": "code", "data": {"code": "a\r\nb\r\n"}},
    "code-empty": {"id": "k3", "type": "code", "data": {"code": ""}},
    "delimiter": {"id": "d1", "type": "delimiter", "data": {}},
    "tunes": {
        "id": "t1",
        "type": "paragraph",
        "data": {"text": "tuned", "extra": [1, 2]},
        "tunes": {"anchorTune": {"anchor": "x"}},
    },
    "no-id": {"type": "paragraph", "data": {"text": "old data without ids"}},
    "empty-paragraph": {"id": "e1", "type": "paragraph", "data": {"text": ""}},
    "raw-newline": {"id": "nl", "type": "paragraph", "data": {"text": "one\ntwo"}},
}

UNTOUCHED: dict[str, dict[str, Any]] = {
    "table": {
        "id": "tb",
        "type": "table",
        "data": {"withHeadings": True, "content": [["<b>h</b>", "x"], ["1", "<script>2</script>"]]},
    },
    "image": {
        "id": "im",
        "type": "image",
        "data": {"file": {"url": "https://x/i.png"}, "caption": "c", "withBorder": False},
    },
    "simple-image": {"id": "si", "type": "simple-image", "data": {"url": "https://x/s.png"}},
    "embed": {
        "id": "em",
        "type": "embed",
        "data": {"service": "youtube", "source": "https://y", "embed": "https://y/e", "width": 580},
    },
    "warning": {"id": "wa", "type": "warning", "data": {"title": "Careful", "message": "Hot"}},
    "raw": {"id": "rw", "type": "raw", "data": {"html": "<script>alert(1)</script><p>x</p>"}},
    "attaches": {
        "id": "at",
        "type": "attaches",
        "data": {"file": {"url": "https://x/f.pdf", "name": "f.pdf", "size": 12}, "title": "F"},
    },
    "linkTool": {
        "id": "lt",
        "type": "linkTool",
        "data": {"link": "https://x", "meta": {"title": "T", "image": {"url": "https://x/i"}}},
    },
    "unknown": {"id": "uk", "type": "mermaid", "data": {"graph": "a-->b"}},
    "header-bad-level": {"id": "hb", "type": "header", "data": {"text": "x", "level": 9}},
    "paragraph-no-text": {"id": "pn", "type": "paragraph", "data": {"html": "x"}},
    "list-empty": {"id": "le", "type": "list", "data": {"style": "unordered", "items": []}},
    "data-not-object": {"id": "dn", "type": "paragraph", "data": ["x"]},
}


@pytest.mark.parametrize("name", sorted(EDITABLE))
def test_each_editable_block_round_trips(editor: RichTextEditor, name: str) -> None:
    block = EDITABLE[name]
    assert round_trip(editor, [copy.deepcopy(block)]) == [block]


@pytest.mark.parametrize("name", sorted(UNTOUCHED))
def test_other_blocks_pass_through_untouched(editor: RichTextEditor, name: str) -> None:
    block = UNTOUCHED[name]
    out = round_trip(editor, [{"id": "a", "type": "paragraph", "data": {"text": "x"}}, block])
    assert out[1] == block
    assert json.dumps(out[1]) == json.dumps(block)  # member order too


def test_a_whole_document_round_trips_in_order(editor: RichTextEditor) -> None:
    everything = [*EDITABLE.values(), *UNTOUCHED.values()]
    assert round_trip(editor, copy.deepcopy(everything)) == everything


def test_value_has_time_and_version(editor: RichTextEditor) -> None:
    editor.set_value({"time": 1, "blocks": [EDITABLE["paragraph"]], "version": "2.8.1"})
    value = editor.value()
    assert value["version"] == EDITORJS_VERSION
    assert isinstance(value["time"], int) and value["time"] > 1_600_000_000_000
    assert list(value) == ["time", "blocks", "version"]


def test_set_value_takes_rich_text_and_block_lists(editor: RichTextEditor) -> None:
    block = EDITABLE["quote"]
    editor.set_value({"html": "<p>x</p>", "editorjs": {"blocks": [block]}})
    assert blocks(editor) == [block]
    editor.set_value([block, "not a block", 3])
    assert blocks(editor) == [block]
    editor.set_value(None)
    assert blocks(editor) == []


def test_new_blocks_get_fresh_unique_ids(editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [EDITABLE["paragraph"], copy.deepcopy(EDITABLE["paragraph"])]})
    first, second = blocks(editor)
    assert first == EDITABLE["paragraph"]
    assert second["id"] != "p1" and len(second["id"]) == 10
    assert second["data"] == first["data"]


def test_rich_text_fills_every_member(editor: RichTextEditor) -> None:
    editor.set_value(
        {"blocks": [{"type": "header", "data": {"text": "Hello", "level": 2}}, EDITABLE["inline"]]}
    )
    rich = editor.rich_text()
    assert rich.editorjs is not None and len(rich.editorjs.blocks) == 2
    assert rich.html is not None and "<h2" in rich.html and "Hello" in rich.html
    assert rich.plain_preview is not None and rich.plain_preview.startswith("Hello")
    assert rich.read_minutes == 1


def test_rich_text_leaves_out_what_cannot_be_sent(editor: RichTextEditor) -> None:
    editor.set_value({"blocks": [UNTOUCHED["data-not-object"], EDITABLE["paragraph"]]})
    assert len(blocks(editor)) == 2
    rich = editor.rich_text()
    assert rich.editorjs is not None
    assert [b.type for b in rich.editorjs.blocks] == ["paragraph"]


HOSTILE = [
    "<script>alert(1)</script>safe",
    '<img src=x onerror="alert(1)">img',
    '<a href="javascript:alert(1)">js</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    '<b onclick="alert(1)">click</b>',
    '<iframe src="https://evil"></iframe><style>*{}</style>frame',
    "<svg><script>alert(1)</script></svg>svg",
    '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
]


@pytest.mark.parametrize("markup", HOSTILE)
def test_hostile_inline_html_never_reaches_the_value(editor: RichTextEditor, markup: str) -> None:
    editor.set_value(
        {
            "blocks": [
                {"id": "p", "type": "paragraph", "data": {"text": markup}},
                {"id": "h", "type": "header", "data": {"text": markup, "level": 2}},
                {"id": "l", "type": "list", "data": {"style": "unordered", "items": [markup]}},
                {"id": "q", "type": "quote", "data": {"text": markup, "caption": markup}},
                {
                    "id": "c",
                    "type": "checklist",
                    "data": {"items": [{"text": markup, "checked": True}]},
                },
            ]
        }
    )
    text = json.dumps(editor.value()).lower()
    for needle in (
        "<script",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "data:",
        "<iframe",
        "<svg",
        "<img",
        "<style",
    ):
        assert needle not in text
