"""Optimizer benchmark: the real review log as a whole process, and 1,000,000 review-log rows.

Run on demand (not a timed test):

    .venv/bin/python tests/bench/bench_optimize.py            # or
    .venv/bin/python -m pytest tests/bench/bench_optimize.py -s

Targets: fitting ``../shared/data/review_logs_josh.csv`` as a whole process ≤ 1.5 s, with its
figures equal to fsrs-rs's own fit on the same items; fitting the review log of a database with
1,000,000 rows ≤ 10 s; choosing the retention ≤ 15 s. The database is the one
``bench_review.py`` generates (100,000 cards, 1,000,000 rows drawn from the real log's ratings),
built in its own directory under ``$QUIZAPP_BENCH_DIR``, with each card's first answer made the
answer to a new card (the generator writes every row as a review, and a card without its first
learning step gives no training items).
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
REAL_LOG = REPO / ".." / "shared" / "data" / "review_logs_josh.csv"
sys.path.insert(0, str(REPO))

from tests.bench.bench_review import bench_dir, build_quizapp  # noqa: E402

QUIZAPP = Path(sys.executable).with_name("quizapp")


def optimize_db() -> Path:
    root = bench_dir() / "optimize"
    _deck_dir, db_path = build_quizapp(root, datetime.now(UTC))
    marker = root / "first-steps.done"
    if not marker.exists():
        con = sqlite3.connect(db_path)
        with con:
            con.execute(
                "UPDATE review_log SET state_before = 'new' WHERE id IN (SELECT id FROM ("
                " SELECT id, row_number() OVER (PARTITION BY card_id ORDER BY reviewed_at, id)"
                " AS n FROM review_log) WHERE n = 1)"
            )
        con.close()
        marker.touch()
    from quizapp.store.db import open_database

    kept = set(root.glob("*.bak"))
    open_database(db_path).close()  # any migration before the timing
    for backup in set(root.glob("*.bak")) - kept:
        backup.unlink()  # the backup a migration made: a copy of the whole generated file
    return db_path


def bench_csv(runs: int = 5) -> dict[str, float]:
    if not REAL_LOG.is_file():
        print(f"skipped: {REAL_LOG} not found (see the shared data README)")
        return {}
    import fsrs_rs_python as fsrs_rs

    from quizapp.optimize.fit import evaluate
    from quizapp.optimize.items import StudyDays, training_set
    from quizapp.optimize.sources import from_csv

    walls, inner = [], []
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t = time.perf_counter()
            proc = subprocess.run(
                [str(QUIZAPP), "--db", f"{tmp}/q.sqlite3", "optimize", "--revlog", str(REAL_LOG),
                 "--json"],
                check=True,
                capture_output=True,
                text=True,
                cwd=REPO,
            )  # fmt: skip
            walls.append(time.perf_counter() - t)
            out = json.loads(proc.stdout)
            inner.append(out["seconds"])
    ts = training_set(from_csv(REAL_LOG, StudyDays(4, UTC)))
    items = ts.fsrs_items()
    cards = ts.card_ids()
    own = evaluate(fsrs_rs.FSRS([]).compute_parameters(items, card_ids=cards), items)
    t = time.perf_counter()
    fsrs_rs.FSRS([]).compute_parameters(items, card_ids=cards)
    compute_only = time.perf_counter() - t
    print(f"\nreal review log: {len(items)} items")
    ll, rmse, split = out["log_loss"], out["rmse_bins"], out["time_series"]
    print(
        f"  `quizapp optimize --revlog ... --json`, whole process: {min(walls):.2f}-"
        f"{max(walls):.2f} s (target 1.5 s)"
    )
    print(f"  read, items, fit, 2 evaluations and the split: {statistics.median(inner):.2f} s")
    print(f"  fsrs-rs compute_parameters alone: {compute_only:.3f} s")
    print(f"  log loss before/after: {ll['before']:.4f} / {ll['after']:.4f}")
    print(f"  RMSE (bins) before/after: {rmse['before']:.4f} / {rmse['after']:.4f}")
    print(f"  time-series split: {split['log_loss']:.4f} / {split['rmse_bins']:.4f}")
    print(f"  fsrs-rs's own fit on the same items: {own.log_loss:.4f} / {own.rmse_bins:.4f}")
    assert abs(ll["after"] - own.log_loss) <= 0.001
    assert abs(rmse["after"] - own.rmse_bins) <= 0.001
    return {"wall_max": max(walls), "wall_min": min(walls)}


class Clock:
    """Wall and CPU seconds (this process's, and its finished children's) since the last lap."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), self._cpu()
        out = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return out


def _median(laps: list[tuple[float, float]]) -> str:
    wall = statistics.median(w for w, _ in laps)
    cpu = statistics.median(c for _, c in laps)
    return f"{wall:5.2f} s wall, {cpu:5.2f} s CPU"


def bench_db_process(runs: int = 3) -> dict[str, float]:
    """`quizapp optimize --json` on the million-row database, as a whole process."""
    db_path = optimize_db()
    laps = []
    for _ in range(runs):
        clock = Clock()
        proc = subprocess.run(
            [str(QUIZAPP), "--db", str(db_path), "optimize", "--json"],
            check=True, capture_output=True, text=True, cwd=REPO,
        )  # fmt: skip
        laps.append(clock.lap())
        out = json.loads(proc.stdout)
    print(
        f"\n`quizapp optimize --json` on 1,000,000 review-log rows, {runs} runs, median: "
        f"{_median(laps)} (target 10 s); {out['items']:,} items; load {os.getloadavg()[0]:.1f}"
    )
    print("  each run (wall / CPU): " + ", ".join(f"{w:.1f} / {c:.1f}" for w, c in laps))
    return {"db_process_wall": statistics.median(w for w, _ in laps)}


def bench_db(runs: int = 3) -> dict[str, float]:
    """The parts of `quizapp optimize` on the million rows, as the service runs them (with the
    cycle collector paused until the items are gone), the scores in process."""
    import fsrs_rs_python as fsrs_rs

    from quizapp.optimize.fit import DEFAULT_PARAMETERS, _time_series, evaluate, fit
    from quizapp.optimize.items import StudyDays, gc_paused
    from quizapp.optimize.sources import fsrs_items_from_database
    from quizapp.store import queries
    from quizapp.store.db import open_database

    db_path = optimize_db()
    parts: dict[str, list[tuple[float, float]]] = {}
    for _ in range(runs):
        with gc_paused():
            db = open_database(db_path, migrate=False)
            clock = Clock()
            with db.session() as s:
                rows = sum(1 for _ in queries.review_history(s, None, durations=False))
            parts.setdefault("read the rows (SQLite, one tuple each)", []).append(clock.lap())
            prepared = fsrs_items_from_database(db, None, StudyDays(4))
            db.close()
            parts.setdefault("read the rows and make the fsrs-rs items", []).append(clock.lap())
            result = fit(prepared)
            parts.setdefault("fit, scores in process (below: its parts)", []).append(clock.lap())
            items, cards = prepared.items, prepared.card_ids
            fsrs_rs.FSRS([]).compute_parameters(items, card_ids=cards, num_relearning_steps=1)
            parts.setdefault("  fsrs-rs compute_parameters", []).append(clock.lap())
            evaluate(DEFAULT_PARAMETERS, items)
            evaluate(result.parameters, items)
            parts.setdefault("  fsrs-rs evaluate, twice", []).append(clock.lap())
            _time_series(prepared, 1)
            parts.setdefault("  fsrs-rs time-series split (100,000-item sample)", []).append(
                clock.lap()
            )
            del prepared, items, cards
            parts.setdefault("free the items", []).append(clock.lap())
    print(
        f"\n1,000,000 review-log rows ({rows:,}): {result.reviews:,} reviews of "
        f"{result.cards:,} cards, {result.items:,} items; {runs} runs, median; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    for name, laps in parts.items():
        print(f"  {name:<50} {_median(laps)}")
    print(f"  log loss {result.before.log_loss:.4f} -> {result.after.log_loss:.4f}")
    beside = [_fit_beside_once(db_path) for _ in range(runs)]
    print(f"  {'fit, scores in a forked child beside it':<50} {_median(beside)}")
    return {
        "db_fit_wall": statistics.median(
            w for w, _ in parts["fit, scores in process (below: its parts)"]
        )
    }


def _fit_beside_once(db_path: Path) -> tuple[float, float]:
    """`fit(parallel=True)` in a fresh process (one that has not started fsrs-rs's threads):
    its wall time and the CPU time of the process and its forked child."""
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[2]);"
        "from tests.bench.bench_optimize import fit_beside;"
        "print(json.dumps(fit_beside(sys.argv[1])))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(db_path), str(REPO)],
        check=True, capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    wall, cpu = json.loads(proc.stdout)
    return wall, cpu


def fit_beside(db_path: str) -> tuple[float, float]:
    from quizapp.optimize.fit import can_fork, fit
    from quizapp.optimize.items import StudyDays, gc_paused
    from quizapp.optimize.sources import fsrs_items_from_database
    from quizapp.store.db import open_database

    with gc_paused():
        db = open_database(Path(db_path), migrate=False)
        prepared = fsrs_items_from_database(db, None, StudyDays(4))
        db.close()
        assert can_fork()
        clock = Clock()
        fit(prepared, parallel=True)
        return clock.lap()


def bench_retention() -> dict[str, float]:
    from quizapp.optimize.fit import fit
    from quizapp.optimize.items import StudyDays, training_set
    from quizapp.optimize.simulate import Limits, choose_retention
    from quizapp.optimize.sources import from_csv

    if not REAL_LOG.is_file():
        return {}
    history = from_csv(REAL_LOG, StudyDays(4, UTC))
    parameters = fit(training_set(history)).parameters
    out = {}
    for limits in (Limits(1_205, 20, 200), Limits(100_000, 20, 200), Limits(100_000, 200, 2000)):
        choice = choose_retention(parameters, limits, history)
        print(
            f"\nretention for {limits.cards:,} cards at {limits.new_per_day} new a day: "
            f"{choice.seconds:.1f} s (target 15 s), simulated {choice.simulated:,} cards, "
            f"optimal {choice.optimal:.2f}"
        )
        out[f"retention_{limits.cards}_{limits.new_per_day}"] = choice.seconds
    return out


def run() -> dict[str, float]:
    out = bench_csv()
    out |= bench_retention()
    out |= bench_db()
    out |= bench_db_process()
    return out


def test_benchmark() -> None:
    assert run()


if __name__ == "__main__":
    run()
