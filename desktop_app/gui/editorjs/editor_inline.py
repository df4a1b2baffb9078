"""Editor.js inline HTML as runs of formatted text, and runs back as canonical inline HTML."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from desktop_app.core.editorjs import safe_url, sanitize_inline

# Inline marks, one bit each, so a run's formatting is one comparable int.
BOLD = 1
ITALIC = 2
UNDERLINE = 4
STRIKE = 8
CODE = 16
MARK = 32
ALL_MARKS = BOLD | ITALIC | UNDERLINE | STRIKE | CODE | MARK

# `<br>` inside a run; Qt's line separator, so a run's text maps one-to-one onto a block's text.
LINE_BREAK = "\u2028"

_TAG_MARKS = {
    "b": BOLD,
    "strong": BOLD,
    "i": ITALIC,
    "em": ITALIC,
    "u": UNDERLINE,
    "s": STRIKE,
    "strike": STRIKE,
    "del": STRIKE,
    "code": CODE,
    "mark": MARK,
}
# What the editor writes for each mark (the tags and classes Editor.js inline tools produce).
_OPEN = {
    BOLD: "<b>",
    ITALIC: "<i>",
    UNDERLINE: "<u>",
    STRIKE: "<s>",
    CODE: '<code class="inline-code">',
    MARK: '<mark class="cdx-marker">',
}
_CLOSE = {
    BOLD: "</b>",
    ITALIC: "</i>",
    UNDERLINE: "</u>",
    STRIKE: "</s>",
    CODE: "</code>",
    MARK: "</mark>",
}
# Nesting order when several tags open at once and live equally long: links outermost.
_LINK = 0
_ORDER = {_LINK: 0, BOLD: 1, ITALIC: 2, UNDERLINE: 3, STRIKE: 4, MARK: 5, CODE: 6}


@dataclass(frozen=True, slots=True)
class Run:
    """Text with one set of inline marks and an optional link target (a clean URL)."""

    text: str
    marks: int = 0
    href: str | None = None


Runs = tuple[Run, ...]


def clean_href(url: object) -> str | None:
    """The URL a link may point to (http, https, mailto, tel), unescaped; None if refused."""
    escaped = safe_url(url)
    return None if escaped is None else html.unescape(escaped)


class _RunParser(HTMLParser):
    """Collects runs from sanitized inline HTML (well-formed, allow-listed tags only)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[Run] = []
        self._open: list[tuple[str, int, str | None]] = []

    def _state(self) -> tuple[int, str | None]:
        marks, href = 0, None
        for _tag, bit, link in self._open:
            marks |= bit
            if link is not None:
                href = link
        return marks, href

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.runs.append(Run(LINE_BREAK, *self._state()))
        elif tag == "a":
            href = clean_href(dict(attrs).get("href"))
            self._open.append((tag, 0, href))
        elif tag in _TAG_MARKS:
            self._open.append((tag, _TAG_MARKS[tag], None))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.runs.append(Run(LINE_BREAK, *self._state()))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        self.runs.append(Run(data, *self._state()))


def normalize_runs(runs: Iterable[Run]) -> Runs:
    """Runs with empty ones dropped and neighbours of equal formatting merged."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and out[-1].marks == run.marks and out[-1].href == run.href:
            out[-1] = Run(out[-1].text + run.text, run.marks, run.href)
        else:
            out.append(run)
    return tuple(out)


def parse_inline(markup: object) -> Runs:
    """Runs of Editor.js inline HTML, after the core allow-list sanitizer has cleaned it."""
    if not isinstance(markup, str) or not markup:
        return ()
    parser = _RunParser()
    parser.feed(sanitize_inline(markup, "web"))
    parser.close()
    return normalize_runs(parser.runs)


def _escape_text(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\xa0", "&nbsp;").replace(LINE_BREAK, "<br>")


def _escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("\xa0", "&nbsp;")


_Tag = tuple[int, str | None]  # (mark bit or _LINK, href for links)


def _tags(run: Run) -> list[_Tag]:
    tags: list[_Tag] = [(bit, None) for bit in _OPEN if run.marks & bit]
    if run.href is not None:
        tags.append((_LINK, run.href))
    return tags


def _lifetime(tag: _Tag, runs: Sequence[Run], start: int) -> int:
    count = 0
    for run in runs[start:]:
        if tag not in _tags(run):
            break
        count += 1
    return count


def write_inline(runs: Iterable[Run]) -> str:
    """Canonical inline HTML: b, i, u, s, a href, code.inline-code, mark.cdx-marker, br.

    Tags that stay open longer are opened first, so a link or a bold stretch spanning runs
    of other formatting is written once, as an editor would.
    """
    items = normalize_runs(runs)
    out: list[str] = []
    stack: list[_Tag] = []
    for index, run in enumerate(items):
        wanted = _tags(run)
        keep = 0
        while keep < len(stack) and stack[keep] in wanted:
            keep += 1
        for tag in reversed(stack[keep:]):
            out.append("</a>" if tag[0] == _LINK else _CLOSE[tag[0]])
        del stack[keep:]
        missing = [tag for tag in wanted if tag not in stack]
        missing.sort(key=lambda tag: (-_lifetime(tag, items, index), _ORDER[tag[0]]))
        for tag in missing:
            bit, href = tag
            out.append(
                f'<a href="{_escape_attribute(href or "")}">' if bit == _LINK else _OPEN[bit]
            )
            stack.append(tag)
        out.append(_escape_text(run.text))
    for tag in reversed(stack):
        out.append("</a>" if tag[0] == _LINK else _CLOSE[tag[0]])
    return "".join(out)


def runs_text(runs: Iterable[Run]) -> str:
    """The plain text of runs (line breaks as newlines)."""
    return "".join(run.text for run in runs).replace(LINE_BREAK, "\n")


def is_blank(runs: Iterable[Run]) -> bool:
    """Whether runs hold no visible content (Editor.js drops such paragraphs and headers)."""
    return write_inline(runs).strip() == ""
