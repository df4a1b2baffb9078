"""The optional C build of the inline fast path gives exactly what the Python reference gives."""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.editorjs import fastpath
from desktop_app.core.editorjs.base import Target
from desktop_app.core.editorjs.fastpath import fast_inline_py
from tests.core.editorjs.test_properties import INLINE_PIECES, PIECES, TARGETS

speedup = fastpath._speedup
needs_speedup = pytest.mark.skipif(speedup is None, reason="the C speed-up is not built here")


def c_fast_inline(markup: str, target: Target) -> str | None:
    assert speedup is not None
    result: str | None = speedup.fast_inline(
        markup, fastpath._TAGS[target], fastpath._RESOLVERS[target]
    )
    return result


def test_the_speedup_is_built_where_a_compiler_and_headers_are() -> None:
    # CI installs with `pip install -e`, which compiles it; a silent fallback would hide a
    # tenfold slower render. DESKFORMS_PURE_PYTHON=1 turns it off on purpose.
    headers = Path(sysconfig.get_paths()["include"], "Python.h").is_file()
    if os.environ.get("DESKFORMS_PURE_PYTHON") == "1" or not shutil.which("cc") or not headers:
        pytest.skip("no C compiler or Python headers, or the speed-up is turned off")
    assert speedup is not None, "run `pip install -e .` again to build _inline"
    assert fastpath.C_RENDER_BLOCKS is not None, "an old build of _inline: run `pip install -e .`"


@needs_speedup
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(
    "markup",
    [
        "",
        "plain text, no tags",
        "a > b",
        "x\x00y",
        "line\r\nbreak",
        "<b>b</b> and <i>i</i>",
        '<a href="https://x.org/?a=1&amp;b=2">l</a>',
        '<a href="javascript:alert(1)">l</a>',
        '<mark class="cdx-marker">m</mark><br/>x<br />y',
        "<b><i>x</i></b><del>d</del><strike>s</strike>",
        "<b><i>x</b></i>",
        "<b>x",
        "x</b>",
        "<b>x<</b>",
        "<b>x</b>>",
        "<<b>x</b>",
        "<a href='x'>",
        "<!-- c -->",
        '<a href="https://x.org/">a <a href="https://y.org/">b</a></a>',
        '<b class="x">b</b><code class="inline-code other">c</code><mark class="y">m</mark>',
        "é <b>ü</b> 漢字 <i>😀</i>",
        "😀<b>x</b>\u0100",
        "<b>" * 70 + "x" + "</b>" * 70,
        "<b>" * 63 + "x" + "</b>" * 63,
    ],
)
def test_same_as_python(markup: str, target: Target) -> None:
    assert c_fast_inline(markup, target) == fast_inline_py(markup, target) or (
        # Deeper than the C stack: declined, which sends the text to the parser instead.
        c_fast_inline(markup, target) is None and markup.count("<b>") > 64
    )


@needs_speedup
@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(INLINE_PIECES + PIECES) | st.text(max_size=3), max_size=16).map(
        "".join
    ),
    st.sampled_from(TARGETS),
)
def test_same_as_python_on_random_markup(markup: str, target: Target) -> None:
    assert c_fast_inline(markup, target) == fast_inline_py(markup, target)


@needs_speedup
def test_result_is_a_new_string_that_outlives_the_tables() -> None:
    markup = '<a href="https://kb.example.com/x">k</a> <b>b</b>'
    first = c_fast_inline(markup, "web")
    fastpath.forget_links()  # drops the tables and the C memo that refers to them
    assert first == fast_inline_py(markup, "web")
    assert c_fast_inline(markup, "web") == first
    assert sys.getrefcount(first) >= 2


@needs_speedup
def test_memo_follows_a_changed_table() -> None:
    # A spelling remembered from one table must not answer for another table.
    markup = "<b>x</b>"
    web = c_fast_inline(markup, "web")
    table = {"b": ("b", None, "<strong>"), "/b": (None, "b", "</strong>")}
    assert speedup is not None
    assert speedup.fast_inline(markup, table, lambda body: None) == "<strong>x</strong>"
    assert c_fast_inline(markup, "web") == web == "<b>x</b>"


@needs_speedup
def test_errors_in_the_resolver_propagate_and_leak_nothing() -> None:
    assert speedup is not None

    def broken(body: str) -> None:
        raise ValueError(body)

    with pytest.raises(ValueError, match="unknown"):
        speedup.fast_inline("<b><unknown>x</b>", dict(fastpath._TAGS["web"]), broken)
    # A malformed table entry declines instead of crashing.
    odd = {"b": ("b", None)}
    assert speedup.fast_inline("<b>x</b>", odd, lambda body: None) is None
    assert speedup.fast_inline(42, {}, lambda body: None) is None
