"""Exam benchmark: a 50-question exam from 10,000 cards with 1,000 past exams in the history.

Run on demand (not a timed test):

    .venv/bin/python tests/bench/bench_quiz.py            # or
    .venv/bin/python -m pytest tests/bench/bench_quiz.py -s

Measures: building an exam in process (target ≤ 100 ms); ``quizapp quiz --print --json`` as a
whole process against ``quizapp due --json`` (target: no slower); in the app (headless, 80×24),
a key to the next question (target ≤ 16 ms median): until the next question is in the widgets
(the answer recorded first), and until the screen has been refreshed with it. The data (10 deck
files of 1,000 cards: definition lists, tables, lists, questions, cloze code and computed blocks;
1,000 exams of 50 answers with their confusions) is kept in ``$QUIZAPP_BENCH_DIR/quiz``.
Wall and CPU time are both reported (the CPU time is what a busy machine inflates least); the
processes run with their compiled modules cached, as an installed quizapp has them.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

N_FILES = 10
SECTIONS = 37  # x 27 cards = 999 per file
N_EXAMS = 1_000
PER_EXAM = 50
SEED = 4321
QUIZAPP = Path(sys.executable).with_name("quizapp")
WORDS = [
    "weight",
    "bias",
    "kernel",
    "layer",
    "unit",
    "gate",
    "state",
    "batch",
    "epoch",
    "loss",
    "metric",
    "optimizer",
]


def bench_dir() -> Path:
    base = Path(os.environ.get("QUIZAPP_BENCH_DIR", Path(tempfile.gettempdir()) / "quizapp-bench"))
    return base / "quiz"


def _phrase(rng: random.Random, lo: int = 3, hi: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def write_decks(deck_dir: Path) -> None:
    rng = random.Random(SEED)
    deck_dir.mkdir(parents=True, exist_ok=True)
    for f in range(N_FILES):
        lines = ["---", f"id: exam-{f}", f"title: Exam deck {f}", "---", "", f"# Exam {f}", ""]
        for s in range(SECTIONS):
            lines += [f"## Topic {s}", ""]
            lines += [f"- `term_{s}_{i}`: {_phrase(rng)}" for i in range(10)]
            lines += ["", "| | case a | case b |", "|---|---|---|"]
            lines += [
                f"| property {r} | {_phrase(rng, 1, 3)} | {_phrase(rng, 1, 3)} |" for r in range(4)
            ]
            lines += [
                "",
                "<!-- learn -->",
                *(f"{i}. {_phrase(rng, 2, 5)}" for i in range(1, 5)),
                "",
            ]
            for q in range(4 if s % 10 == 0 else 5):
                lines += [f"Q: Deck {f}, topic {s}, question {q}?", f"A: {_phrase(rng, 2, 8)}", ""]
            a, b, c = (rng.choice(WORDS) for _ in range(3))
            lines += [
                "```python",
                f"{{{{c1::{a}}}}} = fit({{{{c2::{b}}}}}, {{{{c3::{c}}}}})",
                "```",
                "",
            ]
            if s % 10 == 0:
                units = rng.randint(2, 64)
                lines += ["```compute", f"layers: LSTM({units})", "input: (5, 3)", "```", ""]
        (deck_dir / f"exam-{f}.md").write_text("\n".join(lines), encoding="utf-8")


def build(root: Path) -> tuple[Path, Path]:
    from sqlalchemy import insert, select

    from quizapp.library import load_library
    from quizapp.store.db import open_database
    from quizapp.store.models import CardRow, ConfusionRow, ExamAnswerRow, ExamRow
    from quizapp.store.sync import sync_library

    deck_dir, db_path = root / "decks", root / "quizapp.sqlite3"
    if (root / "done").exists():
        return deck_dir, db_path
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    write_decks(deck_dir)
    db = open_database(db_path)
    t = time.perf_counter()
    report = sync_library(db, [deck_dir], load_library)
    print(f"first sync: {time.perf_counter() - t:.1f} s ({report})")
    with db.session() as s:
        cards = s.execute(select(CardRow.key, CardRow.deck, CardRow.answer)).all()
    rng = random.Random(SEED + 1)
    now = datetime.now(UTC)
    exams, answers, confusions = [], [], []
    answer_id = 0
    for e in range(1, N_EXAMS + 1):
        started = now - timedelta(days=rng.uniform(1, 365))
        deck = f"exam-{rng.randrange(N_FILES)}"
        exams.append(
            {
                "id": e,
                "started_at": started,
                "finished_at": started + timedelta(minutes=20),
                "seconds": 1200.0,
                "decks": json.dumps([deck]),
                "options": json.dumps({"count": PER_EXAM}),
                "seed": e,
                "questions": PER_EXAM,
                "score": None,
            }
        )
        picked = rng.sample([c for c in cards if c.deck == deck] or cards, PER_EXAM)
        for n, card in enumerate(picked, 1):
            answer_id += 1
            result = rng.choices(["right", "wrong", "skipped", "almost"], [70, 20, 5, 5])[0]
            answers.append(
                {
                    "id": answer_id,
                    "exam_id": e,
                    "n": n,
                    "qtype": rng.choice(["mcq", "typed", "tf"]),
                    "card_key": card.key,
                    "deck": card.deck,
                    "section": "[]",
                    "prompt": "prompt",
                    "options": "[]",
                    "answer": card.answer,
                    "given": None,
                    "result": result,
                    "credit": 1.0 if result == "right" else 0.0,
                    "override": False,
                    "seconds": 5.0,
                    "missed": "[]" if result == "right" else json.dumps([card.key]),
                    "answered_at": started,
                }
            )
            if result == "wrong":
                confusions.append(
                    {
                        "answer_id": answer_id,
                        "card_key": card.key,
                        "confused_with": rng.choice(cards).answer,
                        "mistake": None,
                        "at": started,
                    }
                )
    with db.session(write=True) as s:
        s.execute(insert(ExamRow), exams)
        for i in range(0, len(answers), 5000):
            s.execute(insert(ExamAnswerRow), answers[i : i + 5000])
        s.execute(insert(ConfusionRow), confusions)
    db.close()
    print(f"history: {len(exams)} exams, {len(answers)} answers, {len(confusions)} confusions")
    (root / "done").write_text("ok")
    return deck_dir, db_path


def timed(fn: Callable[[], Any], repeat: int = 9) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times), result


def child_env() -> dict[str, str]:
    """The environment of the measured processes: compiled modules cached (in the bench
    directory), as an installed quizapp has them, even where the shell says not to write them."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(bench_dir() / "pycache")
    return env


def subprocess_time(args: list[str], repeat: int = 5) -> tuple[float, float]:
    """Median wall and CPU time (user + system of the child) of a new process."""
    import resource

    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=child_env())
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


async def _exam_keys(
    db: Path, deck_dir: Path, config: Path, pause: float = 0.0
) -> tuple[list[float], list[float], list[float]]:
    """Per answer: seconds until the next question is in the widgets, the main thread's CPU
    seconds meanwhile, and seconds until painted. ``pause``: seconds between the painted
    question and the next key (0: at once; a person takes seconds)."""
    import asyncio

    from textual import events

    from quizapp.quiz import ExamOptions, QuizService
    from quizapp.tui.app import make_app
    from quizapp.tui.screens.exam import ExamScreen

    service, _ = QuizService.open(db, [deck_dir])
    exam = service.build(ExamOptions(count=50, seed=77, types=("mcq", "tf")))
    service.close()
    app = make_app(db_path=db, deck_dirs=[deck_dir], config_path=config, exam=exam)
    handled: list[float] = []
    cpu: list[float] = []
    painted: list[float] = []
    async with app.run_test(size=(80, 24)):
        while not (isinstance(app.screen, ExamScreen) and app.screen.question is not None):
            await asyncio.sleep(0.001)
        screen = app.screen
        for _ in range(len(exam.questions) - 1):
            before = screen.question
            t, c = time.perf_counter(), time.thread_time()
            app._driver.send_message(events.Key("1", "1"))  # as the terminal would send it
            # Poll without spinning: a busy event loop would starve the worker thread that
            # records the answer (the GIL), which an idle app never does.
            while screen.question is before or screen.question is None:
                await asyncio.sleep(0.0002)
            handled.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
            done = asyncio.Event()
            app.call_after_refresh(done.set)
            await done.wait()
            painted.append(time.perf_counter() - t)
            if pause:
                await asyncio.sleep(pause)
    return handled, cpu, painted


def run() -> dict[str, float]:
    from quizapp.quiz import ExamOptions, QuizService

    deck_dir, db_path = build(bench_dir())
    load_start = os.getloadavg()[0]
    work = bench_dir() / "work.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copy(db_path, work)
    service, _ = QuizService.open(work, [deck_dir])
    out: dict[str, float] = {}
    t, c = time.perf_counter(), time.process_time()
    service.build(ExamOptions(count=50, seed=1000))
    out["build_50_first_in_process_ms"] = (time.perf_counter() - t) * 1000
    out["build_50_first_in_process_cpu_ms"] = (time.process_time() - c) * 1000
    seeds = iter(range(1, 1000))
    med, worst, exam = timed(
        lambda: service.build(ExamOptions(count=50, seed=next(seeds))), repeat=15
    )
    assert len(exam.questions) == 50, exam.note
    out["build_50_of_10000_median_ms"] = med * 1000
    out["build_50_of_10000_max_ms"] = worst * 1000
    med, worst, _ = timed(lambda: service.build(ExamOptions(count=50, seed=7, missed=True)))
    out["build_missed_median_ms"] = med * 1000
    med, worst, _ = timed(lambda: service.history(), repeat=5)
    out["history_median_ms"] = med * 1000
    service.close()
    base = [str(QUIZAPP), "--db", str(work), "--decks", str(deck_dir)]
    quiz = [*base, "quiz", "--print", "--json"]
    due = [*base, "due", "--json"]
    subprocess_time(quiz, repeat=1)  # the compiled modules cached
    subprocess_time(due, repeat=1)
    quiz_times, due_times = [], []
    for _ in range(9):  # interleaved, so a busy moment of the machine hits both alike
        quiz_times.append(subprocess_time(quiz, repeat=1))
        due_times.append(subprocess_time(due, repeat=1))
    out["quiz_print_json_process_s"] = statistics.median(w for w, _ in quiz_times)
    out["quiz_print_json_process_cpu_s"] = statistics.median(c for _, c in quiz_times)
    out["due_json_process_s"] = statistics.median(w for w, _ in due_times)
    out["due_json_process_cpu_s"] = statistics.median(c for _, c in due_times)
    import asyncio

    config = bench_dir() / "config.toml"
    config.write_text("")
    for name, pause in (("", 0.0), ("_0.1s_apart", 0.1)):
        handled, cpu, painted = asyncio.run(_exam_keys(work, deck_dir, config, pause))
        key = f"key_to_next_question{name}"
        out[f"{key}_handled_median_ms"] = statistics.median(handled) * 1000
        out[f"{key}_main_thread_cpu_median_ms"] = statistics.median(cpu) * 1000
        out[f"{key}_handled_p95_ms"] = sorted(handled)[int(len(handled) * 0.95)] * 1000
        out[f"{key}_painted_median_ms"] = statistics.median(painted) * 1000
    out["load_average_1min_start"] = load_start
    out["load_average_1min"] = os.getloadavg()[0]
    for k, v in out.items():
        print(f"{k:48} {v:9.3f}")
    return out


def test_benchmark() -> None:
    results = run()
    assert results["build_50_of_10000_median_ms"] > 0


if __name__ == "__main__":
    run()
