"""Outbox & results: the table of every submission, its details and the actions on it."""
