"""The built-in Sandbox profile's fixed names, shared by the CLI and the GUI (imports nothing)."""

from __future__ import annotations

SANDBOX_PROFILE = "sandbox"
SANDBOX_TENANT = "demo"
