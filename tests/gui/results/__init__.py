"""Tests of the Outbox & results view, its table model and its actions."""
