"""The store's errors: one readable line each, saying what happened and what to do."""

from __future__ import annotations

from collections.abc import Iterable


class StoreError(Exception):
    """The store cannot do what was asked; str() is one line for the user."""

    def __init__(self, message: str) -> None:
        # One line whatever went in (paths and SQLite messages can carry newlines).
        super().__init__(" ".join(message.split()))


class NotFound(StoreError):
    """No profile, draft, submission or attachment with that id or name."""


class InvalidTransition(StoreError):
    """A state change that the submission's current status does not allow."""

    def __init__(
        self, submission_id: str, status: str, action: str, allowed: Iterable[str]
    ) -> None:
        self.submission_id = submission_id
        self.status = status
        self.action = action
        self.allowed = tuple(allowed)
        super().__init__(
            f"Cannot {action} submission {submission_id}: it is {status}, and only"
            f" {' or '.join(self.allowed)} submissions can be changed that way."
        )


class ProfilePaused(StoreError):
    """The profile's queue is stopped; nothing is sent to it until it is resumed."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(
            f"Sending to '{name}' is paused: {reason.rstrip('.')}. Resume the profile once it is fixed."
        )
