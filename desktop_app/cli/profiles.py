"""Tenant profiles for the command line: the built-in sandbox and saved ones (profiles.json).

The outbox issue moves profiles into the SQLite store; until then they live in a small JSON
file in the data directory, written atomically.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from pydantic import ValidationError

from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.cli.paths import resolve_data_dir
from desktop_app.core.profile import TenantProfile, describe_validation_error

SANDBOX_PROFILE = "sandbox"
SANDBOX_TENANT = "demo"
PROFILES_FILE = "profiles.json"


def sandbox_profile() -> TenantProfile:
    """The built-in profile; its base URL is filled in once the sandbox has a port."""
    return TenantProfile(
        name=SANDBOX_PROFILE,
        base_url="http://127.0.0.1:1",
        tenant=SANDBOX_TENANT,
        upload="attachments/external",
    )


def profile_from_args(args: argparse.Namespace) -> tuple[TenantProfile, Path | None]:
    """The profile a command asked for, and the sandbox data dir when it is the sandbox."""
    data_dir = resolve_data_dir(args.data_dir)
    if args.profile:
        if args.profile == SANDBOX_PROFILE:
            return sandbox_profile(), data_dir / "sandbox"
        return load_profile(data_dir, args.profile), None
    if not args.tenant:
        raise CliError("--base-url needs --tenant (the tenant key, e.g. acme)")
    return profile_from_options("command line", args), None


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


def saved_profiles(data_dir: Path) -> list[TenantProfile]:
    """Profiles saved in the data directory (none when the file does not exist yet)."""
    path = data_dir / PROFILES_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as error:
        raise CliError(f"{path}: cannot be read ({error}); fix or remove the file") from None
    try:
        return [TenantProfile.model_validate(item) for item in raw.get("profiles", [])]
    except (ValidationError, AttributeError) as error:
        detail = (
            describe_validation_error(error)
            if isinstance(error, ValidationError)
            else "not an object"
        )
        raise CliError(f"{path}: {detail}; fix or remove the file") from None


def load_profile(data_dir: Path, name: str) -> TenantProfile:
    """One saved profile by name."""
    profiles = saved_profiles(data_dir)
    for profile in profiles:
        if profile.name == name:
            return profile
    known = ", ".join([SANDBOX_PROFILE, *(p.name for p in profiles)])
    raise CliError(f"no profile named '{name}'; known profiles: {known}")


def save_profiles(data_dir: Path, profiles: list[TenantProfile]) -> None:
    """Write the profiles file atomically so a crash never leaves half a file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / PROFILES_FILE
    temporary = path.with_suffix(".json.tmp")
    payload = {"profiles": [profile.model_dump(mode="json") for profile in profiles]}
    temporary.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `profiles list|add|remove`."""
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
    add.set_defaults(handler=add_command)
    remove = actions.add_parser("remove", help="delete a saved profile")
    remove.add_argument("name")
    remove.set_defaults(handler=remove_command)


def list_command(args: argparse.Namespace) -> int:
    """Print every profile, the built-in sandbox first."""
    print(f"{SANDBOX_PROFILE}\t(built-in local sandbox tenant '{SANDBOX_TENANT}')")
    for profile in saved_profiles(resolve_data_dir(args.data_dir)):
        print(f"{profile.name}\t{profile.api_url('')}")
    return EXIT_OK


def add_command(args: argparse.Namespace) -> int:
    """Validate and save a profile."""
    if args.name == SANDBOX_PROFILE:
        raise CliError(f"'{SANDBOX_PROFILE}' is the built-in profile; choose another name")
    data_dir = resolve_data_dir(args.data_dir)
    profile = profile_from_options(args.name, args)
    others = [p for p in saved_profiles(data_dir) if p.name != profile.name]
    save_profiles(data_dir, [*others, profile])
    print(f"saved profile '{profile.name}': {profile.api_url('')}")
    return EXIT_OK


def remove_command(args: argparse.Namespace) -> int:
    """Delete a saved profile by name."""
    data_dir = resolve_data_dir(args.data_dir)
    profiles = saved_profiles(data_dir)
    kept = [p for p in profiles if p.name != args.name]
    if len(kept) == len(profiles):
        raise CliError(f"no saved profile named '{args.name}'")
    save_profiles(data_dir, kept)
    print(f"removed profile '{args.name}'")
    return EXIT_OK
