"""Statistics benchmark: `quizapp stats --json` on 100,000 cards and 1,000,000 review-log rows.

Run on demand (not a timed test):

    .venv/bin/python tests/bench/bench_stats.py            # or
    .venv/bin/python -m pytest tests/bench/bench_stats.py -s

Targets: ≤ 0.5 s of work after start-up (open the database, sync the unchanged decks, count
every part, write the JSON), and the statistics screen painted ≤ 0.5 s after ``s`` on the
decks (the real app, headless, 80×24), the numbers filling in from its worker. The data is
``bench_review.py``'s (10 deck files of 10,000 cards, 10 % new, 1,000,000 answers over the last
year), built in its own directory under
``$QUIZAPP_BENCH_DIR`` and given a history: each card's first answer is the answer to a new
card, and every later one records the card's interval and the days since its previous answer
as the review service does (as if each were answered on time).
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.bench_review import QUIZAPP, bench_dir, build_quizapp  # noqa: E402

PARTS = (
    "_calendar_counts",
    "streak",
    "_days_answers",
    "hours",
    "buttons",
    "true_retention",
    "_cards",
    "exams",
)

WORK = """
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from quizapp.review import ReviewService
from quizapp.stats import collect_stats, stats_json
t1 = time.perf_counter(); c1 = time.process_time()
service = ReviewService(Path(sys.argv[1]), [Path(sys.argv[2])], config_path=Path(sys.argv[3]))
service.sync()
deck = sys.argv[4] or None
exam_dates = service.exam_dates(None if deck is None else [deck])  # as `quizapp stats` does
stats = collect_stats(
    service.db, service.config, now=service.now(), deck=deck, exam_dates=exam_dates
)
text = json.dumps(stats_json(stats))
service.close()
t2 = time.perf_counter(); c2 = time.process_time()
print(json.dumps({"imports": t1 - t0, "work": t2 - t1, "work_cpu": c2 - c1, "bytes": len(text)}))
"""


def stats_db() -> tuple[Path, Path]:
    root = bench_dir() / "stats"
    deck_dir, db_path = build_quizapp(root, datetime.now(UTC))
    marker = root / "stats-history.done"
    if not marker.exists():
        from quizapp.store.db import open_database

        open_database(db_path).close()  # migrated to this quizapp's schema
        t = time.perf_counter()
        con = sqlite3.connect(db_path)
        with con:
            con.execute(
                "UPDATE review_log SET"
                " state_before = CASE WHEN x.prev IS NULL THEN 'new' ELSE 'review' END,"
                " interval_before = x.days, elapsed_before = x.days"
                " FROM (SELECT id, round((julianday(reviewed_at) - julianday(lag(reviewed_at)"
                " OVER (PARTITION BY card_id ORDER BY reviewed_at, id))) * 86400000.0)"
                " / 86400000.0 AS days, lag(reviewed_at) OVER (PARTITION BY card_id"
                " ORDER BY reviewed_at, id) AS prev FROM review_log) AS x"
                " WHERE x.id = review_log.id"
            )
        con.close()
        print(f"review history for the statistics: {time.perf_counter() - t:.1f} s")
        marker.touch()
    return deck_dir, db_path


async def _screen(db: Path, deck_dir: Path, config: Path) -> tuple[float, float]:
    """Seconds from ``s`` on the decks to the statistics screen painted, and to its numbers
    painted (the key goes in as the terminal driver sends it; no busy waiting meanwhile: a
    polling loop would keep the interpreter from the counting worker)."""
    import asyncio

    from textual import events

    from quizapp.tui.app import make_app
    from quizapp.tui.screens.home import HomeScreen
    from quizapp.tui.screens.stats import StatsScreen

    app = make_app(db_path=db, deck_dirs=[deck_dir], config_path=config)
    painted, filled = asyncio.Event(), asyncio.Event()
    times: dict[str, float] = {}
    count, counted = StatsScreen.count, StatsScreen.on_stats_counted

    def counting(screen: StatsScreen) -> None:  # the screen counts once it has been painted
        times.setdefault("painted", time.perf_counter())
        painted.set()
        count(screen)

    async def shown(screen: StatsScreen, message: Any) -> None:
        await counted(screen, message)

        def done() -> None:
            times["filled"] = time.perf_counter()
            filled.set()

        screen.call_after_refresh(done)

    StatsScreen.count = counting  # type: ignore[method-assign]
    StatsScreen.on_stats_counted = shown  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            while not isinstance(app.screen, HomeScreen):
                await asyncio.sleep(0.01)
            await pilot.pause()
            t = time.perf_counter()
            app._driver.send_message(events.Key("s", "s"))
            await painted.wait()
            await filled.wait()
            return times["painted"] - t, times["filled"] - t
    finally:
        StatsScreen.count = count  # type: ignore[method-assign]
        StatsScreen.on_stats_counted = counted  # type: ignore[method-assign]


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall time, median CPU time and the last result of ``fn``."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def run() -> dict[str, float]:
    deck_dir, source = stats_db()
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "quizapp.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            src = source.with_name(source.name + suffix)
            if src.exists():
                shutil.copy(src, db.with_name(db.name + suffix))
        config = Path(tmp) / "config.toml"
        config.write_text("")

        for label, deck in (("all", ""), ("deck", "bench-3")):
            runs = []
            for _ in range(5):
                proc = subprocess.run(
                    [sys.executable, "-c", WORK, str(db), str(deck_dir), str(config), deck],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                import json

                runs.append(json.loads(proc.stdout))
            out[f"{label}_work"] = statistics.median(r["work"] for r in runs)
            out[f"{label}_work_cpu"] = statistics.median(r["work_cpu"] for r in runs)
            out[f"{label}_imports"] = statistics.median(r["imports"] for r in runs)

        args = [str(QUIZAPP), "--db", str(db), "--decks", str(deck_dir), "stats", "--json"]
        out["command_wall"] = best(
            lambda: subprocess.run(args, check=True, capture_output=True), 3
        )[0]

        import asyncio

        screens = [asyncio.run(_screen(db, deck_dir, config)) for _ in range(5)]
        out["screen_first_paint"] = statistics.median(a for a, _ in screens)
        out["screen_filled"] = statistics.median(b for _, b in screens)

        from quizapp.config import Config
        from quizapp.stats import StatsReader
        from quizapp.store.db import open_database

        database = open_database(db)
        now = datetime.now(UTC)
        for part in PARTS:

            def one(part: str = part) -> None:
                reader = StatsReader(database, Config(), now=now)
                value = getattr(reader, part)
                if callable(value):
                    value()

            out[f"part_{part}"] = best(one, 5)[1]
        database.close()

    print(f"\n{'stats --json on 100,000 cards, 1,000,000 answers':<52} {'wall':>8} {'CPU':>8}")
    for label, name in (("all", "every deck"), ("deck", "one deck (--deck bench-3)")):
        print(
            f"{'work after start-up, ' + name:<52} {out[f'{label}_work'] * 1000:>6.0f}ms"
            f" {out[f'{label}_work_cpu'] * 1000:>6.0f}ms"
        )
    print(f"{'start-up (imports), every deck':<52} {out['all_imports'] * 1000:>6.0f}ms")
    print(
        f"{'`quizapp stats --json`, a whole new process':<52} {out['command_wall'] * 1000:>6.0f}ms"
    )
    for label, key in (
        ("screen: s to first paint (80x24)", "screen_first_paint"),
        ("screen: s to every number painted", "screen_filled"),
    ):
        print(f"{label:<52} {out[key] * 1000:>6.0f}ms")
    for part in PARTS:
        label = f"  part {part.strip('_')} (CPU)"
        print(f"{label:<52} {'':>8} {out['part_' + part] * 1000:>6.0f}ms")
    return out


def test_benchmark() -> None:
    results = run()
    assert results["all_work"] > 0


if __name__ == "__main__":
    run()
