"""`deskforms editorjs render|from-html`: files and standard input, every accepted shape."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli import main

DOCUMENT = {
    "blocks": [
        {"type": "header", "data": {"text": "Printer <b>help</b>", "level": 2}},
        {
            "type": "paragraph",
            "data": {"text": 'Call <a href="javascript:alert(1)">us</a><script>x()</script>'},
        },
    ]
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "shape",
    [
        DOCUMENT,
        {"editorjs": DOCUMENT, "html": "<p>old</p>"},
        {"subject": "s", "sys_content_rich": {"editorjs": DOCUMENT}},
    ],
    ids=["bare", "rich_text", "ticket"],
)
@pytest.mark.parametrize("target", ["web", "qt"])
def test_render_prints_sanitized_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: dict[str, Any], target: str
) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(shape), encoding="utf-8")
    code, out, err = run(capsys, "editorjs", "render", str(path), "--target", target)
    assert code == 0, err
    assert "Printer" in out and "help" in out
    lowered = out.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert "<h2" in lowered or target == "qt"


def test_render_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(DOCUMENT)))
    code, out, _ = run(capsys, "editorjs", "render", "-")
    assert code == 0
    assert "Printer" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [("{not json", "not valid JSON"), ('{"title": "x"}', "not an Editor.js document")],
)
def test_render_refuses_what_is_not_a_document_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = tmp_path / "doc.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "editorjs", "render", str(path))
    assert code == 1 and out == ""
    assert expected in err and err.count("\n") == 1 and str(path) in err


def test_render_of_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "editorjs", "render", str(tmp_path / "nope.json"))
    assert code == 1 and "no such file" in err


def test_from_html_prints_blocks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    html = "<h1>Title</h1><p>Hello <b>world</b><script>evil()</script></p><ul><li>a</li></ul>"
    monkeypatch.setattr("sys.stdin", io.StringIO(html))
    code, out, _ = run(capsys, "editorjs", "from-html", "-")
    assert code == 0
    blocks = json.loads(out)["blocks"]
    assert [block["type"] for block in blocks] == ["header", "paragraph", "list"]
    assert blocks[0]["data"]["level"] == 1
    assert "evil" not in out
