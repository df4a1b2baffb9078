"""Test helpers: read rendered HTML with html.parser and list any active content in it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Everything the renderer may write (its own markup plus the raw-block allow-list).
OUTPUT_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "figure", "figcaption", "pre", "code", "hr", "table", "caption", "thead",
        "tbody", "tfoot", "tr", "th", "td", "img", "a", "b", "strong", "i", "em", "u", "s",
        "strike", "del", "mark", "br", "div", "span", "sub", "sup", "small", "big", "kbd",
        "samp", "var", "cite", "q", "abbr",
    }
)  # fmt: skip
OUTPUT_ATTRIBUTES = frozenset(
    {
        "class", "style", "href", "rel", "src", "alt", "align", "start", "type", "border",
        "cellpadding", "cellspacing", "bgcolor", "width", "height", "role", "title",
        "colspan", "rowspan",
    }
)  # fmt: skip
LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")
# Style values the renderer writes itself; anything else in a style attribute is a leak.
STYLE = re.compile(
    r"^(?:(?:text-align|background-color|list-style-type|color|border-collapse):[#a-z0-9\-]+;?\s*)+$"
)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


@dataclass
class Element:
    """One element of parsed output (void elements have no children)."""

    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def find_all(self, tag: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find_all(tag))
        return found

    def find(self, tag: str) -> Element:
        found = self.find_all(tag)
        assert found, f"no <{tag}> in the output"
        return found[0]

    def tags(self) -> list[str]:
        """Element names in document order (descendants only)."""
        names: list[str] = []
        for child in self.children:
            if isinstance(child, Element):
                names.append(child.tag)
                names.extend(child.tags())
        return names


VOID = frozenset({"br", "img", "hr"})


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.events: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return
        self.events.append(f"stray </{tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.events.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.events.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.events.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.events.append(f"unknown declaration {data!r}")


def parse(markup: str) -> Element:
    """The output as a tree (a root element holding the top-level nodes)."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    assert not builder.events, builder.events
    return builder.root


def _scheme_of(url: str) -> str:
    return _URL_NOISE.sub("", url).lower()


def active_content(markup: str, *, target: str = "web") -> list[str]:
    """Everything in rendered output that could run, load or style something it should not."""
    problems: list[str] = []
    if "<script" in markup.lower():
        problems.append("a <script> tag")
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    problems += [e for e in builder.events if not e.startswith("stray")]
    stack: list[Element] = [builder.root]
    while stack:
        element = stack.pop()
        stack.extend(c for c in element.children if isinstance(c, Element))
        if element.tag == "#root":
            continue
        if element.tag not in OUTPUT_TAGS:
            problems.append(f"tag <{element.tag}>")
        for name, value in element.attrs.items():
            value = value or ""
            if name not in OUTPUT_ATTRIBUTES or name.startswith("on"):
                problems.append(f"attribute {name}= on <{element.tag}>")
            elif name == "style" and not STYLE.match(value):
                problems.append(f"style {value!r}")
            elif name == "href" and not _scheme_of(value).startswith(LINK_SCHEMES):
                problems.append(f"href {value!r}")
            elif name == "src":
                scheme = _scheme_of(value)
                remote = scheme.startswith(("http:", "https:"))
                if target == "qt" and not scheme.startswith("file:"):
                    problems.append(f"qt image source {value!r} (the preview never fetches)")
                elif target == "web" and not remote:
                    problems.append(f"src {value!r}")
    return problems


def _events(markup: str) -> list[tuple[str, object]]:
    def walk(element: Element) -> list[tuple[str, object]]:
        out: list[tuple[str, object]] = []
        for child in element.children:
            if isinstance(child, str):
                if out and out[-1][0] == "text":
                    out[-1] = ("text", str(out[-1][1]) + child)
                else:
                    out.append(("text", child))
            else:
                out.append(("open", (child.tag, sorted(child.attrs.items(), key=str))))
                out.extend(walk(child))
                out.append(("close", child.tag))
        return out

    return walk(parse(markup))


def same_document(first: str, second: str) -> bool:
    """Whether two HTML strings parse to the same elements, attributes and text."""
    return _events(first) == _events(second)
