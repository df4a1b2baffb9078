"""What happened to a request: one typed, JSON-serializable outcome per DeskHero answer (or its absence)."""

from __future__ import annotations

import math
from http import HTTPStatus
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, computed_field

from desktop_app.api.messages import ServerMessage, one_line
from desktop_app.core.dto import Ticket

NotSentCause = Literal[
    "profile",  # the tenant profile is invalid; fix it first
    "nothing_to_send",
    "invalid_request",  # the request could not be built (bad form name, idempotency key, body)
    "upload_not_configured",  # files without an upload step in the profile
    "attachment_not_uploaded",  # an attachment without a DeskHero id
    "refused",  # connection refused
    "dns",
    "tls",
    "connect",  # any other failure to connect
    "connect_timeout",
    "pool_timeout",  # no free connection in time: the request never left
    "proxy",
]
# Causes that may clear up by themselves; the others need the user to change something.
TRANSIENT_NOT_SENT = frozenset(
    {"refused", "dns", "connect", "connect_timeout", "pool_timeout", "proxy"}
)

_NOT_SENT_ADVICE = {
    "profile": "fix the tenant profile",
    "tls": "check the address, or the server's certificate with its administrator",
    "upload_not_configured": "set an attachment upload step in the profile, or remove the files",
    "attachment_not_uploaded": "upload the file again before sending",
}

UnknownCause = Literal["read_timeout", "write_timeout", "dropped", "unreadable_body", "transport"]


def status_text(status: int) -> str:
    """'404 Not Found' for known statuses, '599' for the rest."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def seconds_text(seconds: float) -> str:
    """A wait, rounded up, in words: '1 second', '40 seconds', '3 minutes'."""
    whole = max(1, math.ceil(seconds))
    if whole < 90:
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = math.ceil(whole / 60)
    return f"{minutes} minutes"


def _with(message: str | None) -> str:
    # Server sentences end with a period; ours follow them, so theirs goes.
    text = one_line(message, 200).rstrip(".") if message else ""
    return f": {text}" if text else ""


class OutcomeBase(BaseModel):
    """Shared behaviour: a one-line `user_message` and the flags the outbox decides on."""

    model_config = ConfigDict(frozen=True)

    @property
    def summary(self) -> str:
        """What happened, in a clause without advice."""
        raise NotImplementedError

    @property
    def advice(self) -> str:
        """What the user should do next, or '' when nothing."""
        return ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def user_message(self) -> str:
        """One plain line for people: what happened and what to do."""
        summary, advice = self.summary.rstrip("."), self.advice
        if not advice:
            return f"{summary}."
        return f"{summary}. {advice[0].upper()}{advice[1:]}."

    @computed_field  # type: ignore[prop-decorator]
    @property
    def delivered(self) -> bool:
        """True only when DeskHero confirmed it took the request."""
        return False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retryable(self) -> bool:
        """True when sending the same request again later may succeed without changes."""
        return False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def may_have_arrived(self) -> bool:
        """True when DeskHero may have acted on the request: resend only with the same idempotency key or after checking."""
        return False


class Accepted(OutcomeBase):
    """200/201: DeskHero created the tickets; `tickets` are as it returned them."""

    kind: Literal["accepted"] = "accepted"
    status: int = 200
    tickets: list[Ticket] = Field(default_factory=list)
    sent_count: int = 0

    @property
    def matched(self) -> list[Ticket | None]:
        """The returned ticket for each sent index; matched by position only when counts agree."""
        if len(self.tickets) == self.sent_count:
            return list(self.tickets)
        return [None] * self.sent_count

    @property
    def ticket_ids(self) -> list[int]:
        """Server-assigned ids of the returned tickets, in order."""
        return [ticket.id for ticket in self.tickets if ticket.id is not None]

    @property
    def summary(self) -> str:
        ids = self.ticket_ids
        numbers = ", ".join(f"#{ticket_id}" for ticket_id in ids[:5]) + (
            ", …" if len(ids) > 5 else ""
        )
        if not ids:
            return "DeskHero accepted the request but sent back no ticket numbers"
        if len(ids) == 1:
            return f"DeskHero created ticket {numbers}"
        return f"DeskHero created {len(ids)} tickets ({numbers})"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def delivered(self) -> bool:
        return True

    @computed_field  # type: ignore[prop-decorator]
    @property
    def may_have_arrived(self) -> bool:
        return True


class Rejected(OutcomeBase):
    """400/422 (or a wrapper saying success false): DeskHero refused the input; nothing was created."""

    kind: Literal["rejected"] = "rejected"
    status: int = 400
    messages: list[ServerMessage] = Field(default_factory=list)

    @property
    def summary(self) -> str:
        if not self.messages:
            return f"DeskHero rejected the request ({status_text(self.status)}) without saying why"
        first = self.messages[0].located().rstrip(".")
        more = len(self.messages) - 1
        extra = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        return f"DeskHero rejected the ticket: {one_line(first, 200)}{extra}"

    @property
    def advice(self) -> str:
        return "correct the answers and send again"


class Forbidden(OutcomeBase):
    """403: the form is unknown, disabled or not allowed to create tickets."""

    kind: Literal["forbidden"] = "forbidden"
    status: int = 403
    message: str | None = None

    @property
    def summary(self) -> str:
        return f"DeskHero refused the request (403 Forbidden){_with(self.message)}"

    @property
    def advice(self) -> str:
        return "check that the form exists in DeskHero and is enabled for external tickets"


class NotFound(OutcomeBase):
    """404: no such route; usually a wrong base URL or tenant."""

    kind: Literal["not_found"] = "not_found"
    status: int = 404
    message: str | None = None

    @property
    def summary(self) -> str:
        return f"DeskHero answered 404 Not Found{_with(self.message)}"

    @property
    def advice(self) -> str:
        return "check the base URL and tenant in the profile"


class UnsupportedVersion(OutcomeBase):
    """400 UnsupportedApiVersion: the profile's API version is not served."""

    kind: Literal["unsupported_version"] = "unsupported_version"
    status: int = 400
    api_version: str | None = None
    message: str | None = None

    @property
    def summary(self) -> str:
        version = f" {self.api_version}" if self.api_version else ""
        return f"DeskHero does not support API version{version}{_with(self.message)}"

    @property
    def advice(self) -> str:
        return "change the API version in the profile"


class RateLimited(OutcomeBase):
    """429/503: DeskHero asks to come back later; the request was not processed."""

    kind: Literal["rate_limited"] = "rate_limited"
    status: Literal[429, 503] = 429
    retry_after: float | None = None

    @property
    def summary(self) -> str:
        return f"DeskHero is busy ({status_text(self.status)})"

    @property
    def advice(self) -> str:
        if self.retry_after is not None:
            return f"try again in {seconds_text(self.retry_after)}"
        return "try again in a few minutes"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retryable(self) -> bool:
        return True


class ServerError(OutcomeBase):
    """5xx other than 503: DeskHero or a gateway in front of it failed."""

    kind: Literal["server_error"] = "server_error"
    status: int = 500
    message: str | None = None

    @property
    def summary(self) -> str:
        return f"DeskHero failed ({status_text(self.status)}){_with(self.message)}"

    @property
    def advice(self) -> str:
        if self.may_have_arrived:
            return "the ticket may have arrived; check DeskHero before sending it again"
        return "try again later; if it keeps failing, tell the DeskHero administrator"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retryable(self) -> bool:
        return True

    @computed_field  # type: ignore[prop-decorator]
    @property
    def may_have_arrived(self) -> bool:
        # A gateway that timed out or lost its upstream cannot say whether DeskHero acted.
        return self.status in (502, 504)


class Unexpected(OutcomeBase):
    """An answer this client does not expect (a redirect, 401, 405, 413, an unreadable form...)."""

    kind: Literal["unexpected"] = "unexpected"
    status: int
    message: str | None = None

    @property
    def summary(self) -> str:
        return (
            f"DeskHero gave an unexpected answer ({status_text(self.status)}){_with(self.message)}"
        )

    @property
    def advice(self) -> str:
        if self.retryable:
            return "try again later"
        return "check the base URL and tenant in the profile; if they are right, tell the DeskHero administrator"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retryable(self) -> bool:
        # 408 Request Timeout, 409 Conflict (same idempotency key still in flight), 425 Too Early.
        return self.status in (408, 409, 425)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def may_have_arrived(self) -> bool:
        return self.status == 409


class NotSent(OutcomeBase):
    """The request never reached DeskHero: nothing was created, sending again is safe."""

    kind: Literal["not_sent"] = "not_sent"
    cause: NotSentCause
    reason: str

    @property
    def summary(self) -> str:
        return f"Not sent: {self.reason}"

    @property
    def advice(self) -> str:
        if self.retryable:
            return "nothing reached DeskHero; check the network and the base URL, then try again"
        return _NOT_SENT_ADVICE.get(self.cause, "")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retryable(self) -> bool:
        return self.cause in TRANSIENT_NOT_SENT


class OutcomeUnknown(OutcomeBase):
    """The request was sent but no readable answer came back: the ticket may exist."""

    kind: Literal["outcome_unknown"] = "outcome_unknown"
    cause: UnknownCause
    reason: str
    status: int | None = None

    @property
    def summary(self) -> str:
        return f"No clear answer from DeskHero: {self.reason}"

    @property
    def advice(self) -> str:
        return "the ticket may have arrived; check DeskHero before sending it again"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retryable(self) -> bool:
        return True

    @computed_field  # type: ignore[prop-decorator]
    @property
    def may_have_arrived(self) -> bool:
        return True


Outcome = Annotated[
    Accepted
    | Rejected
    | Forbidden
    | NotFound
    | UnsupportedVersion
    | RateLimited
    | ServerError
    | Unexpected
    | NotSent
    | OutcomeUnknown,
    Field(discriminator="kind"),
]
OUTCOME_ADAPTER: TypeAdapter[Outcome] = TypeAdapter(Outcome)


def outcome_to_json(outcome: Outcome) -> str:
    """JSON for the outbox and the CLI, including `user_message` and the flags."""
    return OUTCOME_ADAPTER.dump_json(outcome).decode()


def outcome_from_json(text: str | bytes) -> Outcome:
    """The outcome `outcome_to_json` wrote (the derived members are recomputed, not read)."""
    return OUTCOME_ADAPTER.validate_json(text)
