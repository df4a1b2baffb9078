"""Answer validation: every field type, its limits, plain-language messages and normalization."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.form.model import FieldType, Form
from desktop_app.core.form.validation import ValidationResult, validate_answers

OPTIONS = [
    {"id": "hardware", "label": "Hardware", "reference_id": 101},
    {"id": "software", "label": "Software", "reference_id": 102},
    {"id": "other", "label": "Other"},
]


def one_field(type_: str, **settings_: Any) -> Form:
    """A form with a single field `f` of this type."""
    item: dict[str, Any] = {"type": type_, "key": "f", "label": "F", **settings_}
    if type_ in ("choice", "multichoice") and "options" not in item:
        item["options"] = OPTIONS
    if type_ == "attachments":
        item["maps_to"] = "sys_attachments"
    return Form.model_validate(
        {"id": "t", "title": "T", "target": {"form": "t"}, "pages": [{"items": [item]}]}
    )


def check(type_: str, answer: Any, **settings_: Any) -> ValidationResult:
    return validate_answers(one_field(type_, **settings_), {"f": answer})


def accepted(type_: str, answer: Any, **settings_: Any) -> Any:
    result = check(type_, answer, **settings_)
    assert result.ok, result.errors
    return result.values.get("f")


def rejected(type_: str, answer: Any, **settings_: Any) -> list[str]:
    result = check(type_, answer, **settings_)
    assert not result.ok and "f" not in result.values
    return result.errors["f"]


# --- required, empty, defaults, unknown keys -----------------------------------------------


@pytest.mark.parametrize(
    ("type_", "message"),
    [
        ("text", "Please fill in this field."),
        ("multiline", "Please fill in this field."),
        ("richtext", "Please fill in this field."),
        ("email", "Please fill in this field."),
        ("phone", "Please fill in this field."),
        ("url", "Please fill in this field."),
        ("integer", "Please fill in this field."),
        ("decimal", "Please fill in this field."),
        ("date", "Please fill in this field."),
        ("time", "Please fill in this field."),
        ("datetime", "Please fill in this field."),
        ("choice", "Please choose an option."),
        ("multichoice", "Please choose at least one option."),
        ("yesno", "You need to answer Yes to continue."),
        ("attachments", "Please attach at least one file."),
    ],
)
@pytest.mark.parametrize("blank", [None, "", "   ", [], {}, {"blocks": []}])
def test_required_fields_need_an_answer(type_: str, message: str, blank: Any) -> None:
    assert rejected(type_, blank, required=True) == [message]
    # ...and the same blank in an optional field is simply no value.
    result = check(type_, blank)
    assert result.ok and result.values == {}


def test_every_field_type_is_covered() -> None:
    assert {t.value for t in FieldType} == {
        "text", "multiline", "richtext", "email", "phone", "url", "integer", "decimal",
        "date", "time", "datetime", "choice", "multichoice", "yesno", "attachments", "hidden",
    }  # fmt: skip


def test_unknown_answer_keys_are_reported_by_their_key() -> None:
    result = validate_answers(one_field("text"), {"f": "x", "colour": "red"})

    assert result.errors == {"colour": ["This form has no field 'colour'."]}
    assert not result.ok
    assert result.values == {"f": "x"}


def test_a_default_fills_an_unanswered_field_but_not_a_cleared_one() -> None:
    form = one_field("choice", default="software")

    assert validate_answers(form, {}).values == {"f": "software"}
    assert validate_answers(form, {"f": None}).values == {"f": "software"}
    assert validate_answers(form, {"f": ""}).values == {}
    assert validate_answers(form, {"f": "other"}).values == {"f": "other"}


# --- text kinds -----------------------------------------------------------------------------


def test_text_is_trimmed_and_length_limited() -> None:
    assert accepted("text", "  hello  ") == "hello"
    assert accepted("text", 12345) == "12345"  # a number from a CSV cell
    assert rejected("text", "ab", min_length=3) == ["Must be at least 3 characters."]
    assert rejected("text", "abcd", max_length=3) == ["Must be 3 characters or fewer."]
    assert rejected("text", "", min_length=1, required=True) == ["Please fill in this field."]
    assert rejected("text", "ab", max_length=1) == ["Must be 1 character or fewer."]
    assert rejected("text", ["not", "text"]) == ["Enter text here."]
    assert rejected("text", True) == ["Enter text here."]


def test_pattern_uses_the_field_message_when_given() -> None:
    serial = {"pattern": r"^[A-Z0-9]{8,12}$"}
    assert accepted("text", "PF3X9K2L", **serial) == "PF3X9K2L"
    assert rejected("text", "pf3x", **serial) == ["This is not in the expected format."]
    message = "Use the 8 to 12 capitals and digits printed under the laptop."
    assert rejected("text", "pf3x", pattern_message=message, **serial) == [message]
    assert rejected("text", "ab", min_length=3, **serial) == [
        "Must be at least 3 characters.",
        "This is not in the expected format.",
    ]


def test_multiline_keeps_inner_lines_and_unifies_line_ends() -> None:
    assert accepted("multiline", "\n one\r\ntwo\r\rthree \n") == "one\ntwo\n\nthree"


def test_richtext_takes_editorjs_data_or_plain_text() -> None:
    doc = {"time": 1, "blocks": [{"type": "paragraph", "data": {"text": "Hi <b>there</b>"}}]}
    assert accepted("richtext", doc) == doc
    assert accepted("richtext", "a < b\n\nsecond") == {
        "blocks": [
            {"type": "paragraph", "data": {"text": "a &lt; b"}},
            {"type": "paragraph", "data": {"text": "second"}},
        ]
    }
    # Limits count the words people see, not the markup.
    assert rejected("richtext", doc, max_length=5) == ["Must be 5 characters or fewer."]
    assert accepted("richtext", doc, max_length=8) == doc
    assert rejected("richtext", {"blocks": "nope"}) == [
        "This text could not be read. Type it again."
    ]
    assert rejected("richtext", 42) == ["This text could not be read. Type it again."]
    empty_doc = {"blocks": [{"type": "paragraph", "data": {"text": "<br>"}}]}
    assert rejected("richtext", empty_doc, required=True) == ["Please fill in this field."]


@pytest.mark.parametrize(
    "good", ["name@example.com", "a.b+tag@sub.example.org", " ada@example.com "]
)
def test_email_accepts_addresses(good: str) -> None:
    assert accepted("email", good) == good.strip()


@pytest.mark.parametrize(
    "bad",
    ["name", "name@", "@example.com", "name@example", "a b@example.com", "a@b..com", "a@@b.c"],
)
def test_email_rejects_non_addresses(bad: str) -> None:
    assert rejected("email", bad) == ["Enter an e-mail address like name@example.com."]


@pytest.mark.parametrize(
    ("good", "normalized"),
    [
        ("+1 555 0100", "+1 555 0100"),
        ("(030)  1234-567", "(030) 1234-567"),
        ("12345", "12345"),
        ("0049.30.123,45", "0049.30.123,45"),
    ],
)
def test_phone_accepts_numbers(good: str, normalized: str) -> None:
    assert accepted("phone", good) == normalized


@pytest.mark.parametrize("bad", ["1234", "+1 555 CALL NOW", "1" * 21, "phone"])
def test_phone_rejects_non_numbers(bad: str) -> None:
    assert rejected("phone", bad) == ["Enter a phone number like +1 555 0100."]


@pytest.mark.parametrize("good", ["https://example.com", "http://app.example.com:8080/x?y=1#z"])
def test_url_accepts_web_addresses(good: str) -> None:
    assert accepted("url", good) == good


@pytest.mark.parametrize(
    "bad", ["example.com", "ftp://example.com", "https://", "https://exa mple.com", "http://[::1"]
)
def test_url_rejects_other_things(bad: str) -> None:
    assert rejected("url", bad) == ["Enter a web address like https://example.com."]


# --- numbers and times ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "value"), [(42, 42), ("42", 42), (" -7 ", -7), (3.0, 3), ("1E3", 1000)]
)
def test_integer_accepts_whole_numbers(answer: Any, value: int) -> None:
    result = accepted("integer", answer)
    assert result == value and type(result) is int


@pytest.mark.parametrize("bad", [4.5, "4.5", "forty", True, "1e-3", float("inf"), "9" * 5000])
def test_integer_rejects_other_things(bad: Any) -> None:
    assert rejected("integer", bad) == ["Enter a whole number."]


def test_number_limits() -> None:
    limits = {"min_value": 1, "max_value": 100000}
    assert accepted("integer", 1, **limits) == 1
    assert rejected("integer", 0, **limits) == ["Must be 1 or more."]
    assert rejected("integer", "100001", **limits) == ["Must be 100000 or less."]
    assert rejected("decimal", 0.25, min_value=0.5) == ["Must be 0.5 or more."]
    assert rejected("decimal", 10, max_value=9.5) == ["Must be 9.5 or less."]


@pytest.mark.parametrize(
    ("type_", "bounds", "problem"),
    [
        ("decimal", {"max_value": "9.5"}, "needs numbers"),
        ("time", {"min_value": "2026-01-01"}, "written like 17:30"),
        ("date", {"min_value": 5}, "written like 2026-12-31"),
        ("text", {"max_value": 5}, "only number, date and time"),
        ("integer", {"min_value": 5, "max_value": 1}, "greater than max_value"),
        ("integer", {"pattern": "^[0-9]+$"}, "patterns only apply"),
    ],
)
def test_limits_of_the_wrong_kind_are_refused_when_the_form_loads(
    type_: str, bounds: dict[str, Any], problem: str
) -> None:
    # A bound of the wrong kind would silently disable the check, so the designer hears of it.
    with pytest.raises(ValueError, match=problem):
        one_field(type_, **bounds)


@pytest.mark.parametrize(
    ("answer", "value"), [(12.5, 12.5), ("12.5", 12.5), ("-.5", -0.5), (3, 3), ("2.0", 2)]
)
def test_decimal_accepts_numbers(answer: Any, value: float) -> None:
    assert accepted("decimal", answer) == value


@pytest.mark.parametrize("bad", ["12,5", "abc", False, float("nan"), "1e999", [1]])
def test_decimal_rejects_other_things(bad: Any) -> None:
    assert rejected("decimal", bad) == ["Enter a number like 12.5."]


@pytest.mark.parametrize(
    ("type_", "answer", "value"),
    [
        ("date", "2026-12-31", "2026-12-31"),
        ("date", " 2026-01-05 ", "2026-01-05"),
        ("time", "14:30", "14:30"),
        ("time", "14:30:00", "14:30"),
        ("time", "14:30:15", "14:30:15"),
        ("time", "09:05+02:00", "09:05+02:00"),
        ("datetime", "2026-12-31 14:30", "2026-12-31T14:30"),
        ("datetime", "2026-12-01T09:30:00", "2026-12-01T09:30"),
        ("datetime", "2026-12-01T09:30:05Z", "2026-12-01T09:30:05+00:00"),
        ("datetime", "2026-12-01", "2026-12-01T00:00"),
    ],
)
def test_times_are_normalized_to_iso(type_: str, answer: str, value: str) -> None:
    assert accepted(type_, answer) == value


@pytest.mark.parametrize(
    ("type_", "bad", "message"),
    [
        ("date", "31/12/2026", "Enter a date like 2026-12-31."),
        ("date", "2026-02-30", "Enter a date like 2026-12-31."),
        ("date", "2026-12-31T10:00", "Enter a date like 2026-12-31."),
        ("date", 20261231, "Enter a date like 2026-12-31."),
        ("time", "2:30 pm", "Enter a time like 14:30."),
        ("time", "25:00", "Enter a time like 14:30."),
        ("datetime", "tomorrow", "Enter a date and time like 2026-12-31T14:30."),
        ("datetime", "14:30", "Enter a date and time like 2026-12-31T14:30."),
    ],
)
def test_times_reject_other_spellings(type_: str, bad: Any, message: str) -> None:
    assert rejected(type_, bad) == [message]


def test_time_limits() -> None:
    window = {"min_value": "2026-01-01", "max_value": "2026-12-31"}
    assert accepted("date", "2026-06-01", **window) == "2026-06-01"
    assert rejected("date", "2025-12-31", **window) == ["Must be 2026-01-01 or later."]
    assert rejected("date", "2027-01-01", **window) == ["Must be 2026-12-31 or earlier."]
    hours = {"min_value": "08:00", "max_value": "17:30"}
    assert rejected("time", "07:59", **hours) == ["Must be 08:00 or later."]
    assert accepted("time", "17:30", **hours) == "17:30"
    # A date bound on a date-time field means midnight of that day.
    assert rejected("datetime", "2025-12-31T23:59", min_value="2026-01-01") == [
        "Must be 2026-01-01T00:00 or later."
    ]


# --- choices and yes/no -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "value"),
    [("hardware", "hardware"), (101, "hardware"), ("102", "software"), ("other", "other"),
     ("  HARDWARE ", "hardware")],
)  # fmt: skip
def test_choice_accepts_ids_reference_ids_and_labels(answer: Any, value: str) -> None:
    assert accepted("choice", answer) == value


@pytest.mark.parametrize("bad", ["printer", 999, True, ["hardware"], 101.5])
def test_choice_rejects_unknown_options(bad: Any) -> None:
    assert rejected("choice", bad) == ["Choose one of: Hardware, Software, Other."]


def test_long_option_lists_are_shortened_in_messages() -> None:
    options = [{"id": f"o{i}", "label": f"Option {i}"} for i in range(10)]
    assert rejected("choice", "x", options=options) == [
        "Choose one of: Option 0, Option 1, Option 2, Option 3, Option 4, …."
    ]


def test_multichoice_normalizes_to_option_order_without_repeats() -> None:
    assert accepted("multichoice", ["other", 101, "hardware"]) == ["hardware", "other"]
    assert accepted("multichoice", "software; other") == ["software", "other"]
    assert rejected("multichoice", ["hardware", "printer"]) == [
        "Choose only from: Hardware, Software, Other."
    ]
    assert rejected("multichoice", 5) == ["Choose from: Hardware, Software, Other."]
    assert rejected("multichoice", ["hardware"], min_choices=2) == ["Choose at least 2."]
    assert rejected("multichoice", ["hardware", "other"], max_choices=1) == ["Choose at most 1."]
    assert accepted("multichoice", ["hardware", "other"], min_choices=2, max_choices=2) == [
        "hardware",
        "other",
    ]


@pytest.mark.parametrize(
    ("answer", "value"),
    [(True, True), (False, False), ("yes", True), ("No", False), (1, True), (0, False)],
)
def test_yesno_reads_yes_and_no(answer: Any, value: bool) -> None:
    assert accepted("yesno", answer) is value


@pytest.mark.parametrize("bad", ["maybe", 2, [True], 0.5])
def test_yesno_rejects_other_answers(bad: Any) -> None:
    assert rejected("yesno", bad) == ["Answer Yes or No."]


def test_a_required_yesno_must_be_yes() -> None:
    assert accepted("yesno", True, required=True) is True
    assert rejected("yesno", False, required=True) == ["You need to answer Yes to continue."]
    assert rejected("yesno", None, required=True) == ["You need to answer Yes to continue."]


# --- attachments ------------------------------------------------------------------------

IMAGES = {"attachments": {"max_files": 3, "max_file_size_mb": 5, "accept": ["image/*"]}}
DOCS = {"attachments": {"accept": [".pdf", "txt", "text/csv"]}}
MB = 1024 * 1024


def test_attachment_items_are_normalized() -> None:
    assert accepted(
        "attachments",
        [
            "/home/ada/scan.pdf",
            {"path": "C:\\Users\\ada\\photo.png", "size": 2048, "type": "Image/PNG; q=1"},
            {"name": "notes.txt"},
            {"id": 88},
            {"id": 89, "name": "uploaded.log", "size": 10},
            "/home/ada/scan.pdf",  # picked twice: kept once
            {"id": 88},
        ],
    ) == [
        {"path": "/home/ada/scan.pdf", "name": "scan.pdf"},
        {
            "path": "C:\\Users\\ada\\photo.png",
            "name": "photo.png",
            "size": 2048,
            "type": "image/png",
        },
        {"path": "notes.txt", "name": "notes.txt"},
        {"id": 88},
        {"id": 89, "name": "uploaded.log", "size": 10},
    ]
    assert accepted("attachments", "/tmp/one.txt") == [{"path": "/tmp/one.txt", "name": "one.txt"}]


@pytest.mark.parametrize(
    "bad", [42, {"size": 3}, {"id": "88"}, {"id": True}, {"path": "a", "size": -1}, {"path": "a", "type": 7}, ["ok.txt", None]]
)  # fmt: skip
def test_malformed_attachment_items_are_rejected(bad: Any) -> None:
    errors = rejected("attachments", bad)
    assert len(errors) == 1 and errors[0].endswith("is not a file that can be attached.")


def test_attachment_count_size_and_type_limits() -> None:
    four = [f"shot{i}.png" for i in range(4)]
    assert rejected("attachments", four, **IMAGES) == [
        "You can attach at most 3 files; remove some."
    ]
    assert rejected("attachments", ["a.png", "b.png"], attachments={"max_files": 1}) == [
        "You can attach at most 1 file; remove some."
    ]
    big = {"path": "big.png", "size": 5 * MB + 1}
    assert rejected("attachments", [big], **IMAGES) == ["'big.png' is larger than the 5 MB limit."]
    assert accepted("attachments", [{**big, "size": 5 * MB}], **IMAGES)
    assert rejected("attachments", ["virus.exe"], **IMAGES) == [
        "'virus.exe' is not an accepted file type. Accepted: image files."
    ]
    assert rejected("attachments", [{"id": 5, "name": "x.zip", "size": 9 * MB}], **IMAGES) == [
        "'x.zip' is larger than the 5 MB limit.",
        "'x.zip' is not an accepted file type. Accepted: image files.",
    ]


@pytest.mark.parametrize(
    ("item", "ok"),
    [
        ("photo.JPG", True),  # guessed image/jpeg
        ({"name": "blob", "type": "image/webp"}, True),  # the given type decides
        ({"name": "pic.heic"}, True),
        ("archive.zip", False),
        ("noextension", False),
        ({"id": 3}, True),  # known only by id: the server checks it
    ],
)
def test_wildcard_mime_types(item: Any, ok: bool) -> None:
    assert check("attachments", [item], **IMAGES).ok is ok


@pytest.mark.parametrize(
    ("item", "ok"),
    [("report.PDF", True), ("notes.txt", True), ("data.csv", True), ("x.png", False),
     ({"name": "y", "type": "text/csv"}, True)],
)  # fmt: skip
def test_extensions_and_exact_mime_types(item: Any, ok: bool) -> None:
    assert check("attachments", [item], **DOCS).ok is ok


def test_attachments_default_limits_apply_when_none_are_set() -> None:
    assert check("attachments", [f"{i}.txt" for i in range(5)]).ok
    assert not check("attachments", [f"{i}.txt" for i in range(6)]).ok
    assert not check("attachments", [{"path": "a", "size": 10 * MB + 1}]).ok


# --- hidden fields and conditions -------------------------------------------------------------


def test_hidden_fields_carry_their_default_which_answers_cannot_change() -> None:
    form = one_field("hidden", default="kiosk")

    assert validate_answers(form, {}).values == {"f": "kiosk"}
    assert validate_answers(form, {"f": "kiosk"}).values == {"f": "kiosk"}
    result = validate_answers(form, {"f": "web"})
    assert result.errors == {"f": ["This value is set by the form and cannot be changed."]}
    assert validate_answers(one_field("hidden"), {}).values == {}


def test_fields_hidden_by_a_condition_are_not_validated_nor_kept() -> None:
    form = Form.model_validate(
        {
            "id": "t",
            "title": "T",
            "target": {"form": "t"},
            "pages": [
                {
                    "items": [
                        {"type": "choice", "key": "category", "label": "C", "options": OPTIONS},
                        {
                            "type": "text",
                            "key": "serial",
                            "label": "Serial",
                            "required": True,
                            "pattern": "^[A-Z0-9]{8,12}$",
                            "visible_when": {
                                "rules": [
                                    {"field": "category", "op": "equals", "value": "hardware"}
                                ]
                            },
                        },
                    ]
                }
            ],
        }
    )

    hidden = validate_answers(form, {"category": "software", "serial": "bad"})
    assert hidden.ok and hidden.values == {"category": "software"}
    assert hidden.visibility is not None and not hidden.visibility.field_visible("serial")
    # The reference id answer is understood by the condition too.
    shown = validate_answers(form, {"category": 101, "serial": "bad"})
    assert shown.errors == {"serial": ["This is not in the expected format."]}
    assert validate_answers(form, {"category": "hardware"}).errors == {
        "serial": ["Please fill in this field."]
    }


# --- properties -----------------------------------------------------------------------------

EVERY_TYPE: list[dict[str, Any]] = [
    {"type": "text", "key": "text", "min_length": 2, "max_length": 20, "pattern": "^[a-z ]+$"},
    {"type": "multiline", "key": "multiline", "required": True},
    {"type": "richtext", "key": "richtext", "max_length": 50},
    {"type": "email", "key": "email", "required": True},
    {"type": "phone", "key": "phone"},
    {"type": "url", "key": "url"},
    {"type": "integer", "key": "integer", "min_value": 1, "max_value": 10},
    {"type": "decimal", "key": "decimal", "min_value": -1.5},
    {"type": "date", "key": "date", "min_value": "2026-01-01"},
    {"type": "time", "key": "time", "max_value": "18:00"},
    {"type": "datetime", "key": "datetime"},
    {"type": "choice", "key": "choice", "options": OPTIONS, "default": "other"},
    {"type": "multichoice", "key": "multichoice", "options": OPTIONS, "max_choices": 2},
    {"type": "yesno", "key": "yesno", "required": True},
    {
        "type": "attachments",
        "key": "attachments",
        "attachments": IMAGES["attachments"],
        "maps_to": "sys_attachments",
    },
    {"type": "hidden", "key": "hidden", "default": "kiosk"},
]
EVERY_TYPE_FORM = Form.model_validate(
    {
        "id": "all",
        "title": "All",
        "target": {"form": "all"},
        "pages": [
            {"items": [{**item, "label": item["key"]} for item in EVERY_TYPE[:8]]},
            {
                "visible_when": {"rules": [{"field": "integer", "op": "gt", "value": 2}]},
                "items": [{**item, "label": item["key"]} for item in EVERY_TYPE[8:]],
            },
        ],
    }
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=15),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
# Plausible answers per field: (valid ones, invalid ones), so that many answer sets pass.
CANDIDATES: dict[str, tuple[list[Any], list[Any]]] = {
    "text": (["ok text"], ["NO", "x"]),
    "multiline": (["line\n\nmore"], [" "]),
    "richtext": ([{"blocks": [{"type": "paragraph", "data": {"text": "hi"}}]}, "plain"], [5]),
    "email": (["a@b.co"], ["nope"]),
    "phone": (["+1 555 0100"], ["12"]),
    "url": (["https://x.org"], ["x.org"]),
    "integer": ([5, "7"], [11, 2.5]),
    "decimal": (["1.25", 3], [-2]),
    "date": (["2026-12-31"], ["2025-01-01", "soon"]),
    "time": (["14:30"], ["19:00"]),
    "datetime": (["2026-12-31T14:30", "2026-12-31"], ["noon"]),
    "choice": (["hardware", 102, None], ["printer"]),
    "multichoice": ([["hardware", "other"], "software"], [["hardware", "software", "other"]]),
    "yesno": ([True, "yes"], [False]),
    "attachments": ([["a.png"], [{"id": 4}]], [["a.exe"], ["1.png", "2.png", "3.png", "4.png"]]),
    "hidden": (["kiosk"], ["web"]),
}


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly valid answers, each left out, wrong or random JSON now and then."""
    answers: dict[str, Any] = {}
    for key, (valid, invalid) in CANDIDATES.items():
        roll = draw(st.integers(0, 19))
        if roll < 14:
            answers[key] = draw(st.sampled_from(valid))
        elif roll < 16:
            answers[key] = draw(st.sampled_from(invalid))
        elif roll < 17:
            answers[key] = draw(JSON)
    if draw(st.integers(0, 9)) == 0:
        answers["unknown"] = draw(JSON)
    return answers


@settings(max_examples=400)
@given(answer_sets())
def test_validation_never_raises_and_keeps_only_visible_valid_values(
    answers: dict[str, Any],
) -> None:
    result = validate_answers(EVERY_TYPE_FORM, answers)

    assert result.ok is (not result.errors)
    assert result.visibility is not None
    assert set(result.values) <= result.visibility.fields
    assert not set(result.values) & set(result.errors)
    if not result.ok:
        return  # an unreadable answer may still steer a condition; only valid sets are stable
    # A second pass over the normalized values accepts them unchanged: normalizing is stable.
    again = validate_answers(EVERY_TYPE_FORM, result.values)
    assert {key: again.values.get(key) for key in result.values} == result.values
    # Only a default may add a value, where the first answer was left blank.
    for key in again.values.keys() - result.values.keys():
        assert again.values[key] == EVERY_TYPE_FORM.field(key).default
    assert again.ok


@given(st.dictionaries(st.text(max_size=8), JSON))
def test_validation_never_raises_on_arbitrary_json(answers: dict[str, Any]) -> None:
    result = validate_answers(EVERY_TYPE_FORM, answers)
    assert set(answers) - {item["key"] for item in EVERY_TYPE} <= set(result.errors)
