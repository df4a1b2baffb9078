"""`deskforms demo`: the sandbox plus one sample ticket, for a first look without a window."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from desktop_app.cli.app import App
from desktop_app.cli.errors import EXIT_OK, CliError
from desktop_app.cli.forms_cmd import read_form
from desktop_app.cli.paths import SAMPLE_ANSWERS_DIR, SAMPLE_FORMS_DIR
from desktop_app.cli.profiles import ensure_profile, sandbox_profile
from desktop_app.cli.report import print_results, result_of
from desktop_app.cli.submit_cmd import prepare_answers, queue_prepared
from desktop_app.core.builtin import SANDBOX_PROFILE

SAMPLE = "it-support.json"
DEMO_WAIT = 60.0


def demo_command(data_dir: Path) -> int:
    """Start the sandbox, send the sample it-support ticket, keep serving until Ctrl+C."""
    form_path = SAMPLE_FORMS_DIR / SAMPLE
    answers_path = SAMPLE_ANSWERS_DIR / SAMPLE
    if not form_path.is_file() or not answers_path.is_file():
        raise CliError(
            f"the sample files are missing ({form_path}); reinstall from the project folder"
        )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_demo(data_dir, form_path, answers_path))
    return EXIT_OK


async def _demo(data_dir: Path, form_path: Path, answers_path: Path) -> None:
    form = read_form(form_path)
    app = App(data_dir)
    with app:
        async with app.sandbox() as base_url:
            print(f"DeskForms sandbox tenant 'demo' is running at {base_url}")
            print(f"Sending {answers_path.name} with the form '{form.title}' …")
            profile = ensure_profile(app.store, sandbox_profile())
            prepared = [prepare_answers(form, answers_path, profile)]
            ids = queue_prepared(app, form, profile, prepared)
            async with app.engine([SANDBOX_PROFILE], run_sandbox=False) as engine:
                await engine.wait_until_settled(ids, timeout=DEMO_WAIT)
            results = [result_of(app.store.submission(i), {}, str(answers_path)) for i in ids]
            print_results(results or [r for r, _ in prepared], as_json=False)
            # The folder is free again for other commands; only the sandbox keeps running.
            app.close()
            print(
                "Try: deskforms submit forms/it-support.json --answers "
                f"forms/examples/it-support.json --base-url {base_url} --tenant demo"
            )
            print("The sandbox keeps running; press Ctrl+C to stop.", flush=True)
            await asyncio.Event().wait()
