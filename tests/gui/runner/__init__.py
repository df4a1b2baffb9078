"""Tests of the form runner: field widgets, pages, conditions, validation, autosave, Send."""
