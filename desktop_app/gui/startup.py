"""Start-up of the desktop app, frame first: the window paints before the rest is imported.

`run()` makes the QApplication, sets up the log and the crash reporter, applies the saved
look, and shows the main window's frame (menus, sections, placeholders, "Starting…"): all
of that needs Qt only. Once the frame has painted, it imports the rest of the app (store,
engine, HTTP client, sandbox: most of the start-up time) and hands the window to
`desktop_app.gui.app.serve`, which starts them and attaches the window to them.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app import __version__
from desktop_app.gui.crash import CrashReporter, log_path, remove_logging, setup_logging
from desktop_app.gui.main_window import MainWindow
from desktop_app.paths import WINDOW_SETTINGS_FILE

APP_NAME = "DeskForms"
# Set to 1: quit as soon as the app has started and its window has painted (smoke tests,
# start-up benchmarks: the "main window painted" log line is the frame's first paint).
QUIT_AFTER_START_ENV = "DESKFORMS_QUIT_AFTER_START"
# The rest of the app is loaded after the frame's first paint, or after this long without
# one (a window that starts hidden or on another desktop may not paint at once).
FIRST_PAINT_WAIT_MS = 1000
# The settings file and the values the frame may apply before the settings model is loaded
# (the model validates them again once loaded: AppSettings in core/settings.py).
_SETTINGS_FILE = "settings.json"
_THEMES = ("system", "light", "dark")
_FONT_SCALES = (0.75, 2.0)

logger = logging.getLogger(__name__)


def run(data_dir: Path, argv: Sequence[str] | None = None) -> int:
    """Run the desktop app on `data_dir` until its window closes; the process exit code."""
    started = time.perf_counter()
    app = application(argv)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        # Appended to without rotation until the frame has painted (see setup_logging).
        handler = setup_logging(data_dir, rotate=False)
    except OSError as error:
        print(f"deskforms: cannot use the data folder {data_dir}: {error}", file=sys.stderr)
        return 1
    reporter = CrashReporter(log_path(data_dir))
    reporter.install()
    quit_after_start = os.environ.get(QUIT_AFTER_START_ENV) == "1"
    # The window's close starts an orderly stop on the loop; Qt must not end the loop first.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    try:
        apply_saved_appearance(app, data_dir)
        window = show_frame(data_dir, started)
        handler = _rotating_log(data_dir, handler)
        return _serve(app, data_dir, window, reporter, quit_after_start=quit_after_start)
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)
        reporter.uninstall()
        remove_logging(handler)


def _rotating_log(data_dir: Path, early: logging.Handler) -> logging.Handler:
    """The rotating log in place of the start-up one (kept if the rotating one cannot open)."""
    try:
        rotating = setup_logging(data_dir)
    except OSError:
        logger.exception("could not open the rotating log; appending to the log file instead")
        return early
    remove_logging(early)
    return rotating


def show_frame(data_dir: Path, started: float) -> MainWindow:
    """Show the main window's frame and wait (on Qt's loop) until it has painted."""
    settings = QSettings(str(data_dir / WINDOW_SETTINGS_FILE), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)

    def on_first_painted() -> None:
        logger.info("main window painted %.3f s after start", time.perf_counter() - started)

    window.first_painted.connect(on_first_painted)
    waiting = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(waiting.quit)
    window.first_painted.connect(waiting.quit)
    window.closed.connect(waiting.quit)
    window.show()
    if not window.painted and not window.was_closed:
        timer.start(FIRST_PAINT_WAIT_MS)
        waiting.exec()
        timer.stop()
    window.first_painted.disconnect(waiting.quit)
    window.closed.disconnect(waiting.quit)
    return window


def _serve(
    app: QApplication,
    data_dir: Path,
    window: MainWindow,
    reporter: CrashReporter,
    *,
    quit_after_start: bool,
) -> int:
    # The rest of the app: imported only now that the frame is on screen.
    import asyncio

    import qasync  # type: ignore[import-untyped]  # no stubs or py.typed

    from desktop_app.gui.app import StartupError, serve

    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.get_loop().set_exception_handler(reporter.handle_loop_exception)
            try:
                return runner.run(serve(data_dir, quit_after_start=quit_after_start, window=window))
            except RuntimeError as error:
                if "stopped before Future completed" not in str(error):
                    raise
                # Something called QApplication.quit(): closing the runner cancels serve(),
                # whose clean-up still stops the engine, sandbox and store in order.
                logger.info("the Qt event loop was stopped from outside; shutting down")
                return 0
    except StartupError as error:
        # serve() has hidden the window already (and deleted it with the loop).
        logger.error("DeskForms could not start: %s", error)
        if quit_after_start:
            print(f"deskforms: {error}", file=sys.stderr)
        else:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "DeskForms cannot start", str(error))
        return 1


def apply_saved_appearance(app: QApplication, data_dir: Path) -> None:
    """Apply the theme and font size saved in settings.json, when they are plainly valid.

    The frame then paints in the user's look; the settings controller loads and checks the
    whole file later (moving a broken one aside, warning) and applies the look again.
    """
    try:
        raw = (data_dir / _SETTINGS_FILE).read_bytes()
    except OSError:
        return  # none yet (or unreadable: the settings controller says so later)
    import json

    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return
    if not isinstance(data, dict):
        return
    theme = data.get("theme", "system")
    scale = data.get("font_scale", 1.0)
    if theme not in _THEMES or isinstance(scale, bool) or not isinstance(scale, int | float):
        return
    if not math.isfinite(scale) or not _FONT_SCALES[0] <= scale <= _FONT_SCALES[1]:
        return
    if theme == "system" and scale == 1.0:
        return  # the platform's look: nothing to change
    from desktop_app.gui.theme import apply_appearance

    apply_appearance(app, theme, round(float(scale), 2))


def application(argv: Sequence[str] | None) -> QApplication:
    """The QApplication (the one there is, or a new one), named DeskForms."""
    existing = QApplication.instance()
    app = (
        existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv[:1]))
    )
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_NAME)
    return app
