"""The PySide6 desktop layer (built by the workspace issue)."""
