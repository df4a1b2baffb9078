"""Tenant profiles for the command line: the built-in sandbox and those saved in the store.

Profiles used to live in `profiles.json` in the data folder; the first command that opens
the store imports that file once (a marker file remembers it) and leaves it in place.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.core.builtin import SANDBOX_PROFILE, SANDBOX_TENANT
from desktop_app.core.profile import TenantProfile, describe_validation_error
from desktop_app.store import DeliverySettings, NotFound, Store, StoreError

if TYPE_CHECKING:
    from desktop_app.cli.app import App

PROFILES_FILE = "profiles.json"
IMPORTED_MARKER = ".profiles-json-imported"


def sandbox_profile() -> TenantProfile:
    """The built-in profile; its base URL is filled in once the sandbox has a port."""
    return TenantProfile(
        name=SANDBOX_PROFILE,
        base_url="http://127.0.0.1:1",
        tenant=SANDBOX_TENANT,
        upload="attachments/external",
    )


def profile_from_options(name: str, args: argparse.Namespace) -> TenantProfile:
    """A profile from --base-url, --tenant, --api-version, --allow-insecure-http, --upload."""
    try:
        return TenantProfile(
            name=name,
            base_url=args.base_url,
            tenant=args.tenant,
            api_version=args.api_version,
            allow_insecure_http=args.allow_insecure_http,
            upload=args.upload,
        )
    except ValidationError as error:
        raise CliError(describe_validation_error(error)) from None


def requested_profile(args: argparse.Namespace) -> TenantProfile | str:
    """What `submit` asked for: a profile to save (sandbox, options) or a saved one's name.

    Checked before the data folder is opened, so a mistyped option costs nothing.
    """
    if args.profile:
        return sandbox_profile() if args.profile == SANDBOX_PROFILE else str(args.profile)
    if not args.tenant:
        raise CliError("--base-url needs --tenant (the tenant key, e.g. acme)")
    # Saved under a name of its own per tenant and server: queued tickets must never follow
    # a later command to another tenant.
    return profile_from_options(f"{args.tenant.strip()}@{args.base_url.strip()}", args)


def ensure_profile(store: Store, wanted: TenantProfile | str) -> TenantProfile:
    """The profile as stored: a saved one is read; the sandbox or one from options is saved."""
    if isinstance(wanted, str):
        try:
            return store.profile(wanted).profile
        except NotFound:
            known = ", ".join([SANDBOX_PROFILE, *_saved_names(store)])
            raise CliError(f"no profile named '{wanted}'; known profiles: {known}") from None
    if wanted.name == SANDBOX_PROFILE:
        try:
            # Kept as saved (its delivery settings too); the run points it at the live port.
            return store.profile(SANDBOX_PROFILE).profile
        except NotFound:
            pass
    try:
        return store.save_profile(wanted).profile
    except StoreError as error:
        raise CliError(str(error)) from None


def _saved_names(store: Store) -> list[str]:
    return [p.name for p in store.profiles() if p.name != SANDBOX_PROFILE]


def import_profiles_file(store: Store, data_dir: Path) -> str | None:
    """Import `profiles.json` into the store once; a warning line when it cannot be read."""
    path = data_dir / PROFILES_FILE
    marker = data_dir / IMPORTED_MARKER
    if marker.exists() or not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        profiles = [TenantProfile.model_validate(item) for item in raw.get("profiles", [])]
    except (OSError, ValueError, AttributeError) as error:
        detail = (
            describe_validation_error(error) if isinstance(error, ValidationError) else str(error)
        )
        return f"{path} was not imported ({detail}); fix or remove the file"
    known = {p.name for p in store.profiles()}
    for profile in profiles:
        if profile.name not in known and profile.name != SANDBOX_PROFILE:
            store.save_profile(profile)
    marker.write_text(
        f"profiles.json imported into the store at {datetime.now(UTC).isoformat()}\n",
        encoding="utf-8",
    )
    return None


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `profiles list|add|remove|resume`."""
    profiles = subparsers.add_parser("profiles", help="list, add and remove tenant profiles")
    actions = profiles.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="list profiles").set_defaults(handler=list_command)
    add = actions.add_parser("add", help="save a profile (replaces one with the same name)")
    add.add_argument("name")
    add.add_argument("--base-url", required=True, metavar="URL")
    add.add_argument("--tenant", required=True, metavar="T")
    add.add_argument("--api-version", default="1", metavar="V")
    add.add_argument("--allow-insecure-http", action="store_true")
    add.add_argument("--upload", metavar="PATH", help="attachment upload route")
    add.add_argument(
        "--concurrency", type=int, metavar="N", help="requests in flight at once (default 4)"
    )
    add.add_argument(
        "--batching",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="send several tickets of the same form in one request (default off)",
    )
    add.add_argument(
        "--ticket-uuid-property",
        metavar="PROPERTY",
        help="a custom ticket property that receives the submission id (default none)",
    )
    add.set_defaults(handler=add_command)
    remove = actions.add_parser("remove", help="delete a saved profile")
    remove.add_argument("name")
    remove.set_defaults(handler=remove_command)
    resume = actions.add_parser("resume", help="let a paused profile send again")
    resume.add_argument("name")
    resume.set_defaults(handler=resume_command)


def _app(args: argparse.Namespace) -> App:
    # Imported here: the app session itself uses this module's sandbox profile.
    from desktop_app.cli.app import open_app

    return open_app(args)


def list_command(args: argparse.Namespace) -> int:
    """Print every profile, the built-in sandbox first."""
    print(f"{SANDBOX_PROFILE}\t(built-in local sandbox tenant '{SANDBOX_TENANT}')")
    with _app(args) as app:
        for record in app.store.profiles():
            if record.name == SANDBOX_PROFILE:
                continue
            line = f"{record.name}\t{record.profile.api_url('')}"
            if record.paused_reason:
                line += f"\tpaused: {record.paused_reason}"
            print(line)
    return EXIT_OK


def add_command(args: argparse.Namespace) -> int:
    """Validate and save a profile (with its delivery settings)."""
    if args.name == SANDBOX_PROFILE:
        raise CliError(f"'{SANDBOX_PROFILE}' is the built-in profile; choose another name")
    profile = profile_from_options(args.name, args)
    with _app(args) as app:
        settings = _settings(app.store, args)
        app.store.save_profile(profile, settings=settings)
    print(f"saved profile '{profile.name}': {profile.api_url('')}")
    return EXIT_OK


def _settings(store: Store, args: argparse.Namespace) -> DeliverySettings | None:
    if args.concurrency is None and args.batching is None and args.ticket_uuid_property is None:
        return None
    try:
        current = store.profile(args.name).settings
    except NotFound:
        current = DeliverySettings()
    try:
        return DeliverySettings(
            concurrency=current.concurrency if args.concurrency is None else args.concurrency,
            batching=current.batching if args.batching is None else args.batching,
            ticket_uuid_property=args.ticket_uuid_property or current.ticket_uuid_property,
        )
    except ValueError as error:
        raise CliError(str(error)) from None


def remove_command(args: argparse.Namespace) -> int:
    """Delete a saved profile by name (refused while it has unfinished submissions)."""
    if args.name == SANDBOX_PROFILE:
        raise CliError(f"'{SANDBOX_PROFILE}' is the built-in profile and cannot be removed")
    with _app(args) as app:
        try:
            app.store.delete_profile(args.name)
        except NotFound:
            raise CliError(f"no saved profile named '{args.name}'") from None
        except StoreError as error:
            raise CliError(str(error)) from None
    print(f"removed profile '{args.name}'")
    return EXIT_OK


def resume_command(args: argparse.Namespace) -> int:
    """Resume a profile paused by a 403, 404 or unsupported version once it is fixed."""
    with _app(args) as app:
        try:
            was_paused = app.store.resume_profile(args.name)
        except NotFound:
            raise CliError(f"no saved profile named '{args.name}'") from None
        if was_paused:
            # Its failed tickets are due at once; queued ones already are.
            app.store.retry_all_now(args.name)
    print(f"resumed profile '{args.name}'" if was_paused else f"'{args.name}' was not paused")
    return EXIT_OK
