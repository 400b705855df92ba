"""Benchmark: computed answers by formula, and `quizapp decks verify` cold and warm.

Run with ``.venv/bin/python -m pytest tests/bench/bench_calc.py -s`` or as a script
(``.venv/bin/python tests/bench/bench_calc.py``). Targets: an analytic answer well under 1 ms;
a warm (cached) verify of the bundled deck ≤ 1 s. Prints the figures; asserts only that the
answers are right and that the verify runs pass.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

from quizapp.calc.computed import fill_computed
from quizapp.calc.stack import analyze
from quizapp.notes.model import CardSpec

CASES = [
    ("LSTM(10)", "(5, 1)", 480),
    ("GRU(10)", "(5, 1)", 390),
    ("Conv2D(32, 3)", "(28, 28, 1)", 320),
    ('Bidirectional(GRU(8, reset_after=False), merge_mode="sum")', "(10, 3)", 576),
    ('Conv2D(32, 3, activation="relu"); MaxPooling2D(); Flatten(); Dense(10)', "(28, 28, 1)",
     54410),
]  # fmt: skip


def bench_analytic() -> dict[str, float]:
    out: dict[str, float] = {}
    for layers, shape, expected in CASES:
        assert analyze(layers, shape).total == expected
        n = 2000
        per = min(timeit.repeat(lambda: analyze(layers, shape), number=n, repeat=3)) / n  # noqa: B023
        out[layers] = per * 1e6
    card = CardSpec(
        key="k", note_key="k", deck="d", deck_title="D", section=(), kind="computed",
        prompt="", answer="", source="decks/x.md", line=1,
        compute=(("layers", "LSTM(10)"), ("input", "(5, 1)"), ("notes", "4x(1+1+10)x10")),
    )  # fmt: skip
    assert fill_computed(card, Path("x.md")).answer == "480"
    n = 2000
    per = min(timeit.repeat(lambda: fill_computed(card, Path("x.md")), number=n, repeat=3)) / n
    out["fill_computed (LSTM card with notes)"] = per * 1e6
    return out


def _cli(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", *args], capture_output=True, text=True, timeout=600
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return elapsed, proc.stdout


def bench_verify() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite3")
        args = ["--db", db, "decks", "verify", "--deck", "keras-basics"]
        cold, out = _cli(args)
        assert "0 ✗" in out and "built in Keras" in out
        warm_runs = []
        for _ in range(3):
            t, out = _cli(args)
            assert "all from the cache" in out
            warm_runs.append(t)
        params_t, out = _cli(["params", "LSTM(10)", "-i", "5,1"])
        assert "Total params: 480" in out
    return {
        "decks verify, cold (TensorFlow import + building)": cold,
        "decks verify, warm (cached), median of 3": statistics.median(warm_runs),
        "quizapp params (no --verify), whole process": params_t,
    }


def report() -> None:
    print()
    print("Analytic answers (best of 3 × 2000 calls):")
    for name, us in bench_analytic().items():
        print(f"  {us:8.1f} µs  {name}")
    print("Command line (wall clock, fresh process each):")
    for name, secs in bench_verify().items():
        print(f"  {secs:8.2f} s   {name}")


def test_bench_calc() -> None:
    report()


if __name__ == "__main__":
    report()
