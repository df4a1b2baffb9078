"""DeskHero enums that parse values this client does not know yet."""

from __future__ import annotations

import enum
from typing import Any


class TolerantIntEnum(enum.IntEnum):
    """An IntEnum where an unknown integer becomes a pseudo-member instead of an error.

    DeskHero adds enum values without notice; a ticket must still parse when one arrives.
    """

    @classmethod
    def _missing_(cls, value: Any) -> TolerantIntEnum | None:
        if isinstance(value, int) and not isinstance(value, bool):
            pseudo = int.__new__(cls, value)
            pseudo._name_ = f"UNRECOGNIZED_{value}"
            pseudo._value_ = value
            return pseudo
        return None

    @property
    def is_known(self) -> bool:
        """True when the value is one DeskHero documents."""
        return self._name_ in type(self).__members__


class TicketConversationType(TolerantIntEnum):
    """Kind of a ticket conversation entry."""

    UNKNOWN = 0
    REPLY_INBOUND = 1
    NOTE_PRIVATE = 2
    NOTE_PUBLIC = 3
    FORWARD = 4
    REPLY_OUTBOUND = 5
    SUGGESTED_REPLY = 6


class AttachmentStatus(TolerantIntEnum):
    """Processing state of an uploaded attachment."""

    UNKNOWN = 0
    UNAVAILABLE = 1  # processing in progress
    OK = 2
    WARNING = 3
    ERROR = 4


class SuggestedReplyStatus(TolerantIntEnum):
    """State of an AI-suggested reply."""

    UNKNOWN = 0
    IN_PROGRESS = 1
    DONE = 2
    ERROR_NO_KNOWLEDGE = 3
    ERROR_UNKNOWN = 4
