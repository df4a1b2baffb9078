"""Start-up and quit of the desktop app: QApplication, the qasync loop, store, engine, sandbox."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import httpx
import qasync  # type: ignore[import-untyped]  # no stubs or py.typed
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import __version__
from desktop_app.api.client import make_http_client
from desktop_app.cli.app import SANDBOX_DIR
from desktop_app.cli.errors import CliError
from desktop_app.cli.profiles import (
    SANDBOX_PROFILE,
    ensure_profile,
    import_profiles_file,
    sandbox_profile,
)
from desktop_app.core.events import EventBus
from desktop_app.gui.bridge import EventsBridge
from desktop_app.gui.collector import GuiThreadCollector
from desktop_app.gui.context import AppContext
from desktop_app.gui.crash import CrashReporter, log_path, remove_logging, setup_logging
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.messages import MessageChannel
from desktop_app.gui.settings_controller import SettingsController
from desktop_app.gui.wiring import Workspace, plug_pages
from desktop_app.outbox import DataFolderInUse, EngineSettings, InstanceLock, OutboxEngine
from desktop_app.sandbox import SandboxServer
from desktop_app.store import SessionInfo, SessionMarker, Store, StoreError

__all__ = ["AppContext", "DeskFormsApp", "StartupError", "plug_pages", "run", "serve"]

APP_NAME = "DeskForms"
# Set to 1: quit as soon as the main window has painted (smoke tests, start-up benchmarks).
QUIT_AFTER_START_ENV = "DESKFORMS_QUIT_AFTER_START"
# Quit waits this long for in-flight sends; the rest are left for crash recovery.
STOP_GRACE = 2.0
# How long start-up waits for the data folder when another DeskForms is closing.
LOCK_WAIT = 2.0

logger = logging.getLogger(__name__)

OnReady = Callable[["DeskFormsApp", MainWindow], Awaitable[None]]


class StartupError(Exception):
    """The app cannot start; str() says what happened and what to do."""


class DeskFormsApp:
    """The running app's resources, started and stopped in order on the running loop.

    `start()` takes the data folder (one DeskForms per folder), opens the store, makes sure
    the built-in Sandbox profile exists, opens the shared HTTP client, serves the sandbox
    tenant on a free loopback port (pointing the profile at it) and starts the outbox engine.
    `stop()` undoes it in reverse: engine (in-flight sends get `STOP_GRACE` seconds), HTTP
    client, sandbox, store, lock. Both are safe to call when a step failed half-way.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        engine_settings: EngineSettings | None = None,
        messages: MessageChannel | None = None,
        run_sandbox: bool = True,
    ) -> None:
        self.data_dir = data_dir
        self.engine_settings = engine_settings or EngineSettings(stop_grace=STOP_GRACE)
        self.messages = messages or MessageChannel()
        self.run_sandbox = run_sandbox
        self.context: AppContext | None = None
        self._lock: InstanceLock | None = None
        self._store: Store | None = None
        self._bridge: EventsBridge | None = None
        self._http: httpx.AsyncClient | None = None
        self._sandbox: SandboxServer | None = None
        self._engine: OutboxEngine | None = None
        # The session before this one, when it ended without a clean quit (crash, kill).
        self.previous_session: SessionInfo | None = None
        self._marker: SessionMarker | None = None

    async def start(self) -> AppContext:
        try:
            return await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> AppContext:
        self._lock = InstanceLock(self.data_dir)
        try:
            await self._lock.acquire_async(LOCK_WAIT)
            # Under the lock the marker is ours: one left behind means the last run crashed.
            self._marker = SessionMarker(self.data_dir)
            try:
                self.previous_session = self._marker.begin()
            except OSError as error:
                logger.warning("could not write the session marker: %s", error)
            events = EventBus()
            self._store = store = Store(self.data_dir, events=events)
            warning = import_profiles_file(store, self.data_dir)
            ensure_profile(store, sandbox_profile())
        except DataFolderInUse as error:
            raise StartupError(str(error)) from None
        except (StoreError, CliError, OSError) as error:
            raise StartupError(
                f"DeskForms cannot open its data folder {self.data_dir}: {error}"
            ) from None
        if warning:
            self.messages.error(warning)
        self._bridge = EventsBridge(events)
        self._http = make_http_client(profiles=[r.profile for r in store.profiles()])
        if self.run_sandbox:
            self._sandbox = await self._start_sandbox(store)
        self._engine = OutboxEngine(
            store, self._http, settings=self.engine_settings, lock=self._lock
        )
        recovered = await self._engine.start()
        if recovered:
            self.messages.error(
                f"{len(recovered)} ticket(s) were being sent when DeskForms last stopped and may"
                " have arrived; check them in Outbox & results (marked uncertain)."
            )
        self.context = AppContext(
            data_dir=self.data_dir,
            store=store,
            events=events,
            bridge=self._bridge,
            engine=self._engine,
            http=self._http,
            messages=self.messages,
            sandbox=self._sandbox,
            active_profile=SANDBOX_PROFILE,
        )
        return self.context

    async def _start_sandbox(self, store: Store) -> SandboxServer | None:
        server = SandboxServer(self.data_dir / SANDBOX_DIR)
        try:
            await server.start()
        except (OSError, RuntimeError, TimeoutError) as error:
            logger.exception("the sandbox tenant did not start")
            self.messages.error(
                f"The built-in sandbox tenant could not start ({error}); the Sandbox profile"
                " cannot send until DeskForms is started again."
            )
            with contextlib.suppress(Exception):
                await server.shutdown()
            return None
        # Its port changes with every run: point the stored profile at this one (as the CLI does).
        live = sandbox_profile().model_copy(update={"base_url": server.base_url})
        store.save_profile(live)
        logger.info("sandbox tenant '%s' serving at %s", server.tenant, server.base_url)
        return server

    async def stop(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            await _step(
                "stop the outbox engine", engine.stop(grace=self.engine_settings.stop_grace)
            )
        http, self._http = self._http, None
        if http is not None:
            await _step("close the HTTP client", http.aclose())
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is not None:
            await _step("stop the sandbox tenant", sandbox.shutdown())
        bridge, self._bridge = self._bridge, None
        if bridge is not None:
            bridge.detach()
        store, self._store = self._store, None
        if store is not None:
            store.close()
        marker, self._marker = self._marker, None
        if marker is not None:
            marker.end()  # a clean quit: nothing to offer next time
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()


async def _step(what: str, work: Awaitable[None]) -> None:
    # One failing step must not keep the others (and the store's close) from running.
    try:
        await work
    except Exception:
        logger.exception("could not %s at quit", what)


async def serve(
    data_dir: Path,
    *,
    quit_after_start: bool = False,
    on_ready: OnReady | None = None,
    engine_settings: EngineSettings | None = None,
) -> int:
    """The app's life on the running qasync loop: start, show the window, wait, stop; 0.

    Raises StartupError when the app cannot start. `on_ready(app, window)` runs once the
    window is shown (tests use it to look inside, then close the window).
    """
    started = time.perf_counter()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("serve() needs a QApplication and its qasync loop")
    # The window's close starts an orderly stop on the loop; Qt must not end the loop first
    # (qasync would then run the rest of this coroutine outside a running loop).
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    session = DeskFormsApp(data_dir, engine_settings=engine_settings)
    window: MainWindow | None = None
    settings: SettingsController | None = None
    # Executor threads (imports, thumbnails) must never be the ones that free Qt objects.
    collector = GuiThreadCollector()
    collector.start()
    try:
        context = await session.start()
        settings = SettingsController(data_dir, app, on_warning=context.messages.error)
        _use_default_profile(context, settings)
        window = MainWindow(context)
        workspace = plug_pages(window, context, settings)
        closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def on_window_closed() -> None:
            if not closed.done():
                closed.set_result(None)

        def on_window_first_painted() -> None:
            logger.info("main window painted %.3f s after start", time.perf_counter() - started)
            # What start-up built (modules, classes, the window) lives as long as the session:
            # frozen, it is skipped by the collector's full passes, which otherwise stall the
            # window for 50-100 ms while a batch is sent (benchmarks/desktop_workspace.py).
            gc.freeze()
            if quit_after_start and window is not None:
                QTimer.singleShot(0, window.close)

        window.closed.connect(on_window_closed)
        window.first_painted.connect(on_window_first_painted)
        window.show()
        logger.info(
            "DeskForms %s started (data folder %s, sandbox %s)",
            __version__,
            data_dir,
            context.sandbox.base_url if context.sandbox else "not running",
        )
        if not quit_after_start:
            _offer_restore(window, context, session, workspace)
        if on_ready is not None:
            await on_ready(session, window)
        await closed
    finally:
        gc.unfreeze()  # the session's objects may be collected again once it ends
        collector.stop()
        if window is not None:
            window.hide()
        if settings is not None:
            settings.flush()
        await session.stop()
        if window is not None:
            window.deleteLater()
            logger.info("DeskForms stopped")
        app.setQuitOnLastWindowClosed(quit_on_close)
    return 0


def _use_default_profile(context: AppContext, settings: SettingsController) -> None:
    wanted = settings.settings.default_profile
    if wanted is None or wanted == context.active_profile:
        return
    if wanted in {record.name for record in context.store.profiles()}:
        context.active_profile = wanted
    else:
        context.messages.info(
            f"The default profile '{wanted}' no longer exists; tickets go to"
            f" '{context.active_profile}'. Choose another one in Settings."
        )


def _offer_restore(
    window: MainWindow, context: AppContext, session: DeskFormsApp, workspace: Workspace
) -> None:
    from desktop_app.gui.drafts import offer_restore

    offer_restore(window, context, session.previous_session, workspace.open_draft)


def run(data_dir: Path, argv: Sequence[str] | None = None) -> int:
    """Run the desktop app on `data_dir` until its window closes; the process exit code."""
    app = _application(argv)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handler = setup_logging(data_dir)
    except OSError as error:
        print(f"deskforms: cannot use the data folder {data_dir}: {error}", file=sys.stderr)
        return 1
    reporter = CrashReporter(log_path(data_dir))
    reporter.install()
    quit_after_start = os.environ.get(QUIT_AFTER_START_ENV) == "1"
    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.get_loop().set_exception_handler(reporter.handle_loop_exception)
            try:
                return runner.run(serve(data_dir, quit_after_start=quit_after_start))
            except RuntimeError as error:
                if "stopped before Future completed" not in str(error):
                    raise
                # Something called QApplication.quit(): closing the runner cancels serve(),
                # whose clean-up still stops the engine, sandbox and store in order.
                logger.info("the Qt event loop was stopped from outside; shutting down")
                return 0
    except StartupError as error:
        logger.error("DeskForms could not start: %s", error)
        if quit_after_start:
            print(f"deskforms: {error}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "DeskForms cannot start", str(error))
        return 1
    finally:
        reporter.uninstall()
        remove_logging(handler)


def _application(argv: Sequence[str] | None) -> QApplication:
    existing = QApplication.instance()
    app = (
        existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv[:1]))
    )
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    return app
