"""Editor.js blocks of every standard type, with text the preview must show for each."""

from __future__ import annotations

import random
from typing import Any

Block = dict[str, Any]

# (block, texts the preview shows for it)
SAMPLES: dict[str, tuple[Block, list[str]]] = {
    "paragraph": (
        {
            "type": "paragraph",
            "data": {
                "text": 'Printer <b>on</b> <i>floor</i> <u>2</u> <s>old</s> <a href="https://example.com/kb">guide</a> '
                '<code class="inline-code">lpstat</code> <mark class="cdx-marker">urgent</mark><br>next line',
                "alignment": "center",
            },
        },
        ["Printer on floor 2 old guide lpstat urgent", "next line"],
    ),
    "header": (
        {"type": "header", "data": {"text": "Reset a password", "level": 3}},
        ["Reset a password"],
    ),
    "list-v1": (
        {"type": "list", "data": {"style": "ordered", "items": ["Open the form", "Send it"]}},
        ["Open the form", "Send it"],
    ),
    "list-v2": (
        {
            "type": "list",
            "data": {
                "style": "ordered",
                "meta": {"start": 3, "counterType": "lower-roman"},
                "items": [
                    {
                        "content": "Outer",
                        "meta": {},
                        "items": [{"content": "Inner", "meta": {}, "items": []}],
                    }
                ],
            },
        },
        ["Outer", "Inner"],
    ),
    "list-v2-checklist": (
        {
            "type": "list",
            "data": {
                "style": "checklist",
                "meta": {},
                "items": [{"content": "Plugged in", "meta": {"checked": True}, "items": []}],
            },
        },
        ["☑ Plugged in"],
    ),
    "checklist": (
        {
            "type": "checklist",
            "data": {
                "items": [{"text": "Cable", "checked": False}, {"text": "Power", "checked": True}]
            },
        },
        ["☐ Cable", "☑ Power"],
    ),
    "quote": (
        {"type": "quote", "data": {"text": "Works for me", "caption": "Ann", "alignment": "left"}},
        ["Works for me", "Ann"],
    ),
    "code": (
        {"type": "code", "data": {"code": "if a < b:\n    print('<b>')"}},
        ["if a < b:\n    print('<b>')"],
    ),
    "delimiter": ({"type": "delimiter", "data": {}}, ["*"]),
    "table": (
        {
            "type": "table",
            "data": {"withHeadings": True, "content": [["Host", "State"], ["db1", "<b>down</b>"]]},
        },
        ["Host", "State", "db1", "down"],
    ),
    "table-no-headings": (
        {"type": "table", "data": {"withHeadings": False, "content": [["cell a", "cell b"]]}},
        ["cell a", "cell b"],
    ),
    "image": (
        {
            "type": "image",
            "data": {"file": {"url": "https://example.com/shot.png"}, "caption": "Screenshot"},
        },
        ["Screenshot"],
    ),
    "simple-image": (
        {
            "type": "simple-image",
            "data": {"url": "https://example.com/s.png", "caption": "Simple one"},
        },
        ["Simple one"],
    ),
    "embed": (
        {
            "type": "embed",
            "data": {
                "service": "youtube",
                "source": "https://www.youtube.com/watch?v=abc",
                "embed": "https://www.youtube.com/embed/abc",
                "caption": "Walkthrough",
            },
        },
        ["https://www.youtube.com/watch?v=abc", "Walkthrough"],
    ),
    "warning": (
        {"type": "warning", "data": {"title": "Careful", "message": "Backup first"}},
        ["Careful", "Backup first"],
    ),
    "raw": (
        {"type": "raw", "data": {"html": "<p>Raw <b>part</b></p><script>alert('x')</script>"}},
        ["Raw part"],
    ),
    "attaches": (
        {
            "type": "attaches",
            "data": {
                "file": {
                    "url": "https://example.com/log.txt",
                    "name": "log.txt",
                    "size": 2048,
                    "extension": "txt",
                },
                "title": "Server log",
            },
        },
        ["Server log", "TXT", "2 KB"],
    ),
    "linkTool": (
        {
            "type": "linkTool",
            "data": {
                "link": "https://example.com/status",
                "meta": {"title": "Status page", "description": "All systems"},
            },
        },
        ["Status page", "All systems"],
    ),
    "unknown": ({"type": "poll", "data": {"question": "?"}}, ["Unsupported block"]),
}

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "printer",
    "network",
    "ticket",
    "invoice",
    "laptop",
    "screen",
]


def numbered_paragraph(number: int) -> Block:
    return {"type": "paragraph", "data": {"text": f"Paragraph <b>{number}</b>"}}


def mixed_blocks(count: int, seed: int = 7) -> list[Block]:
    """`count` blocks cycling through every sample type, each made unique by a number."""
    rng = random.Random(seed)
    kinds = list(SAMPLES)
    blocks = []
    for number in range(count):
        kind = kinds[number % len(kinds)]
        if kind in ("paragraph", "header"):
            text = f"{rng.choice(WORDS)} {number}"
            blocks.append({"type": kind, "data": {"text": text, "level": 2}})
        else:
            blocks.append(SAMPLES[kind][0] | {"id": f"b{number}"})
    return blocks
