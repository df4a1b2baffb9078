"""Open the main views offscreen with sample data and save screenshots (for the README).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import qasync  # type: ignore[import-untyped]  # no stubs or py.typed
from PySide6.QtWidgets import QApplication

from desktop_app.cli.answers import read_answers
from desktop_app.cli.paths import SAMPLE_ANSWERS_DIR, SAMPLE_FORMS_DIR
from desktop_app.gui.app import DeskFormsApp, serve
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.store import Status

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = PROJECT / "docs" / "screenshots"


async def _settle(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)
    QApplication.processEvents()


def capture(out_dir: Path) -> list[Path]:
    """Run the app on a throw-away data folder and save one PNG per main view."""
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None
        window.resize(1280, 820)
        form = window.open_form_file(SAMPLE_FORMS_DIR / "it-support.json")
        runner = window.page_widget("forms")
        assert form is not None and isinstance(runner, FormRunner)
        await _settle()
        saved.append(_save(window, out_dir / "forms.png"))
        runner.load_answers(read_answers(SAMPLE_ANSWERS_DIR / "it-support.json", form))
        runner.go_review()
        await _settle()
        saved.append(_save(window, out_dir / "review.png"))
        submission = runner.send()
        while submission and context.store.submission(submission).status is not Status.ACCEPTED:
            await asyncio.sleep(0.05)
        window.show_page("outbox")
        await _settle(0.5)
        saved.append(_save(window, out_dir / "outbox.png"))
        window.close()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with (
        tempfile.TemporaryDirectory() as data,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        runner.run(serve(Path(data), on_ready=on_ready))
    return saved


def _save(window: MainWindow, path: Path) -> Path:
    window.grab().save(str(path))
    return path


if __name__ == "__main__":
    for shot in capture(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT):
        print(shot)
