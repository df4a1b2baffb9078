"""TenantProfile: where a DeskHero tenant lives and how to talk to it, checked before any request."""

from __future__ import annotations

import ipaddress
import re
import string
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

LOOPBACK_NAMES = frozenset({"localhost"})
# Placeholders an upload path template may use; anything else is a typo the user must see.
UPLOAD_PLACEHOLDERS = frozenset({"tenant", "api_version"})


class ProfileError(ValueError):
    """A tenant profile that cannot be used; the message is one line the user can act on."""


def check_base_url(value: str) -> str:
    """The base URL without trailing slashes; raises ProfileError when it is not http(s)://host."""
    url = value.strip()
    if not url:
        raise ProfileError(
            "base_url is empty: enter the DeskHero address, e.g. https://help.example.com"
        )
    if "://" not in url:
        raise ProfileError(f"base_url '{url}' has no scheme: add https:// (https://{url})")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ProfileError(
            f"base_url '{url}' must start with https:// or http://, not {parts.scheme}://"
        )
    try:
        parts.port  # noqa: B018 - reading it validates the port number
    except ValueError:
        raise ProfileError(f"base_url '{url}' has an invalid port number") from None
    if not parts.hostname:
        raise ProfileError(f"base_url '{url}' has no host name")
    if parts.username is not None or parts.password is not None:
        raise ProfileError(f"base_url '{url}' must not contain a user name or password")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ProfileError(f"base_url '{url}' must not contain a ?query or #fragment")
    if any(ch.isspace() for ch in url):
        raise ProfileError(f"base_url '{url}' must not contain spaces")
    return url.rstrip("/")


def check_tenant(value: str) -> str:
    """The tenant key; DeskHero's route constraint is minlength(2)."""
    tenant = value.strip()
    if len(tenant) < 2:
        raise ProfileError(
            f"tenant '{tenant}' is too short: it needs at least 2 characters, a 1-character tenant matches no DeskHero route"
        )
    if "/" in tenant or any(ch.isspace() for ch in tenant):
        raise ProfileError(f"tenant '{tenant}' must not contain '/' or spaces")
    return tenant


def check_api_version(value: str) -> str:
    """The API version segment without a leading 'v' (users type 'v1' as often as '1')."""
    version = value.strip()
    if version[:1] in ("v", "V"):
        version = version[1:]
    if not version or "/" in version or any(ch.isspace() for ch in version):
        raise ProfileError(f"api_version '{value}' is not a version: use e.g. 1 or 1.0")
    return version


def check_upload(value: str | None) -> str | None:
    """An upload path template, relative to the tenant API root or (leading '/') to the base URL."""
    if value is None or not value.strip():
        return None
    path = value.strip()
    if "://" in path or path.startswith("//"):
        raise ProfileError(
            f"upload '{path}' must be a path such as attachments/external, not a URL"
        )
    if "?" in path or "#" in path or any(ch.isspace() for ch in path):
        raise ProfileError(
            f"upload '{path}' must be a plain path without ?query, #fragment or spaces"
        )
    if ".." in path.split("/"):
        raise ProfileError(f"upload '{path}' must not contain '..'")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(path) if name is not None}
    except ValueError:
        raise ProfileError(f"upload '{path}' has an unbalanced {{ or }}") from None
    unknown = sorted(names - UPLOAD_PLACEHOLDERS)
    if unknown:
        raise ProfileError(
            f"upload '{path}' uses unknown placeholder {{{unknown[0]}}}: only {{tenant}} and {{api_version}} exist"
        )
    return path


def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1: traffic that never leaves this machine."""
    host = host.strip("[]").lower().rstrip(".")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_transport_security(base_url: str, allow_insecure_http: bool) -> None:
    """Refuse plain http to another machine unless the user allowed it explicitly."""
    parts = urlsplit(base_url)
    if parts.scheme.lower() == "http" and not allow_insecure_http:
        host = parts.hostname or ""
        if not is_loopback_host(host):
            raise ProfileError(
                f"plain http:// to {host} is refused: these forms carry personal data; use https or allow insecure http explicitly"
            )


def _as_pydantic(error: ProfileError) -> PydanticCustomError:
    # A custom error shows our sentence as is (no "Value error, " prefix); passing it as context
    # keeps braces in the message from being read as template fields.
    return PydanticCustomError("tenant_profile", "{message}", {"message": str(error)})


def check_name(value: str) -> str:
    """The profile's display name."""
    name = value.strip()
    if not name:
        raise ProfileError("name is empty: give the profile a name, e.g. the team or site")
    return name


class TenantProfile(BaseModel):
    """One DeskHero tenant as the user configured it."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: str
    base_url: str
    tenant: str
    api_version: str = "1"
    verify_tls: bool = True
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0)
    allow_insecure_http: bool = False
    upload: str | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        try:
            return check_name(value)
        except ProfileError as error:
            raise _as_pydantic(error) from None

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        try:
            return check_base_url(value)
        except ProfileError as error:
            raise _as_pydantic(error) from None

    @field_validator("tenant")
    @classmethod
    def _check_tenant(cls, value: str) -> str:
        try:
            return check_tenant(value)
        except ProfileError as error:
            raise _as_pydantic(error) from None

    @field_validator("api_version", mode="before")
    @classmethod
    def _check_api_version(cls, value: Any) -> Any:
        # Settings files and forms hand over 1 as often as "1".
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return value
        try:
            return check_api_version(value)
        except ProfileError as error:
            raise _as_pydantic(error) from None

    @field_validator("upload")
    @classmethod
    def _check_upload(cls, value: str | None) -> str | None:
        try:
            return check_upload(value)
        except ProfileError as error:
            raise _as_pydantic(error) from None

    @model_validator(mode="after")
    def _check_transport_security(self) -> TenantProfile:
        try:
            check_transport_security(self.base_url, self.allow_insecure_http)
        except ProfileError as error:
            raise _as_pydantic(error) from None
        return self

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> TenantProfile:
        """Validate settings into a profile; raises ProfileError with one readable line."""
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise ProfileError(describe_validation_error(exc)) from None

    def check(self) -> None:
        """Validate again, for profiles built without validation (model_construct, old settings)."""
        check_name(self.name)
        check_base_url(self.base_url)
        check_tenant(self.tenant)
        check_api_version(self.api_version)
        check_upload(self.upload)
        check_transport_security(self.base_url, self.allow_insecure_http)
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value <= 0:
                raise ProfileError(f"{name} must be a number of seconds greater than 0")

    def api_url(self, path: str) -> str:
        """The absolute URL of `path` under this tenant's versioned API root."""
        tenant = quote(self.tenant, safe="")
        version = quote(self.api_version, safe="")
        return f"{self.base_url.rstrip('/')}/api/{tenant}/v{version}/{path.lstrip('/')}"

    def upload_url(self) -> str | None:
        """The URL of the attachment upload step, or None when the profile has none."""
        if self.upload is None:
            return None
        path = self.upload.format(
            tenant=quote(self.tenant, safe=""), api_version=quote(self.api_version, safe="")
        )
        if path.startswith("/"):
            return f"{self.base_url.rstrip('/')}{path}"
        return self.api_url(path)


_PYDANTIC_PREFIX = re.compile(r"^(Value error|Assertion failed), ")


def describe_validation_error(exc: ValidationError) -> str:
    """One line out of a pydantic error: 'field: message' of the first problem, plus a count."""
    errors = exc.errors(include_url=False)
    if not errors:
        return "the tenant profile is invalid"
    first = errors[0]
    message = _PYDANTIC_PREFIX.sub("", str(first.get("msg", "invalid")))
    location = ".".join(str(part) for part in first.get("loc", ()))
    # Our own checks already name their field at the start of the message.
    text = message if not location or message.startswith(location) else f"{location}: {message}"
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return text
