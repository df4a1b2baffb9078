"""create_app: the sandbox tenant as a Starlette application."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware

from desktop_app.sandbox import control_routes, deskhero_routes
from desktop_app.sandbox.middleware import FaultMiddleware
from desktop_app.sandbox.state import SandboxState


def create_app(state: SandboxState) -> Starlette:
    """The ASGI app serving `state`: DeskHero routes under /api/, control routes under /_sandbox/."""
    app = Starlette(
        routes=[*deskhero_routes.ROUTES, *control_routes.ROUTES],
        middleware=[Middleware(FaultMiddleware, state=state)],
    )
    app.state.sandbox = state
    return app
