"""SQLite persistence for drafts, outbox, attachments and profiles (built by the outbox issue)."""

from desktop_app.store.attachments import AttachmentStore, StoredFile
from desktop_app.store.database import DEFAULT_DB_NAME, open_database, transaction
from desktop_app.store.errors import InvalidTransition, NotFound, ProfilePaused, StoreError
from desktop_app.store.migrations import SCHEMA_VERSION
from desktop_app.store.records import (
    AttachmentLink,
    AttemptRecord,
    DeliverySettings,
    DraftRecord,
    ProfileRecord,
    Resolution,
    Status,
    SubmissionRecord,
    answers_with_attachments,
    stored_attachment_path,
)
from desktop_app.store.session_marker import SessionInfo, SessionMarker
from desktop_app.store.store import Store
from desktop_app.store.transitions import INTERRUPTED_MESSAGE, OutcomeUpdate

__all__ = [
    "DEFAULT_DB_NAME",
    "INTERRUPTED_MESSAGE",
    "SCHEMA_VERSION",
    "AttachmentLink",
    "AttachmentStore",
    "AttemptRecord",
    "DeliverySettings",
    "DraftRecord",
    "InvalidTransition",
    "NotFound",
    "OutcomeUpdate",
    "ProfilePaused",
    "ProfileRecord",
    "Resolution",
    "SessionInfo",
    "SessionMarker",
    "Status",
    "Store",
    "StoreError",
    "StoredFile",
    "SubmissionRecord",
    "answers_with_attachments",
    "open_database",
    "stored_attachment_path",
    "transaction",
]
