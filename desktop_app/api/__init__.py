"""The DeskHero HTTP client (httpx): tenant profiles, typed outcomes, envelope parsing."""

from desktop_app.api.client import (
    USER_AGENT,
    ApiError,
    DeskHeroClient,
    UploadNotConfigured,
    make_http_client,
)
from desktop_app.api.envelope import Envelope, unwrap
from desktop_app.api.messages import ServerMessage, parse_error_path
from desktop_app.api.outcomes import (
    Accepted,
    Forbidden,
    NotFound,
    NotSent,
    Outcome,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    ServerError,
    Unexpected,
    UnsupportedVersion,
    outcome_from_json,
    outcome_to_json,
)
from desktop_app.api.problem import Problem, parse_problem
from desktop_app.api.retry_after import parse_retry_after
from desktop_app.core.profile import ProfileError, TenantProfile

__all__ = [
    "USER_AGENT",
    "Accepted",
    "ApiError",
    "DeskHeroClient",
    "Envelope",
    "Forbidden",
    "NotFound",
    "NotSent",
    "Outcome",
    "OutcomeUnknown",
    "Problem",
    "ProfileError",
    "RateLimited",
    "Rejected",
    "ServerError",
    "ServerMessage",
    "TenantProfile",
    "Unexpected",
    "UnsupportedVersion",
    "UploadNotConfigured",
    "make_http_client",
    "outcome_from_json",
    "outcome_to_json",
    "parse_error_path",
    "parse_problem",
    "parse_retry_after",
    "unwrap",
]
