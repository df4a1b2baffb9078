"""The command line's hold on a data folder: its lock and store, and an engine run for one command."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from types import TracebackType

from desktop_app.api.client import make_http_client
from desktop_app.cli.errors import CliError
from desktop_app.cli.paths import resolve_data_dir
from desktop_app.cli.profiles import import_profiles_file, sandbox_profile
from desktop_app.core.builtin import SANDBOX_PROFILE
from desktop_app.core.events import Event
from desktop_app.outbox import (
    BackoffSettings,
    DataFolderInUse,
    EngineSettings,
    InstanceLock,
    OutboxEngine,
)
from desktop_app.paths import SANDBOX_DIR
from desktop_app.store import NotFound, Store, StoreError

# How long a second invocation waits for the folder before saying another DeskForms has it.
LOCK_WAIT = 2.0
# The engine's retry timing; tests shrink it rather than wait seconds.
BACKOFF = BackoffSettings()


def open_app(args: argparse.Namespace) -> App:
    """The App for the data folder a command was given (`--data-dir`, env, default)."""
    return App(resolve_data_dir(args.data_dir))


class App:
    """One command's session on a data folder: `with App(data_dir) as app: app.store...`.

    Holds the instance lock for the whole command (one DeskForms per folder), so state
    changes here never race a running desktop app or another command.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.lock = InstanceLock(data_dir)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the app session is not open")
        return self._store

    def __enter__(self) -> App:
        try:
            self.lock.acquire(LOCK_WAIT)
        except DataFolderInUse as error:
            raise CliError(f"{error} (--data-dir chooses another folder)") from None
        except StoreError as error:
            raise CliError(str(error)) from None
        try:
            self._store = Store(self.data_dir)
            warning = import_profiles_file(self._store, self.data_dir)
        except BaseException:
            self.close()
            raise
        if warning:
            print(f"deskforms: {warning}", file=sys.stderr)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self.lock.release()

    def resolve_id(self, given: str) -> str:
        """The submission id a full id or a unique prefix names."""
        text = given.strip()
        if len(text) < 4:
            raise CliError(f"'{given}': give at least 4 characters of the submission id")
        found = self.store.submission_ids_starting_with(text, limit=2)
        if not found:
            raise CliError(f"no submission id starts with '{text}'; see deskforms outbox list")
        if len(found) > 1:
            raise CliError(f"'{text}' names more than one submission; give more characters")
        return found[0]

    @contextlib.asynccontextmanager
    async def engine(
        self,
        profiles: Iterable[str] | None = None,
        on_event: Callable[[Event], object] | None = None,
        grace: float = 5.0,
        run_sandbox: bool | None = None,
    ) -> AsyncIterator[OutboxEngine]:
        """A running engine (limited to `profiles` when given) on a fresh shared HTTP client.

        The built-in sandbox tenant runs on this loop while the engine needs it (or as
        `run_sandbox` says, for a caller that runs it itself).
        """
        wanted = None if profiles is None else frozenset(profiles)
        settings = EngineSettings(backoff=BACKOFF, profiles=wanted, stop_grace=grace)
        async with contextlib.AsyncExitStack() as stack:
            if run_sandbox if run_sandbox is not None else self._needs_sandbox(wanted):
                await stack.enter_async_context(self.sandbox())
            http = await stack.enter_async_context(make_http_client())
            engine = OutboxEngine(self.store, http, settings=settings, lock=self.lock)
            if on_event is not None:
                stack.callback(self.store.events.subscribe(on_event))
            await engine.start()
            try:
                yield engine
            finally:
                await engine.stop()

    def _needs_sandbox(self, wanted: frozenset[str] | None) -> bool:
        if wanted is not None:
            return SANDBOX_PROFILE in wanted
        try:
            self.store.profile(SANDBOX_PROFILE)
        except NotFound:
            return False
        return self.store.due_count(profile=SANDBOX_PROFILE) > 0

    @contextlib.asynccontextmanager
    async def sandbox(self) -> AsyncIterator[str]:
        """Run the built-in sandbox tenant on this loop; yields its base URL."""
        from desktop_app.sandbox.server import SandboxServer

        async with SandboxServer(self.data_dir / SANDBOX_DIR).running() as server:
            # Its port changes with every run: point the stored profile at this one.
            live = sandbox_profile().model_copy(update={"base_url": server.base_url})
            self.store.save_profile(live)
            yield server.base_url
