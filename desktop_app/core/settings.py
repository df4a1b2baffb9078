"""AppSettings: the user's preferences as one versioned model, and reading any stored dict into it."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# The schema version this DeskForms writes. Bump it when a field is renamed, removed or changes
# meaning, and add the step that upgrades the previous version's dict to MIGRATIONS.
SCHEMA_VERSION = 1

Theme = Literal["system", "light", "dark"]
AfterSend = Literal["reset", "close"]

THEMES: tuple[Theme, ...] = ("system", "light", "dark")
AFTER_SEND: tuple[AfterSend, ...] = ("reset", "close")
MIN_FONT_SCALE = 0.75
MAX_FONT_SCALE = 2.0
MIN_CONCURRENCY = 1
MAX_CONCURRENCY = 64  # the same bounds as a profile's DeliverySettings.concurrency

# A step turns the dict of settings version n into the dict of version n + 1 (napari's way).
# It gets a copy it may change and returns it; it need not set "version".
Migration = Callable[[dict[str, Any]], dict[str, Any]]
# MIGRATIONS[n] upgrades version n to n + 1: one entry for each n from 1 to SCHEMA_VERSION - 1.
MIGRATIONS: Mapping[int, Migration] = {}

# A value shown in a warning is cut to this many characters (the warning stays one line).
_SHOWN_VALUE = 40


class AppSettings(BaseModel):
    """The desktop app's preferences, stored as `settings.json` in the data folder.

    - `version`: the schema version the values follow (always SCHEMA_VERSION once loaded).
    - `theme`: "system" follows the desktop's light/dark setting; "light"/"dark" force one.
    - `font_scale`: a multiplier of the platform's default font size, from 0.75 to 2.0
      (1.0 = the platform size, 2.0 = twice as large); kept to two decimals, shown as a
      percentage.
    - `default_profile`: the profile DeskForms starts with; None (or a profile that no longer
      exists) starts with the built-in Sandbox profile.
    - `autosend`: on, the outbox sends queued tickets on its own; off, they wait in the
      outbox until the user presses **Send now** there.
    - `concurrency`: how many requests a *new* profile may have in flight at once (1-64). It
      is the default that a profile's `DeliverySettings.concurrency` starts from; once a
      profile is saved, its own value is the one the engine uses, and changing this setting
      does not rewrite existing profiles. There is no app-wide limit on top of the profiles'.
    - `confirm_before_send`: ask "Send this ticket?" before a filled form is queued.
    - `after_send`: once a ticket is queued, "reset" empties the form for the next ticket,
      "close" closes it (back to the form library).

    Instances are immutable; `replace(...)` makes a validated copy with some fields changed.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    version: int = SCHEMA_VERSION
    theme: Theme = "system"
    font_scale: float = Field(
        default=1.0, ge=MIN_FONT_SCALE, le=MAX_FONT_SCALE, allow_inf_nan=False
    )
    default_profile: str | None = None
    autosend: bool = True
    concurrency: int = Field(default=4, ge=MIN_CONCURRENCY, le=MAX_CONCURRENCY)
    confirm_before_send: bool = False
    after_send: AfterSend = "reset"

    @field_validator("theme", "after_send", mode="before")
    @classmethod
    def _lower_choice(cls, value: Any) -> Any:
        # A hand-edited file says "Dark" as often as "dark".
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("font_scale", mode="before")
    @classmethod
    def _no_bool_scale(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("font_scale must be a number")
        return value

    @field_validator("font_scale")
    @classmethod
    def _round_scale(cls, value: float) -> float:
        return round(value, 2)

    @field_validator("concurrency", mode="before")
    @classmethod
    def _no_bool_concurrency(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("concurrency must be a whole number")
        return value

    @field_validator("default_profile")
    @classmethod
    def _blank_profile_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None

    def replace(self, **changes: Any) -> AppSettings:
        """A copy with `changes`, validated (raises pydantic.ValidationError when one is bad)."""
        return AppSettings.model_validate({**self.model_dump(), **changes})

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict that is stored (with `version`)."""
        return self.model_dump(mode="json")


SETTING_NAMES: tuple[str, ...] = tuple(
    name for name in AppSettings.model_fields if name != "version"
)


@dataclass(frozen=True)
class LoadedSettings:
    """What `settings_from_dict` made of a stored dict.

    `warnings` are one-line, user-facing sentences. `newer_version` is the version of a dict
    written by a newer DeskForms (read as defaults), None otherwise.
    """

    settings: AppSettings
    warnings: list[str] = field(default_factory=list)
    newer_version: int | None = None


def settings_from_dict(
    raw: object,
    *,
    migrations: Mapping[int, Migration] = MIGRATIONS,
    current: int = SCHEMA_VERSION,
) -> LoadedSettings:
    """Read any stored value (normally the parsed `settings.json`) into settings; never raises.

    The dict is upgraded step by step to `current` with `migrations`; keys the schema does not
    know are dropped; a value that is not valid falls back to that setting's default, with a
    warning naming the setting. A dict from a newer schema than `current` is not guessed at:
    it is read as the defaults, with a warning.
    """
    if not isinstance(raw, Mapping):
        return LoadedSettings(
            AppSettings(),
            [f"The settings are not a JSON object ({type(raw).__name__}); the defaults are used."],
        )
    data = dict(raw)
    warnings: list[str] = []
    version = _version(data.pop("version", 1), current, warnings)
    if version > current:
        return LoadedSettings(
            AppSettings(),
            [
                f"The settings were saved by a newer DeskForms (settings version {version}; this"
                f" version reads up to {current}); the defaults are used."
            ],
            newer_version=version,
        )
    data = _migrate(data, version, current, migrations, warnings)
    settings = _validate_each(data, warnings)
    return LoadedSettings(settings, warnings)


def _version(value: object, current: int, warnings: list[str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and value >= 1:
        return int(value)
    warnings.append(
        f"Setting 'version' has an invalid value ({_shown(value)}); the settings are read as"
        f" version {current}."
    )
    return current


def _migrate(
    data: dict[str, Any],
    version: int,
    current: int,
    migrations: Mapping[int, Migration],
    warnings: list[str],
) -> dict[str, Any]:
    for step_from in range(version, current):
        step = migrations.get(step_from)
        if step is None:
            warnings.append(
                f"DeskForms cannot upgrade settings version {step_from} to {step_from + 1};"
                " the settings are read as they are."
            )
            continue
        try:
            upgraded = step(dict(data))
        except Exception as error:
            # A hand-edited file can have any shape; its valid settings are still kept below.
            warnings.append(
                f"Upgrading the settings from version {step_from} to {step_from + 1} failed"
                f" ({type(error).__name__}); the settings are read as they are."
            )
            continue
        data = dict(upgraded)
        data.pop("version", None)
    return data


def _validate_each(data: dict[str, Any], warnings: list[str]) -> AppSettings:
    """Validate the known settings; each invalid one is left out (its default) with a warning."""
    known = {name: data[name] for name in SETTING_NAMES if name in data}
    defaults = AppSettings()
    while True:
        try:
            return AppSettings.model_validate(known)
        except ValidationError as error:
            bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]} & known.keys()
            if not bad:  # not tied to one setting: nothing left to drop
                return defaults
            for name in sorted(bad, key=SETTING_NAMES.index):
                warnings.append(
                    f"Setting '{name}' has an invalid value ({_shown(known.pop(name))}); the"
                    f" default ({_shown(getattr(defaults, name))}) is used."
                )


def _shown(value: object) -> str:
    text = repr(value)  # repr keeps the warning on one line (newlines are escaped)
    return text if len(text) <= _SHOWN_VALUE else text[: _SHOWN_VALUE - 1] + "…"
