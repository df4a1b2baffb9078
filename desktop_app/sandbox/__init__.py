"""A local DeskHero-compatible tenant (Starlette on uvicorn) for demos, tests and benchmarks.

Behaviours the real DeskHero leaves undocumented, as this sandbox chooses them:

- Tenant `demo`, API version `1` (`1.0` too). Routes: `/api/{tenant}/v{version}/...`.
  A one-character tenant matches no route: bare 404. Another version: 400 problem with
  `code` and `error.code` "UnsupportedApiVersion" ("InvalidApiVersion" when not a version).
  Another tenant: 404 problem.
- Success bodies use the wrapper `{"success": true, "message": null, "data": ...}`.
  Errors are RFC 9457 problem documents (`application/problem+json`) with `traceId`;
  validation errors are 400 with title "One or more validation errors occurred." and
  `errors` keyed `[i].<property>` (`[0].requester.email`, `[1].platforms[0]`), or `$` for the
  body as a whole. A request's tickets are all created or none is.
- Unknown, missing or disabled form (`retired-form`): 403 problem. A non-JSON Content-Type
  on the tickets route: 415. Read-only properties sent in a ticket (`id`, `created`,
  `sys_status`, ...) are ignored and overwritten.
- Created tickets: the sent ticket plus `id` (from 1001), `created`/`last_updated` (UTC, `Z`),
  `created_by` null, `sys_status` {"id": 1, "label": "New"}, labels on `{"id": n}` choices and
  tags, `sys_content_rich.plain_preview` (<= 200 chars) and `read_minutes` (ceil(words/200)),
  and attachments expanded to DTO_reference_attachment (status 2 OK, `download_url`).
- `Idempotency-Key` on the tickets route: a successful answer is stored with the tickets
  (persisted); the same key with the same route, form and JSON body replays it (same ids,
  header `Idempotent-Replayed: true`) without creating tickets. The same key with a different
  request: 422. Failed requests are not recorded, so a retry runs again.
- Uploads: `POST attachments/external`, multipart part `file`, at most 25 MB (413 above).
- Faults (`faults.Fault`) affect the next `count` requests of a route (0: until cleared;
  `/_sandbox/` routes never). `status` (default 503, `Retry-After` rounded up to whole
  seconds when `retry_after` is set) and `html` (a proxy's 502 page, status 200 by default)
  answer in place of the tenant: nothing is processed. `slow`, `drop` and `garbage` process the
  request first (tickets ARE created) and then delay, cut off (headers and half the body, then
  the connection closes) or truncate the answer: outcome unknown to the client, as in real life.
  Every kind waits `delay_ms` before answering.
- Control routes (not DeskHero's): `GET /_sandbox` (summary), `GET|DELETE /_sandbox/tickets`
  (DELETE forgets tickets and idempotency records; ids keep counting), `GET /_sandbox/requests`
  (the ticket requests answered with success since start, in memory: Idempotency-Key,
  whether it was a replay, the ticket ids; `.requests` in Python), `GET|POST|DELETE
  /_sandbox/faults`, `GET|PUT /_sandbox/latency {"ms": N}` (added before every /api/ answer).
  In Python: `server.state.faults.add(Fault(...))`, `.tickets`, `.latency_ms`, `.reset()`
  (a fresh tenant: ids restart at 1001, files and records gone).
- State lives in `<data_dir>/sandbox.json` (a snapshot, replaced atomically), the journal
  `<data_dir>/sandbox.journal.jsonl` (one fsynced line per change since the snapshot; folded
  into the snapshot at start and stop) and `<data_dir>/attachments/`; a restart continues
  ticket ids and replays idempotency keys. An unreadable snapshot is moved aside (with its
  journal) and the tenant starts afresh; a half-written last journal line is dropped.
"""

from desktop_app.sandbox.app import create_app
from desktop_app.sandbox.faults import Fault, FaultPlan
from desktop_app.sandbox.server import SandboxServer, run_standalone
from desktop_app.sandbox.state import SandboxState

__all__ = ["Fault", "FaultPlan", "SandboxServer", "SandboxState", "create_app", "run_standalone"]
