"""Review app benchmark: the real app, headless (``run_test``), on the review benchmark's data.

100,000 cards in 10 deck files and 1,000,000 review-log rows, built (and kept) by
``bench_review.py``. Run on demand (not a timed test):

    .venv/bin/python tests/bench/bench_tui.py            # or
    .venv/bin/python -m pytest tests/bench/bench_tui.py -s

Reports: launch to first card shown (``make_app`` → sync of unchanged decks → review screen with
its first card), and answer to next card shown (the grade key until the screen has been
refreshed with the next card; the answer is saved and the next step read in a thread worker).
Textual repaints at most ``TEXTUAL_FPS`` (60) times a second and waits one frame period after
the app goes idle, so "painted" includes about 17 ms of that.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_review import build_quizapp, review_dir
from textual import events

from quizapp.tui.app import make_app
from quizapp.tui.screens.review import ReviewScreen

LAUNCHES = 5
ANSWERS = 200


def _copy_db(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        s = src.with_name(src.name + suffix)
        if s.exists():
            shutil.copy(s, dst.with_name(dst.name + suffix))


async def _session(
    db: Path, deck_dir: Path, config: Path, answers: int = 0
) -> tuple[float, list[float], list[float]]:
    """Seconds to the first card shown; per answer, the time until the next card is in the
    widgets (key handled) and until the screen has been refreshed with it (painted)."""
    t0 = time.perf_counter()
    app = make_app(db_path=db, deck_dirs=[deck_dir], config_path=config, review=True)
    latencies: list[float] = []
    handled: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, ReviewScreen) and app.screen.card is not None):
            await asyncio.sleep(0.001)
        first = time.perf_counter() - t0
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for n in range(answers):
            await pilot.press("space")
            before = screen.card
            key = "3" if n % 5 else "1"
            t = time.perf_counter()
            # The key goes in as the terminal driver would send it (Pilot's own waits for the
            # machine to go idle would be measured too); done = the next card is on the screen.
            app._driver.send_message(events.Key(key, key))
            while screen.card is before or screen.card is None:
                # A short sleep, not sleep(0): a busy loop would keep the GIL from the thread
                # worker that saves the answer (it waits a switch interval, 5 ms, each time).
                await asyncio.sleep(0.0002)
            handled.append(time.perf_counter() - t)
            painted = asyncio.Event()
            app.call_after_refresh(painted.set)
            await painted.wait()
            latencies.append(time.perf_counter() - t)
    return first, handled, latencies


def run() -> dict[str, float]:
    deck_dir, db_path = build_quizapp(review_dir(), datetime.now(UTC))
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "quizapp.sqlite3"
        _copy_db(db_path, db)
        config = Path(tmp) / "config.toml"
        config.write_text("")
        asyncio.run(_session(db, deck_dir, config))  # warm the file cache and migrations
        launches = [asyncio.run(_session(db, deck_dir, config))[0] for _ in range(LAUNCHES)]
        out["launch_to_first_card_median"] = statistics.median(launches)
        out["launch_to_first_card_max"] = max(launches)
        _, handled, painted = asyncio.run(_session(db, deck_dir, config, answers=ANSWERS))
        out["answer_to_next_card_handled_median"] = statistics.median(handled)
        out["answer_to_next_card_handled_p95"] = sorted(handled)[int(len(handled) * 0.95)]
        out["answer_to_next_card_painted_median"] = statistics.median(painted)
        out["answer_to_next_card_painted_p95"] = sorted(painted)[int(len(painted) * 0.95)]
    print(f"\n{'review app (headless run_test), 80×24':<44} {'time':>9}")
    for key, value in out.items():
        print(f"{key.replace('_', ' '):<44} {value * 1000:>7.1f}ms")
    return out


def test_benchmark() -> None:
    results = run()
    assert results["answer_to_next_card_painted_median"] > 0


if __name__ == "__main__":
    run()
