"""Open the main views offscreen with sample data and save screenshots (for the README).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots.py [OUT_DIR]
           [--theme system|light|dark] [--font-scale 0.75-2.0]

With a theme or font scale the names say so (forms-dark.png, forms-dark-x2.png): a look to
check for clipped or unreadable text without replacing the README's pictures.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

import qasync  # type: ignore[import-untyped]  # no stubs or py.typed
from pydantic import ValidationError
from PySide6.QtWidgets import QApplication

from desktop_app.cli.answers import read_answers
from desktop_app.cli.paths import SAMPLE_ANSWERS_DIR, SAMPLE_FORMS_DIR
from desktop_app.core.settings import AppSettings, Theme
from desktop_app.gui.app import DeskFormsApp, serve
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.store import Status
from desktop_app.store.settings_file import save_settings

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = PROJECT / "docs" / "screenshots"


async def _settle(seconds: float = 0.3) -> None:
    # The qasync loop handles Qt's events while it waits; processEvents() here would run the
    # loop's callbacks inside this task ("Cannot enter into task ... while another task").
    await asyncio.sleep(seconds)


def file_suffix(theme: Theme = "system", font_scale: float = 1.0) -> str:
    """ "" for the default look, else e.g. "-dark", "-x2", "-dark-x1.5"."""
    parts: list[str] = [] if theme == "system" else [theme]
    if font_scale != 1.0:
        parts.append(f"x{font_scale:g}")
    return "".join(f"-{part}" for part in parts)


def capture(out_dir: Path, theme: Theme = "system", font_scale: float = 1.0) -> list[Path]:
    """Run the app on a throw-away data folder and save one PNG per main view.

    The look is set as a user would: in the data folder's settings, read at start.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    suffix = file_suffix(theme, font_scale)

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None
        window.resize(1280, 820)
        form = window.open_form_file(SAMPLE_FORMS_DIR / "it-support.json")
        runner = window.page_widget("forms")
        assert form is not None and isinstance(runner, FormRunner)
        await _settle()
        saved.append(_save(window, out_dir / f"forms{suffix}.png"))
        runner.load_answers(read_answers(SAMPLE_ANSWERS_DIR / "it-support.json", form))
        runner.go_review()
        await _settle()
        saved.append(_save(window, out_dir / f"review{suffix}.png"))
        submission = runner.send()
        while submission and context.store.submission(submission).status is not Status.ACCEPTED:
            await asyncio.sleep(0.05)
        window.show_page("outbox")
        await _settle(0.5)
        saved.append(_save(window, out_dir / f"outbox{suffix}.png"))
        window.close()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with (
        tempfile.TemporaryDirectory() as data,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        save_settings(Path(data), AppSettings(theme=theme, font_scale=font_scale))
        runner.run(serve(Path(data), on_ready=on_ready))
    return saved


def _save(window: MainWindow, path: Path) -> Path:
    window.grab().save(str(path))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--theme", choices=get_args(Theme), default="system")
    parser.add_argument("--font-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    try:
        AppSettings(theme=args.theme, font_scale=args.font_scale)
    except ValidationError as error:
        parser.error("; ".join(f"{e['loc'][0]}: {e['msg']}" for e in error.errors()))
    for shot in capture(args.out_dir, args.theme, args.font_scale):
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
