"""The published JSON Schema is current, and the sample forms conform to it."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.form.loading import parse_form
from desktop_app.core.form.schema import SCHEMA_ID, form_json_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "resources" / "form.schema.json"
SAMPLES = sorted((ROOT / "forms").glob("*.json"))
REGENERATE = (
    "regenerate it with `deskforms forms schema > resources/form.schema.json` (from the project"
    " folder; without the CLI: `.venv/bin/python -c 'import sys; from"
    " desktop_app.core.form.schema import schema_text; sys.stdout.write(schema_text())'"
    " > resources/form.schema.json`) and commit it"
)


def test_committed_schema_is_current() -> None:
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
    assert committed == schema_text(), f"resources/form.schema.json is stale; {REGENERATE}"


def test_schema_names_itself() -> None:
    schema = form_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID == "https://deskforms.example/schema/form-1.json"
    assert schema["title"] == "DeskForms form"
    assert schema["description"]
    assert "format" in schema["required"]
    assert schema_text().endswith("}\n")
    assert json.loads(schema_text()) == schema


# --- a small validator for the keywords pydantic emits (no new dependency) -------------------

ANNOTATIONS = {"title", "description", "default", "$schema", "$id", "$defs", "readOnly"}
TYPES = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
    ),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def _errors(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    """Every way `value` breaks `schema`; raises on keywords this validator does not know."""
    found: list[str] = []
    for keyword, rule in schema.items():
        if keyword in ANNOTATIONS:
            continue
        if keyword == "$ref":
            name = rule.removeprefix("#/$defs/")
            found += _errors(value, root["$defs"][name], root, where)
        elif keyword == "type":
            if not TYPES[rule](value):
                found.append(f"{where}: not {rule}")
        elif keyword == "const":
            if value != rule or isinstance(value, bool) != isinstance(rule, bool):
                found.append(f"{where}: not {rule!r}")
        elif keyword == "enum":
            if value not in rule:
                found.append(f"{where}: {value!r} not in {rule}")
        elif keyword == "pattern":
            if isinstance(value, str) and not re.search(rule, value):
                found.append(f"{where}: does not match {rule}")
        elif keyword == "minLength":
            if isinstance(value, str) and len(value) < rule:
                found.append(f"{where}: shorter than {rule}")
        elif keyword == "minItems":
            if isinstance(value, list) and len(value) < rule:
                found.append(f"{where}: fewer than {rule} items")
        elif keyword in ("minimum", "exclusiveMinimum"):
            if TYPES["number"](value) and (
                value < rule or (keyword == "exclusiveMinimum" and value == rule)
            ):
                found.append(f"{where}: below {keyword} {rule}")
        elif keyword == "anyOf":
            if all(_errors(value, option, root, where) for option in rule):
                found.append(f"{where}: matches no anyOf branch")
        elif keyword == "oneOf":
            matches = [option for option in rule if not _errors(value, option, root, where)]
            if len(matches) != 1:
                found.append(f"{where}: matches {len(matches)} oneOf branches")
        elif keyword == "required":
            if isinstance(value, dict):
                found += [f"{where}: missing {name}" for name in rule if name not in value]
        elif keyword == "properties":
            if isinstance(value, dict):
                for name, sub in rule.items():
                    if name in value:
                        found += _errors(value[name], sub, root, f"{where}.{name}")
        elif keyword == "additionalProperties":
            if isinstance(value, dict) and rule is False:
                known = schema.get("properties", {})
                found += [f"{where}: extra {name}" for name in value if name not in known]
            elif isinstance(value, dict) and isinstance(rule, dict):
                known = schema.get("properties", {})
                for name, item in value.items():
                    if name not in known:
                        found += _errors(item, rule, root, f"{where}.{name}")
        elif keyword == "items":
            if isinstance(value, list):
                for index, item in enumerate(value):
                    found += _errors(item, rule, root, f"{where}[{index}]")
        else:
            raise AssertionError(f"the test validator does not know the keyword {keyword!r}")
    return found


def _validate(value: Any) -> list[str]:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return _errors(value, schema, schema, "$")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_every_sample_conforms_to_the_schema(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert _validate(data) == []
    parse_form(path.read_text(encoding="utf-8"), str(path))  # and to the loader's own rules


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda data: data["pages"][1]["items"][2].update(type="txt"), "matches 0 oneOf"),
        (lambda data: data["pages"][1]["items"][2].update(lable="x"), "matches 0 oneOf"),
        (lambda data: data.pop("format"), "missing format"),
        (lambda data: data.update(format_version=2), "not 1"),
        (lambda data: data["target"].pop("form"), "missing form"),
        (lambda data: data.update(id="Not An Id"), "does not match"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(change: Any, expected: str) -> None:
    """Shows the check above can fail: the schema really constrains a form file."""
    data = copy.deepcopy(json.loads((ROOT / "forms" / "it-support.json").read_text("utf-8")))
    change(data)
    assert any(expected in error for error in _validate(data)), _validate(data)
