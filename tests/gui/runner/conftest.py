"""Fixtures for runner tests: a real Store in tmp_path with a profile, the sample forms, a runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.form.loading import parse_form
from desktop_app.core.form.model import Form
from desktop_app.core.profile import TenantProfile
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.store import Store

FORMS = Path(__file__).resolve().parents[3] / "forms"
PROFILE = "acme"


def sample_form(name: str) -> Form:
    path = FORMS / f"{name}.json"
    return parse_form(path.read_text(encoding="utf-8"), str(path))


def make_field_form(item: dict[str, Any]) -> Form:
    """A one-page form around one field item."""
    return Form.model_validate(
        {"id": "one", "title": "One", "target": {"form": "one"}, "pages": [{"items": [item]}]}
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "data") as opened:
        opened.save_profile(
            TenantProfile(name=PROFILE, base_url="https://help.example.com", tenant="acme")
        )
        yield opened


RunnerFactory = Callable[..., FormRunner]


@pytest.fixture
def make_runner(qtbot: QtBot, store: Store) -> RunnerFactory:
    """A shown, active runner for a sample form (name) or a Form; autosave every 30 ms."""

    def make(form: str | Form, **options: Any) -> FormRunner:
        options.setdefault("autosave_ms", 30)
        runner = FormRunner(
            sample_form(form) if isinstance(form, str) else form, store, PROFILE, **options
        )
        qtbot.addWidget(runner)
        runner.resize(700, 800)
        with qtbot.waitActive(runner):
            runner.show()
            runner.activateWindow()
        return runner

    return make


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def click(qtbot: QtBot, runner: FormRunner, widget: QWidget) -> None:
    """Scroll `widget` into view (clicks land where the pointer is) and click its left end.

    A radio button or check box reacts only to clicks on its box and text, not on the empty
    rest of its row.
    """
    for page in runner.pages:
        if page.isAncestorOf(widget):
            page.ensureWidgetVisible(widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(6, widget.height() // 2))
