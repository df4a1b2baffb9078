"""Profiles page fixtures: the page over a real store, and a context wired to the live sandbox."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from desktop_app.api.client import make_http_client
from desktop_app.cli.profiles import sandbox_profile
from desktop_app.core.profile import TenantProfile
from desktop_app.gui.context import AppContext
from desktop_app.gui.profiles.page import ProfilesPage
from desktop_app.sandbox import SandboxServer


def acme(**changes: Any) -> TenantProfile:
    data: dict[str, Any] = {
        "name": "Acme",
        "base_url": "https://help.acme.example",
        "tenant": "acme",
    }
    return TenantProfile.model_validate({**data, **changes})


class Answers:
    """Stands in for the confirmation dialog: records each question, answers `reply`."""

    def __init__(self, reply: bool = True) -> None:
        self.reply = reply
        self.questions: list[str] = []

    def __call__(self, title: str, question: str) -> bool:
        self.questions.append(question)
        return self.reply


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def make_page(qtbot: QtBot, answers: Answers) -> Iterator[Any]:
    """Builds pages; each is deleted on this (the GUI) thread when the test ends.

    A top-level page is owned by Python: left to the garbage collector, it could be destroyed
    on whatever thread collects it (the loop's resolver threads), which Qt does not allow.
    """
    pages: list[ProfilesPage] = []

    def make(context: AppContext) -> ProfilesPage:
        page = ProfilesPage(context)
        page.ask = answers
        qtbot.addWidget(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        if shiboken6.isValid(page):
            shiboken6.delete(page)
    pages.clear()
    gc.collect()


@pytest.fixture
def page(make_page: Any, context: AppContext) -> ProfilesPage:
    return make_page(context)  # type: ignore[no-any-return]


@pytest.fixture
def live_context(
    context: AppContext, sandbox: SandboxServer, qasync_runner: asyncio.Runner
) -> Iterator[AppContext]:
    """The context with the running sandbox and an HTTP client opened for the qasync loop."""
    http = make_http_client()
    context.store.save_profile(sandbox_profile().model_copy(update={"base_url": sandbox.base_url}))
    yield dataclasses.replace(context, http=http, sandbox=sandbox)
    qasync_runner.run(http.aclose())


def run(runner: asyncio.Runner, work: Coroutine[Any, Any, Any]) -> Any:
    """Run `work` on the qasync loop (slots started inside it find the running loop)."""
    return runner.run(work)
