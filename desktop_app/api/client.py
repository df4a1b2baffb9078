"""DeskHeroClient: submit tickets, load public forms and upload files over a shared httpx client."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import httpx
from pydantic import ValidationError

from desktop_app import __version__
from desktop_app.api.classify import body_of, classify_failure, classify_submit, error_messages
from desktop_app.api.envelope import unwrap
from desktop_app.api.failures import outcome_for_exception
from desktop_app.api.messages import one_line
from desktop_app.api.outcomes import NotSent, Outcome, OutcomeUnknown, Rejected, Unexpected
from desktop_app.core.dto import FormExternalResponse, ReferenceAttachment, Ticket
from desktop_app.core.profile import ProfileError, TenantProfile

USER_AGENT = f"DeskForms/{__version__}"
SUBMIT_PATH = "tickets/external_dynamic_form"
FORM_PATH = "forms/external"
DYNAMIC_FORM_PATH = "forms/external_dynamic"
# Used only where a caller sends without a profile's timeouts (each request passes its own).
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
MAX_IDEMPOTENCY_KEY = 255
LOOPBACK_ORIGINS = ("all://127.0.0.1", "all://localhost", "all://[::1]")


class ApiError(Exception):
    """A failed load or upload: `user_message` for people, `outcome` for code."""

    def __init__(self, user_message: str, outcome: Outcome) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.outcome = outcome


class UploadNotConfigured(ApiError):
    """The profile has no attachment upload step, so files cannot reach DeskHero."""


def make_http_client(*, profiles: Iterable[TenantProfile] = (), **kwargs: Any) -> httpx.AsyncClient:
    """The app's shared AsyncClient: explicit timeouts, our User-Agent, no redirects.

    httpx verifies TLS per client, not per request, so each https profile with
    `verify_tls=False` gets a non-verifying transport mounted for its origin only. Rebuild the
    client when such a profile is added or changed. `kwargs` override the defaults.
    """
    headers = httpx.Headers({"User-Agent": USER_AGENT, "Accept": "application/json"})
    headers.update(kwargs.pop("headers", None) or {})
    # None = the default transport, without any proxy from the environment: the local sandbox
    # must stay reachable when HTTP(S)_PROXY is set.
    mounts: dict[str, httpx.AsyncBaseTransport | None] = dict.fromkeys(LOOPBACK_ORIGINS)
    for profile in profiles:
        url = httpx.URL(profile.base_url)
        if url.scheme == "https" and not profile.verify_tls:
            origin = f"https://{url.host}" + (f":{url.port}" if url.port else "")
            mounts[origin] = httpx.AsyncHTTPTransport(verify=False)
    mounts.update(kwargs.pop("mounts", None) or {})
    settings: dict[str, Any] = {
        "timeout": DEFAULT_TIMEOUT,
        "follow_redirects": False,
        "headers": headers,
        "mounts": mounts,
    }
    settings.update(kwargs)
    return httpx.AsyncClient(**settings)


def _failure_text(action: str, outcome: Outcome) -> str:
    """ApiError text: the outcome's account with advice that fits a load or upload, not a ticket."""
    if isinstance(outcome, OutcomeUnknown):
        advice = "try again"
    elif isinstance(outcome, Rejected):
        advice = "check the settings of the request"
    else:
        advice = outcome.advice
    summary = outcome.summary.rstrip(".")
    first_word = summary.split(" ", 1)[0]
    # "Not sent" reads on in lower case; "DeskHero" must keep its capitals.
    if first_word[1:] == first_word[1:].lower():
        summary = summary[:1].lower() + summary[1:]
    text = f"Could not {action}: {summary}"
    return f"{text}. {advice[:1].upper()}{advice[1:]}." if advice else f"{text}."


def _idempotency_problem(key: str) -> str | None:
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        return f"the idempotency key must have 1 to {MAX_IDEMPOTENCY_KEY} characters"
    if not all("!" <= ch <= "~" for ch in key):
        return "the idempotency key may hold only visible ASCII characters"
    return None


class DeskHeroClient:
    """One tenant's DeskHero API; never raises transport errors, never closes the shared client."""

    def __init__(self, http: httpx.AsyncClient, profile: TenantProfile) -> None:
        self._http = http
        self._profile = profile

    @property
    def profile(self) -> TenantProfile:
        """The tenant profile requests go to."""
        return self._profile

    def _timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self._profile.read_timeout, connect=self._profile.connect_timeout)

    def _profile_problem(self) -> NotSent | None:
        try:
            self._profile.check()
        except ProfileError as error:
            return NotSent(cause="profile", reason=str(error))
        return None

    async def _exchange(
        self, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | NotSent | OutcomeUnknown:
        timeout = self._timeout()
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as error:
            return NotSent(cause="profile", reason=f"the address {url} cannot be used ({error})")
        try:
            return await self._http.request(
                method, target, timeout=timeout, follow_redirects=False, **kwargs
            )
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            return outcome_for_exception(error, target, timeout)
        except OSError as error:
            # httpx wraps socket errors; this only guards against one slipping through unwrapped.
            return OutcomeUnknown(cause="transport", reason=f"the connection failed ({error})")

    def _submit_problem(
        self, tickets: Sequence[Ticket], form: str, idempotency_key: str | None
    ) -> NotSent | None:
        problem = self._profile_problem()
        if problem is not None:
            return problem
        if not tickets:
            return NotSent(cause="nothing_to_send", reason="there is no ticket to send")
        if not form.strip():
            return NotSent(cause="invalid_request", reason="no target form is set for this form")
        if idempotency_key is not None:
            key_problem = _idempotency_problem(idempotency_key)
            if key_problem:
                return NotSent(cause="invalid_request", reason=key_problem)
        for index, ticket in enumerate(tickets):
            files = ticket.sys_attachments or []
            if files and self._profile.upload is None:
                return NotSent(
                    cause="upload_not_configured",
                    reason=f"ticket {index + 1} has files, but the profile '{self._profile.name}' has no attachment upload step",
                )
            if any(attachment.id is None for attachment in files):
                return NotSent(
                    cause="attachment_not_uploaded",
                    reason=f"ticket {index + 1} has a file that was not uploaded to DeskHero",
                )
        return None

    async def submit(
        self, tickets: Sequence[Ticket], form: str, *, idempotency_key: str | None = None
    ) -> Outcome:
        """POST the tickets as one JSON array to tickets/external_dynamic_form?form=..."""
        problem = self._submit_problem(tickets, form, idempotency_key)
        if problem is not None:
            return problem
        try:
            content = json.dumps(
                [ticket.to_request() for ticket in tickets], ensure_ascii=False, allow_nan=False
            ).encode("utf-8")
        except (TypeError, ValueError) as error:
            return NotSent(
                cause="invalid_request",
                reason=f"a ticket holds a value that cannot be sent as JSON ({one_line(str(error), 120)})",
            )
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        answer = await self._exchange(
            "POST",
            self._profile.api_url(SUBMIT_PATH),
            params={"form": form},
            content=content,
            headers=headers,
        )
        if not isinstance(answer, httpx.Response):
            return answer
        return classify_submit(
            answer, sent_count=len(tickets), api_version=self._profile.api_version
        )

    async def get_external_form(self, key: str, lang: str | None = None) -> FormExternalResponse:
        """GET forms/external: a form stored in DeskHero, by its key."""
        params: list[tuple[str, str]] = [("key", key)]
        if lang:
            params.append(("lang", lang))
        return await self._load_form(FORM_PATH, params, f"load the form '{key}'")

    async def get_external_dynamic_form(
        self,
        fields: Sequence[str],
        color: str | None = None,
        language: str | None = None,
        group: str | None = None,
    ) -> FormExternalResponse:
        """GET forms/external_dynamic: a form DeskHero builds from the listed field keys."""
        params: list[tuple[str, str]] = [("fields", field) for field in fields]
        for name, value in (("color_primary", color), ("language", language), ("group", group)):
            if value:
                params.append((name, value))
        return await self._load_form(DYNAMIC_FORM_PATH, params, "load the dynamic form")

    async def _load_form(
        self, path: str, params: list[tuple[str, str]], action: str
    ) -> FormExternalResponse:
        payload = await self._json_payload(
            "GET", self._profile.api_url(path), action, params=params
        )
        try:
            return FormExternalResponse.model_validate(payload)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first.get("loc", ()))
            outcome = Unexpected(
                status=200,
                message=f"the form description could not be read ({where}: {first.get('msg')})",
            )
            raise ApiError(_failure_text(action, outcome), outcome) from None

    async def upload_attachment(
        self, data: bytes, filename: str, content_type: str
    ) -> ReferenceAttachment:
        """Upload one file through the profile's upload step; the result's `id` goes in a ticket."""
        action = f"upload '{filename}'"
        problem = self._profile_problem()
        if problem is not None:
            raise ApiError(_failure_text(action, problem), problem)
        url = self._profile.upload_url()
        if url is None:
            missing = NotSent(
                cause="upload_not_configured",
                reason=f"the profile '{self._profile.name}' has no attachment upload step",
            )
            raise UploadNotConfigured(_failure_text(action, missing), missing)
        payload = await self._json_payload(
            "POST", url, action, files={"file": (filename, data, content_type)}
        )
        try:
            attachment = ReferenceAttachment.model_validate(payload)
        except ValidationError:
            attachment = ReferenceAttachment()
        if attachment.id is None:
            outcome = Unexpected(status=200, message="the answer holds no attachment id")
            raise ApiError(_failure_text(action, outcome), outcome)
        return attachment

    async def _json_payload(
        self, method: str, url: str, action: str, **kwargs: Any
    ) -> Mapping[str, Any]:
        """The unwrapped JSON object of a 2xx answer; raises ApiError otherwise."""
        problem = self._profile_problem()
        if problem is not None:
            raise ApiError(_failure_text(action, problem), problem)
        answer = await self._exchange(method, url, **kwargs)
        if not isinstance(answer, httpx.Response):
            raise ApiError(_failure_text(action, answer), answer)
        status = answer.status_code
        if not 200 <= status < 300:
            outcome = classify_failure(answer, api_version=self._profile.api_version)
            raise ApiError(_failure_text(action, outcome), outcome)
        body = body_of(answer)
        envelope = unwrap(body.data) if body.is_json else None
        message: str | None = None
        if envelope is None:
            message = f"the server answered with {body.description}"
        elif envelope.failed:
            reasons = error_messages(body)
            message = reasons[0].text if reasons else "the server reported a failure"
        elif not isinstance(envelope.payload, Mapping):
            message = "the answer holds no object"
        if envelope is None or message is not None:
            outcome = Unexpected(status=status, message=message)
            raise ApiError(_failure_text(action, outcome), outcome)
        payload: Mapping[str, Any] = envelope.payload
        return payload
