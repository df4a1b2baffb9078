"""The delivery engine: queue, retries and crash recovery (built by the outbox issue)."""
