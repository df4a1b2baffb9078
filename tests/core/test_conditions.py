"""Conditions: every operator on every kind of answer, and which parts of a form show."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.form.conditions import (
    editorjs_plain_text,
    evaluate,
    is_empty,
    parse_iso,
    visibility,
    visible_fields,
)
from desktop_app.core.form.model import Condition, Form, Operator, Page, TicketTarget


def cond(*rules: dict[str, Any], match: str = "all") -> Condition:
    return Condition.model_validate({"match": match, "rules": list(rules)})


def rule(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


def holds(answer: Any, op: str, value: Any = None) -> bool:
    return evaluate(cond(rule("a", op, value)), {"a": answer})


def test_no_condition_always_holds() -> None:
    assert evaluate(None, {}) is True


@pytest.mark.parametrize(
    ("answer", "value", "expected"),
    [
        ("hardware", "hardware", True),
        ("hardware", "software", False),
        ("  hardware ", "hardware", True),
        ("Hardware", "hardware", False),  # option ids are case-sensitive
        (42, 42, True),
        (42, 42.0, True),
        ("42", 42, True),  # a number typed as text
        (42, "43", False),
        (True, True, True),
        (True, "yes", True),
        (False, True, False),
        (1, True, False),  # a number is not a yes
        ("2026-12-31", "2026-12-31", True),
        ("2026-12-31T00:00", "2026-12-31", True),
        ("09:00", "09:00:00", True),
        (["windows", "linux"], "linux", True),  # a multichoice answer contains the value
        (["windows"], "linux", False),
        (["windows", "linux"], ["linux", "windows"], True),
        (["windows"], ["linux", "windows"], False),
        (None, "x", False),
        ("", "", False),  # an empty answer equals nothing
        ({"k": 1}, "x", False),
    ],
)
def test_equals_and_not_equals(answer: Any, value: Any, expected: bool) -> None:
    assert holds(answer, "equals", value) is expected
    assert holds(answer, "not_equals", value) is (not expected)


@pytest.mark.parametrize(
    ("answer", "values", "expected"),
    [
        ("web", ["web", "api"], True),
        ("desktop", ["web", "api"], False),
        (3, [1, 2, 3], True),
        ("3", [1, 2, 3], True),
        (["windows", "macos"], ["macos", "linux"], True),  # any overlap
        (["windows"], ["macos", "linux"], False),
        ([], ["macos"], False),
        (None, ["x"], False),
        (True, [True], True),
    ],
)
def test_one_of(answer: Any, values: list[Any], expected: bool) -> None:
    assert holds(answer, "one_of", values) is expected


@pytest.mark.parametrize(
    ("answer", "empty"),
    [
        (None, True),
        ("", True),
        ("  \n\t", True),
        ([], True),
        ({}, True),
        ({"blocks": []}, True),
        ({"blocks": [{"type": "paragraph", "data": {"text": " <br> &nbsp;"}}]}, True),
        ({"blocks": [{"type": "delimiter", "data": {}}]}, True),
        ({"blocks": [{"type": "paragraph", "data": {"text": "<b>Hi</b>"}}]}, False),
        ({"blocks": [{"type": "image", "data": {"file": {"url": "https://x/y.png"}}}]}, False),
        ({"blocks": [{"type": "list", "data": {"items": [{"content": "a", "items": []}]}}]}, False),
        ("x", False),
        (0, False),
        (False, False),  # "No" is an answer
        (["a"], False),
        ({"k": None}, False),
    ],
)
def test_empty_and_not_empty(answer: Any, empty: bool) -> None:
    assert is_empty(answer) is empty
    assert holds(answer, "empty") is empty
    assert holds(answer, "not_empty") is (not empty)


EDITORJS_LIKE = st.fixed_dictionaries(
    {
        "blocks": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "type": st.sampled_from(["paragraph", "image", "list", "table"])
                    | st.lists(st.integers())
                    | st.integers(),
                    "data": st.dictionaries(
                        st.sampled_from(["text", "items", "content", "file", "caption"]),
                        st.text(max_size=5)
                        | st.lists(st.text(max_size=3) | st.integers())
                        | st.none(),
                    )
                    | st.lists(st.integers()),
                },
            )
            | st.integers(),
            max_size=3,
        )
    }
)


@given(EDITORJS_LIKE)
def test_emptiness_and_text_of_malformed_editorjs_never_raise(document: dict[str, Any]) -> None:
    text = editorjs_plain_text(document)
    assert isinstance(text, str)
    if text:
        assert not is_empty(document)


def test_a_missing_answer_is_empty() -> None:
    assert evaluate(cond(rule("a", "empty")), {}) is True
    assert evaluate(cond(rule("a", "not_empty")), {}) is False


@pytest.mark.parametrize(
    ("answer", "value", "gt", "lt"),
    [
        (10, 5, True, False),
        (5, 10, False, True),
        (5, 5, False, False),
        ("10", 9.5, True, False),  # numbers as text compare as numbers, not as text
        (2.5, "2.25", True, False),
        ("2026-12-31", "2026-01-01", True, False),
        ("2026-01-01T10:00", "2026-01-01", True, False),
        ("2026-01-01", "2026-01-01T10:00", False, True),
        ("2026-01-01T10:00+02:00", "2026-01-01T09:00Z", False, True),
        ("2026-01-01T10:00", "2026-01-01T09:00Z", True, False),  # naive vs aware: wall clock
        ("09:30", "10:00", False, True),
        ("b", "a", True, False),
        ("apple", "banana", False, True),
        # Incomparable pairs are neither greater nor smaller and never raise.
        ("09:30", "2026-01-01", False, False),
        ("abc", 5, False, False),
        ("abc", "5", False, False),  # text against a number typed as text
        ("10:00", "noon", False, False),
        (True, 0, False, False),
        (["x"], "a", False, False),
        ({"k": 1}, 3, False, False),
        (None, 3, False, False),
        ("", "a", False, False),
        (float("nan"), 1, False, False),
    ],
)
def test_greater_and_less_than(answer: Any, value: Any, gt: bool, lt: bool) -> None:
    assert holds(answer, "gt", value) is gt
    assert holds(answer, "lt", value) is lt


def test_every_operator_is_covered() -> None:
    tested = {"equals", "not_equals", "one_of", "empty", "not_empty", "gt", "lt"}
    assert {op.value for op in Operator} == tested


def test_match_all_any_and_nesting() -> None:
    answers = {"a": "x", "b": 5}
    yes, no = rule("a", "equals", "x"), rule("b", "gt", 10)

    assert evaluate(cond(yes, no), answers) is False
    assert evaluate(cond(yes, no, match="any"), answers) is True
    nested = {"match": "any", "rules": [no, {"match": "all", "rules": [yes, rule("b", "lt", 6)]}]}
    assert evaluate(cond(nested), answers) is True
    assert evaluate(cond(nested), {"a": "x", "b": 7}) is False


def test_parse_iso_accepts_only_iso_spellings() -> None:
    assert str(parse_iso("2026-12-31")) == "2026-12-31"
    assert str(parse_iso(" 14:30 ")) == "14:30:00"
    assert str(parse_iso("2026-12-31 14:30")) == "2026-12-31 14:30:00"
    for text in ("12", "1430", "2026-02-30", "25:00", "31/12/2026", "2026-W01-1", "", None, 5):
        assert parse_iso(text) is None


def test_editorjs_plain_text_reads_every_block_type() -> None:
    document = {
        "blocks": [
            {"type": "header", "data": {"text": "Title &amp; more", "level": 2}},
            {"type": "paragraph", "data": {"text": "a<br>b <i>c</i>"}},
            {"type": "list", "data": {"style": "ordered", "items": ["one", "two"]}},
            {"type": "checklist", "data": {"items": [{"text": "done", "checked": True}]}},
            {"type": "list", "data": {"items": [{"content": "p", "items": [{"content": "q"}]}]}},
            {"type": "quote", "data": {"text": "wise", "caption": "someone"}},
            {"type": "code", "data": {"code": "x < y"}},
            {"type": "table", "data": {"content": [["c1", "<b>c2</b>"]]}},
            {"type": "warning", "data": {"title": "Careful", "message": "hot"}},
            {"type": "raw", "data": {"html": "<div>raw</div>"}},
            {"type": "attaches", "data": {"file": {"name": "f.pdf"}}},
            {"type": "linkTool", "data": {"link": "https://x.org", "meta": {}}},
            {"type": "delimiter", "data": {}},
            {"type": "mystery", "data": "not a dict"},
            "not a block",
        ]
    }
    assert editorjs_plain_text(document).split("\n") == [
        "Title & more",
        "a",
        "b c",
        "one",
        "two",
        "done",
        "p",
        "q",
        "wise",
        "someone",
        "x < y",
        "c1",
        "c2",
        "Careful",
        "hot",
        "raw",
        "f.pdf",
        "https://x.org",
    ]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
RULE_VALUES = st.one_of(
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["2026-12-31", "14:30", "2026-12-31T14:30Z", "hardware"]),
)


@st.composite
def conditions(draw: st.DrawFn, depth: int = 2) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 3))):
        if depth and draw(st.booleans()):
            rules.append(draw(conditions(depth - 1)))
            continue
        op = draw(st.sampled_from(list(Operator)))
        value: Any = None
        if op is Operator.ONE_OF:
            value = draw(st.lists(RULE_VALUES | st.booleans(), max_size=3))
        elif op in (Operator.EQUALS, Operator.NOT_EQUALS):
            value = draw(RULE_VALUES | st.booleans())
        elif op in (Operator.GREATER_THAN, Operator.LESS_THAN):
            value = draw(RULE_VALUES)
        rules.append(rule(draw(st.sampled_from("abc")), op.value, value))
    return {"match": draw(st.sampled_from(["all", "any"])), "rules": rules}


@given(conditions(), st.dictionaries(st.sampled_from("abcd"), JSON))
def test_evaluate_never_raises_and_negation_is_consistent(
    data: dict[str, Any], answers: dict[str, Any]
) -> None:
    condition = Condition.model_validate(data)
    result = evaluate(condition, answers)
    assert isinstance(result, bool)
    # "not_equals" is exactly the negation of "equals", whatever the answer.
    for item in condition.rules:
        if not isinstance(item, Condition) and item.op is Operator.EQUALS:
            negated = item.model_copy(update={"op": Operator.NOT_EQUALS})
            single = Condition(rules=[item])
            assert evaluate(Condition(rules=[negated]), answers) is not evaluate(single, answers)


# --- visibility -----------------------------------------------------------------------------


def field(key: str, when: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "text", "key": key, "label": key.title(), **extra}
    if when is not None:
        item["visible_when"] = when
    return item


def when(*rules: dict[str, Any], match: str = "all") -> dict[str, Any]:
    return {"match": match, "rules": list(rules)}


def make_form(*pages: dict[str, Any]) -> Form:
    return Form.model_validate(
        {"id": "t", "title": "T", "target": {"form": "t"}, "pages": list(pages)}
    )


def make_looping_form(*pages: dict[str, Any]) -> Form:
    """A form the loader would refuse (its conditions loop); visibility must still cope."""
    with pytest.raises(ValueError, match="conditions form a loop"):
        make_form(*pages)
    return Form.model_construct(
        id="t",
        title="T",
        target=TicketTarget(form="t"),
        pages=[Page.model_validate(page) for page in pages],
    )


CATEGORY = {
    "type": "choice",
    "key": "category",
    "label": "Category",
    "options": [
        {"id": "hardware", "label": "Hardware", "reference_id": 101},
        {"id": "software", "label": "Software", "reference_id": 102},
    ],
}
NOTE = {"type": "content", "editorjs": {"blocks": [{"type": "paragraph", "data": {"text": "!"}}]}}


def test_field_condition_controls_the_field_and_a_content_block() -> None:
    form = make_form(
        {
            "items": [
                CATEGORY,
                field("serial", when(rule("category", "equals", "hardware"))),
                {**NOTE, "visible_when": when(rule("category", "equals", "software"))},
            ]
        }
    )

    shown = visibility(form, {"category": "hardware"})
    assert shown.field_visible("serial") and shown.item_visible(0, 1)
    assert not shown.item_visible(0, 2)
    shown = visibility(form, {"category": "software"})
    assert not shown.field_visible("serial") and shown.item_visible(0, 2)
    assert [f.key for f in visible_fields(form, {})] == ["category"]


def test_a_choice_answered_by_reference_id_counts_as_its_option() -> None:
    form = make_form(
        {"items": [CATEGORY, field("serial", when(rule("category", "equals", "hardware")))]}
    )

    assert visibility(form, {"category": 101}).field_visible("serial")
    assert not visibility(form, {"category": 102}).field_visible("serial")


def test_fields_on_a_hidden_page_are_hidden_and_count_as_empty() -> None:
    form = make_form(
        {"items": [field("a")]},
        {
            "visible_when": when(rule("a", "equals", "go")),
            "items": [field("b"), NOTE],
        },
        {"items": [field("c", when(rule("b", "not_empty")))]},
    )

    shown = visibility(form, {"a": "go", "b": "x"})
    assert shown.page_visible(1) and shown.field_visible("b") and shown.field_visible("c")
    assert shown.item_visible(1, 1)
    shown = visibility(form, {"a": "stop", "b": "x"})
    assert not shown.page_visible(1)
    assert not shown.field_visible("b") and not shown.item_visible(1, 1)
    assert not shown.field_visible("c")  # b's answer is ignored because b is hidden
    assert shown.page_visible(2)


def test_a_chain_resolves_whatever_the_order_on_the_form() -> None:
    # d depends on c, c on b, b on a; listed backwards so one pass cannot settle it.
    form = make_form(
        {
            "items": [
                field("d", when(rule("c", "not_empty"))),
                field("c", when(rule("b", "not_empty"))),
                field("b", when(rule("a", "equals", "yes"))),
                field("a"),
            ]
        }
    )
    full = {"a": "yes", "b": "x", "c": "y", "d": "z"}

    assert [f.key for f in visible_fields(form, full)] == ["d", "c", "b", "a"]
    assert [f.key for f in visible_fields(form, {**full, "a": "no"})] == ["a"]


def test_hidden_field_defaults_drive_conditions() -> None:
    form = make_form(
        {
            "items": [
                {"type": "hidden", "key": "channel", "label": "Channel", "default": "kiosk"},
                field("desk", when(rule("channel", "equals", "kiosk"))),
            ]
        }
    )

    # Even an answer trying to change the hidden value does not move the condition.
    assert visibility(form, {"channel": "web"}).field_visible("desk")


def test_a_condition_cycle_terminates_and_hides_what_keeps_flipping() -> None:
    form = make_looping_form(
        {
            "items": [
                field("a", when(rule("b", "empty"))),
                field("b", when(rule("a", "empty"))),
                field("c"),
            ]
        }
    )

    assert [f.key for f in visible_fields(form, {"a": "1", "b": "2"})] == ["c"]
    # A stable reading of the same cycle is kept: with only a answered, a shows and b hides.
    assert [f.key for f in visible_fields(form, {"a": "1"})] == ["a", "c"]


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "category", "zzz"]), JSON))
def test_visibility_never_raises_and_agrees_with_visible_fields(answers: dict[str, Any]) -> None:
    form = make_looping_form(
        {"items": [CATEGORY, field("a", when(rule("category", "one_of", ["hardware"])))]},
        {
            "visible_when": when(rule("a", "not_empty"), rule("c", "gt", 3), match="any"),
            "items": [field("b", when(rule("a", "lt", "m"))), NOTE],
        },
        {"items": [field("c", when(rule("b", "empty")))]},
    )

    shown = visibility(form, answers)
    assert {f.key for f in visible_fields(form, answers)} == shown.fields
    for key in shown.fields:
        page = next(i for i, p in enumerate(form.pages) if key in {f.key for f in p.fields})
        assert shown.page_visible(page)
