"""Editor.js rendering figures: full render, preview load and one-block updates vs editorjs-html."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.editorjs import clear_cache, render_html

NODE_DIR = Path(__file__).resolve().parent / "node"
FRAME_MS = 16.0
RATIO_TARGET = 3.0

Block = dict[str, Any]

# -- the document ------------------------------------------------------------------------

WORDS = [
    "printer",
    "network",
    "password",
    "reset",
    "invoice",
    "laptop",
    "screen",
    "ticket",
    "account",
    "access",
    "server",
    "update",
    "mail",
    "license",
    "backup",
    "vpn",
    "monitor",
    "keyboard",
    "request",
    "approval",
    "office",
    "badge",
    "phone",
    "the",
    "a",
    "to",
    "of",
    "and",
    "for",
    "with",
    "on",
    "is",
    "not",
    "after",
    "before",
    "please",
    "check",
    "again",
    "today",
]


class Generator:
    """A seeded source of realistic Editor.js blocks of every standard type."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.kinds: list[tuple[Callable[[], Block], int]] = [
            (self.paragraph, 34),
            (self.header, 8),
            (self.list_v1, 5),
            (self.list_v2, 6),
            (self.list_v2_checklist, 3),
            (self.checklist, 4),
            (self.quote, 4),
            (self.code, 5),
            (self.delimiter, 3),
            (self.table, 5),
            (self.image, 3),
            (self.simple_image, 2),
            (self.embed, 3),
            (self.warning, 3),
            (self.raw, 3),
            (self.attaches, 3),
            (self.link_tool, 3),
        ]

    def document(self, count: int) -> dict[str, Any]:
        makers = [maker for maker, _ in self.kinds]
        weights = [weight for _, weight in self.kinds]
        chosen = self.rng.choices(makers, weights, k=count)
        # Every type at least once, whatever the count.
        chosen[: len(makers)] = makers[: min(count, len(makers))]
        return {"time": 1_717_000_000_000, "version": "2.31.0", "blocks": [m() for m in chosen]}

    def block_like(self, block: Block) -> Block:
        """A different block of the same kind: what one edit of that block produces."""
        for maker, _ in self.kinds:
            candidate = maker()
            if candidate["type"] == block["type"]:
                return candidate | {"id": block["id"]}
        raise AssertionError(block["type"])

    # helpers

    def _id(self) -> str:
        return "".join(self.rng.choices("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789_-", k=10))

    def _block(self, kind: str, data: dict[str, Any]) -> Block:
        return {"id": self._id(), "type": kind, "data": data}

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def inline(self, low: int, high: int) -> str:
        """Text with the inline markup Editor.js tools write, about one mark in six words."""
        out = []
        for word in self.rng.choices(WORDS, k=self.rng.randint(low, high)):
            mark = self.rng.random()
            if mark < 0.04:
                word = f"<b>{word}</b>"
            elif mark < 0.07:
                word = f"<i>{word}</i>"
            elif mark < 0.08:
                word = f"<u>{word}</u>"
            elif mark < 0.09:
                word = f"<s>{word}</s>"
            elif mark < 0.12:
                word = f'<a href="https://support.example.com/kb/{word}?ref=ticket">{word}</a>'
            elif mark < 0.14:
                word = f'<code class="inline-code">{word}</code>'
            elif mark < 0.16:
                word = f'<mark class="cdx-marker">{word}</mark>'
            elif mark < 0.17:
                word = f"{word}<br>"
            out.append(word)
        return " ".join(out)

    def _nested(self, depth: int, checklist: bool) -> list[dict[str, Any]]:
        items = []
        for _ in range(self.rng.randint(1, 4)):
            children = (
                self._nested(depth + 1, checklist) if depth < 3 and self.rng.random() < 0.3 else []
            )
            meta = {"checked": self.rng.random() < 0.5} if checklist else {}
            items.append({"content": self.inline(2, 8), "meta": meta, "items": children})
        return items

    # block kinds

    def paragraph(self) -> Block:
        data: dict[str, Any] = {"text": self.inline(8, 70)}
        if self.rng.random() < 0.1:
            data["alignment"] = self.rng.choice(["center", "right", "justify"])
        return self._block("paragraph", data)

    def header(self) -> Block:
        return self._block("header", {"text": self.inline(2, 8), "level": self.rng.randint(1, 6)})

    def list_v1(self) -> Block:
        items = [self.inline(2, 12) for _ in range(self.rng.randint(2, 6))]
        return self._block(
            "list", {"style": self.rng.choice(["ordered", "unordered"]), "items": items}
        )

    def list_v2(self) -> Block:
        style = self.rng.choice(["ordered", "unordered"])
        meta: dict[str, Any] = {}
        if style == "ordered":
            meta = {
                "start": self.rng.choice([1, 1, 1, 3, 10]),
                "counterType": self.rng.choice(
                    ["numeric", "lower-roman", "upper-roman", "lower-alpha", "upper-alpha"]
                ),
            }
        return self._block("list", {"style": style, "meta": meta, "items": self._nested(0, False)})

    def list_v2_checklist(self) -> Block:
        return self._block(
            "list", {"style": "checklist", "meta": {}, "items": self._nested(0, True)}
        )

    def checklist(self) -> Block:
        items = [
            {"text": self.inline(2, 8), "checked": self.rng.random() < 0.5}
            for _ in range(self.rng.randint(2, 6))
        ]
        return self._block("checklist", {"items": items})

    def quote(self) -> Block:
        data = {
            "text": self.inline(6, 30),
            "caption": self.words(1, 3),
            "alignment": self.rng.choice(["left", "center"]),
        }
        return self._block("quote", data)

    def code(self) -> Block:
        lines = [
            f"{'    ' * self.rng.randint(0, 2)}{self.words(2, 8)} = <{self.rng.choice(WORDS)}> && x < 3;"
            for _ in range(self.rng.randint(2, 12))
        ]
        return self._block("code", {"code": "\n".join(lines)})

    def delimiter(self) -> Block:
        return self._block("delimiter", {})

    def table(self) -> Block:
        columns = self.rng.randint(2, 5)
        content = [
            [self.inline(1, 4) for _ in range(columns)] for _ in range(self.rng.randint(2, 6))
        ]
        return self._block("table", {"withHeadings": self.rng.random() < 0.6, "content": content})

    def image(self) -> Block:
        data = {
            "file": {"url": f"https://cdn.example.com/tickets/{self.rng.randint(1, 10**6)}.png"},
            "caption": self.inline(0, 8),
            "withBorder": self.rng.random() < 0.3,
            "withBackground": self.rng.random() < 0.2,
            "stretched": self.rng.random() < 0.2,
        }
        return self._block("image", data)

    def simple_image(self) -> Block:
        data = {
            "url": f"https://cdn.example.com/s/{self.rng.randint(1, 10**6)}.jpg",
            "caption": self.words(0, 6),
            "withBorder": False,
            "withBackground": False,
            "stretched": False,
        }
        return self._block("simple-image", data)

    def embed(self) -> Block:
        service = self.rng.choice(["youtube", "vimeo", "codepen", "twitter"])
        key = self._id()
        data = {
            "service": service,
            "source": f"https://www.{service}.com/watch?v={key}",
            "embed": f"https://www.{service}.com/embed/{key}",
            "width": 580,
            "height": 320,
            "caption": self.words(0, 6),
        }
        return self._block("embed", data)

    def warning(self) -> Block:
        return self._block("warning", {"title": self.words(1, 4), "message": self.inline(5, 25)})

    def raw(self) -> Block:
        html = self.rng.choice(
            [
                f"<div><p>{self.words(4, 12)}</p><ul><li>{self.words(2, 5)}</li></ul></div>",
                f'<p onclick="steal()">{self.words(3, 9)}<script>alert(1)</script></p>',
                f'<table><tr><td>{self.words(1, 3)}</td><td><a href="javascript:x()">{self.words(1, 2)}</a></td></tr></table>',
                f'<p style="color:red">{self.words(3, 8)}<img src="https://cdn.example.com/x.gif"></p>',
            ]
        )
        return self._block("raw", {"html": html})

    def attaches(self) -> Block:
        extension = self.rng.choice(["pdf", "docx", "xlsx", "log", "zip", "png"])
        name = f"{self.rng.choice(WORDS)}-{self.rng.randint(1, 999)}.{extension}"
        file = {
            "url": f"https://files.example.com/{name}",
            "name": name,
            "size": self.rng.randint(200, 50_000_000),
            "extension": extension,
        }
        return self._block("attaches", {"file": file, "title": self.words(1, 4)})

    def link_tool(self) -> Block:
        meta = {
            "title": self.words(2, 8),
            "description": self.words(8, 30),
            "image": {"url": "https://example.com/og.png"},
        }
        return self._block(
            "linkTool", {"link": f"https://status.example.com/{self._id()}", "meta": meta}
        )


# -- measuring ---------------------------------------------------------------------------


def ms(seconds: float) -> float:
    return seconds * 1000.0


def time_render(document: dict[str, Any], target: str, runs: int) -> tuple[float, float]:
    """(first run, median of `runs`) of render_html, each with the render cache cleared."""
    times = []
    for _ in range(runs + 1):
        clear_cache()
        start = time.perf_counter()
        render_html(document, target)  # type: ignore[arg-type]
        times.append(ms(time.perf_counter() - start))
    return times[0], statistics.median(times[1:])


def wait_for_layout(app: Any, preview: Any, settle_s: float = 0.15) -> float:
    """Process events until Qt's background layout stops growing the document; seconds waited."""
    layout = preview.document().documentLayout()
    start = last_change = time.perf_counter()
    height = layout.documentSize().height()
    while time.perf_counter() - last_change < settle_s:
        app.processEvents()
        time.sleep(0.002)
        now = layout.documentSize().height()
        if now != height:
            height, last_change = now, time.perf_counter()
    return last_change - start


def measure_preview(document: dict[str, Any], runs: int, updates: int, seed: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from desktop_app.gui.editorjs.preview import EditorJsPreview

    app = QApplication.instance() or QApplication([])
    loads, paints, filled, layouts, steps = [], [], [], [], []
    preview = None
    for _ in range(runs):
        if preview is not None:
            preview.close()
            preview.deleteLater()
            app.processEvents()
        preview = EditorJsPreview(url_opener=lambda _url: False)
        preview.resize(1000, 800)
        preview.show()
        app.processEvents()
        clear_cache()
        start = time.perf_counter()
        preview.set_document(document)
        loaded = time.perf_counter()
        app.processEvents()
        preview.viewport().repaint()
        painted = time.perf_counter()
        # The rest fills in from the event loop: how long until all is in, and the longest
        # single turn of the loop meanwhile (what a user could feel as a stutter).
        longest = 0.0
        while preview.is_loading():
            turn = time.perf_counter()
            app.processEvents()
            longest = max(longest, time.perf_counter() - turn)
        done = time.perf_counter()
        laid_out = wait_for_layout(app, preview)
        loads.append(ms(loaded - start))
        paints.append(ms(painted - start))
        filled.append(ms(done - start))
        layouts.append(ms(done - start) + ms(laid_out))
        steps.append(ms(longest))
    assert preview is not None

    # For comparison, everything at once: the same blocks put in without yielding to the event
    # loop, and one plain setHtml of the whole document's Qt HTML (no per-block structure).
    at_once, plain = [], []
    for _ in range(runs):
        other = EditorJsPreview(url_opener=lambda _url: False)
        other.resize(1000, 800)
        other.show()
        app.processEvents()
        clear_cache()
        start = time.perf_counter()
        other.set_document(document)
        other.finish_loading()
        app.processEvents()
        other.viewport().repaint()
        at_once.append(ms(time.perf_counter() - start))
        html = render_html(document, "qt")
        start = time.perf_counter()
        other.document().setHtml(html)
        app.processEvents()
        other.viewport().repaint()
        plain.append(ms(time.perf_counter() - start))
        other.close()
        other.deleteLater()
        app.processEvents()

    # One-block edits on the fully laid out preview, each scrolled into view first (untimed),
    # as in an editor where the edited block is the one on screen.
    generator = Generator(seed + 1)
    rng = random.Random(seed + 2)
    blocks = document["blocks"]
    total, edit_only = [], []
    for _ in range(updates):
        index = rng.randrange(len(blocks))
        edited = generator.block_like(blocks[index])
        preview.scroll_to_block(index)
        app.processEvents()
        start = time.perf_counter()
        preview.update_block(index, edited)
        edited_at = time.perf_counter()
        app.processEvents()
        preview.viewport().repaint()
        total.append(ms(time.perf_counter() - start))
        edit_only.append(ms(edited_at - start))
        blocks = preview.blocks()

    # The same kind of edit arriving as a whole document (the diff path of set_document).
    whole = []
    for _ in range(max(5, updates // 5)):
        index = rng.randrange(len(blocks))
        blocks = preview.blocks()
        blocks[index] = generator.block_like(blocks[index])
        start = time.perf_counter()
        preview.set_document({"blocks": blocks})
        app.processEvents()
        preview.viewport().repaint()
        whole.append(ms(time.perf_counter() - start))
    preview.close()
    return {
        "load_first": loads[0],
        "load": statistics.median(loads),
        "paint": statistics.median(paints),
        "filled": statistics.median(filled),
        "layout": statistics.median(layouts),
        "longest_step": max(steps),
        "at_once": statistics.median(at_once),
        "plain_set_html": statistics.median(plain),
        "update": statistics.median(total),
        "update_p90": sorted(total)[int(0.9 * (len(total) - 1))],
        "update_max": max(total),
        "update_edit_only": statistics.median(edit_only),
        "whole_document_edit": statistics.median(whole),
        "frames": len(preview.document().rootFrame().childFrames()),
    }


def measure_node(path: Path, runs: int) -> dict[str, Any] | str:
    """editorjs-html's figures from Node, or the reason they are missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        return "Node.js not found: (e) skipped"
    if not (NODE_DIR / "node_modules" / "editorjs-html").is_dir():
        if npm is None:
            return "npm not found, editorjs-html not installed: (e) skipped"
        print(f"installing editorjs-html: npm ci --prefix {NODE_DIR}", file=sys.stderr)
        installed = subprocess.run(
            [npm, "ci", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
        )
        if installed.returncode != 0:
            return f"npm ci failed: (e) skipped\n{installed.stderr.strip()}"
    result = subprocess.run(
        [node, str(NODE_DIR / "render.js"), str(path), str(runs)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return f"node failed: (e) skipped\n{result.stderr.strip()}"
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


# -- report ------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20_240_917)
    parser.add_argument("--runs", type=int, default=7, help="render runs per target (median)")
    parser.add_argument("--loads", type=int, default=3, help="preview full loads (median)")
    parser.add_argument("--updates", type=int, default=50, help="single-block edits (median)")
    parser.add_argument("--node-runs", type=int, default=15)
    parser.add_argument("--keep-json", action="store_true", help="keep the generated document")
    options = parser.parse_args()

    document = Generator(options.seed).document(options.blocks)
    folder = Path(tempfile.mkdtemp(prefix="editorjs-bench-"))
    path = folder / "document.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    kinds: dict[str, int] = {}
    for block in document["blocks"]:
        kinds[block["type"]] = kinds.get(block["type"], 0) + 1

    size_mb = path.stat().st_size / 1e6
    try:
        web = time_render(document, "web", options.runs)
        qt = time_render(document, "qt", options.runs)
        preview = measure_preview(document, options.loads, options.updates, options.seed)
        node = measure_node(path, options.node_runs)
    finally:
        if not options.keep_json:
            shutil.rmtree(folder, ignore_errors=True)

    where = path if options.keep_json else "a temporary file (--keep-json keeps it)"
    print(
        f"Editor.js rendering: {options.blocks:,} blocks, seed {options.seed}, {size_mb:.1f} MB of JSON in {where}"
    )
    print("types: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    print()
    print(f"{'':46}{'first run':>12}{'median':>12}")
    print(
        f"{'(a) render_html(doc, web), cache cleared':46}{web[0]:>9.1f} ms{web[1]:>9.1f} ms   (n={options.runs})"
    )
    print(
        f"{'(b) render_html(doc, qt), cache cleared':46}{qt[0]:>9.1f} ms{qt[1]:>9.1f} ms   (n={options.runs})"
    )
    print(
        f"{'(c) EditorJsPreview.set_document, cache cleared':46}{preview['load_first']:>9.1f} ms{preview['load']:>9.1f} ms   (n={options.loads}, {preview['frames']} chunk frames)"
    )
    print(f"{'      ... to the first paint':46}{'':>12}{preview['paint']:>9.1f} ms")
    print(
        f"{'      ... until every block is in (event loop)':46}{'':>12}{preview['filled']:>9.1f} ms   (longest loop turn {preview['longest_step']:.1f} ms)"
    )
    print(f"{'      ... until Qt has laid out everything':46}{'':>12}{preview['layout']:>9.1f} ms")
    print(
        f"{'      all at once (set_document + finish_loading)':46}{'':>12}{preview['at_once']:>9.1f} ms"
    )
    print(
        f"{'      reference: one setHtml of the whole Qt HTML':46}{'':>12}{preview['plain_set_html']:>9.1f} ms   (no per-block structure)"
    )
    print(
        f"{'(d) one-block update_block + events + paint':46}{'':>12}{preview['update']:>9.1f} ms   (n={options.updates}; p90 {preview['update_p90']:.1f}, max {preview['update_max']:.1f})"
    )
    print(f"{'      update_block alone':46}{'':>12}{preview['update_edit_only']:>9.1f} ms")
    print(
        f"{'      same edit as a whole set_document (diff)':46}{'':>12}{preview['whole_document_edit']:>9.1f} ms"
    )
    if isinstance(node, str):
        print(f"(e) {node}")
    else:
        label = f"(e) {node['renderer']} on Node {node['node']}"
        print(
            f"{label:46}{node['first_ms']:>9.1f} ms{node['median_ms']:>9.1f} ms   (n={node['runs']}, timed in Node)"
        )
    print()
    print("targets")
    if isinstance(node, str):
        print("  full render + sanitize within 3x of editorjs-html: not measured (no Node)")
    else:
        ratio = web[1] / node["median_ms"]
        ratio_qt = qt[1] / node["median_ms"]
        cold = web[0] / node["first_ms"]
        print(
            f"  full render + sanitize within {RATIO_TARGET:g}x of editorjs-html (medians): ours/theirs = {ratio:.2f}x web, {ratio_qt:.2f}x qt  {verdict(ratio <= RATIO_TARGET)}"
        )
        print(f"      first runs (cold; Node's includes JIT warm-up): {cold:.2f}x web")
    print(
        f"  one-block preview update under {FRAME_MS:g} ms: median {preview['update']:.1f} ms, p90 {preview['update_p90']:.1f} ms  {verdict(preview['update'] < FRAME_MS)}"
    )


if __name__ == "__main__":
    main()
