"""Errors the command line reports as one line, with the exit code they stand for."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_REJECTED = 2
EXIT_NOT_DELIVERED = 3


class CliError(Exception):
    """A problem the user can fix; printed as `deskforms: <message>` with `exit_code`."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
