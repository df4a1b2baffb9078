"""AppContext: what the running app hands to its pages (store, engine, events, sandbox, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.builtin import SANDBOX_PROFILE
from desktop_app.paths import FORMS_DIR, WINDOW_SETTINGS_FILE

if TYPE_CHECKING:
    # Types only: the window's shell imports this module before anything heavy is loaded.
    import httpx

    from desktop_app.core.events import EventBus
    from desktop_app.gui.bridge import EventsBridge
    from desktop_app.gui.messages import MessageChannel
    from desktop_app.outbox import OutboxEngine
    from desktop_app.sandbox import SandboxServer
    from desktop_app.store import Store


@dataclass
class AppContext:
    """The running app's shared objects; one per main window, built by `DeskFormsApp.start()`.

    `events` is the store's EventBus (the engine publishes on it too); `bridge` re-emits it
    as Qt signals for views. `sandbox` is the in-process sandbox tenant, None when it could
    not start. `messages` is the one channel for expected errors and notices.
    """

    data_dir: Path
    store: Store
    events: EventBus
    bridge: EventsBridge
    engine: OutboxEngine
    http: httpx.AsyncClient
    messages: MessageChannel
    sandbox: SandboxServer | None = None
    active_profile: str = SANDBOX_PROFILE

    @property
    def forms_dir(self) -> Path:
        """The user's own form files (imported or designed), listed after the samples."""
        return self.data_dir / FORMS_DIR

    @property
    def window_settings_path(self) -> Path:
        return self.data_dir / WINDOW_SETTINGS_FILE

    @property
    def sandbox_active(self) -> bool:
        return self.active_profile == SANDBOX_PROFILE
