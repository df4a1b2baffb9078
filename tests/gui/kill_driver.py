"""Runs the real desktop app in this process and types or sends until it is killed.

Usage: python kill_driver.py DATA_DIR type|send
  type: opens it-support and types one character into the subject every 40 ms, printing
        "typed N" after each keystroke (N characters so far).
  send: opens it-support and presses Send for a ticket every 30 ms with the sandbox slowed
        down, printing "queued ID" after each.
The test that starts it SIGKILLs it mid-way (tests/gui/test_kill.py).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import qasync  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_app.cli.answers import read_answers
from desktop_app.gui.app import DeskFormsApp, serve
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.runner.runner import FormRunner
from desktop_app.paths import SAMPLE_ANSWERS_DIR, SAMPLE_FORMS_DIR


def say(line: str) -> None:
    print(line, flush=True)


async def type_forever(runner: FormRunner) -> None:
    subject = runner.fields["subject"].focus_target()
    assert isinstance(subject, QLineEdit)
    subject.setFocus()
    typed = 0
    while True:
        QTest.keyClick(subject, Qt.Key.Key_A)
        typed += 1
        say(f"typed {typed}")
        await asyncio.sleep(0.04)


async def send_forever(window: MainWindow, runner: FormRunner) -> None:
    form = runner.form
    answers = read_answers(SAMPLE_ANSWERS_DIR / "it-support.json", form)
    while True:
        runner.load_answers(answers)
        submission = runner.send()
        if submission is not None:
            say(f"queued {submission}")
        await asyncio.sleep(0.03)


def main() -> int:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]

    async def on_ready(session: DeskFormsApp, window: MainWindow) -> None:
        context = session.context
        assert context is not None
        if context.sandbox is not None:
            context.sandbox.state.latency_ms = 150  # sends overlap the kill
        window.open_form_file(SAMPLE_FORMS_DIR / "it-support.json")
        runner = window.page_widget("forms")
        assert isinstance(runner, FormRunner)
        say("ready")
        if mode == "type":
            await type_forever(runner)
        else:
            await send_forever(window, runner)

    app = QApplication(sys.argv[:1])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as loop_runner:
        return int(loop_runner.run(serve(data_dir, on_ready=on_ready)))


if __name__ == "__main__":
    sys.exit(main())
