"""A local DeskHero-compatible tenant (Starlette on uvicorn) for demos, tests and benchmarks."""
