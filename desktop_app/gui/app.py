"""The running desktop app: store, engine, HTTP client and sandbox started and stopped in order.

`run()` (in `desktop_app.gui.startup`, re-exported here) shows the main window's frame
first and imports this module only after it has painted: everything imported here is the
heavy part of start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app import __version__
from desktop_app.api.client import make_http_client
from desktop_app.cli.errors import CliError
from desktop_app.cli.profiles import ensure_profile, import_profiles_file, sandbox_profile
from desktop_app.core.builtin import SANDBOX_PROFILE
from desktop_app.core.events import EventBus
from desktop_app.gui.bridge import EventsBridge
from desktop_app.gui.collector import GuiThreadCollector
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.messages import MessageChannel
from desktop_app.gui.settings_controller import SettingsController
from desktop_app.gui.startup import APP_NAME, QUIT_AFTER_START_ENV, run
from desktop_app.gui.wiring import Workspace, plug_pages
from desktop_app.outbox import DataFolderInUse, EngineSettings, InstanceLock, OutboxEngine
from desktop_app.paths import SANDBOX_DIR
from desktop_app.sandbox import SandboxServer
from desktop_app.store import SessionInfo, SessionMarker, Store, StoreError

__all__ = [
    "APP_NAME",
    "QUIT_AFTER_START_ENV",
    "AppContext",
    "DeskFormsApp",
    "StartupError",
    "plug_pages",
    "run",
    "serve",
]

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
    window: MainWindow | None = None,
) -> int:
    """The app's life on the running qasync loop: start, show the window, wait, stop; 0.

    `window` is the main window's frame when it is on screen already (`run()` shows it
    before this module is imported); it says "Starting…" until the app has started, then is
    attached to it. Without one, the window is made once the app has started. Closing the
    frame during start-up stops what has started, in order.

    Raises StartupError when the app cannot start. `on_ready(app, window)` runs once the
    window is shown and attached (tests use it to look inside, then close the window).
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
    settings: SettingsController | None = None
    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_window_closed() -> None:
        if not closed.done():
            closed.set_result(None)

    def on_window_first_painted() -> None:
        logger.info("main window painted %.3f s after start", time.perf_counter() - started)

    if window is not None:
        window.closed.connect(on_window_closed)
        if window.was_closed:
            on_window_closed()
    # Executor threads (imports, thumbnails) must never be the ones that free Qt objects.
    collector = GuiThreadCollector()
    collector.start()
    try:
        if closed.done():
            logger.info("the window was closed before DeskForms started")
            return 0
        context = await session.start()
        if closed.done():
            logger.info("the window was closed during start-up; stopping")
            return 0
        settings = SettingsController(data_dir, app, on_warning=context.messages.error)
        _use_default_profile(context, settings)
        if window is None:
            window = MainWindow(context)
            window.closed.connect(on_window_closed)
            window.first_painted.connect(on_window_first_painted)
        else:
            window.attach(context)
        workspace = plug_pages(window, context, settings)
        _when_painted(window, lambda: _on_started_and_painted(window, quit_after_start))
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
            if session.context is not None:
                logger.info("DeskForms stopped")
        app.setQuitOnLastWindowClosed(quit_on_close)
    return 0


def _when_painted(window: MainWindow, action: Callable[[], None]) -> None:
    """Run `action` once the window has painted (on the loop's next turn if it has)."""
    if window.painted:
        QTimer.singleShot(0, action)
    else:
        window.first_painted.connect(action, Qt.ConnectionType.SingleShotConnection)


def _on_started_and_painted(window: MainWindow, quit_after_start: bool) -> None:
    # What start-up built (modules, classes, the window and its pages) lives as long as the
    # session: frozen, it is skipped by the collector's full passes, which otherwise stall
    # the window for 50-100 ms while a batch is sent (benchmarks/desktop_workspace.py).
    gc.freeze()
    if quit_after_start and not window.was_closed:
        QTimer.singleShot(0, window.close)  # not from inside a paint


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
