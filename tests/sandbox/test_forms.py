"""The sandbox's form routes: stored forms and forms built from catalog fields."""

from __future__ import annotations

import httpx
import pytest

from desktop_app.core.dto import FormExternalResponse, label_text
from desktop_app.sandbox import SandboxServer


def get_form(client: httpx.Client, sandbox: SandboxServer, **params: str) -> httpx.Response:
    return client.get(sandbox.api_url("forms/external"), params=params)


def test_stored_form_lists_its_fields_options_and_required_ids(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    response = get_form(client, sandbox, key="it-support", lang="de")

    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    form = FormExternalResponse.model_validate(body["data"])
    by_key = {f.unique_key: f for f in form.fields}
    assert list(by_key) == [
        "subject",
        "sys_content_rich",
        "sys_attachments",
        "category",
        "serial",
        "urgency",
    ]
    category = by_key["category"].multi_option
    assert category is not None
    assert [(o.id, label_text(o.label)) for o in category.options] == [
        (101, "Hardware"),
        (102, "Software"),
        (103, "Access"),
        (104, "Network"),
        (105, "Other"),
    ]
    assert by_key["serial"].validation_regex == "^[A-Z0-9]{8,12}$"
    assert by_key["serial"].validation_error_message
    required = {f.unique_key for f in form.fields if f.id in form.required_field_ids}
    assert required == {"subject", "sys_content_rich", "category"}
    assert form.group is not None and form.group.id == 1
    assert form.main_language == "en"
    assert form.language == "de"
    assert form.color_primary and form.color_secondary


def test_bug_report_bounds_and_tags_are_served(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    form = FormExternalResponse.model_validate(
        get_form(client, sandbox, key="bug-report").json()["data"]
    )
    by_key = {f.unique_key: f for f in form.fields}

    assert (by_key["affected_users"].min_value, by_key["affected_users"].max_value) == (1, 100000)
    tags = by_key["sys_tags"].multi_option
    assert tags is not None and {o.id for o in tags.options} >= {201, 202, 203, 204}
    platforms = by_key["platforms"].multi_option
    assert platforms is not None and [o.id for o in platforms.options] == [141, 142, 143]


@pytest.mark.parametrize("key", ["retired-form", "no-such-form", ""])
def test_unknown_or_disabled_stored_form_is_forbidden(
    client: httpx.Client, sandbox: SandboxServer, key: str
) -> None:
    response = get_form(client, sandbox, key=key)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_dynamic_form_takes_repeated_and_comma_separated_fields(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    url = sandbox.api_url("forms/external_dynamic")
    params: list[tuple[str, str | int | float | bool | None]] = [
        ("fields", "summary"),
        ("fields", "component,platforms"),
        ("fields", "summary"),
        ("color_primary", "#123456"),
        ("language", "fr"),
        ("group", "3"),
    ]

    response = client.get(url, params=params)

    assert response.status_code == 200, response.text
    form = FormExternalResponse.model_validate(response.json()["data"])
    assert [f.unique_key for f in form.fields] == ["summary", "component", "platforms"]
    assert form.color_primary == "#123456"
    assert form.language == "fr"
    assert form.group is not None and (form.group.id, form.group.label) == (3, "Product")


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "summary,nope"},
        {"fields": "internal_notes"},
        {},
    ],
)
def test_dynamic_form_refuses_bad_field_lists(
    client: httpx.Client, sandbox: SandboxServer, params: dict[str, str]
) -> None:
    response = client.get(sandbox.api_url("forms/external_dynamic"), params=params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["fields"]


def test_dynamic_form_refuses_a_non_numeric_group(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    response = client.get(
        sandbox.api_url("forms/external_dynamic"), params={"fields": "summary", "group": "x"}
    )
    assert response.status_code == 400
    assert "group" in response.json()["errors"]


def test_form_routes_check_the_version_too(client: httpx.Client, sandbox: SandboxServer) -> None:
    response = client.get(
        f"{sandbox.base_url}/api/demo/v3/forms/external", params={"key": "it-support"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "UnsupportedApiVersion"
