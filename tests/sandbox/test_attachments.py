"""The sandbox's upload route, downloads, and attachments referenced by tickets."""

from __future__ import annotations

import httpx

from desktop_app.core.dto import ReferenceAttachment
from desktop_app.core.enums import AttachmentStatus
from desktop_app.sandbox import SandboxServer
from tests.sandbox.payloads import TICKETS_PATH, it_support

UPLOAD_PATH = "attachments/external"


def upload(
    client: httpx.Client, sandbox: SandboxServer, name: str, content: bytes, mime: str = "image/png"
) -> httpx.Response:
    return client.post(sandbox.api_url(UPLOAD_PATH), files={"file": (name, content, mime)})


def test_upload_answers_a_reference_and_the_file_downloads_unchanged(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    content = bytes(range(256)) * 9  # 2304 bytes, with CR/LF and NUL bytes inside

    response = upload(client, sandbox, "screen shot.png", content)

    assert response.status_code == 200, response.text
    reference = ReferenceAttachment.model_validate(response.json()["data"])
    assert reference.id == 1
    assert reference.size_kb == 3
    assert reference.status is AttachmentStatus.OK
    assert reference.label == "screen shot.png"
    assert reference.download_url is not None
    downloaded = client.get(reference.download_url)
    assert downloaded.status_code == 200
    assert downloaded.content == content
    assert downloaded.headers["content-type"] == "image/png"
    assert (sandbox.data_dir / "attachments" / "1.bin").read_bytes() == content


def test_ticket_referencing_an_upload_gets_it_expanded(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    first = upload(client, sandbox, "a.txt", b"hello", "text/plain").json()["data"]["id"]
    second = upload(client, sandbox, "b.log", b"x" * 3000, "text/plain").json()["data"]["id"]

    response = client.post(
        sandbox.api_url(TICKETS_PATH),
        params={"form": "it-support"},
        json=[it_support(sys_attachments=[{"id": first}, {"id": second}])],
    )

    assert response.status_code == 200, response.text
    attachments = response.json()["data"][0]["sys_attachments"]
    assert [(a["id"], a["label"], a["size_kb"], a["status"]) for a in attachments] == [
        (first, "a.txt", 1, 2),
        (second, "b.log", 3, 2),
    ]
    assert client.get(attachments[1]["download_url"]).content == b"x" * 3000


def test_upload_over_25_mb_is_413_and_not_stored(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    response = upload(
        client, sandbox, "big.bin", b"\0" * (25 * 1024 * 1024 + 1), "application/octet-stream"
    )

    assert response.status_code == 413
    assert not list((sandbox.data_dir / "attachments").iterdir())


def test_upload_of_exactly_25_mb_is_accepted(client: httpx.Client, sandbox: SandboxServer) -> None:
    response = upload(
        client, sandbox, "max.bin", b"\0" * (25 * 1024 * 1024), "application/octet-stream"
    )
    assert response.status_code == 200
    assert response.json()["data"]["size_kb"] == 25 * 1024


def test_upload_needs_a_file_part_in_multipart(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    url = sandbox.api_url(UPLOAD_PATH)

    wrong_part = client.post(url, files={"document": ("a.txt", b"x", "text/plain")})
    not_multipart = client.post(
        url, content=b"x", headers={"content-type": "application/octet-stream"}
    )

    assert wrong_part.status_code == 400 and "file" in wrong_part.json()["errors"]
    assert not_multipart.status_code == 415


def test_unknown_attachment_download_is_404(client: httpx.Client, sandbox: SandboxServer) -> None:
    assert client.get(sandbox.api_url("attachments/77/download")).status_code == 404
