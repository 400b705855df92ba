"""Benchmark: `quizapp decks import` on 1 MB of notes (target: under 2 s).

Two kinds of notes of 1 MB each: the real notes (``../shared/notes/keras-study-notes.txt``)
repeated, so every heading comes back hundreds of times and is pinned by an anchor, and notes
of the same constructs with every heading and term its own. Measured in process (reading,
drafting, checking the draft as ``decks check`` would, the warnings) and as a whole
``quizapp decks import`` process writing its draft; wall and CPU time, median of five runs.

    python -m pytest tests/bench/bench_import.py -s
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizapp.library import complete_deck
from quizapp.notes.importer import import_notes

pytestmark = pytest.mark.bench

REAL = Path(__file__).resolve().parents[2].parent / "shared/notes/keras-study-notes.txt"
SIZE = 1_000_000
RUNS = 5


def repeated_real() -> bytes:
    if not REAL.is_file():
        pytest.skip("the real notes are not here")
    one = REAL.read_bytes().rstrip() + b"\n\n"
    return (one * (SIZE // len(one) + 1))[:SIZE].rsplit(b"\n", 1)[0] + b"\n"


def varied() -> bytes:
    parts: list[str] = []
    n = 0
    while sum(len(p.encode()) for p in parts) < SIZE:
        n += 1
        parts.append(
            f"<topic {n} 주제>\n"
            f"term_{n}_a: the first meaning of topic {n}, 첫 번째 뜻\n"
            f"term_{n}_b: the second meaning of topic {n}\n\n"
            f"\tbinary {n}\tmulti {n}\nloss\tbinary_crossentropy\tcategorical_crossentropy\n"
            f"act\tsigmoid\tsoftmax\n\n"
            f"from pkg_{n}.mod import thing_{n}\n"
            f"model_{n} = thing_{n}(units={n}, activation='relu', name='m{n}')\n\n"
            f"Ways {n}\n# 1. more data {n}\n# 2. dropout {n}\n\n"
            f"What is topic {n} about?\nIt is about {n}, 그리고 다른 것.\n"
            f"Some plain words about topic {n} that no rule takes.\n\n"
        )
    return "".join(parts).encode()


def median(values: list[float]) -> float:
    return statistics.median(values)


def in_process(data: bytes) -> tuple[float, float, int]:
    walls, cpus = [], []
    cards = 0
    for _ in range(RUNS):
        w, c = time.perf_counter(), time.process_time()
        draft = import_notes(data, "bench-notes.txt", complete=complete_deck)
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
        cards = draft.cards
    return median(walls), median(cpus), cards


def whole_process(data: bytes, tmp: Path) -> tuple[float, float]:
    notes = tmp / "bench-notes.txt"
    notes.write_bytes(data)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_DATA_HOME"] = str(tmp / "data")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    command = [sys.executable, "-m", "quizapp", "--db", str(tmp / "q.sqlite3")]
    command += ["decks", "import", str(notes), "-o", str(tmp / "out.md"), "--force"]
    subprocess.run(command, env=env, check=True, capture_output=True)  # compile once
    walls, cpus = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        w = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - w)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return median(walls), median(cpus)


@pytest.mark.parametrize("kind", ["real notes repeated", "varied notes"])
def test_a_megabyte_of_notes(kind: str, tmp_path: Path) -> None:
    data = repeated_real() if kind == "real notes repeated" else varied()
    wall, cpu, cards = in_process(data)
    pwall, pcpu = whole_process(data, tmp_path)
    load = os.getloadavg()[0]
    lines = data.count(b"\n")
    print(
        f"\n{kind}: {len(data) / 1e6:.2f} MB, {lines} lines, {cards} cards; "
        f"in process {wall:.2f} s wall / {cpu:.2f} s CPU; whole process {pwall:.2f} s wall / "
        f"{pcpu:.2f} s CPU (median of {RUNS}, load average {load:.1f})"
    )
    assert cards > 0
