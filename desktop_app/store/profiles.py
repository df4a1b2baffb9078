"""Tenant profiles in the store: settings, delivery options, the queue stop, and uploaded files."""

from __future__ import annotations

import json
import sqlite3

from pydantic import ValidationError

from desktop_app.core.events import ProfileChanged
from desktop_app.core.profile import TenantProfile, describe_validation_error
from desktop_app.store._base import StoreBase
from desktop_app.store.attachments import check_sha256
from desktop_app.store.errors import NotFound, StoreError
from desktop_app.store.records import DeliverySettings, ProfileRecord, Status, from_text

# Unfinished work that would be stranded if its profile went away.
_PENDING = (Status.QUEUED, Status.SENDING, Status.FAILED, Status.UNCERTAIN, Status.REJECTED)
# Changing any of these may point the profile at another tenant, whose files ids differ.
_UPLOAD_SCOPE = ("base_url", "tenant", "api_version", "upload")


class ProfileStore(StoreBase):
    """Profiles: `save_profile`, `profile`, `profiles`, pausing, and the upload ledger."""

    def save_profile(
        self, profile: TenantProfile, *, settings: DeliverySettings | None = None
    ) -> ProfileRecord:
        """Add or replace a profile by name; `settings=None` keeps the saved delivery settings."""
        now = self._now()
        with self._write() as (conn, events):
            row = conn.execute(
                "SELECT profile_json FROM profiles WHERE name = ?", (profile.name,)
            ).fetchone()
            if row is None:
                chosen = settings or DeliverySettings()
                conn.execute(
                    "INSERT INTO profiles (name, profile_json, concurrency, batching,"
                    " ticket_uuid_property, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        profile.name,
                        profile.model_dump_json(),
                        chosen.concurrency,
                        int(chosen.batching),
                        chosen.ticket_uuid_property,
                        now,
                        now,
                    ),
                )
            else:
                conn.execute(
                    "UPDATE profiles SET profile_json = ?, updated = ? WHERE name = ?",
                    (profile.model_dump_json(), now, profile.name),
                )
                if settings is not None:
                    conn.execute(
                        "UPDATE profiles SET concurrency = ?, batching = ?, ticket_uuid_property = ?"
                        " WHERE name = ?",
                        (
                            settings.concurrency,
                            int(settings.batching),
                            settings.ticket_uuid_property,
                            profile.name,
                        ),
                    )
                old, new = json.loads(row["profile_json"]), profile.model_dump(mode="json")
                if any(old.get(name) != new.get(name) for name in _UPLOAD_SCOPE):
                    conn.execute("DELETE FROM uploads WHERE profile = ?", (profile.name,))
            events.append(ProfileChanged(profile.name))
        return self.profile(profile.name)

    def profile(self, name: str) -> ProfileRecord:
        """The saved profile called `name`; NotFound when there is none."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM profiles WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no tenant profile named '{name}'; add it first.")
        return _record(row)

    def profiles(self) -> list[ProfileRecord]:
        """Every saved profile, by name."""
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM profiles ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [_record(row) for row in rows]

    def delete_profile(self, name: str) -> None:
        """Forget a profile; refused while it still has submissions that are not finished."""
        with self._write() as (conn, events):
            pending = conn.execute(
                f"SELECT COUNT(*) FROM submissions WHERE profile = ? AND status IN ({_marks(_PENDING)})",
                (name, *_PENDING),
            ).fetchone()[0]
            if pending:
                raise StoreError(
                    f"Profile '{name}' still has {pending} unfinished submission(s); send, discard"
                    " or cancel them before deleting it."
                )
            if conn.execute("DELETE FROM profiles WHERE name = ?", (name,)).rowcount == 0:
                raise NotFound(f"There is no tenant profile named '{name}'.")
            events.append(ProfileChanged(name))

    def pause_profile(self, name: str, reason: str) -> bool:
        """Stop sending to a profile; True when it was running (so the reason is told once)."""
        reason = " ".join(reason.split()) or "stopped"
        with self._write() as (conn, events):
            row = self._profile_row(conn, name)
            conn.execute(
                "UPDATE profiles SET paused_reason = ?, updated = ? WHERE name = ?",
                (reason, self._now(), name),
            )
            events.append(ProfileChanged(name))
        return row["paused_reason"] is None

    def resume_profile(self, name: str) -> bool:
        """Let the queue run again; True when the profile was paused."""
        with self._write() as (conn, events):
            row = self._profile_row(conn, name)
            if row["paused_reason"] is None:
                return False
            conn.execute(
                "UPDATE profiles SET paused_reason = NULL, updated = ? WHERE name = ?",
                (self._now(), name),
            )
            events.append(ProfileChanged(name))
        return True

    def record_upload(self, sha256: str, profile: str, attachment_id: int) -> None:
        """Remember DeskHero's id for a stored file uploaded through a profile."""
        check_sha256(sha256)
        with self._write() as (conn, _):
            try:
                conn.execute(
                    "INSERT INTO uploads (sha256, profile, attachment_id, uploaded_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (sha256, profile) DO UPDATE SET"
                    " attachment_id = excluded.attachment_id, uploaded_at = excluded.uploaded_at",
                    (sha256, profile, attachment_id, self._now()),
                )
            except sqlite3.IntegrityError:
                raise NotFound(
                    f"Cannot record the upload of {sha256[:12]} to '{profile}': the file or the"
                    " profile is not in the store."
                ) from None

    def uploaded_id(self, sha256: str, profile: str) -> int | None:
        """DeskHero's id of a file already uploaded through this profile, or None."""
        row = self._conn.execute(
            "SELECT attachment_id FROM uploads WHERE sha256 = ? AND profile = ?", (sha256, profile)
        ).fetchone()
        return None if row is None else int(row[0])

    def _profile_row(self, conn: sqlite3.Connection, name: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            "SELECT paused_reason FROM profiles WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no tenant profile named '{name}'.")
        return row


_COLUMNS = "name, profile_json, concurrency, batching, ticket_uuid_property, paused_reason, created, updated"


def _marks(values: tuple[object, ...]) -> str:
    return ", ".join("?" for _ in values)


def _record(row: sqlite3.Row) -> ProfileRecord:
    try:
        profile = TenantProfile.model_validate_json(row["profile_json"])
    except ValidationError as error:
        raise StoreError(
            f"The saved profile '{row['name']}' is no longer valid: {describe_validation_error(error)}"
        ) from None
    return ProfileRecord(
        profile=profile,
        settings=DeliverySettings(
            concurrency=row["concurrency"],
            batching=bool(row["batching"]),
            ticket_uuid_property=row["ticket_uuid_property"],
        ),
        paused_reason=row["paused_reason"],
        created=from_text(row["created"]),
        updated=from_text(row["updated"]),
    )
