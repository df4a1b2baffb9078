"""No active content survives rendering, whatever hostile string sits in whatever field."""

from __future__ import annotations

import pytest

from desktop_app.core.editorjs import (
    Target,
    plain_preview,
    render_block,
    render_html,
    sanitize_html,
    sanitize_inline,
)
from tests.core.editorjs.hostile import HOSTILE, blocks_with
from tests.core.editorjs.markup import active_content

TARGETS: list[Target] = ["web", "qt"]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_string_in_every_field_of_every_block(hostile: str, target: Target) -> None:
    for block in blocks_with(hostile):
        out = render_block(block, target)
        assert active_content(out, target=target) == [], (block, out)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_string_through_both_sanitizers(hostile: str, target: Target) -> None:
    assert active_content(sanitize_inline(hostile, target), target=target) == []
    assert active_content(sanitize_html(hostile, target), target=target) == []


def test_the_checker_itself_sees_active_content() -> None:
    # Guards the guard: each of these must be reported, or the tests above prove nothing.
    for bad in [
        "<script>x</script>",
        '<img src="x" onerror="y">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<img src="data:image/png;base64,AA">',
        '<p style="background:url(x)">x</p>',
        "<iframe></iframe>",
        "<svg></svg>",
        "<!-- c -->",
    ]:
        assert active_content(bad), bad
    assert active_content('<img src="https://x.org/a.png">', target="qt")
    assert not active_content('<img src="https://x.org/a.png">', target="web")
    assert not active_content('<p style="text-align:center">x</p><a href="mailto:a@b.co">m</a>')


def test_whole_hostile_document_still_shows_its_safe_parts() -> None:
    doc = {"blocks": [b for h in HOSTILE[:10] for b in blocks_with(h)]}
    doc["blocks"].append({"type": "paragraph", "data": {"text": "Still here"}})
    for target in TARGETS:
        out = render_html(doc, target)
        assert active_content(out, target=target) == []
        assert out.endswith("Still here</p>")
    assert "alert" not in plain_preview({"blocks": [{"type": "raw", "data": {"html": HOSTILE[0]}}]})
