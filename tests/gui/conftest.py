"""GUI fixtures: a real Store and EventBus in tmp_path, an app context, a qasync loop runner."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync  # type: ignore[import-untyped]
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop_app.api.client import make_http_client
from desktop_app.cli.paths import SAMPLE_ANSWERS_DIR, SAMPLE_FORMS_DIR
from desktop_app.cli.profiles import sandbox_profile
from desktop_app.core.events import EventBus
from desktop_app.core.form.loading import parse_form
from desktop_app.core.form.model import Form
from desktop_app.gui.bridge import EventsBridge
from desktop_app.gui.context import AppContext
from desktop_app.gui.messages import MessageChannel
from desktop_app.outbox import OutboxEngine
from desktop_app.store import Store


def sample_form(name: str = "it-support") -> Form:
    path = SAMPLE_FORMS_DIR / f"{name}.json"
    return parse_form(path.read_text(encoding="utf-8"), str(path))


def sample_answers(name: str = "it-support") -> dict[str, Any]:
    from desktop_app.cli.answers import read_answers

    return read_answers(SAMPLE_ANSWERS_DIR / f"{name}.json", sample_form(name))


async def until(condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Wait on the running loop until `condition()` is true; fail after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """A real store (with its own EventBus) holding the built-in sandbox profile."""
    with Store(data_dir, events=EventBus()) as opened:
        opened.save_profile(sandbox_profile())
        yield opened


@pytest.fixture
def context(store: Store, data_dir: Path) -> Iterator[AppContext]:
    """An AppContext over the store; the engine is built but not started (no loop needed)."""
    bridge = EventsBridge(store.events)
    # verify=False: no TLS context to build (~40 ms); nothing is sent in these tests.
    http = make_http_client(verify=False)
    engine = OutboxEngine(store, http)
    yield AppContext(
        data_dir=data_dir,
        store=store,
        events=store.events,
        bridge=bridge,
        engine=engine,
        http=http,
        messages=MessageChannel(),
    )
    bridge.detach()
    asyncio.run(http.aclose())


@pytest.fixture
def window_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def qasync_runner(qapp: QApplication) -> Iterator[asyncio.Runner]:
    """An asyncio.Runner on a qasync QEventLoop (qasync's own tests use one loop per test).

    Errors that reach the loop's exception handler (a task's exception never retrieved)
    fail the test.
    """
    errors: list[dict[str, Any]] = []
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(qapp)) as runner:
        runner.get_loop().set_exception_handler(lambda loop, ctx: errors.append(ctx))
        yield runner
    # What the test's app left behind is freed here, on the GUI thread, not later by an
    # executor thread of another test (Qt objects must die on their own thread).
    gc.collect()
    assert not errors, errors


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The QApplication, with its font, palette and style put back after the test (tests that
    change the theme or the font scale)."""
    from PySide6.QtGui import QFont, QPalette

    from desktop_app.gui.theme import is_dark, reset_appearance

    font, palette, style = QFont(qapp.font()), QPalette(qapp.palette()), qapp.style().name()
    try:
        yield qapp
    finally:
        reset_appearance(qapp)
        if qapp.style().name() != style:
            qapp.setStyle(style)
        qapp.setFont(font)
        qapp.setPalette(palette)
    assert qapp.font() == font
    assert not is_dark(qapp.palette())
