"""Rendering of list v1, nested list v2 (ordered, unordered, checklist) and the checklist block."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.editorjs import Target, render_block
from desktop_app.core.editorjs.lists import MAX_DEPTH
from tests.core.editorjs.markup import Element, parse

TARGETS: list[Target] = ["web", "qt"]


def lst(**data: Any) -> dict[str, Any]:
    return {"type": "list", "data": data}


def item(content: str, *children: dict[str, Any], checked: bool | None = None) -> dict[str, Any]:
    meta = {} if checked is None else {"checked": checked}
    return {"content": content, "meta": meta, "items": list(children)}


def own_text(li: Element) -> str:
    return "".join(
        c if isinstance(c, str) else c.text
        for c in li.children
        if not (isinstance(c, Element) and c.tag in ("ul", "ol"))
    )


def test_list_v1_unordered_and_ordered() -> None:
    web = render_block(lst(style="unordered", items=["a", "<i>b</i>"]))
    assert web == '<ul class="ejs-list ejs-list-unordered"><li>a</li><li><i>b</i></li></ul>'
    qt = render_block(lst(style="ordered", items=["a", "b"]), "qt")
    assert qt == "<ol><li>a</li><li>b</li></ol>"
    assert render_block(lst(items=["a"]), "qt") == "<ul><li>a</li></ul>"  # style defaults


def test_list_v2_nests_to_any_depth() -> None:
    data = lst(
        style="unordered",
        meta={},
        items=[item("a", item("a1", item("a1x")), item("a2")), item("b")],
    )
    for target in TARGETS:
        root = parse(render_block(data, target))
        outer = root.children[0]
        assert isinstance(outer, Element) and outer.tag == "ul"
        top = [c for c in outer.children if isinstance(c, Element)]
        assert [own_text(li) for li in top] == ["a", "b"]
        nested = top[0].find("ul")
        assert [own_text(li) for li in nested.children if isinstance(li, Element)] == ["a1", "a2"]
        assert own_text(nested.find("ul").find("li")) == "a1x"
        assert root.tags().count("ul") == 3


@pytest.mark.parametrize(
    ("counter", "type_"),
    [("numeric", None), ("lower-roman", "i"), ("upper-roman", "I"), ("lower-alpha", "a"),
     ("upper-alpha", "A"), ("Upper-Roman", "I"), ("bogus", None), (None, None)],
)  # fmt: skip
def test_ordered_start_and_counter_type(counter: str | None, type_: str | None) -> None:
    data = lst(
        style="ordered", meta={"start": 4, "counterType": counter}, items=[item("x", item("y"))]
    )
    for target in TARGETS:
        root = parse(render_block(data, target))
        outer, inner = root.find_all("ol")
        assert outer.attrs.get("start") == "4"
        assert outer.attrs.get("type") == type_
        # The counter type holds at every level; the start only for the top list.
        assert inner.attrs.get("type") == type_ and "start" not in inner.attrs


@pytest.mark.parametrize(
    ("start", "shown"),
    [(1, None), ("7", "7"), (0, "0"), (-3, "-3"), ("x", None), (10**12, "1000000000")],
)
def test_start_values(start: object, shown: str | None) -> None:
    root = parse(render_block(lst(style="ordered", meta={"start": start}, items=["a"]), "qt"))
    assert root.find("ol").attrs.get("start") == shown


def test_checklist_style_of_the_nested_list() -> None:
    data = lst(
        style="checklist",
        meta={},
        items=[item("done", item("sub", checked=False), checked=True), item("todo", checked=False)],
    )
    web = parse(render_block(data))
    ul = web.find("ul")
    assert ul.attrs == {"class": "ejs-list ejs-checklist", "style": "list-style-type:none"}
    lis = web.find_all("li")
    assert [li.attrs["class"] for li in lis] == [
        "ejs-checklist-item ejs-checked",
        "ejs-checklist-item ejs-unchecked",
        "ejs-checklist-item ejs-unchecked",
    ]
    assert [own_text(li) for li in lis] == ["☑ done", "☐ sub", "☐ todo"]
    qt = parse(render_block(data, "qt"))
    assert all(u.attrs == {"style": "list-style-type:none"} for u in qt.find_all("ul"))
    assert [own_text(li) for li in qt.find_all("li")] == ["☑ done", "☐ sub", "☐ todo"]


def test_checklist_block() -> None:
    data = {
        "type": "checklist",
        "data": {
            "items": [{"text": "a", "checked": True}, {"text": "<b>b</b>", "checked": False}, "c"]
        },
    }
    for target in TARGETS:
        root = parse(render_block(data, target))
        assert [li.text for li in root.find_all("li")] == ["☑ a", "☐ b", "☐ c"]
        assert root.find("ul").attrs["style"] == "list-style-type:none"


def test_items_may_mix_shapes_and_checked_spellings() -> None:
    data = lst(
        style="checklist",
        items=[
            "plain",
            {"text": "by text", "checked": "true"},
            {"content": "by meta", "meta": {"checked": True}},
            5,
            None,
        ],
    )
    root = parse(render_block(data, "qt"))
    assert [li.text for li in root.find_all("li")] == ["☐ plain", "☑ by text", "☑ by meta"]


def test_deep_nesting_is_bounded_and_flattened() -> None:
    deepest: dict[str, Any] = item("leaf")
    for level in range(200, 0, -1):
        deepest = item(f"level {level}", deepest)
    for target in TARGETS:
        root = parse(render_block(lst(style="unordered", items=[deepest]), target))
        assert root.tags().count("ul") == MAX_DEPTH
        texts = [own_text(li) for li in root.find_all("li")]
        # Nothing is lost: everything below the limit is listed in reading order.
        assert texts == [f"level {n}" for n in range(1, 201)] + ["leaf"]


def test_cyclic_items_do_not_hang() -> None:
    node: dict[str, Any] = {"content": "loop", "items": []}
    node["items"].append(node)
    out = render_block(lst(items=[node]))
    assert out.count("<ul") == MAX_DEPTH


@pytest.mark.parametrize("items", [None, "abc", {"a": 1}, 3])
def test_items_that_are_not_a_list_give_a_note(items: object) -> None:
    for kind in ("list", "checklist"):
        out = render_block({"type": kind, "data": {"items": items}})
        assert out == f'<p class="ejs-unsupported">Invalid block: <code>{kind}</code></p>'
