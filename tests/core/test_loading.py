"""Reading and writing form files: samples load, bad files get one actionable line, dumps round-trip."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.form.loading import FormFileError, dump_form, parse_form, parse_form_data
from desktop_app.core.form.model import CHOICE_TYPES, FieldType, Form

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "forms").glob("*.json"))
SOURCE = "forms/x.json"


def _sample_data(name: str = "it-support") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "forms" / f"{name}.json").read_text("utf-8"))
    return data


def _error(text: str) -> str:
    with pytest.raises(FormFileError) as caught:
        parse_form(text, SOURCE)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{SOURCE}: ")
    return message


def _mutated_error(mutate: Callable[[dict[str, Any]], None]) -> str:
    data = _sample_data()
    mutate(data)
    return _error(json.dumps(data, indent=2))


def test_there_are_three_samples() -> None:
    assert [path.stem for path in SAMPLES] == ["bug-report", "it-support", "walk-in-intake"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_every_sample_loads(path: Path) -> None:
    form = parse_form(path.read_text(encoding="utf-8"), str(path))
    assert form.id == path.stem
    assert form.target.form == form.id
    assert (form.format, form.format_version, form.version) == ("deskforms/form", 1, 1)
    assert form.description
    assert all(field.label and not field.label.isspace() for field in form.fields)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_samples_round_trip_through_dump(path: Path) -> None:
    form = parse_form(path.read_text(encoding="utf-8"), str(path))
    text = dump_form(form)
    assert parse_form(text, "dumped") == form
    assert dump_form(parse_form(text, "dumped")) == text  # stable
    assert text.endswith("}\n")


def test_dump_keeps_files_small_but_readable() -> None:
    text = dump_form(parse_form((ROOT / "forms" / "it-support.json").read_text("utf-8"), "x"))
    assert '"required": false' not in text
    assert '"display": "auto"' not in text
    assert "null" not in text
    # The identity of the file stays even where it equals a default.
    data = json.loads(text)
    assert list(data)[:5] == ["format", "format_version", "id", "title", "description"]
    assert data["version"] == 1
    # Editor.js blocks keep their type even when it is Editor.js's default, paragraph.
    blocks = data["pages"][0]["items"][0]["editorjs"]["blocks"]
    assert [block["type"] for block in blocks] == ["header", "paragraph", "list"]
    # Whole numbers stay whole numbers (pydantic reads 5 into a float field as 5.0).
    bugs = dump_form(parse_form((ROOT / "forms" / "bug-report.json").read_text("utf-8"), "x"))
    assert '"max_file_size_mb": 5,' in bugs


def test_a_byte_order_mark_is_not_content() -> None:
    text = (ROOT / "forms" / "bug-report.json").read_text("utf-8")
    assert parse_form("\ufeff" + text, SOURCE) == parse_form(text, SOURCE)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", ["the file is empty"]),
        ("  \n\t", ["the file is empty"]),
        (
            '{\n  "format": "deskforms/form"\n  "id": "x"\n}',
            ["not valid JSON at line 3, column 3 (Expecting ',' delimiter)", "fix the syntax"],
        ),
        ("[1, 2]", ["the top level is a list, not an object", '"format": "deskforms/form"']),
        ('"form"', ["the top level is text, not an object"]),
        ("{}", ['not a DeskForms form file (expected "format": "deskforms/form")']),
        ('{"format": "deskforms/survey"}', ["not a DeskForms form file"]),
        (
            '{"format": "deskforms/form", "format_version": 7}',
            ["was made by a newer DeskForms (format version 7); update DeskForms"],
        ),
        (
            '{"format": "deskforms/form", "id": "a", "title": "t", "id": "b"}',
            ["property 'id' appears twice", "keep only one"],
        ),
        ('{"format": "deskforms/form", "x": NaN}', ["not valid JSON", "NaN"]),
        ('{"format": "deskforms/form", "x": -Infinity}', ["not valid JSON", "-Infinity"]),
        ('{"format": "deskforms/form", "x": 1e400}', ["not valid JSON", "1e400", "too large"]),
        ('{"x": ' + "9" * 5000 + "}", ["not valid JSON", "too many digits"]),
        ("[" * 100_000, ["nested too deeply"]),
    ],
)
def test_bad_text_gets_one_line(text: str, parts: list[str]) -> None:
    message = _error(text)
    for part in parts:
        assert part in message


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = [int(part) if part.isdigit() else part for part in path.split("/")]
        node: Any = data
        for part in parents:
            node = node[part]
        node[last] = value

    return mutate


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for part in parents:
            node = node[int(part) if part.isdigit() else part]
        del node[last]

    return mutate


SERIAL = "pages/1/items/2"  # it-support: the `serial` field


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            _set(f"{SERIAL}/type", "txt"),
            "pages[1].items[2] ('serial'): unknown field type 'txt';"
            " use one of text, multiline, richtext,",
        ),
        (
            _set(f"{SERIAL}/pattern", "[A-Z"),
            "pages[1].items[2] ('serial').pattern: the regex '[A-Z' is not valid",
        ),
        (
            _set(f"{SERIAL}/key", "email"),
            "field key 'email' is used twice; every key must be unique",
        ),
        (
            _set(f"{SERIAL}/visible_when/rules/0/field", "categry"),
            "the condition of field 'serial' names missing field(s) ['categry']",
        ),
        (
            _set("pages/1/items/0/maps_to", "requester.email"),
            "fields 'email' and 'subject' both map to 'requester.email'; map only one of them",
        ),
        (
            _set(f"{SERIAL}/lable", "Serial"),
            "pages[1].items[2] ('serial'): unknown property 'lable'; did you mean 'label'?",
        ),
        (
            _delete(f"{SERIAL}/label"),
            "pages[1].items[2] ('serial'): missing required property 'label'; add it",
        ),
        (_set(f"{SERIAL}/label", ""), "pages[1].items[2] ('serial').label: must not be empty"),
        (
            _set(f"{SERIAL}/key", "2nd serial"),
            "pages[1].items[2].key: '2nd serial' is not a valid field key;",
        ),
        (
            _set(f"{SERIAL}/min_value", [1]),
            "pages[1].items[2] ('serial').min_value: should be a number or text, not a list",
        ),
        (
            _set(f"{SERIAL}/visible_when/rules/0/op", "is"),
            "pages[1].items[2] ('serial').visible_when.rules[0].op: 'is' is not allowed here;"
            " use 'equals', 'not_equals',",
        ),
        (
            _set(
                f"{SERIAL}/visible_when/rules/0",
                {"rules": [{"field": "category", "op": "empty"}], "op": "equals"},
            ),
            "pages[1].items[2] ('serial').visible_when.rules[0]: unknown property 'op'",
        ),
        (_set("pages/1/items/3", "urgency"), "pages[1].items[3]: should be an object, not text"),
        (
            _set("pages/0/items/0/editorjs", []),
            "pages[0].items[0] ('instructions').editorjs: should be an object, not a list",
        ),
        (_set("target", {}), "target: missing required property 'form'; add it"),
        (_set("id", "IT Support"), "id: 'IT Support' is not a valid form id;"),
        (_set("format_version", 0), "format_version: 0 is not allowed here; use 1"),
        (_set("pages", []), "pages: needs at least 1 item(s)"),
        (
            _set(f"{SERIAL}/min_value", 10**400),
            "pages[1].items[2] ('serial').min_value: the number is too large; use a smaller one",
        ),
    ],
)
def test_bad_form_gets_one_line_naming_the_place(
    mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    message = _mutated_error(mutate)
    assert message.startswith(f"{SOURCE}: {expected}"), message
    assert "(and" not in message  # each mutation above breaks exactly one thing


def test_several_problems_report_the_first_and_count_the_rest() -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["id"] = "Bad Id"
        data["pages"][1]["items"][2]["label"] = 5
        data["pages"][1]["items"][3]["required"] = "perhaps"

    message = _mutated_error(mutate)
    assert message.startswith(f"{SOURCE}: id: 'Bad Id' is not a valid form id")
    assert message.endswith("(and 2 more)")


def test_repeated_property_is_located_by_field_key() -> None:
    text = json.dumps(_sample_data(), indent=2).replace(
        '"label": "Serial number of the device",',
        '"label": "Serial number of the device", "label": "Serial",',
    )
    assert _error(text) == (
        f"{SOURCE}: pages[1].items[2] ('serial'): property 'label' appears twice in one object;"
        " keep only one"
    )


def test_untrusted_values_cannot_break_the_line() -> None:
    message = _mutated_error(_set(f"{SERIAL}/type", "multi\nline\r\ntype"))
    assert "unknown field type" in message


def test_parse_form_data_takes_decoded_json() -> None:
    data = _sample_data("walk-in-intake")
    form = parse_form_data(copy.deepcopy(data), "memory")
    assert form.target.tag_ids == [301]
    with pytest.raises(FormFileError, match=r"^memory: the top level is null, not an object"):
        parse_form_data(None, "memory")


def test_form_file_error_keeps_its_parts() -> None:
    with pytest.raises(FormFileError) as caught:
        parse_form(json.dumps({**_sample_data(), "id": "BAD"}), "here.json")
    assert (caught.value.source, caught.value.location) == ("here.json", "id")
    assert "not a valid form id" in caught.value.problem


# --- properties -------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def _only_form_file_errors(text: str) -> None:
    try:
        parse_form(text, SOURCE)
    except FormFileError as error:
        assert "\n" not in str(error)
        assert str(error).startswith(f"{SOURCE}: ")


@given(st.text())
def test_any_text_gives_a_form_or_a_form_file_error(text: str) -> None:
    _only_form_file_errors(text)


@given(JSON_VALUES)
def test_any_json_gives_a_form_or_a_form_file_error(value: Any) -> None:
    _only_form_file_errors(json.dumps(value))


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(node, dict):
        for name, child in node.items():
            found += _paths(child, (*path, name))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*path, index))
    return found


SAMPLE_DATA = [json.loads(path.read_text("utf-8")) for path in SAMPLES]


@st.composite
def _mutated_samples(draw: st.DrawFn) -> str:
    """A sample with a few values swapped for random JSON: deep inside the format's rules."""
    data = copy.deepcopy(draw(st.sampled_from(SAMPLE_DATA)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        *parents, last = draw(st.sampled_from(paths))
        node = data
        for part in parents:
            node = node[part]
        if draw(st.booleans()) and isinstance(node, dict):
            del node[last]
        else:
            node[last] = draw(JSON_VALUES)
    return json.dumps(data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated_samples())
def test_damaged_samples_give_a_form_or_a_form_file_error(text: str) -> None:
    _only_form_file_errors(text)


KEYS = st.from_regex(r"[a-z_][a-z0-9_]{0,15}", fullmatch=True)
WORDS = st.text(min_size=1, max_size=30).filter(lambda text: text.strip() != "")


@st.composite
def _forms(draw: st.DrawFn) -> Form:
    """Valid forms with varied fields; the attachments field, when drawn, maps where it must."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=6, unique=True))
    items: list[dict[str, Any]] = []
    for key in keys:
        field_type = draw(st.sampled_from([kind for kind in FieldType if kind != "attachments"]))
        item: dict[str, Any] = {"type": field_type.value, "key": key, "label": draw(WORDS)}
        if field_type is not FieldType.HIDDEN:
            item["required"] = draw(st.booleans())
        else:
            item["default"] = draw(st.none() | st.text(max_size=10) | st.integers())
        if draw(st.booleans()):
            item["help"] = draw(WORDS)
        if field_type in CHOICE_TYPES:
            option_ids = draw(st.lists(KEYS, min_size=1, max_size=4, unique=True))
            refs = st.none() | st.integers(1, 10_000)
            item["options"] = [
                {"id": option, "label": draw(WORDS), "reference_id": draw(refs)}
                for option in option_ids
            ]
        if field_type in (FieldType.INTEGER, FieldType.DECIMAL) and draw(st.booleans()):
            item["min_value"] = draw(st.integers(-1000, 1000) | st.floats(-1e6, 1e6))
        items.append(item)
    if draw(st.booleans()):
        items.append(
            {
                "type": "attachments",
                "key": "files_" + draw(KEYS),
                "label": "Files",
                "attachments": {"max_files": draw(st.integers(1, 9)), "accept": [".pdf"]},
                "maps_to": "sys_attachments",
            }
        )
    content = {"type": "content", "editorjs": {"blocks": [{"type": "paragraph", "data": {}}]}}
    return Form.model_validate(
        {
            "id": draw(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,20}", fullmatch=True)),
            "title": draw(WORDS),
            "version": draw(st.integers(1, 50)),
            "target": {"form": draw(WORDS), "tag_ids": draw(st.lists(st.integers(1, 999)))},
            "pages": [{"title": draw(st.none() | WORDS), "items": [content, *items]}],
        }
    )


@given(_forms())
def test_dump_then_parse_gives_the_same_form(form: Form) -> None:
    text = dump_form(form)
    assert parse_form(text, "dumped") == form
    assert dump_form(parse_form(text, "dumped")) == text
