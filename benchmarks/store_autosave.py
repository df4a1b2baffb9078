"""Draft autosave time for a 300-field form (target: under 5 ms per save, durability included).

Run: .venv/bin/python benchmarks/store_autosave.py [--saves N] [--fields N]

Each save is what a keystroke debounce does: one changed answer, one committed transaction
(WAL, synchronous=FULL). Three cases: typing in an ordinary field, typing in the field the
summary (subject) comes from, and the first save of a form object (which serializes it).
As a reference in the same run it times one bare committed UPDATE of the same answers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.store import Store, transaction
from desktop_app.store.snapshots import take_snapshot
from tests.store.conftest import big_form  # the form the store's tests use: one builder

__all__ = ["big_form", "timed"]


def timed(runs: int, action: Callable[[int], object]) -> list[float]:
    times = []
    for number in range(runs):
        start = time.perf_counter()
        action(number)
        times.append((time.perf_counter() - start) * 1000)
    return times


def show(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{label:<44} mean {statistics.mean(times):6.2f} ms   median {statistics.median(times):6.2f} ms"
        f"   p95 {p95:6.2f} ms   (n={len(times)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--fields", type=int, default=300)
    options = parser.parse_args()
    form, answers = big_form(options.fields)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder)) as store:
        draft_id = store.save_draft(form, answers)

        def type_in(key: str) -> Callable[[int], object]:
            def save(number: int) -> object:
                answers[key] = f"typed {number}"
                return store.save_draft(form, answers, draft_id=draft_id)

            return save

        ordinary = timed(options.saves, type_in("f8"))
        subject = timed(options.saves, type_in("f0"))
        fresh = timed(20, lambda n: store.save_draft(form.model_copy(), answers, draft_id=draft_id))
        conn = store._conn

        def bare(number: int) -> None:
            answers["f8"] = f"bare {number}"
            with transaction(conn):
                conn.execute(
                    "UPDATE drafts SET answers_json = ? WHERE id = ?",
                    (json.dumps(answers), draft_id),
                )

        reference = timed(options.saves, bare)
    snapshot = timed(20, lambda n: take_snapshot(form))
    print(f"Draft autosave, {options.fields}-field form (target < 5 ms per save)")
    show("save_draft, typing in an ordinary field", ordinary)
    show("save_draft, typing in the subject field", subject)
    show("save_draft, first save of a form object", fresh)
    show("reference: bare committed UPDATE", reference)
    show("reference: serialize + hash the form", snapshot)
    worst = max(statistics.mean(ordinary), statistics.mean(subject))
    print(f"autosave mean (worse case): {worst:.2f} ms -> {'OK' if worst < 5 else 'OVER'} target")


if __name__ == "__main__":
    main()
