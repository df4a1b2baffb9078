"""The C whole-document renderer writes exactly what the Python renderers write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import UserDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.editorjs import clear_cache, fastpath, render_html
from desktop_app.core.editorjs.base import Target
from desktop_app.core.editorjs.document import read_blocks
from desktop_app.core.editorjs.lists import MAX_ITEMS
from desktop_app.core.editorjs.render import _render, render_blocks_py
from desktop_app.core.editorjs.sanitize import declined_inline
from tests.core.editorjs.hostile import HOSTILE
from tests.core.editorjs.test_properties import (
    INLINE_PIECES,
    PIECES,
    TARGETS,
    blocks,
    documents,
    list_blocks,
    shaped_blocks,
)

C_RENDER = fastpath.C_RENDER_BLOCKS
needs_render = pytest.mark.skipif(C_RENDER is None, reason="the C speed-up is not built here")
pytestmark = needs_render

Block = dict[str, Any]


def c_render(
    found: list[Any], target: Target, *, resolve: Any = None, declined: Any = declined_inline
) -> tuple[str, list[Any]]:
    """The C render of `found`, and the blocks it handed to the Python renderer."""
    assert C_RENDER is not None
    handed: list[Any] = []

    def fallback(block: object, target: Target) -> str:
        handed.append(block)
        return _render(block, target)

    out = C_RENDER(
        found,
        target,
        fastpath._TAGS,
        resolve or fastpath._RESOLVERS[target],
        declined,
        fallback,
    )
    return out, handed


def assert_same(found: list[Any], target: Target) -> list[Any]:
    """C and Python give the same str (same characters, same storage); the blocks handed back."""
    out, handed = c_render(found, target)
    assert out == render_blocks_py(found, target)
    assert canonical(out)
    return handed


def canonical(text: str) -> bool:
    """Whether `text` is stored in the narrowest kind that holds it, as every str must be."""
    # Equal text stored wider compares unequal to (or, ASCII in a Latin-1 str, is not quite)
    # the same text stored right; a str joined from its characters is always stored right.
    rebuilt = "".join(list(text))
    return sys.getsizeof(text) == sys.getsizeof(rebuilt) and text.isascii() == rebuilt.isascii()


def assert_in_c(block: Block) -> None:
    for target in TARGETS:
        assert assert_same([block], target) == [], (target, block)


def assert_falls_back(block: Any) -> None:
    for target in TARGETS:
        assert assert_same([block], target) == [block], (target, block)


def b(kind: str, **data: Any) -> Block:
    return {"id": "x1", "type": kind, "data": data}


LINK = '<a href="https://kb.example.com/a?x=1&amp;y=2">kb</a>'
MARKUP = [
    "",
    "plain",
    "<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <del>d</del> <strike>k</strike> <br> x<br/>",
    f'{LINK} <code class="inline-code">c</code> <mark class="cdx-marker">m</mark>',
    "é ü 漢字 😀 <b>wide</b>",
    "<span>declined</span> & more",
    "<script>alert(1)</script>",
    '<a href="javascript:漢">x</a>',
]


# -- block by block, in C ------------------------------------------------------------------


@pytest.mark.parametrize("text", MARKUP)
@pytest.mark.parametrize("align", [None, "left", "center", "right", "justify"])
def test_paragraph(text: str, align: str | None) -> None:
    assert_in_c(b("paragraph", text=text, alignment=align))
    assert_in_c(b("paragraph", text=text, align=align))
    assert_in_c(b("paragraph", text=text))


@pytest.mark.parametrize("level", [None, True, -3, 0, 1, 3, 6, 7, 10**30, -(10**30), []])
@pytest.mark.parametrize("align", [None, "center"])
def test_header(level: object, align: str | None) -> None:
    assert_in_c(b("header", text=MARKUP[2], level=level, alignment=align))
    assert_in_c(b("header", text="h"))


def nested(depth: int, checked: bool = False) -> list[Any]:
    items: list[Any] = [{"content": f"<b>level</b> {depth}", "meta": {"checked": checked}}]
    if depth > 1:
        items[0]["items"] = nested(depth - 1, not checked)
    return items


@pytest.mark.parametrize("style", ["ordered", "unordered", "checklist", None, 3])
@pytest.mark.parametrize(
    "meta",
    [
        {},
        None,
        [],
        {"start": 3, "counterType": "lower-roman"},
        {"start": 1, "counterType": "numeric"},
        {"start": -(10**12), "counterType": "upper-alpha"},
        {"start": 10**40, "counterType": "lower-latin"},
        {"start": True, "counterType": None},
        {"counterType": "upper-roman"},
        {"counterType": "upper-latin", "start": None},
    ],
)
def test_lists(style: object, meta: object) -> None:
    items = [
        "v1 <i>item</i>",
        {"content": MARKUP[3], "meta": {"checked": True}, "items": ["child", {"text": "t"}]},
        {"content": "", "text": "from text", "checked": True, "items": []},
        {"content": 5, "text": None, "items": None},
        {"content": "x", "meta": {"checked": False}, "checked": False, "items": {}},
        None,
        7,
        2.5,
        [],
        {"content": "deep", "items": nested(12)},
    ]
    assert_in_c(b("list", style=style, meta=meta, items=items))
    assert_in_c(b("list", style=style, items=items, start=4, counterType="lower-alpha"))
    assert_in_c(b("list", style=style, meta={}, items=items, start=4, counterType="upper-alpha"))


@pytest.mark.parametrize("alias", ["nestedList", "nestedlist", "nested-list"])
def test_list_aliases(alias: str) -> None:
    assert_in_c(b(alias, style="ordered", items=nested(3)))


def test_checklist_block() -> None:
    items = [
        {"text": "a <b>b</b>", "checked": True},
        {"text": "c", "checked": False},
        {"text": "d", "meta": {"checked": True}},
        {"content": "e", "items": [{"text": "nested", "checked": True}]},
        "plain",
        None,
    ]
    assert_in_c(b("checklist", items=items))
    assert_in_c(b("checklist", items=[]))


@pytest.mark.parametrize("headings", [True, False, None, 1, 0])
def test_table(headings: object) -> None:
    content = [
        ["a", "<b>b</b>", LINK],
        ["ragged"],
        [],
        "not a row",
        None,
        [1, -2.5, 10**20, float("inf"), float("nan"), -0.0, True, None, ["x"], {"y": 1}],
        ["é", "漢", "<span>x</span>"],
    ]
    assert_in_c(b("table", withHeadings=headings, content=content))
    assert_in_c(b("table", withHeaders=headings, content=content))
    assert_in_c(b("table", withHeadings=headings, content=[["only"]]))
    assert_in_c(b("table", withHeadings=headings, content=[[], []]))
    assert_in_c(b("table", withHeadings=headings, content=[]))


@pytest.mark.parametrize("caption", [None, "", "by <b>me</b>", "<script>x</script>", 4])
@pytest.mark.parametrize("align", [None, "left", "center"])
def test_quote(caption: object, align: str | None) -> None:
    assert_in_c(b("quote", text=MARKUP[3], caption=caption, alignment=align))


@pytest.mark.parametrize(
    "source",
    ["", "x = 1", "\nleading", "if a < b && c > d: print(\"q\", 'p')", "é 漢 😀 <tag>", "\n"],
)
def test_code(source: str) -> None:
    assert_in_c(b("code", code=source))


def test_delimiter() -> None:
    assert_in_c(b("delimiter"))
    assert_in_c(b("delimiter", anything=[1, 2]))


@pytest.mark.parametrize(
    ("title", "message"),
    [("T", "M <b>b</b>"), ("T", None), (None, "M"), ("", "M"), ("<script></script>", "M")],
)
def test_warning(title: object, message: object) -> None:
    assert_in_c(b("warning", title=title, message=message))


# -- what is left to Python ---------------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        "not a block",
        None,
        [b("paragraph", text="x")],
        UserDict(b("paragraph", text="x")),
        {"type": 3, "data": {"text": "x"}},
        {"data": {"text": "x"}},
        {"type": "unknownTool", "data": {"text": "x"}},
        {"type": "image", "data": {"file": {"url": "https://x.example/a.png"}}},
        {"type": "raw", "data": {"html": "<p>x</p>"}},
        {"type": "paragraph", "data": None},
        {"type": "paragraph"},
        {"type": "delimiter", "data": None},
        {"type": "paragraph", "data": ["text"]},
        {"type": "paragraph", "data": UserDict(text="x")},
        b("paragraph", text=3),
        b("paragraph"),
        b("paragraph", text="x", alignment="Center"),
        b("paragraph", text="x", alignment="middle"),
        b("paragraph", text="x", alignment=UserDict()),
        b("header", text="x", level="3"),
        b("header", text="x", level=2.0),
        b("header", text=None),
        b("list", style="ORDERED", items=["x"]),
        b("list", style="ordered", meta={"counterType": "Lower-Roman"}, items=["x"]),
        b("list", style="ordered", meta={"counterType": "decimal"}, items=["x"]),
        b("list", style="ordered", meta={"start": "5"}, items=["x"]),
        b("list", style="ordered", meta={"start": 2.0}, items=["x"]),
        b("list", style="ordered", meta=UserDict(), items=["x"]),
        b("list", style="checklist", items=[{"content": "x", "meta": {"checked": "true"}}]),
        b("list", style="checklist", items=[{"content": "x", "checked": "yes"}]),
        b("list", style="checklist", items=[{"content": "x", "meta": UserDict()}]),
        b("list", items="x"),
        b("list", items=None),
        b("list", items=[UserDict(content="x")]),
        b("list", items=[{"content": UserDict()}]),
        b("list", items=[{"content": "x", "items": UserDict()}]),
        b("list", style="ordered", items=nested(40)),
        b("checklist", items=None),
        b("table", content="x"),
        b("table", content=[[UserDict()]]),
        b("table", content=[UserDict()]),
        b("table", withHeadings="true", content=[["x"]]),
        b("table", withHeadings=UserDict(), content=[["x"]]),
        b("code", code="a\r\nb"),
        b("code", code=None),
        b("quote", text=None),
        b("quote", text="x", caption=UserDict()),
        b("warning", title="", message=""),
        b("warning"),
        b("warning", title=UserDict(), message="m"),
    ],
    ids=repr,
)
def test_falls_back(block: Any) -> None:
    assert_falls_back(block)


class Text(str):
    """A str subclass: not what JSON gives, so left to Python."""


def test_str_subclasses_fall_back() -> None:
    assert_falls_back(b("paragraph", text=Text("x")))
    assert_falls_back({"type": Text("paragraph"), "data": {"text": "x"}})
    assert_falls_back(b("list", items=[Text("x")]))
    assert_falls_back(b("table", content=[[Text("x")]]))


def test_self_containing_list_falls_back() -> None:
    items: list[Any] = [{"content": "loop"}]
    items[0]["items"] = items
    assert_falls_back(b("list", items=items))


def test_item_budget_falls_back_at_the_limit() -> None:
    fits = b("list", items=["x"] * MAX_ITEMS)
    assert_in_c(fits)
    assert_falls_back(b("list", items=["x"] * (MAX_ITEMS + 1)))


def test_a_failing_callback_leaves_the_block_to_python() -> None:
    def broken(body: str) -> None:
        raise ValueError(body)

    found = [b("paragraph", text="before"), b("paragraph", text='<b class="z">x</b>')]
    for target in TARGETS:
        clear_cache()  # the spelling must not be known yet
        out, handed = c_render(found, target, resolve=broken)
        assert handed == [found[1]]
        assert out == render_blocks_py(found, target)


def test_declined_markup_goes_through_the_parser_in_place() -> None:
    calls: list[str] = []

    def declined(markup: str, target: Target) -> str:
        calls.append(markup)
        return declined_inline(markup, target)

    found = [b("paragraph", text="<span>a</span>"), b("list", items=["<p>x</p>", "y"])]
    for target in TARGETS:
        out, handed = c_render(found, target, declined=declined)
        assert handed == []
        assert out == render_blocks_py(found, target)
    assert calls == ["<span>a</span>", "<p>x</p>"] * 2


def test_a_declined_result_that_is_not_a_str_leaves_the_block_to_python() -> None:
    found = [b("paragraph", text="<span>a</span>")]
    out, handed = c_render(found, "web", declined=lambda markup, target: None)
    assert handed == found
    assert out == render_blocks_py(found, "web")


def test_errors_that_are_not_exceptions_propagate() -> None:
    assert C_RENDER is not None

    def interrupted(block: object, target: Target) -> str:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        C_RENDER(
            ["x"], "web", fastpath._TAGS, fastpath._RESOLVERS["web"], declined_inline, interrupted
        )
    with pytest.raises(TypeError):
        C_RENDER(
            ["x"],
            "web",
            fastpath._TAGS,
            fastpath._RESOLVERS["web"],
            declined_inline,
            lambda b, t: 3,
        )
    with pytest.raises(TypeError):
        C_RENDER("x", "web", fastpath._TAGS, fastpath._RESOLVERS["web"], declined_inline, _render)


def test_a_missing_table_leaves_blocks_to_python() -> None:
    assert C_RENDER is not None
    found = [b("paragraph", text="x")]
    handed: list[Any] = []

    def fallback(block: object, target: Target) -> str:
        handed.append(block)
        return _render(block, target)

    out = C_RENDER(found, "web", {}, fastpath._RESOLVERS["web"], declined_inline, fallback)
    assert (out, handed) == (render_blocks_py(found, "web"), found)


def test_links_checked_while_the_link_memo_is_replaced() -> None:
    # Enough new links to make the fast path start a fresh table mid-document.
    found = [
        b("paragraph", text=f'<a href="https://x.example/{n}">{n}</a>')
        for n in range(fastpath._KNOWN_LINKS + 50)
    ]
    for target in TARGETS:
        clear_cache()
        assert assert_same(found, target) == []


def test_wide_characters_only_in_dropped_markup_give_a_canonical_str() -> None:
    # The href is dropped: nothing wide is left, so the result must be stored as ASCII.
    markup = '<a href="javascript:漢">x</a>'
    for target in TARGETS:
        fast = fastpath.fast_inline(markup, target)
        assert fast is not None and canonical(fast) and fast.isascii()
        assert fast == fastpath.fast_inline_py(markup, target)
        assert canonical(render_html([b("paragraph", text=markup)], target))


@pytest.mark.parametrize(
    ("wide", "instead"), [("漢", "x"), ("😀", "x"), ("😀", "☐ x"), ("é", "x"), ("漢", "é")]
)
def test_output_dropped_for_python_does_not_widen_the_result(wide: str, instead: str) -> None:
    # The C renderer writes the first item, meets a value it leaves to Python, and drops what
    # it wrote: the result is as narrow as what is left.
    assert C_RENDER is not None
    found = [b("list", style="checklist", items=[wide, {"content": "x", "checked": "true"}])]
    for target in TARGETS:
        out = C_RENDER(
            found,
            target,
            fastpath._TAGS,
            fastpath._RESOLVERS[target],
            declined_inline,
            lambda block, target: instead,
        )
        assert out == instead and canonical(out)


def test_render_html_uses_the_c_renderer() -> None:
    doc = {"blocks": [b("paragraph", text="x"), b("image")]}
    for target in TARGETS:
        assert render_html(doc, target) == render_blocks_py(doc["blocks"], target)


ROOT = Path(__file__).resolve().parents[3]


def benchmark_document(seed: int, count: int) -> dict[str, Any]:
    """The benchmark's own generated document (benchmarks/editorjs_render.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from editorjs_render import Generator
    finally:
        sys.path.pop(0)
    document: dict[str, Any] = Generator(seed).document(count)
    return document


def test_benchmark_document() -> None:
    for seed in (1, 20_240_917):
        found = benchmark_document(seed, 400)["blocks"]
        for target in TARGETS:
            clear_cache()
            handed = assert_same(found, target)
            # Only the types written in Python are handed back.
            assert {block["type"] for block in handed} <= {
                "image", "simple-image", "embed", "raw", "attaches", "linkTool"
            }  # fmt: skip


# -- random and hostile documents ------------------------------------------------------------

markup = (
    st.lists(st.sampled_from(INLINE_PIECES + PIECES) | st.text(max_size=3), max_size=12).map(
        "".join
    )
    | st.sampled_from(HOSTILE + MARKUP)
    | st.text(max_size=12)
)
odd = st.none() | st.booleans() | st.integers() | st.floats() | markup
aligns = st.sampled_from([None, "left", "center", "right", "justify", "Center", "x", 1])
items = st.recursive(
    markup | odd,
    lambda children: st.fixed_dictionaries(
        {},
        optional={
            "content": markup | odd,
            "text": markup | odd,
            "items": st.lists(children, max_size=3) | odd,
            "meta": st.fixed_dictionaries({}, optional={"checked": st.booleans() | odd}) | odd,
            "checked": st.booleans() | odd,
        },
    ),
    max_leaves=12,
)
cells = st.lists(markup | odd, max_size=4)


def block_of(kind: st.SearchStrategy[str], **fields: st.SearchStrategy[Any]) -> Any:
    return st.fixed_dictionaries(
        {"type": kind, "data": st.fixed_dictionaries({}, optional=fields)}, optional={"id": markup}
    )


# The shapes the C renderer writes itself, with random options and markup in every field.
c_blocks = st.one_of(
    block_of(st.just("paragraph"), text=markup, alignment=aligns, align=aligns),
    block_of(st.just("header"), text=markup, level=odd | st.integers(-2, 8), alignment=aligns),
    block_of(
        st.sampled_from(["list", "nestedList", "checklist"]),
        style=st.sampled_from(["ordered", "unordered", "checklist", "Ordered"]) | odd,
        items=st.lists(items, max_size=5),
        meta=st.fixed_dictionaries(
            {},
            optional={
                "start": st.integers(-3, 12) | odd,
                "counterType": st.sampled_from(["numeric", "lower-roman", "upper-alpha"]) | odd,
            },
        )
        | odd,
        start=st.integers(-3, 3) | odd,
        counterType=st.sampled_from(["lower-alpha", "upper-roman"]) | odd,
    ),
    block_of(
        st.just("table"),
        content=st.lists(cells | odd, max_size=4),
        withHeadings=st.booleans() | odd,
        withHeaders=st.booleans() | odd,
    ),
    block_of(st.just("quote"), text=markup, caption=markup | odd, alignment=aligns),
    block_of(st.just("code"), code=markup),
    block_of(st.just("delimiter")),
    block_of(st.just("warning"), title=markup | odd, message=markup | odd),
)
thorough = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@thorough
@given(st.lists(c_blocks, max_size=8), st.sampled_from(TARGETS))
def test_same_as_python_on_random_common_blocks(found: list[Any], target: Target) -> None:
    assert_same(found, target)


@thorough
@given(st.lists(blocks | shaped_blocks | list_blocks, max_size=8), st.sampled_from(TARGETS))
def test_same_as_python_on_hostile_blocks(found: list[Any], target: Target) -> None:
    assert_same(found, target)


@thorough
@given(documents)
def test_render_html_same_as_python_on_random_documents(document: Any) -> None:
    found = read_blocks(document)
    for target in TARGETS:
        out = render_html(document, target)
        if found is not None:
            assert out == render_blocks_py(found, target)


def test_benchmark_document_same_as_without_any_c(tmp_path: Path) -> None:
    # End to end: the C build against a process where no C runs at all (the inline fast path
    # in Python too), on the benchmark's document.
    document = benchmark_document(7, 600)
    path = tmp_path / "document.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from desktop_app.core.editorjs import render_html\n"
        "doc = json.loads(open(sys.argv[1], encoding='utf-8').read())\n"
        "print(json.dumps([render_html(doc, 'web'), render_html(doc, 'qt')]))\n"
    )
    pure = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        env={**os.environ, "DESKFORMS_PURE_PYTHON": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    document = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(pure.stdout) == [render_html(document, "web"), render_html(document, "qt")]
