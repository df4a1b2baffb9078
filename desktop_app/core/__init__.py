"""Pure Python domain: ticket DTOs, the form format, validation, conditions and mapping (no Qt, no I/O)."""
