"""SandboxServer: the sandbox app on uvicorn, in-process on a loop, in a thread, or standalone."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import sys
import threading
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TextIO

import uvicorn

from desktop_app.sandbox.app import create_app
from desktop_app.sandbox.faults import Fault
from desktop_app.sandbox.middleware import DROP_LOG_FILTER
from desktop_app.sandbox.state import SandboxState

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
API_VERSION = "1"
_WILDCARDS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}
logger = logging.getLogger(__name__)


class _Uvicorn(uvicorn.Server):
    """uvicorn.Server that reports when it listens and leaves signals alone when embedded."""

    def __init__(
        self, config: uvicorn.Config, on_started: Callable[[], None], own_signals: bool
    ) -> None:
        super().__init__(config)
        self._on_started = on_started
        self._own_signals = own_signals

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_started()

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # Embedded in the app or a test, Ctrl+C belongs to the host program, not to uvicorn.
        if self._own_signals:
            with super().capture_signals():
                yield
        else:
            yield


class SandboxServer:
    """A DeskHero-compatible tenant on real HTTP; `port=0` picks a free port.

    Use `async with` / `start()` + `shutdown()` on a running loop, or `with` /
    `start_in_thread()` + `stop()` from synchronous code (it runs its own loop in a thread).
    """

    def __init__(
        self,
        data_dir: Path,
        host: str = DEFAULT_HOST,
        port: int = 0,
        latency_ms: int = 0,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port
        self.state = SandboxState(self.data_dir, latency_ms=latency_ms)
        self.app = create_app(self.state)
        self._uvicorn: _Uvicorn | None = None
        self._socket: socket.socket | None = None
        self._started = threading.Event()
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._thread_error: BaseException | None = None

    # -- addresses -----------------------------------------------------------------------

    @property
    def tenant(self) -> str:
        return self.state.tenant

    @property
    def bound_port(self) -> int:
        """The port actually listened on (after `bind`)."""
        if self._socket is None:
            raise RuntimeError("the sandbox is not started")
        return int(self._socket.getsockname()[1])

    @property
    def base_url(self) -> str:
        """`http://host:port` of the running sandbox, without a trailing slash."""
        host = _WILDCARDS.get(self.host, self.host)
        if _is_ipv6(host):
            host = f"[{host}]"
        return f"http://{host}:{self.bound_port}"

    def api_url(self, path: str = "") -> str:
        """URL of a DeskHero route of the demo tenant, e.g. `api_url("forms/external")`."""
        return f"{self.base_url}/api/{self.tenant}/v{API_VERSION}/{path.lstrip('/')}"

    @property
    def started(self) -> bool:
        return self._started.is_set()

    # -- serving on the current loop ------------------------------------------------------

    def bind(self) -> socket.socket:
        """Open the listening socket now, so `base_url` is known before serving starts."""
        if self._socket is None:
            self._socket = _bind(self.host, self.port)
        return self._socket

    async def serve(self, own_signals: bool = False) -> None:
        """Serve until `shutdown()` (or a signal, when `own_signals`)."""
        sock = self.bind()
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            # Embedded: log through the host's logging setup instead of replacing it.
            log_config=uvicorn.config.LOGGING_CONFIG if own_signals else None,
            lifespan="off",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=2,
            server_header=False,
            headers=[("server", "DeskHero-Sandbox")],
        )
        error_log = logging.getLogger("uvicorn.error")
        if DROP_LOG_FILTER not in error_log.filters:
            error_log.addFilter(DROP_LOG_FILTER)
        self._started.clear()
        self._uvicorn = _Uvicorn(config, self._started.set, own_signals)
        try:
            await self._uvicorn.serve(sockets=[sock])
        finally:
            sock.close()
            self._socket = None
            self._started.clear()
            try:
                # Fold the journal into the snapshot, so the next start reads one file.
                self.state.store.close()
            except OSError:
                logger.exception("could not compact the sandbox state in %s", self.data_dir)

    async def start(self, timeout: float = 10.0) -> None:
        """Start serving in a task on the running loop; returns once it listens."""
        self._task = asyncio.create_task(self.serve(), name="deskhero-sandbox")
        async with asyncio.timeout(timeout):
            while not self._started.is_set():
                if self._task.done():
                    self._task.result()  # re-raises the startup error
                    raise RuntimeError("the sandbox stopped during startup")
                await asyncio.sleep(0.005)

    async def shutdown(self) -> None:
        """Stop serving (in-flight requests get a short grace period) and wait for it."""
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._task is not None:
            task, self._task = self._task, None
            await task

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[SandboxServer]:
        """`async with server.running():` serves on the running loop for the block."""
        await self.start()
        try:
            yield self
        finally:
            await self.shutdown()

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.shutdown()

    # -- serving from synchronous code ---------------------------------------------------

    def start_in_thread(self, timeout: float = 10.0) -> SandboxServer:
        """Serve on a private loop in a daemon thread; returns once it listens."""
        if self._thread is not None:
            raise RuntimeError("the sandbox is already running in a thread")
        self.bind()
        self._thread_error = None

        def run() -> None:
            try:
                asyncio.run(self.serve())
            except BaseException as error:  # reported to the starting thread
                self._thread_error = error

        self._thread = threading.Thread(target=run, name="deskhero-sandbox", daemon=True)
        self._thread.start()
        while not self._started.wait(0.01):
            if not self._thread.is_alive() or timeout <= 0:
                self.stop()
                raise RuntimeError("the sandbox did not start") from self._thread_error
            timeout -= 0.01
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread started by `start_in_thread` and wait for it."""
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            thread, self._thread = self._thread, None
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError("the sandbox thread did not stop in time")

    def __enter__(self) -> SandboxServer:
        return self.start_in_thread()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    # The protocol matters: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say
    # IPPROTO_TCP, and with Nagle on every answer (headers, then body) waits ~40 ms for the
    # client's delayed ACK.
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    try:
        if sys.platform != "win32":
            # Lets a restarted sandbox reuse its port at once; on Windows it would allow theft.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def run_standalone(
    data_dir: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    latency_ms: int = 0,
    faults: Iterable[Fault] = (),
    out: TextIO | None = None,
) -> None:
    """Serve until Ctrl+C, printing where; OSError when the address is taken."""
    out = out or sys.stdout
    server = SandboxServer(data_dir, host=host, port=port, latency_ms=latency_ms)
    for fault in faults:
        server.state.faults.add(fault)
    server.bind()
    for line in _banner(server):
        print(line, file=out, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.serve(own_signals=True))


def _banner(server: SandboxServer) -> Iterator[str]:
    yield f"DeskHero sandbox listening on {server.base_url}"
    yield f"  tenant:   {server.tenant}  (API version {API_VERSION})"
    yield f"  API base: {server.api_url()}"
    yield f"  control:  {server.base_url}/_sandbox"
    yield f"  data:     {server.data_dir}"
    try:
        loopback = ipaddress.ip_address(_WILDCARDS.get(server.host, server.host)).is_loopback
    except ValueError:
        loopback = server.host == "localhost"
    if not loopback or server.host in _WILDCARDS:
        yield "  warning:  reachable from other machines; the sandbox has no authentication"
    yield "Press Ctrl+C to stop."
