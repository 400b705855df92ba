"""Checking a card with Keras from the review app (`v`): how long, and is the screen responsive?

The real app, headless (``run_test``), on a deck with one computed card. Run on demand (not a
timed test):

    .venv/bin/python tests/bench/bench_tui_keras.py            # or
    .venv/bin/python -m pytest tests/bench/bench_tui_keras.py -s

Reports, over a few fresh databases:
- cold: `v` until the line says "verified" (a child process starts, imports TensorFlow, builds
  the layer and writes the cache);
- warm: `v` again once the result is cached (the child answers from the cache);
- keys while the check runs: `?` pressed every 100 ms opens/closes the help; time until the
  screen has switched (key handled);
- the verification label read from the cache when a card is shown (the cost every computed card
  pays, no TensorFlow).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from quizapp.tui.app import make_app
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.review import ReviewScreen
from tests.tui.helpers import CALC_DECK

RUNS = 3


async def _one(tmp: Path) -> tuple[float, float, list[float], list[float], float]:
    decks = tmp / "decks"
    decks.mkdir()
    (decks / "calc.md").write_text(CALC_DECK, encoding="utf-8")
    app = make_app(db_path=tmp / "q.sqlite3", deck_dirs=[decks], review=True, deck="calc")
    keys: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        while not (isinstance(app.screen, ReviewScreen) and app.screen.card is not None):
            await asyncio.sleep(0.001)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        card = screen.card
        t = time.perf_counter()
        for _ in range(200):
            app.service.verification(card.key)
        lookup = (time.perf_counter() - t) / 200
        await pilot.press("space")

        async def toggle_help() -> float:
            t0 = time.perf_counter()
            await pilot.press("question_mark")
            while not isinstance(app.screen, HelpScreen):
                await asyncio.sleep(0.001)
            took = time.perf_counter() - t0
            await pilot.press("escape")
            while app.screen is not screen:
                await asyncio.sleep(0.001)
            return took

        idle = []
        for _ in range(10):
            await asyncio.sleep(0.1)
            idle.append(await toggle_help())

        async def check() -> float:
            t0 = time.perf_counter()
            await pilot.press("v")
            while not (
                screen.card is not None
                and screen.card.verification is not None
                and screen.card.verification.status == "verified"
            ):
                await asyncio.sleep(0.005)
            return time.perf_counter() - t0

        async def poke() -> None:
            while screen.checking is None:  # until `v` has been handled
                await asyncio.sleep(0.001)
            while screen.checking is not None:
                await asyncio.sleep(0.1)
                if app.screen is not screen or screen.checking is None:
                    continue
                keys.append(await toggle_help())

        cold_task = asyncio.create_task(check())
        await asyncio.sleep(0)
        await poke()
        cold = await cold_task
        await app.workers.wait_for_complete()
        screen.card = card  # the line said "verified": check again, now from the cache
        warm = await check()
        await app.workers.wait_for_complete()
    return cold, warm, keys, idle, lookup


def main() -> None:
    colds, warms, keys, idles, lookups = [], [], [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as d:
            cold, warm, k, idle, lookup = asyncio.run(_one(Path(d)))
        colds.append(cold)
        warms.append(warm)
        keys.extend(k)
        idles.extend(idle)
        lookups.append(lookup)
    keys.sort()
    idles.sort()
    print(f"v → verified, cold (TensorFlow loads): {min(colds):.2f}–{max(colds):.2f} s")
    print(f"v → verified, warm (cached):           {min(warms):.2f}–{max(warms):.2f} s")
    print(
        f"? handled while the check runs: {len(keys)} presses, median "
        f"{statistics.median(keys) * 1000:.1f} ms, max {keys[-1] * 1000:.1f} ms"
    )
    print(
        f"? handled with no check running: {len(idles)} presses, median "
        f"{statistics.median(idles) * 1000:.1f} ms, max {idles[-1] * 1000:.1f} ms"
    )
    print(f"label from the cache per card shown: {statistics.median(lookups) * 1000:.2f} ms")


def test_bench_tui_keras() -> None:
    main()


if __name__ == "__main__":
    main()
