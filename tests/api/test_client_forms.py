"""Loading public forms and uploading attachments, against the sandbox over loopback."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.api.client import ApiError, DeskHeroClient, UploadNotConfigured
from desktop_app.api.outcomes import Accepted, Forbidden, NotSent, Rejected, Unexpected
from desktop_app.core.enums import AttachmentStatus
from desktop_app.sandbox import Fault, SandboxServer
from tests.api.conftest import FORM, RequestLog, ticket


async def test_external_form(client: DeskHeroClient, request_log: RequestLog) -> None:
    form = await client.get_external_form("it-support", lang="en")
    keys = [field.unique_key for field in form.fields]
    assert {"subject", "category", "serial", "urgency"} <= set(keys)
    category = form.fields[keys.index("category")]
    assert category.multi_option is not None
    assert [o.id for o in category.multi_option.options] == [101, 102, 103, 104, 105]
    assert request_log.requests[0].url.params["lang"] == "en"


async def test_unknown_external_form_raises_a_typed_error(client: DeskHeroClient) -> None:
    with pytest.raises(ApiError) as caught:
        await client.get_external_form("retired-form")
    assert isinstance(caught.value.outcome, Forbidden)
    assert caught.value.user_message.startswith(
        "Could not load the form 'retired-form': DeskHero refused the request (403 Forbidden)"
    )


async def test_external_dynamic_form_sends_repeated_fields(
    client: DeskHeroClient, request_log: RequestLog
) -> None:
    form = await client.get_external_dynamic_form(
        ["category", "serial"], color="#FF0000", language="de"
    )
    assert [field.unique_key for field in form.fields] == ["category", "serial"]
    assert form.color_primary == "#FF0000"
    assert form.language == "de"
    params = request_log.requests[0].url.params
    assert params.get_list("fields") == ["category", "serial"]


async def test_external_dynamic_form_with_an_unknown_field(client: DeskHeroClient) -> None:
    with pytest.raises(ApiError) as caught:
        await client.get_external_dynamic_form(["category", "no_such_field"])
    outcome = caught.value.outcome
    assert isinstance(outcome, Rejected)
    assert [(m.field, m.text) for m in outcome.messages] == [
        ("fields", "There is no field 'no_such_field'.")
    ]


async def test_form_answered_with_html_is_an_unexpected_answer(
    client: DeskHeroClient, sandbox: SandboxServer
) -> None:
    sandbox.state.faults.add(Fault(kind="html", route="forms"))
    with pytest.raises(ApiError) as caught:
        await client.get_external_form("it-support")
    assert isinstance(caught.value.outcome, Unexpected)
    assert "HTML page instead of JSON" in caught.value.user_message


async def test_form_load_timeout_is_an_api_error(client_for: Any, sandbox: SandboxServer) -> None:
    sandbox.state.faults.add(Fault(kind="slow", delay_ms=2000, route="forms"))
    with pytest.raises(ApiError) as caught:
        await client_for(read_timeout=0.3).get_external_form("it-support")
    assert caught.value.user_message.endswith("Try again.")


async def test_upload_then_ticket_referencing_it(
    client: DeskHeroClient, sandbox: SandboxServer
) -> None:
    attachment = await client.upload_attachment(b"paper stuck\n" * 200, "log.txt", "text/plain")
    assert attachment.id is not None
    assert attachment.status == AttachmentStatus.OK
    outcome = await client.submit([ticket(sys_attachments=[{"id": attachment.id}])], FORM)
    assert isinstance(outcome, Accepted)
    [sent] = outcome.tickets
    assert sent.sys_attachments is not None
    assert sent.sys_attachments[0].id == attachment.id
    assert sent.sys_attachments[0].download_url == attachment.download_url
    assert sandbox.state.tickets[0]["sys_attachments"][0]["id"] == attachment.id


async def test_ticket_referencing_an_unknown_attachment_is_rejected(
    client: DeskHeroClient,
) -> None:
    outcome = await client.submit([ticket(sys_attachments=[{"id": 999}])], FORM)
    assert isinstance(outcome, Rejected)
    assert outcome.messages[0].ticket_index == 0
    assert outcome.messages[0].field is not None
    assert outcome.messages[0].field.startswith("sys_attachments")


async def test_upload_without_an_upload_step(client_for: Any, request_log: RequestLog) -> None:
    with pytest.raises(UploadNotConfigured) as caught:
        await client_for(upload=None).upload_attachment(b"x", "a.txt", "text/plain")
    assert isinstance(caught.value.outcome, NotSent)
    assert caught.value.user_message == (
        "Could not upload 'a.txt': not sent: the profile 'Sandbox' has no attachment upload step. "
        "Set an attachment upload step in the profile, or remove the files."
    )
    assert request_log.requests == []


async def test_upload_with_an_invalid_profile_sends_nothing(
    client_for: Any, request_log: RequestLog
) -> None:
    with pytest.raises(ApiError) as caught:
        await client_for(unchecked=True, tenant="d").upload_attachment(b"x", "a.txt", "text/plain")
    assert isinstance(caught.value.outcome, NotSent)
    assert caught.value.outcome.cause == "profile"
    assert request_log.requests == []
