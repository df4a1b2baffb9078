"""`deskforms` with no arguments, until the desktop window lands: sandbox plus one sample ticket."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.cli.forms_cmd import read_form
from desktop_app.cli.paths import SAMPLE_ANSWERS_DIR, SAMPLE_FORMS_DIR
from desktop_app.cli.profiles import sandbox_profile
from desktop_app.cli.submit_cmd import _prepare, _print, _send_all

SAMPLE = "it-support.json"


def demo_command(data_dir: Path) -> int:
    """Start the sandbox, send the sample it-support ticket, keep serving until Ctrl+C."""
    form_path = SAMPLE_FORMS_DIR / SAMPLE
    answers_path = SAMPLE_ANSWERS_DIR / SAMPLE
    if not form_path.is_file() or not answers_path.is_file():
        raise CliError(
            f"the sample files are missing ({form_path}); reinstall from the project folder"
        )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_demo(form_path, answers_path, data_dir / "sandbox"))
    return EXIT_OK


async def _demo(form_path: Path, answers_path: Path, sandbox_dir: Path) -> None:
    from desktop_app.sandbox.server import SandboxServer

    form = read_form(form_path)
    async with SandboxServer(sandbox_dir).running() as server:
        profile = sandbox_profile().model_copy(update={"base_url": server.base_url})
        print(f"DeskForms sandbox tenant 'demo' is running at {server.base_url}")
        print(f"Sending {answers_path.name} with the form '{form.title}' …")
        prepared = [(answers_path, _prepare(form, answers_path, profile))]
        _print(await _send_all(form, prepared, profile), as_json=False)
        print(
            "Try: deskforms submit forms/it-support.json --answers forms/examples/it-support.json "
            f"--base-url {server.base_url} --tenant demo"
        )
        print("The sandbox keeps running; press Ctrl+C to stop.", flush=True)
        await asyncio.Event().wait()
