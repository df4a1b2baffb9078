"""Closes the elements an HTML fragment leaves open, so it cannot swallow what follows it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Containers whose missing end tag would pull the following fragments into them in Qt.
_CONTAINER_TAG = re.compile(r"<(/?)(table|ul|ol|blockquote|pre|div)\b", re.IGNORECASE)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


def needs_balancing(fragment: str) -> bool:
    """A cheap test: True when some container's start and end tags do not pair up."""
    depth: dict[str, int] = {}
    for match in _CONTAINER_TAG.finditer(fragment):
        name = match.group(2).lower()
        depth[name] = depth.get(name, 0) + (-1 if match.group(1) else 1)
    return any(depth.values())


def balanced(fragment: str) -> str:
    """`fragment` with every element closed inside it and stray end tags dropped."""
    if not needs_balancing(fragment):
        return fragment
    parser = _Balancer()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


class _Balancer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            return  # an end tag without a start would close an element of a neighbour
        while self.open:
            name = self.open.pop()
            self.out.append(f"</{name}>")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def close(self) -> None:
        super().close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
