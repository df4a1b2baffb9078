"""Response bodies: JSON, or a description of what came instead."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.api.body import read_body


def test_json_is_decoded_whatever_the_content_type() -> None:
    body = read_body(b'{"data": [1]}', "text/plain")
    assert body.is_json
    assert body.data == {"data": [1]}


def test_html_page_is_named_by_its_title() -> None:
    page = b"<!DOCTYPE html><html><head><title>\n  Sign in &amp; continue </title></head></html>"
    body = read_body(page, "text/html; charset=utf-8")
    assert not body.is_json
    assert body.title == "Sign in & continue"
    assert body.description == "an HTML page instead of JSON (<title>Sign in & continue</title>)"


def test_html_is_recognised_without_content_type() -> None:
    assert read_body(b"  <html><body>hi</body></html>", None).description == (
        "an HTML page instead of JSON"
    )


def test_garbage_and_empty_bodies() -> None:
    assert read_body(b"", "application/json").description == "an empty body"
    garbage = read_body(b'{"data": [ {"id": 1', "application/json")
    assert not garbage.is_json
    assert garbage.description == 'a body that is not JSON (starts with \'{"data": [ {"id": 1\')'


@given(st.binary(), st.one_of(st.none(), st.text()))
def test_read_body_never_raises(content: bytes, content_type: str | None) -> None:
    body = read_body(content, content_type)
    assert body.is_json or body.description
