"""A small multipart/form-data parser (Starlette's needs python-multipart, not a dependency here)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass(frozen=True)
class Part:
    """One part of a multipart body."""

    name: str
    filename: str | None
    content_type: str
    content: bytes


def _header_params(value: str, header: str = "content-disposition") -> Message:
    message = Message()
    message[header] = value
    return message


def boundary_of(content_type: str) -> str | None:
    """The boundary of a multipart/form-data Content-Type, or None for another type."""
    message = _header_params(content_type, "content-type")
    if message.get_content_type() != "multipart/form-data":
        return None
    boundary = message.get_param("boundary", header="content-type")
    return boundary if isinstance(boundary, str) and boundary else None


def parse(body: bytes, boundary: str) -> list[Part]:
    """The parts of a multipart body, in order."""
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    # The first delimiter may start the body without a preceding CRLF.
    chunks = (b"\r\n" + body).split(delimiter)
    if len(chunks) < 3 and not (len(chunks) == 2 and chunks[1].startswith(b"--")):
        raise MultipartError("no multipart boundary found")
    parts: list[Part] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            return parts  # the closing delimiter; the rest is the epilogue
        head, separator, content = chunk.partition(b"\r\n\r\n")
        if not separator:
            raise MultipartError("a part has no header end")
        parts.append(_part(head.decode("utf-8", errors="replace"), content))
    raise MultipartError("the closing boundary is missing")


def _part(head: str, content: bytes) -> Part:
    headers: dict[str, str] = {}
    for line in head.split("\r\n"):
        header, colon, value = line.partition(":")
        if colon:
            headers[header.strip().lower()] = value.strip()
    disposition = _header_params(headers.get("content-disposition", ""))
    name = disposition.get_param("name", header="content-disposition")
    filename = disposition.get_filename()
    if filename is not None:
        # Browsers and httpx percent-encode these three characters inside the quoted name.
        filename = filename.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
    if not isinstance(name, str):
        raise MultipartError("a part has no name")
    return Part(
        name=name,
        filename=filename,
        content_type=headers.get("content-type", "application/octet-stream"),
        content=content,
    )
