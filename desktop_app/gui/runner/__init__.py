"""Filling a form: one widget per field type, pages, live conditions, autosave, review and Send."""
