"""`deskforms sandbox`: run the local DeskHero-compatible tenant until Ctrl+C."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.cli.paths import resolve_data_dir

FAULT_HELP = (
    "inject a fault into ticket requests, repeatable: a status code (503), or KIND[:k=v,...] "
    "with KIND status|drop|slow|html|garbage and keys status, retry_after, delay_ms, count "
    "(0 = every request), route (tickets|forms|attachments|any); e.g. 429:retry_after=5, "
    "slow:delay_ms=40000, drop:count=0"
)


def parse_fault(spec: str) -> dict[str, Any]:
    """Turn a --fault SPEC into the keyword arguments of sandbox `Fault`."""
    kind, _, rest = spec.partition(":")
    fault: dict[str, Any] = {}
    if kind.isdigit():
        fault = {"kind": "status", "status": int(kind)}
    elif kind in ("status", "drop", "slow", "html", "garbage"):
        fault = {"kind": kind}
    else:
        raise CliError(f"--fault {spec}: unknown fault '{kind}'; {FAULT_HELP}")
    for pair in filter(None, rest.split(",")):
        key, equals, value = pair.partition("=")
        if not equals or key not in ("status", "retry_after", "delay_ms", "count", "route"):
            raise CliError(f"--fault {spec}: cannot read '{pair}'; {FAULT_HELP}")
        if key == "route":
            fault[key] = value
            continue
        try:
            fault[key] = float(value) if key == "retry_after" else int(value)
        except ValueError:
            raise CliError(f"--fault {spec}: '{key}' needs a number, got '{value}'") from None
    return fault


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `sandbox`."""
    sandbox = subparsers.add_parser("sandbox", help="run the local sandbox tenant until Ctrl+C")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sandbox.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    sandbox.add_argument("--latency-ms", type=int, default=0, help="delay every answer")
    sandbox.add_argument("--fault", action="append", default=[], metavar="SPEC", help=FAULT_HELP)
    sandbox.set_defaults(handler=sandbox_command)


def sandbox_command(args: argparse.Namespace) -> int:
    """Serve the sandbox in the foreground."""
    from desktop_app.sandbox.faults import Fault
    from desktop_app.sandbox.server import run_standalone

    faults = [Fault(**parse_fault(spec)) for spec in args.fault]
    data_dir = resolve_data_dir(args.data_dir) / "sandbox"
    run_standalone(data_dir, args.host, args.port, args.latency_ms, faults)
    return EXIT_OK
