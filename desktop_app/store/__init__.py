"""SQLite persistence for drafts, outbox, attachments and profiles (built by the outbox issue)."""
