"""Start-up benchmark: whole processes, from launch, beside Anki's own engine.

20,000 cards in 10 deck files with 200,000 review-log rows, and an Anki collection with the same
cards, built by ``bench_review.py``'s builders and kept in ``$QUIZAPP_BENCH_DIR/startup-20k``.
Run on demand (not a timed test):

    .venv/bin/python tests/bench/bench_startup.py            # or
    .venv/bin/python -m pytest tests/bench/bench_startup.py -s

Each figure is the median of ``RUNS`` new processes (after one warm-up run), wall and CPU time
(the child's user + system time; for the app, its CPU until the card was shown):

- ``quizapp --help``;
- ``quizapp due --json`` on the unchanged decks, and, interleaved with it, Anki's engine opening
  the same cards and computing its deck due tree (``bench_review.ANKI_DUE``);
- the review app's first card: headless (``run_test``, 80×24, in a child process: launch to the
  review screen holding its card) and in a real terminal (``quizapp review`` in a tmux pane on
  a socket of its own, launch to the card's text in ``capture-pane``).

- the floor under the first card: a bare Textual app of one line, launch to that line shown,
  headless and in tmux, with and without ``import sqlalchemy`` first (what the libraries the
  review app stands on cost before it does anything);
- the first card above that floor: the median of the differences of app and floor runs made
  one after the other (quizapp's own part, steadier than the two medians apart when the
  machine's speed changes during the benchmark).

Answer to next card at 100,000 cards is ``bench_review.py``'s. Run with the compiled modules
cached (``PYTHONDONTWRITEBYTECODE`` unset), as an installed quizapp runs.
"""

from __future__ import annotations

import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_review import ANKI_DUE, QUIZAPP, Shape, bench_dir, build_anki, build_quizapp

SHAPE = Shape(files=10, sections=20, per_section=100, log=200_000)  # 20,000 cards
RUNS = 5
CARD_TEXT = ": what is "  # in every bench card's prompt

HEADLESS_FIRST_CARD = """
import asyncio, sys, time
from pathlib import Path
from quizapp import paths
from quizapp.tui.app import make_app
from quizapp.tui.screens.review import ReviewScreen

async def main() -> None:
    app = make_app(
        db_path=Path(sys.argv[1]),
        deck_dirs=paths.deck_dirs([Path(sys.argv[2])]),
        config_path=Path(sys.argv[3]),
        review=True,
    )
    async with app.run_test(size=(80, 24)):
        while not (isinstance(app.screen, ReviewScreen) and app.screen.card is not None):
            await asyncio.sleep(0.001)
        drawn = asyncio.Event()
        app.screen.call_after_refresh(drawn.set)  # the card drawn, not only in the widgets
        await drawn.wait()
        print(time.process_time(), flush=True)
        app.exit()

asyncio.run(main())
"""


#: The floor under the review app's first card: a Textual app of one line of text, launch to
#: that line shown, with nothing of quizapp's; ``import sqlalchemy`` first when the first
#: argument says so (the review app needs both before its first card). Headless (``run_test``,
#: 80×24; it prints its CPU time then) or, with ``terminal``, run in a real terminal.
BARE_TEXTUAL = """
import asyncio, sys, time
if sys.argv[1] == "sqlalchemy":
    import sqlalchemy
from textual.app import App
from textual.widgets import Static

class Bare(App[None]):
    def compose(self):
        yield Static("what is a bare card")

async def main() -> None:
    app = Bare()
    async with app.run_test(size=(80, 24)):
        while not app.screen.query(Static) or not app.screen.query_one(Static).size.width:
            await asyncio.sleep(0.001)
        print(time.process_time(), flush=True)
        app.exit()

if sys.argv[2:] == ["terminal"]:
    Bare().run()
else:
    asyncio.run(main())
"""
BARE_TEXT = "what is a bare card"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def process(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process."""
    cpu, t = _children_cpu(), time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=_env())
    return time.perf_counter() - t, _children_cpu() - cpu


def headless_first_card(db: Path, deck_dir: Path, config: Path) -> tuple[float, float]:
    """Launch to the first card in the review screen (wall, measured here; CPU, the child's)."""
    return _until_line(
        [sys.executable, "-c", HEADLESS_FIRST_CARD, str(db), str(deck_dir), str(config)]
    )


def bare_textual(with_sqlalchemy: bool) -> tuple[float, float]:
    """The floor: a bare Textual app's launch to first paint (see :data:`BARE_TEXTUAL`)."""
    which = "sqlalchemy" if with_sqlalchemy else "-"
    return _until_line([sys.executable, "-c", BARE_TEXTUAL, which])


def _until_line(args: list[str]) -> tuple[float, float]:
    """Wall time until the child prints its line (its CPU time then, which it prints)."""
    t = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=_env())
    assert child.stdout is not None
    line = child.stdout.readline()
    wall = time.perf_counter() - t
    child.wait()
    if not line.strip():
        raise RuntimeError("the app showed nothing")
    return wall, float(line)


_SOCKETS = itertools.count()


def tmux_first_card(db: Path, deck_dir: Path, config: Path) -> tuple[float, float]:
    """Launch ``quizapp review`` in an 80×24 tmux pane; seconds until the card's text is in it."""
    env = f"QUIZAPP_CONFIG={config}"
    py_path = os.environ.get("PYTHONPATH")
    if py_path:
        env += f" PYTHONPATH={py_path}"
    command = f"env -u PYTHONDONTWRITEBYTECODE {env} {QUIZAPP} --db {db} --decks {deck_dir} review"
    return _tmux_until(command, CARD_TEXT)


def tmux_bare_textual(script: Path, with_sqlalchemy: bool) -> tuple[float, float]:
    """The floor in a real terminal: :data:`BARE_TEXTUAL` in a tmux pane, measured as
    :func:`tmux_first_card` is."""
    which = "sqlalchemy" if with_sqlalchemy else "-"
    command = f"env -u PYTHONDONTWRITEBYTECODE {sys.executable} {script} {which} terminal"
    return _tmux_until(command, BARE_TEXT)


def _tmux_until(command: str, text: str) -> tuple[float, float]:
    """Seconds from starting ``command`` in an 80×24 tmux pane until ``text`` is in the pane.

    A tmux server of its own (``-S``, a socket in the temporary directory), ended and its socket
    removed after the run. CPU is not known here (the command is tmux's child): NaN. The pane
    is read every 5 ms, the same for every command measured.
    """
    socket = Path(tempfile.gettempdir()) / f"quizapp-bench-{os.getpid()}-{next(_SOCKETS)}"
    tmux = ["tmux", "-S", str(socket)]
    try:
        t = time.perf_counter()
        subprocess.run(
            [*tmux, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", command],
            check=True,
            env=_env(),
        )
        while True:
            pane = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True
            ).stdout
            if text in pane:
                return time.perf_counter() - t, float("nan")
            if time.perf_counter() - t > 30:
                raise RuntimeError(f"nothing after 30 s:\n{pane}")
            time.sleep(0.005)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
        socket.unlink(missing_ok=True)


def median_of(fn: Callable[[], tuple[float, float]], runs: int = RUNS) -> tuple[float, float]:
    fn()  # warm-up: the page cache and the compiled modules
    walls, cpus = zip(*(fn() for _ in range(runs)), strict=True)
    return statistics.median(walls), statistics.median(cpus)


def above_floor(
    app: Callable[[], tuple[float, float]], floor: Callable[[], tuple[float, float]]
) -> tuple[float, float]:
    """What the app costs above the floor: the median of ``RUNS`` differences, each of an app
    run and a floor run one after the other (so that a change of the machine's speed during the
    benchmark touches both sides of a difference alike)."""
    app()
    floor()
    diffs = []
    for _ in range(RUNS):
        a, f = app(), floor()
        diffs.append((a[0] - f[0], a[1] - f[1]))
    return statistics.median(d[0] for d in diffs), statistics.median(d[1] for d in diffs)


def run() -> dict[str, tuple[float, float]]:
    root = bench_dir() / "startup-20k"
    now = datetime.now(UTC)
    deck_dir, db_path = build_quizapp(root, now, SHAPE)
    col_path = build_anki(root, now, SHAPE)
    out: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "quizapp.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            src = db_path.with_name(db_path.name + suffix)
            if src.exists():
                shutil.copy(src, db.with_name(db.name + suffix))
        col = work / "collection.anki2"
        shutil.copy(col_path, col)
        config = work / "config.toml"
        config.write_text("")
        os.environ["QUIZAPP_CONFIG"] = str(config)

        out["help"] = median_of(lambda: process([str(QUIZAPP), "--help"]))
        due = [str(QUIZAPP), "--db", str(db), "--decks", str(deck_dir), "due", "--json"]
        anki = [sys.executable, "-c", ANKI_DUE, str(col)]
        process(due)
        process(anki)
        pairs = [(process(due), process(anki)) for _ in range(RUNS)]
        out["due"] = tuple(statistics.median(p[0][i] for p in pairs) for i in (0, 1))  # type: ignore[assignment]
        out["anki_due"] = tuple(statistics.median(p[1][i] for p in pairs) for i in (0, 1))  # type: ignore[assignment]
        out["app_headless"] = median_of(lambda: headless_first_card(db, deck_dir, config))
        out["bare_textual"] = median_of(lambda: bare_textual(False))
        out["bare_textual_sa"] = median_of(lambda: bare_textual(True))
        out["above_headless"] = above_floor(
            lambda: headless_first_card(db, deck_dir, config), lambda: bare_textual(False)
        )
        if shutil.which("tmux"):
            out["app_tmux"] = median_of(lambda: tmux_first_card(db, deck_dir, config))
            script = work / "bare_textual.py"
            script.write_text(BARE_TEXTUAL)
            out["bare_tmux"] = median_of(lambda: tmux_bare_textual(script, False))
            out["bare_tmux_sa"] = median_of(lambda: tmux_bare_textual(script, True))
            out["above_tmux"] = above_floor(
                lambda: tmux_first_card(db, deck_dir, config),
                lambda: tmux_bare_textual(script, False),
            )

    labels = {
        "help": "`quizapp --help`",
        "due": "`quizapp due --json`, 20,000 cards, warm",
        "anki_due": "Anki: open + deck due tree, same cards",
        "app_headless": "review app: launch to first card, headless",
        "app_tmux": "review app: launch to first card, tmux",
        "bare_textual": "floor: bare Textual app, launch to first paint",
        "bare_textual_sa": "floor: the same, SQLAlchemy imported first",
        "bare_tmux": "floor: bare Textual app, tmux",
        "bare_tmux_sa": "floor: the same, SQLAlchemy imported first",
        "above_headless": "first card above the bare floor, headless",
        "above_tmux": "first card above the bare floor, tmux",
    }
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'median of ' + str(RUNS) + ', a new process each':<46} {'wall':>8} {'CPU':>8}")
    for key, label in labels.items():
        if key in out:
            wall, cpu = out[key]
            print(f"{label:<46} {wall * 1000:>6.0f}ms {cpu * 1000:>6.0f}ms")
    ratio = out["due"][0] / out["anki_due"][0]
    print(f"due / Anki: {ratio:.2f} wall, {out['due'][1] / out['anki_due'][1]:.2f} CPU")
    return out


def test_benchmark() -> None:
    results = run()
    assert results["due"][0] > 0


if __name__ == "__main__":
    run()
