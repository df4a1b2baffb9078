"""The delivery engine: queue, retries and crash recovery (built by the outbox issue)."""

from desktop_app.outbox.backoff import Backoff, BackoffSettings
from desktop_app.outbox.engine import OutboxEngine
from desktop_app.outbox.events import (
    Accepted,
    Failed,
    ProfilePaused,
    ProfileResumed,
    Progress,
    Queued,
    Rejected,
    Sending,
    SubmissionEvent,
    Uncertain,
)
from desktop_app.outbox.lock import DataFolderInUse, InstanceLock
from desktop_app.outbox.messages import FieldMessage, stored_messages
from desktop_app.outbox.settings import EngineSettings
from desktop_app.outbox.waiting import SETTLED

__all__ = [
    "SETTLED",
    "Accepted",
    "Backoff",
    "BackoffSettings",
    "DataFolderInUse",
    "EngineSettings",
    "Failed",
    "FieldMessage",
    "InstanceLock",
    "OutboxEngine",
    "ProfilePaused",
    "ProfileResumed",
    "Progress",
    "Queued",
    "Rejected",
    "Sending",
    "SubmissionEvent",
    "Uncertain",
    "stored_messages",
]
