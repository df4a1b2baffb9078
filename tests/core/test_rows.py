"""Importing many answers: reading CSV and JSON Lines, mapping columns, checking every row."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.form.loading import parse_form
from desktop_app.core.form.model import Form
from desktop_app.core.form.rows import (
    ATTACHMENTS_MESSAGE,
    CellError,
    RowChecker,
    RowsFileError,
    RowsFormat,
    check_rows,
    decode_rows_file,
    guess_format,
    importable_fields,
    invalid_rows_csv,
    mapping_errors,
    mapping_notes,
    read_cell,
    read_csv,
    read_jsonl,
    read_rows,
    suggest_mapping,
)
from desktop_app.core.form.rows.cells import read_date, read_datetime, read_time, slash_order
from desktop_app.core.form.validation import validate_answers

FORMS = Path(__file__).resolve().parents[2] / "forms"


def sample(name: str) -> Form:
    path = FORMS / f"{name}.json"
    return parse_form(path.read_text(encoding="utf-8"), str(path))


IT = sample("it-support")
OPTIONS = [
    {"id": "hw", "label": "Hardware (laptop, screen, …)", "reference_id": 101},
    {"id": "sw", "label": "Software", "reference_id": 102},
    {"id": "net", "label": "Network"},
]
EVERY_TYPE: list[dict[str, Any]] = [
    {"type": "text", "key": "text", "label": "Text"},
    {"type": "multiline", "key": "multiline", "label": "Multiline"},
    {"type": "richtext", "key": "richtext", "label": "Rich text"},
    {"type": "email", "key": "email", "label": "E-mail"},
    {"type": "phone", "key": "phone", "label": "Phone"},
    {"type": "url", "key": "url", "label": "Web address"},
    {"type": "integer", "key": "integer", "label": "Integer", "min_value": 0},
    {"type": "decimal", "key": "decimal", "label": "Decimal"},
    {"type": "date", "key": "date", "label": "Date"},
    {"type": "time", "key": "time", "label": "Time"},
    {"type": "datetime", "key": "datetime", "label": "Date and time"},
    {"type": "choice", "key": "choice", "label": "Choice", "options": OPTIONS},
    {"type": "multichoice", "key": "multi", "label": "Multi", "options": OPTIONS},
    {"type": "yesno", "key": "yesno", "label": "Yes or no"},
    {
        "type": "attachments",
        "key": "files",
        "label": "Files",
        "maps_to": "sys_attachments",
    },
    {"type": "hidden", "key": "channel", "label": "Channel", "default": "import"},
]
EVERY = Form.model_validate(
    {"id": "every", "title": "Every", "target": {"form": "every"}, "pages": [{"items": EVERY_TYPE}]}
)


def field(key: str) -> Any:
    return EVERY.field(key)


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# --- reading files ----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(delimiter: str) -> None:
    text = csv_text(
        [["email", "name", "subject"], ["a@example.com", "A, B", "x;y"], ["b@example.com", "", ""]],
        delimiter,
    )
    table = read_csv(text)
    assert table.delimiter == delimiter
    assert table.columns == ["email", "name", "subject"]
    assert [row.cells["name"] for row in table.rows] == ["A, B", ""]
    assert table.rows[0].cells["subject"] == "x;y"


def test_csv_with_and_without_bom_reads_the_same() -> None:
    text = "email,name\nada@example.com,Ada Lovelace\n"
    plain = read_rows(decode_rows_file(text.encode("utf-8")), RowsFormat.CSV)
    with_bom = read_rows(decode_rows_file(text.encode("utf-8-sig")), RowsFormat.CSV)
    assert plain == with_bom
    assert plain.columns == ["email", "name"]  # no "\ufeffemail"
    utf16 = read_rows(decode_rows_file(text.replace(",", "\t").encode("utf-16")), RowsFormat.CSV)
    assert utf16.rows[0].cells == {"email": "ada@example.com", "name": "Ada Lovelace"}


def test_text_that_is_not_utf8_is_a_file_error_saying_what_to_do() -> None:
    with pytest.raises(RowsFileError, match=r"not UTF-8.*CSV UTF-8"):
        decode_rows_file("name\nJosé\n".encode("latin-1"))


def test_csv_rows_know_their_first_line_and_blank_lines_are_skipped() -> None:
    text = 'name,details\r\n\r\nAda,"two\r\nlines"\r\n,\r\nBob,one\r\n'
    table = read_csv(text)
    assert [(row.line, row.cells["name"]) for row in table.rows] == [(3, "Ada"), (6, "Bob")]
    assert table.rows[0].cells["details"] == "two\r\nlines"


def test_csv_header_names_are_made_unique_and_short_rows_are_padded() -> None:
    table = read_csv("email,email,,name\na@example.com,b@example.com\n")
    assert table.columns == ["email", "email (2)", "Column 3", "name"]
    assert table.rows[0].cells == {"email": "a@example.com", "email (2)": "b@example.com"}
    assert table.rows[0].problem is None


def test_a_csv_row_with_more_cells_than_columns_is_a_row_problem() -> None:
    table = read_csv("name,email\nAda,a@example.com,oops\nBob,b@example.com,\n")
    assert table.rows[0].problem is not None
    assert "Line 2 has 3 cells" in table.rows[0].problem
    assert table.rows[1].problem is None  # a trailing empty cell is what spreadsheets write


@pytest.mark.parametrize("text", ["", "\n\n", " , ,\n", "\ufeff"])
def test_an_empty_csv_is_a_file_error(text: str) -> None:
    with pytest.raises(RowsFileError, match="empty"):
        read_csv(text)


def test_jsonl_bad_lines_are_invalid_rows_with_their_line_number() -> None:
    text = '{"email": "a@example.com"}\n\n  \n{"email": \n[1, 2]\n{"name": "Bob", "email": 3}\n'
    table = read_jsonl(text)
    assert table.format is RowsFormat.JSONL
    assert table.columns == ["email", "name"]
    assert [row.line for row in table.rows] == [1, 4, 5, 6]
    assert table.rows[0].problem is None
    bad_json, not_object = table.rows[1], table.rows[2]
    assert bad_json.problem is not None and bad_json.problem.startswith("Line 4 is not valid JSON")
    assert bad_json.raw == '{"email": '
    assert not_object.problem == (
        "Line 5 holds a JSON list; each line needs one object of answers."
    )
    assert table.rows[3].cells == {"name": "Bob", "email": 3}


def test_jsonl_without_any_line_is_a_file_error() -> None:
    with pytest.raises(RowsFileError, match="empty"):
        read_jsonl("\n \n")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("answers.csv", "a,b\n", RowsFormat.CSV),
        ("answers.jsonl", "a,b\n", RowsFormat.JSONL),
        ("answers.NDJSON", "", RowsFormat.JSONL),
        ("answers.txt", '\n {"a": 1}\n', RowsFormat.JSONL),
        ("answers.tsv", "a\tb\n", RowsFormat.CSV),
    ],
)
def test_guess_format(name: str, text: str, expected: RowsFormat) -> None:
    assert guess_format(name, text) is expected


# --- mapping ----------------------------------------------------------------------------


def test_mapping_matches_keys_then_labels_ignoring_case_spaces_and_punctuation() -> None:
    columns = ["E-Mail", "your NAME", "Subject ", "what is it about", "Urgency", "notes", "Details"]
    assert suggest_mapping(IT, columns) == {
        "E-Mail": "email",
        "your NAME": "name",
        "Subject ": "subject",
        "what is it about": "category",
        "Urgency": "urgency",
        "notes": None,
        "Details": "details",
    }


def test_a_key_match_wins_over_an_earlier_label_match_and_each_field_is_used_once() -> None:
    mapping = suggest_mapping(IT, ["Your e-mail address", "email", "EMAIL"])
    assert mapping == {"Your e-mail address": None, "email": "email", "EMAIL": None}


def test_files_and_hidden_fields_are_not_offered_and_a_files_column_is_explained() -> None:
    keys = [f.key for f in importable_fields(EVERY)]
    assert "files" not in keys and "channel" not in keys
    mapping = suggest_mapping(EVERY, ["files", "channel", "text"])
    assert mapping == {"files": None, "channel": None, "text": "text"}
    notes = mapping_notes(EVERY, mapping)
    assert any("“files”" in note and "files cannot be imported" in note for note in notes)


def test_notes_name_required_fields_without_a_column() -> None:
    notes = mapping_notes(IT, {"email": "email", "other": None})
    assert "No column fills the required field “Your name”: every row will be invalid." in notes
    serial = "No column fills the required field “Serial number of the device”: every row that shows it will be invalid."
    assert serial in notes
    assert not any("How urgent" in note for note in notes)  # not required (and has a default)
    nothing = mapping_notes(IT, {"a": None, "b": None})
    assert nothing[0].startswith("No column matches a field of this form")


def test_a_mapping_feeding_one_field_twice_or_an_unknown_field_is_refused() -> None:
    table = read_csv("a,b\n1,2\n")
    assert mapping_errors(IT, {"a": "email", "b": None}) == []
    bad = {"a": "email", "b": "email"}
    assert mapping_errors(IT, bad) == [
        "Columns “a” and “b” both fill “Your e-mail address”; ignore one of them."
    ]
    with pytest.raises(ValueError, match="both fill"):
        RowChecker(IT, table, bad)
    with pytest.raises(ValueError, match="lacks"):
        check_rows(IT, table, {"a": "nope"})


# --- cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "cell", "expected"),
    [
        ("text", "  Ada  ", "Ada"),
        ("email", " a@example.com ", "a@example.com"),
        ("phone", "+1 555 0100", "+1 555 0100"),
        ("url", "https://example.com", "https://example.com"),
        ("multiline", "one\ntwo\n", "one\ntwo"),
        ("integer", "42", "42"),
        ("integer", "1,234", "1234"),
        ("integer", "1 234 567", "1234567"),
        ("decimal", "12,5", "12.5"),
        ("decimal", "1.234,5", "1234.5"),
        ("decimal", "1,234.5", "1234.5"),
        ("decimal", "-0.25", "-0.25"),
        ("date", "2026-12-31", "2026-12-31"),
        ("date", "2026/1/5", "2026-01-05"),
        ("date", "31.12.2026", "2026-12-31"),
        ("date", "31/12/2026", "2026-12-31"),
        ("date", "12/31/2026", "2026-12-31"),
        ("date", "04/04/2026", "2026-04-04"),
        ("date", "31 Dec 2026", "2026-12-31"),
        ("date", "December 31, 2026", "2026-12-31"),
        ("date", "2026-12-31 00:00:00", "2026-12-31"),
        ("time", "14:30", "14:30"),
        ("time", "9:05", "09:05"),
        ("time", "14.30", "14:30"),
        ("time", "14:30:15", "14:30:15"),
        ("time", "2:30 PM", "14:30"),
        ("time", "12:15 am", "00:15"),
        ("time", "9am", "09:00"),
        ("datetime", "2026-12-31T14:30", "2026-12-31T14:30"),
        ("datetime", "2026-12-31 14:30", "2026-12-31 14:30"),
        ("datetime", "31.12.2026 14:30", "2026-12-31T14:30"),
        ("datetime", "12/31/2026 2:30 PM", "2026-12-31T14:30"),
        ("datetime", "Dec 31, 2026, 9am", "2026-12-31T09:00"),
        ("datetime", "31.12.2026", "2026-12-31"),
        ("yesno", "yes", True),
        ("yesno", "No", False),
        ("yesno", "TRUE", True),
        ("yesno", "false", False),
        ("yesno", "1", True),
        ("yesno", "0", False),
        ("yesno", "y", True),
        ("yesno", "N", False),
        ("choice", "sw", "sw"),
        ("choice", "software", "sw"),
        ("choice", "hardware laptop screen", "hw"),
        ("choice", "101", "hw"),
        ("multi", "sw;net", ["sw", "net"]),
        ("multi", "Network | Software", ["net", "sw"]),
        ("multi", "Hardware (laptop, screen, …); sw", ["hw", "sw"]),
        ("multi", "sw, net", ["sw", "net"]),
        ("multi", "sw;sw", ["sw"]),
        ("text", "   ", None),
        ("date", "", None),
        ("files", "", None),
    ],
)
def test_cells_are_read_as_their_fields_answers(key: str, cell: str, expected: Any) -> None:
    assert read_cell(field(key), cell) == expected


@pytest.mark.parametrize(
    ("key", "cell", "message"),
    [
        ("decimal", "1,234", "could mean 1234 or 1.234"),
        ("date", "03/04/2026", "could be day/month or month/day"),
        ("date", "31.02.2026", "is not a real date"),
        ("date", "tomorrow", "is not a date; write it like 2026-12-31"),
        ("date", "2026-12-31 14:30", "takes a date only"),
        ("time", "25:00", "is not a time"),
        ("time", "13:00 pm", "is not a time"),
        ("time", "14", "is not a time"),
        ("datetime", "soon", "is not a date and time"),
        ("yesno", "maybe", "write yes/no, true/false, 1/0 or y/n"),
        (
            "choice",
            "Hardwear",
            "“Hardwear” is not an option; use an option id or label (hw, sw, net)",
        ),
        ("multi", "sw;printer", "“printer” is not an option"),
        ("files", "screenshot.png", ATTACHMENTS_MESSAGE),
    ],
)
def test_unreadable_cells_say_how_to_write_them(key: str, cell: str, message: str) -> None:
    with pytest.raises(CellError) as raised:
        read_cell(field(key), cell)
    assert message in str(raised.value)


def test_json_values_pass_through_to_validation() -> None:
    assert read_cell(field("integer"), 7) == 7
    assert read_cell(field("yesno"), True) is True
    assert read_cell(field("multi"), ["sw"]) == ["sw"]
    assert read_cell(field("text"), None) is None
    with pytest.raises(CellError):
        read_cell(field("files"), ["a.png"])


def test_a_date_column_keeps_one_day_month_order() -> None:
    assert slash_order(["03/04/2026", "31/01/2026"]) == "dmy"
    assert slash_order(["03/04/2026", "01/31/2026 10:00"]) == "mdy"
    assert slash_order(["03/04/2026", "31/01/2026", "01/31/2026"]) is None
    assert slash_order(["2026-01-01", 5, None]) is None
    assert read_date("03/04/2026", "dmy") == date(2026, 4, 3)
    assert read_date("03/04/2026", "mdy") == date(2026, 3, 4)
    assert read_datetime("03/04/2026 10:00", "dmy") == "2026-04-03T10:00"
    assert read_time("14:30Z") == "14:30Z"


def test_a_column_order_decides_ambiguous_dates_in_rows() -> None:
    form = Form.model_validate(
        {
            "id": "d",
            "title": "D",
            "target": {"form": "d"},
            "pages": [{"items": [{"type": "date", "key": "when", "label": "When"}]}],
        }
    )
    table = read_csv("when\n03/04/2026\n25/12/2026\n")
    results = check_rows(form, table, {"when": "when"})
    assert [r.answers for r in results] == [{"when": "2026-04-03"}, {"when": "2026-12-25"}]
    alone = check_rows(form, read_csv("when\n03/04/2026\n"), {"when": "when"})
    assert alone[0].reasons == (
        "Column “when” (When): “03/04/2026” could be day/month or month/day; write it like"
        " 2026-12-31.",
    )


# --- checking rows ----------------------------------------------------------------------

IT_CSV = csv_text(
    [
        ["E-mail", "Your name", "subject", "category", "serial", "urgency", "details", "note"],
        [
            "ada@example.com",
            "Ada",
            "Laptop dead",
            "Hardware (laptop, screen, printer, …)",
            "PF3X9K2L",
            "high",
            "Black screen",
            "x",
        ],
        ["bob@example.com", "Bob", "VPN down", "network", "", "", "Since 9", ""],
        ["carl@example", "", "Printer", "hardware", "bad", "low", "Jammed", ""],
        [
            "dora@example.com",
            "Dora",
            "Wi-Fi",
            "Network, Wi-Fi or VPN",
            "ignored serial",
            "urgent",
            "Slow",
            "",
        ],
    ]
)


def test_rows_are_checked_with_conditions_required_fields_and_defaults() -> None:
    table = read_csv(IT_CSV)
    mapping = suggest_mapping(IT, table.columns)
    assert mapping["note"] is None
    ada, bob, carl, dora = check_rows(IT, table, mapping)
    assert ada.ok and ada.reasons == ()
    assert ada.answers == {
        "email": "ada@example.com",
        "name": "Ada",
        "subject": "Laptop dead",
        "category": "hardware",
        "serial": "PF3X9K2L",
        "urgency": "high",
        "details": {"blocks": [{"type": "paragraph", "data": {"text": "Black screen"}}]},
    }
    # The serial is not asked for network problems; the empty urgency takes its default.
    assert bob.ok and bob.answers is not None
    assert "serial" not in bob.answers and bob.answers["urgency"] == "normal"
    assert not carl.ok and carl.answers is None
    assert carl.line == 4
    assert carl.reasons == (
        "Column “E-mail” (Your e-mail address): Enter an e-mail address like name@example.com.",
        "Column “Your name” (Your name): Please fill in this field.",
        "Column “serial” (Serial number of the device): Use 8 to 12 capital letters and digits, without spaces.",
    )
    # A cell of a field hidden by a condition is ignored, as the form ignores it.
    assert dora.reasons == (
        "Column “urgency” (How urgent is it?): “urgent” is not an option; use an option id or"
        " label (low, normal, high).",
    )


def test_valid_answers_are_what_validation_sends() -> None:
    table = read_csv(IT_CSV)
    for result in check_rows(IT, table, suggest_mapping(IT, table.columns)):
        if result.answers is not None:
            again = validate_answers(IT, result.answers)
            assert again.ok and again.values == result.answers


def test_a_required_field_without_a_column_makes_rows_invalid_naming_the_field() -> None:
    table = read_csv("email,subject\na@example.com,Hi\n")
    [result] = check_rows(IT, table, suggest_mapping(IT, table.columns))
    assert "Your name (no column): Please fill in this field." in result.reasons


def test_a_row_that_could_not_be_read_is_invalid_with_its_problem() -> None:
    table = read_jsonl('{"email": "a@example.com"\n')
    [result] = check_rows(IT, table, suggest_mapping(IT, table.columns))
    assert not result.ok and result.line == 1
    assert result.reasons[0].startswith("Line 1 is not valid JSON")


def test_jsonl_rows_for_every_type() -> None:
    line = {
        "text": "T",
        "integer": "1,234",
        "decimal": 2.5,
        "date": "31.12.2026",
        "time": "2:30 PM",
        "datetime": "2026-12-31 14:30",
        "choice": "Software",
        "multi": ["net", "Hardware (laptop, screen, …)"],
        "yesno": "y",
        "richtext": "Hello",
        "phone": "+1 555 0100",
        "channel": "import",
    }
    table = read_jsonl(json.dumps(line) + "\n")
    mapping = suggest_mapping(EVERY, table.columns)
    assert mapping["channel"] is None
    [result] = check_rows(EVERY, table, mapping)
    assert result.reasons == ()
    assert result.answers == {
        "text": "T",
        "richtext": {"blocks": [{"type": "paragraph", "data": {"text": "Hello"}}]},
        "phone": "+1 555 0100",
        "integer": 1234,
        "decimal": 2.5,
        "date": "2026-12-31",
        "time": "14:30",
        "datetime": "2026-12-31T14:30",
        "choice": "sw",
        "multi": ["hw", "net"],
        "yesno": True,
        "channel": "import",
    }


# --- exporting invalid rows ---------------------------------------------------------------


def test_invalid_rows_export_as_csv_to_fix_and_import_again() -> None:
    table = read_csv(IT_CSV.replace(",", ";"))
    results = check_rows(IT, table, suggest_mapping(IT, table.columns))
    text = invalid_rows_csv(table, results)
    again = read_csv(text)
    assert again.delimiter == ";"
    assert again.columns == [*table.columns, "problems"]
    assert [row.cells["E-mail"] for row in again.rows] == ["carl@example", "dora@example.com"]
    assert again.rows[0].cells["problems"] == " | ".join(results[2].reasons)
    # Fixing the file and importing it again needs no new mapping: "problems" is ignored.
    assert suggest_mapping(IT, again.columns)["problems"] is None


def test_unreadable_jsonl_lines_are_exported_as_they_were() -> None:
    table = read_jsonl('{"email": "a@example.com", "multi": ["a", "b"], "n": {"x": 1}}\n{bad\n')
    results = check_rows(IT, table, suggest_mapping(IT, table.columns))
    again = read_csv(invalid_rows_csv(table, results))
    assert again.columns == ["email", "multi", "n", "problems", "original line"]
    first, second = again.rows
    assert first.cells["multi"] == "a; b" and first.cells["n"] == '{"x": 1}'
    assert first.cells["original line"] == ""
    assert second.cells["original line"] == "{bad"


# --- properties ---------------------------------------------------------------------------

ALPHABET = st.characters(codec="utf-8")
CSVISH = st.text(st.one_of(st.sampled_from(list(',;\t"\r\n{}[]:')), ALPHABET), max_size=300)
FIELD_KEYS = [item["key"] for item in EVERY_TYPE]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=CSVISH, fmt=st.sampled_from(list(RowsFormat)))
def test_arbitrary_text_never_raises(text: str, fmt: RowsFormat) -> None:
    try:
        table = read_rows(text, fmt)
    except RowsFileError as error:
        assert str(error)
        return
    for form in (EVERY, IT):
        for result in check_rows(form, table, suggest_mapping(form, table.columns)):
            assert result.ok is (result.answers is not None)
            assert result.ok is (not result.reasons)
            assert not any("\n" in reason for reason in result.reasons)
        invalid_rows_csv(table, check_rows(form, table, suggest_mapping(form, table.columns)))


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(FIELD_KEYS), cell=st.text(ALPHABET, max_size=40))
def test_a_cell_raises_nothing_but_cell_error(key: str, cell: str) -> None:
    try:
        read_cell(field(key), cell)
    except CellError as error:
        assert str(error) and "\n" not in str(error)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.text(ALPHABET, max_size=12), min_size=3, max_size=3), min_size=1, max_size=6
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_cells_written_by_a_csv_writer_read_back_unchanged(
    rows: list[list[str]], delimiter: str
) -> None:
    header = ["first", "second", "third"]
    table = read_csv(csv_text([header, *rows], delimiter), delimiter)
    kept = [row for row in rows if any(cell.strip() for cell in row)]
    assert [[row.cells.get(c, "") for c in header] for row in table.rows] == kept


def test_the_sample_csv_imports_without_a_problem() -> None:
    text = decode_rows_file((FORMS / "examples" / "it-support.csv").read_bytes())
    table = read_rows(text, guess_format("it-support.csv", text))
    results = check_rows(IT, table, suggest_mapping(IT, table.columns))
    assert [r.reasons for r in results] == [(), (), ()]
    assert [r.answers["category"] for r in results if r.answers] == [
        "hardware",
        "network",
        "access",
    ]
