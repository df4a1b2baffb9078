"""Unexpected errors: one sys.excepthook that logs to the data folder and shows a crash dialog."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    import asyncio

    from desktop_app.gui.crash_dialog import CrashDialog

LOG_DIR = "logs"
LOG_FILE = "deskforms.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

logger = logging.getLogger("desktop_app.crash")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_DIR / LOG_FILE


def setup_logging(
    data_dir: Path, level: int = logging.INFO, *, rotate: bool = True
) -> logging.Handler:
    """Log to `<data_dir>/logs/deskforms.log` (rotated); returns the handler, to remove at exit.

    With `rotate=False` the file is only appended to: start-up logs that way until the
    window has painted (`logging.handlers` takes ~10 ms to import), then swaps handlers.
    """
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler: logging.Handler
    if rotate:
        from logging.handlers import RotatingFileHandler

        handler = RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    else:
        handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(level)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return handler


def remove_logging(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()


class CrashReporter(QObject):
    """Installs itself as sys.excepthook (and threading.excepthook, and the loop's handler).

    Every unexpected exception is logged with its traceback and shown in one non-modal
    CrashDialog; the app keeps running. Exceptions in other threads are logged there and
    shown on the GUI thread. KeyboardInterrupt and SystemExit keep their usual meaning.
    """

    crashed = Signal(str)  # the formatted traceback, after it was logged
    _reported = Signal(str)  # to the GUI thread (queued from other threads)

    def __init__(
        self,
        log_file: Path | None = None,
        *,
        show_dialog: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.show_dialog = show_dialog
        self.dialog: CrashDialog | None = None
        self._previous_hook: ExceptHook | None = None
        self._previous_thread_hook: Callable[[threading.ExceptHookArgs], Any] | None = None
        # Queued to the GUI thread when emitted from another one (Qt's automatic connection).
        self._reported.connect(self._on_self_reported)

    def install(self) -> None:
        if self._previous_hook is not None:
            return
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous_hook is None:
            return
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self._handle_thread and self._previous_thread_hook:
            threading.excepthook = self._previous_thread_hook
        self._previous_hook = None
        self._previous_thread_hook = None

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """The excepthook: log, then show (keeps Ctrl+C and exit working as usual)."""
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            (self._previous_hook or sys.__excepthook__)(exc_type, exc, tb)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        logger.error("Unexpected error:\n%s", text.rstrip())
        self._reported.emit(text)

    def handle_loop_exception(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        """An asyncio exception handler: task errors nobody awaited go the same way."""
        error = context.get("exception")
        if isinstance(error, BaseException):
            self.handle(type(error), error, error.__traceback__)
        else:
            logger.error("asyncio: %s", context.get("message", context))

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def _on_self_reported(self, text: str) -> None:
        if self.show_dialog:
            try:
                # Loaded with the first crash: the start-up path does not need the dialog.
                from PySide6.QtCore import Qt

                from desktop_app.gui.crash_dialog import CrashDialog

                if self.dialog is None:
                    self.dialog = CrashDialog(self.log_file)
                    self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                    self.dialog.destroyed.connect(self._on_dialog_destroyed)
                self.dialog.add_report(text)
                # Shown, not raised or activated: the user may be typing elsewhere.
                self.dialog.show()
            except Exception:
                # The dialog must never crash the crash handler; the log has the details.
                logger.exception("could not show the crash dialog")
        self.crashed.emit(text)

    def _on_dialog_destroyed(self) -> None:
        self.dialog = None
