"""TenantProfile: validation messages, loopback rules, URLs built from a profile."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from desktop_app.core.profile import ProfileError, TenantProfile, is_loopback_host

BASE = {"name": "Demo", "base_url": "https://help.example.com", "tenant": "demo"}


def profile(**changes: object) -> TenantProfile:
    return TenantProfile.model_validate({**BASE, **changes})


def test_defaults() -> None:
    made = profile()
    assert (made.api_version, made.verify_tls, made.allow_insecure_http, made.upload) == (
        "1",
        True,
        False,
        None,
    )
    assert (made.connect_timeout, made.read_timeout) == (5.0, 30.0)


def test_base_url_without_scheme_says_add_https() -> None:
    with pytest.raises(ProfileError, match=r"add https:// \(https://example.com\)"):
        TenantProfile.parse({**BASE, "base_url": "example.com"})


def test_pydantic_error_carries_the_same_readable_sentence() -> None:
    with pytest.raises(ValidationError) as caught:
        profile(base_url="example.com")
    text = str(caught.value)
    assert "base_url 'example.com' has no scheme: add https://" in text
    assert "Value error" not in text


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.com", "must start with https:// or http://"),
        ("https://", "has no host name"),
        ("https://example.com:99999", "invalid port"),
        ("https://user:pw@example.com", "user name or password"),
        ("https://example.com/?x=1", "?query or #fragment"),
        ("", "base_url is empty"),
    ],
)
def test_bad_base_urls(url: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as caught:
        TenantProfile.parse({**BASE, "base_url": url})
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_one_character_tenant_matches_no_route() -> None:
    with pytest.raises(ProfileError, match="1-character tenant matches no DeskHero route"):
        TenantProfile.parse({**BASE, "tenant": "x"})


@pytest.mark.parametrize("tenant", ["de/mo", "de mo"])
def test_tenant_cannot_hold_path_separators_or_spaces(tenant: str) -> None:
    with pytest.raises(ProfileError, match="must not contain '/' or spaces"):
        TenantProfile.parse({**BASE, "tenant": tenant})


def test_plain_http_to_another_machine_is_refused() -> None:
    with pytest.raises(
        ProfileError,
        match="these forms carry personal data; use https or allow insecure http explicitly",
    ):
        TenantProfile.parse({**BASE, "base_url": "http://help.example.com"})
    allowed = profile(base_url="http://help.example.com", allow_insecure_http=True)
    assert allowed.base_url == "http://help.example.com"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://127.5.6.7", "http://localhost:1", "http://[::1]:80"]
)
def test_plain_http_to_loopback_is_fine(url: str) -> None:
    assert profile(base_url=url).base_url == url


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("[::1]", True),
        ("128.0.0.1", False),
        ("10.0.0.1", False),
        ("localhost.example.com", False),
        ("::2", False),
    ],
)
def test_is_loopback_host(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_api_url_quotes_tenant_and_version_and_tolerates_slashes() -> None:
    made = profile(base_url="https://help.example.com/desk/", tenant="dé%mo", api_version="v2.0")
    assert made.base_url == "https://help.example.com/desk"
    assert made.api_version == "2.0"
    assert (
        made.api_url("/tickets/external_dynamic_form")
        == "https://help.example.com/desk/api/d%C3%A9%25mo/v2.0/tickets/external_dynamic_form"
    )


def test_integer_api_version_is_accepted() -> None:
    assert profile(api_version=3).api_url("x") == "https://help.example.com/api/demo/v3/x"


def test_upload_step_relative_to_api_root_or_base_url() -> None:
    assert profile().upload_url() is None
    assert (
        profile(upload="attachments/external").upload_url()
        == "https://help.example.com/api/demo/v1/attachments/external"
    )
    assert (
        profile(upload="/files/{tenant}/v{api_version}/upload").upload_url()
        == "https://help.example.com/files/demo/v1/upload"
    )


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        ("https://x.com/up", "not a URL"),
        ("a/{who}", "unknown placeholder {who}"),
        ("a/{tenant", "unbalanced"),
        ("../up", "'..'"),
    ],
)
def test_bad_upload_steps(upload: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as caught:
        TenantProfile.parse({**BASE, "upload": upload})
    assert fragment in str(caught.value)


def test_timeouts_must_be_positive_and_errors_are_counted() -> None:
    with pytest.raises(ProfileError) as caught:
        TenantProfile.parse({**BASE, "read_timeout": 0, "connect_timeout": -1})
    assert "greater than 0" in str(caught.value)
    assert "(and 1 more problem)" in str(caught.value)


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(ProfileError, match="batch_size"):
        TenantProfile.parse({**BASE, "batch_size": 10})


def test_check_catches_profiles_built_without_validation() -> None:
    unchecked = TenantProfile.model_construct(**{**BASE, "tenant": "d"})
    with pytest.raises(ProfileError, match="too short"):
        unchecked.check()
    profile().check()
