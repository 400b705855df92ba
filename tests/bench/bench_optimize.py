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

    open_database(db_path).close()  # any migration (and its backup) before the timing
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


def bench_db_process(runs: int = 2) -> dict[str, float]:
    """`quizapp optimize --json` on the million-row database, as a whole process."""
    db_path = optimize_db()
    walls = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(
            [str(QUIZAPP), "--db", str(db_path), "optimize", "--json"],
            check=True, capture_output=True, text=True, cwd=REPO,
        )  # fmt: skip
        walls.append(time.perf_counter() - t)
        out = json.loads(proc.stdout)
    print(
        f"\n`quizapp optimize --json` on 1,000,000 review-log rows: {min(walls):.1f}-"
        f"{max(walls):.1f} s (target 10 s); {out['items']:,} items"
    )
    return {"db_process_max": max(walls)}


def bench_db(runs: int = 2) -> dict[str, float]:
    from quizapp.optimize.fit import fit
    from quizapp.optimize.items import StudyDays, training_set
    from quizapp.optimize.sources import from_database
    from quizapp.store.db import open_database

    db_path = optimize_db()
    totals = []
    for _ in range(runs):
        t0 = time.perf_counter()
        db = open_database(db_path)
        history = from_database(db, None, StudyDays(4), durations=False)
        db.close()
        t1 = time.perf_counter()
        ts = training_set(history)
        t2 = time.perf_counter()
        result = fit(ts)
        t3 = time.perf_counter()
        totals.append(t3 - t0)
        print(
            f"\n1,000,000 review-log rows: {history.reviews:,} reviews of {history.card_count:,}"
            f" cards, {len(ts):,} items"
        )
        print(f"  read {t1 - t0:.2f} s, items {t2 - t1:.2f} s, fit and evaluate {t3 - t2:.2f} s")
        print(f"  total {t3 - t0:.2f} s (target 10 s)")
        print(f"  log loss {result.before.log_loss:.4f} -> {result.after.log_loss:.4f}")
    return {"db_total_max": max(totals)}


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
