"""Import a form from a tenant (forms/external or forms/external_dynamic) into the user's forms folder.

Qt-free: the Profiles page runs `import_form` on the loop and shows its result or error.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from desktop_app.api.client import ApiError, DeskHeroClient
from desktop_app.core.form.from_deskhero import DeskHeroFormError, convert_deskhero_form
from desktop_app.core.form.loading import FormFileError, dump_form, parse_form
from desktop_app.core.form.model import Form

FORM_ID_LIMIT = 64


class FormImportError(Exception):
    """The form could not be imported; str() is one line saying what happened and what to do."""


@dataclass(frozen=True)
class ImportRequest:
    """What to import: a stored form by key, or (with `field_keys`) one built from fields.

    `form_key` is also the key tickets from the imported form are sent with.
    """

    form_key: str
    language: str | None = None
    field_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    path: Path
    form: Form
    notes: tuple[str, ...]
    replaced: bool

    @property
    def message(self) -> str:
        verb = f"Updated (version {self.form.version})" if self.replaced else "Imported"
        text = (
            f"{verb} '{self.form.title}' with {len(self.form.fields)} fields as {self.path.name}."
        )
        if not self.notes:
            return f"{text} Nothing was left out."
        return f"{text} Left out: " + "; ".join(self.notes) + "."


def form_id_for(key: str) -> str:
    """A valid local form id for a DeskHero form key ('IT Support!' -> 'it-support')."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", key.strip().lower()).strip("-_")
    return slug[:FORM_ID_LIMIT].rstrip("-_") or "imported-form"


def title_for(key: str, dynamic: bool) -> str:
    words = " ".join(re.split(r"[-_\s]+", key.strip())).strip()
    title = words[:1].upper() + words[1:] if words else "Imported form"
    return f"{title} (built from fields)" if dynamic else title


def parse_field_keys(text: str) -> tuple[str, ...]:
    """Field keys typed with commas or spaces between them, in order, without repeats."""
    keys: list[str] = []
    for key in re.split(r"[,\s]+", text):
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


async def import_form(
    client: DeskHeroClient, request: ImportRequest, forms_dir: Path
) -> ImportResult:
    """Load the form from the tenant, convert it and save it as `<forms_dir>/<id>.json`.

    Importing the same key again replaces the file with the next version of the form.
    """
    key = request.form_key.strip()
    if not key:
        raise FormImportError("Enter the form key (the key tickets from this form are sent with).")
    language = (request.language or "").strip() or None
    dynamic = bool(request.field_keys)
    try:
        if dynamic:
            response = await client.get_external_dynamic_form(
                list(request.field_keys), language=language
            )
        else:
            response = await client.get_external_form(key, lang=language)
    except ApiError as error:
        raise FormImportError(error.user_message) from None
    form_id = form_id_for(key)
    try:
        conversion = convert_deskhero_form(
            response,
            form_id=form_id,
            title=title_for(key, dynamic),
            target_form=key,
            language=language,
        )
    except DeskHeroFormError as error:
        raise FormImportError(f"The form '{key}' cannot be imported: {error}.") from None
    form = conversion.form
    path, previous = _target(forms_dir, form_id)
    if previous is not None:
        # Drafts are tied to a form version: a re-import must not pass for the old one.
        form = form.model_copy(update={"version": previous + 1})
    try:
        forms_dir.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, dump_form(form))
    except OSError as error:
        raise FormImportError(
            f"The form could not be saved to {path}: {error.strerror or error}."
        ) from None
    return ImportResult(path, form, conversion.notes, replaced=previous is not None)


def _target(forms_dir: Path, form_id: str) -> tuple[Path, int | None]:
    """The file to write and the version it holds of this form (None: a new file).

    A file of that name holding something else (another form, a broken file) is kept.
    """
    number = 1
    while True:
        path = forms_dir / (f"{form_id}.json" if number == 1 else f"{form_id}-{number}.json")
        if not path.exists():
            return path, None
        try:
            old = parse_form(path.read_text(encoding="utf-8"), path.name)
        except (OSError, UnicodeDecodeError, FormFileError):
            old = None
        if old is not None and old.id == form_id:
            return path, old.version
        number += 1


def _write_atomically(path: Path, text: str) -> None:
    # The Forms library may read the folder at any moment: it must never see half a file.
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
