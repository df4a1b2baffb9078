"""Random documents: supported ones round-trip through the editor, hostile ones come out clean."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from desktop_app.gui.editorjs.editor import RichTextEditor
from desktop_app.gui.editorjs.editor_inline import (
    ALL_MARKS,
    LINE_BREAK,
    Run,
    normalize_runs,
    parse_inline,
    write_inline,
)
from tests.gui.editorjs.test_editor_support import round_trip

# Qt is slow: few examples, no deadline; one editor serves all examples of a test.
QT_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def editor(qtbot: QtBot) -> RichTextEditor:
    widget = RichTextEditor()
    qtbot.addWidget(widget)
    return widget


TEXT = st.text(
    alphabet=st.sampled_from([*"ab Zé漢😀&<>\"'.-\xa0\t\n", "\ufffc"]), min_size=1, max_size=8
)
HREFS = st.sampled_from(
    [
        None,
        None,
        "https://example.com/a?b=1&c=2",
        "mailto:help@example.com",
        "tel:+1-555",
        "http://x.org/ü",
    ]
)
RUNS = st.lists(
    st.builds(
        Run,
        st.one_of(TEXT, st.just(LINE_BREAK)),
        st.integers(min_value=0, max_value=ALL_MARKS),
        HREFS,
    ),
    max_size=6,
)
INLINE = RUNS.map(write_inline)
IDS = st.one_of(st.none(), st.text(alphabet="abcdefghXYZ0123_-", min_size=10, max_size=10))


def _block(kind: str, data: dict[str, Any], block_id: str | None) -> dict[str, Any]:
    block: dict[str, Any] = {} if block_id is None else {"id": block_id}
    block.update({"type": kind, "data": data})
    return block


@st.composite
def nested_items(draw: st.DrawFn, style: str, depth: int = 0) -> list[dict[str, Any]]:
    items = []
    for _ in range(
        draw(st.integers(min_value=1 if depth == 0 else 0, max_value=3 if depth < 3 else 0))
    ):
        meta = {"checked": draw(st.booleans())} if style == "checklist" else {}
        children = draw(nested_items(style, depth + 1)) if depth < 3 else []
        items.append({"content": draw(INLINE), "meta": meta, "items": children})
    return items


@st.composite
def list_block(draw: st.DrawFn) -> dict[str, Any]:
    style = draw(st.sampled_from(["unordered", "ordered", "checklist"]))
    meta: dict[str, Any] = {}
    if style == "ordered":
        meta = {
            "start": draw(st.integers(min_value=1, max_value=50)),
            "counterType": draw(
                st.sampled_from(
                    ["numeric", "lower-roman", "upper-roman", "lower-alpha", "upper-alpha"]
                )
            ),
        }
    return {"style": style, "meta": meta, "items": draw(nested_items(style))}


CODE = st.text(alphabet=st.sampled_from(list("ab {}();<>&\t\n\r ")), max_size=30)

BLOCK_DATA = st.one_of(
    st.tuples(st.just("paragraph"), st.builds(lambda t: {"text": t}, INLINE)),
    st.tuples(
        st.just("paragraph"),
        st.builds(
            lambda t, a: {"text": t, "alignment": a},
            INLINE,
            st.sampled_from(["left", "center", "right", "justify"]),
        ),
    ),
    st.tuples(
        st.just("header"),
        st.builds(lambda t, n: {"text": t, "level": n}, INLINE, st.integers(1, 6)),
    ),
    st.tuples(st.just("list"), list_block()),
    st.tuples(
        st.just("list"),
        st.builds(
            lambda s, i: {"style": s, "items": i},
            st.sampled_from(["ordered", "unordered"]),
            st.lists(INLINE, min_size=1, max_size=3),
        ),
    ),
    st.tuples(
        st.just("checklist"),
        st.builds(
            lambda i: {"items": i},
            st.lists(
                st.builds(lambda t, c: {"text": t, "checked": c}, INLINE, st.booleans()),
                min_size=1,
                max_size=3,
            ),
        ),
    ),
    st.tuples(
        st.just("quote"),
        st.builds(
            lambda t, c, a: {"text": t, "caption": c, "alignment": a},
            INLINE,
            INLINE,
            st.sampled_from(["left", "center"]),
        ),
    ),
    st.tuples(st.just("code"), st.builds(lambda c: {"code": c}, CODE)),
    st.tuples(st.just("delimiter"), st.just({})),
    st.tuples(
        st.just("table"), st.builds(lambda c: {"withHeadings": False, "content": [[c]]}, INLINE)
    ),
    st.tuples(st.just("raw"), st.builds(lambda h: {"html": h}, st.text(max_size=20))),
)


@st.composite
def documents(draw: st.DrawFn) -> list[dict[str, Any]]:
    pairs = draw(st.lists(BLOCK_DATA, max_size=8))
    ids = draw(
        st.lists(IDS, min_size=len(pairs), max_size=len(pairs), unique_by=lambda i: i or object())
    )
    return [_block(kind, data, block_id) for (kind, data), block_id in zip(pairs, ids, strict=True)]


@given(RUNS)
def test_inline_html_parses_back_to_its_runs(runs: list[Run]) -> None:
    assert parse_inline(write_inline(runs)) == normalize_runs(runs)


@QT_SETTINGS
@given(documents())
def test_random_documents_round_trip(
    editor: RichTextEditor, document: list[dict[str, Any]]
) -> None:
    assert round_trip(editor, copy.deepcopy(document)) == document


ACTIVE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">j</a>',
    '<a href=" jAvAsCrIpT&colon;alert(1)">k</a>',
    '<a href="data:text/html,x">d</a>',
    '<b onmouseover="alert(1)">b</b>',
    "<iframe src=https://evil></iframe>",
    '<math><mi xlink:href="javascript:alert(1)">m</mi></math>',
    "<style>@import 'x'</style>",
    "<<script>script>alert(1)<</script>/script>",
]
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(ACTIVE), INLINE), min_size=1, max_size=4).map(
    "".join
)
HOSTILE_DATA = st.one_of(
    st.builds(lambda t: ("paragraph", {"text": t}), HOSTILE_TEXT),
    st.builds(lambda t: ("header", {"text": t, "level": 3}), HOSTILE_TEXT),
    st.builds(lambda t, c: ("quote", {"text": t, "caption": c}), HOSTILE_TEXT, HOSTILE_TEXT),
    st.builds(
        lambda i: ("list", {"style": "unordered", "items": i}),
        st.lists(HOSTILE_TEXT, min_size=1, max_size=3),
    ),
    st.builds(
        lambda t: (
            "list",
            {
                "style": "checklist",
                "items": [{"content": t, "meta": {"checked": True}, "items": []}],
            },
        ),
        HOSTILE_TEXT,
    ),
    st.builds(lambda t: ("checklist", {"items": [{"text": t, "checked": False}]}), HOSTILE_TEXT),
)


@QT_SETTINGS
@given(st.lists(HOSTILE_DATA, min_size=1, max_size=5))
def test_hostile_inline_markup_never_reaches_the_value(
    editor: RichTextEditor, pairs: list[tuple[str, dict[str, Any]]]
) -> None:
    editor.set_value({"blocks": [{"type": kind, "data": data} for kind, data in pairs]})
    text = json.dumps(editor.value(), ensure_ascii=False).lower()
    for needle in (
        "<script",
        "onerror",
        "onmouseover",
        "javascript",
        "data:text",
        "<iframe",
        "<img",
        "<style",
        "<math",
    ):
        assert needle not in text


JSON = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)
KNOWN_TYPES = st.sampled_from(
    ["paragraph", "header", "list", "checklist", "quote", "code", "delimiter", "table"]
)
DATA_KEYS = ("text", "alignment", "level", "caption", "code", "items", "style", "meta")
GARBAGE_BLOCK = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {
            "type": KNOWN_TYPES,
            "data": st.fixed_dictionaries({}, optional=dict.fromkeys(DATA_KEYS, JSON)),
        },
        optional={"id": JSON, "tunes": JSON},
    ),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["paragraph", "header", "list", "checklist", "quote", "code", "delimiter", "table"]
            ),
            "data": JSON,
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("list"),
            "data": st.fixed_dictionaries(
                {
                    "style": st.just("ordered"),
                    "items": st.lists(
                        st.fixed_dictionaries({"content": JSON, "meta": JSON, "items": JSON})
                    ),
                    "meta": st.fixed_dictionaries({"start": JSON, "counterType": JSON}),
                }
            ),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("list"),
            "data": st.fixed_dictionaries(
                {
                    "style": st.sampled_from(["ordered", "checklist", "x"]),
                    "items": JSON,
                    "meta": JSON,
                }
            ),
        }
    ),
)


@QT_SETTINGS
@given(st.lists(GARBAGE_BLOCK, max_size=6))
def test_malformed_documents_never_raise(editor: RichTextEditor, document: list[Any]) -> None:
    editor.set_value({"blocks": document})
    value = editor.value()
    # Nothing is lost: every object-shaped block comes back (editable ones may be normalized).
    assert len(value["blocks"]) <= len([b for b in document if isinstance(b, dict)])
    editor.rich_text()
