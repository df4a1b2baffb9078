"""The DeskHero routes of the sandbox tenant: tickets, forms and attachments."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from desktop_app.sandbox import multipart
from desktop_app.sandbox.catalog import MAIN_LANGUAGE
from desktop_app.sandbox.problems import ok, problem, validation_problem, wrap
from desktop_app.sandbox.state import SandboxState
from desktop_app.sandbox.store import utc_now
from desktop_app.sandbox.tickets import TicketFinisher, attachment_reference
from desktop_app.sandbox.validation import validate_tickets

SUPPORTED_VERSIONS = frozenset({"1", "1.0"})
_VERSION_SYNTAX = re.compile(r"^\d+(\.\d+)?(-[A-Za-z0-9]+)?$")
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
# Room for the multipart framing around the file before the upload counts as too large.
_MULTIPART_OVERHEAD = 64 * 1024
MAX_IDEMPOTENCY_KEY = 255
DEFAULT_COLORS = ("#1F6FEB", "#F6F8FA")


def _state(request: Request) -> SandboxState:
    return cast(SandboxState, request.app.state.sandbox)


def _refusal(request: Request) -> Response | None:
    """The answer for a request the tenant/version part of the route already refuses."""
    tenant, version = request.path_params["tenant"], request.path_params["version"]
    if len(tenant) < 2:
        # DeskHero's route constraint minlength(2): no route matches, so a bare 404.
        return Response(status_code=404)
    if version not in SUPPORTED_VERSIONS:
        return _version_problem(request, version)
    if tenant != _state(request).tenant:
        return problem(404, detail=f"There is no DeskHero tenant '{tenant}'.")
    return None


def _version_problem(request: Request, version: str) -> Response:
    """ASP.NET API versioning's 400, in both its old (`error`) and problem-details shapes."""
    if _VERSION_SYNTAX.match(version):
        code, title = "UnsupportedApiVersion", "Unsupported API version"
        message = (
            f"The HTTP resource that matches the request URI '{request.url}' "
            f"does not support the API version '{version}'."
        )
    else:
        code, title = "InvalidApiVersion", "Invalid API version"
        message = f"The requested API version '{version}' is invalid."
    return problem(
        400,
        title,
        message,
        type=f"https://docs.api-versioning.org/problems#{code[:-10].lower()}",
        code=code,
        error={"code": code, "message": message, "innerError": None},
    )


def _forbidden_form(key: str | None) -> Response:
    return problem(
        403,
        detail=(
            f"The form '{key}' does not exist or does not accept external tickets."
            if key
            else "No form was given (query parameter 'form' or 'key')."
        ),
    )


def _fingerprint(request: Request, raw: bytes) -> str:
    """What makes two requests 'the same' for an Idempotency-Key: route, form and JSON body."""
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        body = raw
    head = f"{request.method} {request.url.path}?form={request.query_params.get('form')}\n"
    return hashlib.sha256(head.encode() + body).hexdigest()


async def create_tickets(request: Request) -> Response:
    """POST tickets/external_dynamic_form?form=<key>: create tickets from a JSON array."""
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    state = _state(request)
    raw = await request.body()
    key = request.headers.get("idempotency-key")
    fingerprint = _fingerprint(request, raw)
    # No await from here to create_tickets: two concurrent requests with one key cannot both
    # pass this lookup on the single event loop.
    if key is not None:
        if not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY:
            return validation_problem(
                {"Idempotency-Key": [f"Use 1 to {MAX_IDEMPOTENCY_KEY} characters."]}
            )
        record = state.store.idempotency_record(key)
        if record is not None:
            if record.fingerprint != fingerprint:
                return problem(
                    422,
                    detail=f"Idempotency-Key '{key}' was already used for a different request.",
                )
            state.log_request(key, True, _ids_of(record.body))
            return JSONResponse(
                record.body, status_code=record.status, headers={"Idempotent-Replayed": "true"}
            )
    form = state.catalog.active_form(request.query_params.get("form"))
    if form is None:
        return _forbidden_form(request.query_params.get("form"))
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        return problem(415, detail="Send the tickets as application/json.")
    try:
        tickets = json.loads(raw)
    except ValueError as error:
        return validation_problem({"$": [f"The request body is not valid JSON: {error}."]})
    if not isinstance(tickets, list):
        return validation_problem(
            {"$": ["The JSON value could not be converted to DTO_ticket[]: send an array."]}
        )
    errors = validate_tickets(
        tickets, form, state.catalog, lambda i: state.store.attachment(i) is not None
    )
    if errors:
        return validation_problem(errors)
    finisher = TicketFinisher(
        state.catalog, state.store.attachment, lambda i: _download_url(request, i), utc_now()
    )
    created = state.store.create_tickets(
        tickets,
        finisher,
        idempotency=(key, fingerprint) if key is not None else None,
        wrap=wrap,
    )
    state.log_request(key, False, [ticket["id"] for ticket in created])
    return ok(created)


def _ids_of(body: Any) -> list[int]:
    """The ticket ids of a stored success answer (the wrapper around the created tickets)."""
    data = body.get("data") if isinstance(body, dict) else None
    return (
        [t["id"] for t in data if isinstance(t, dict) and "id" in t]
        if isinstance(data, list)
        else []
    )


def _download_url(request: Request, attachment_id: int) -> str:
    tenant, version = request.path_params["tenant"], request.path_params["version"]
    return f"{request.base_url}api/{tenant}/v{version}/attachments/{attachment_id}/download"


async def form_external(request: Request) -> Response:
    """GET forms/external?key=<form>&lang=<l>: a stored form."""
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    state = _state(request)
    key = request.query_params.get("key")
    form = state.catalog.active_form(key)
    if form is None:
        return _forbidden_form(key)
    return ok(state.catalog.form_response(form, request.query_params.get("lang")))


async def form_external_dynamic(request: Request) -> Response:
    """GET forms/external_dynamic?fields=a&fields=b...: a form built from catalog fields."""
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    catalog = _state(request).catalog
    keys: list[str] = []
    for value in request.query_params.getlist("fields"):
        keys += [k.strip() for k in value.split(",") if k.strip() and k.strip() not in keys]
    errors: dict[str, list[str]] = {}
    if not keys:
        errors["fields"] = ["At least one field key is required."]
    for key in keys:
        field = catalog.fields.get(key)
        if field is None:
            errors.setdefault("fields", []).append(f"There is no field '{key}'.")
        elif not field.external:
            errors.setdefault("fields", []).append(
                f"The field '{key}' is not allowed in external forms."
            )
    group_id: int | None = None
    group = request.query_params.get("group")
    if group:
        try:
            group_id = int(group)
        except ValueError:
            errors["group"] = [f"The value '{group}' is not a valid group id."]
    if errors:
        return validation_problem(errors)
    language = request.query_params.get("language") or MAIN_LANGUAGE
    return ok(
        {
            "fields": [catalog.fields[k].to_dto() for k in keys],
            "group": catalog.group_ref(group_id),
            "main_language": MAIN_LANGUAGE,
            "required_field_ids": [],
            "color_primary": request.query_params.get("color_primary") or DEFAULT_COLORS[0],
            "color_secondary": DEFAULT_COLORS[1],
            "language": language,
        }
    )


async def upload_attachment(request: Request) -> Response:
    """POST attachments/external (multipart, part `file`): store a file, answer its reference."""
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    boundary = multipart.boundary_of(request.headers.get("content-type", ""))
    if boundary is None:
        return problem(415, detail="Send the file as multipart/form-data with a part named 'file'.")
    body = bytearray()
    too_large = False
    async for chunk in request.stream():
        # Keep reading past the limit (without keeping it) so the client gets the 413.
        too_large = too_large or len(body) + len(chunk) > MAX_UPLOAD_BYTES + _MULTIPART_OVERHEAD
        if not too_large:
            body += chunk
    try:
        parts = [] if too_large else multipart.parse(bytes(body), boundary)
    except multipart.MultipartError as error:
        return validation_problem({"file": [f"The multipart body is malformed: {error}."]})
    upload = next((p for p in parts if p.name == "file"), None)
    if too_large or (upload is not None and len(upload.content) > MAX_UPLOAD_BYTES):
        return problem(413, detail="The file is larger than the 25 MB upload limit.")
    if upload is None:
        return validation_problem({"file": ["A part named 'file' is required."]})
    record = _state(request).store.add_attachment(
        upload.filename or "upload.bin", upload.content_type, upload.content
    )
    return ok(attachment_reference(record, _download_url(request, record.id)))


async def download_attachment(request: Request) -> Response:
    """GET attachments/{id}/download: the bytes of an uploaded file."""
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    store = _state(request).store
    record = store.attachment(request.path_params["attachment_id"])
    if record is None:
        return problem(404, detail="There is no such attachment.")
    return FileResponse(
        store.attachment_path(record.id), media_type=record.content_type, filename=record.name
    )


_PREFIX = "/api/{tenant}/v{version}/"
ROUTES = [
    Route(_PREFIX + "tickets/external_dynamic_form", create_tickets, methods=["POST"]),
    Route(_PREFIX + "forms/external", form_external, methods=["GET"]),
    Route(_PREFIX + "forms/external_dynamic", form_external_dynamic, methods=["GET"]),
    Route(_PREFIX + "attachments/external", upload_attachment, methods=["POST"]),
    Route(
        _PREFIX + "attachments/{attachment_id:int}/download",
        download_attachment,
        methods=["GET"],
    ),
]
