"""Benchmark: export 10,000 cards with 100,000 review-log rows, with and without progress.

Run with ``.venv/bin/python -m pytest tests/bench/bench_export.py -s`` or as a script
(``.venv/bin/python tests/bench/bench_export.py``). Target: ≤ 5 s for each export. The deck
files, the database (synced by the store, then given FSRS states and a review log) and the
exports all live in a temporary directory. Prints the figures; asserts only that the exports
are complete.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from quizapp.export import prepare_anki, prepare_text
from quizapp.library import load_library
from quizapp.store.db import open_database
from quizapp.store.models import CardRow, ReviewLogRow
from quizapp.store.sync import sync_decks

N_DECKS = 10
QA_PER_DECK = 800  # 8,000 question cards
CLOZE_PER_DECK = 50  # 500 passages × 4 numbers = 2,000 cloze cards
REVIEWS_PER_CARD = 10  # 100,000 review-log rows


def write_decks(folder: Path) -> None:
    for d in range(N_DECKS):
        lines = [f"# Bench deck {d}", ""]
        for s in range(10):
            lines += [f"## 섹션 {s} (section {s})", ""]
            for q in range(QA_PER_DECK // 10):
                lines += [
                    f"Q: Question {d}-{s}-{q}: what is `x[{q}] < y & z` for <LSTM>?",
                    f"A: Answer {q} with **bold** and code:",
                    "```python",
                    f"if a < {q} & b:",
                    "    print('<ok>')",
                    "```",
                    "",
                ]
            for c in range(CLOZE_PER_DECK // 10):
                lines += [
                    f"Passage {d}-{s}-{c}: {{{{c1::LSTM}}}} takes {{{{c2::3-D}}}} input, "
                    f"{{{{c3::Dense}}}} takes {{{{c4::2-D}}}} input ({c}).",
                    "",
                ]
        (folder / f"bench-{d}.md").write_text("\n".join(lines), encoding="utf-8")


def fill_progress(db_path: Path) -> int:
    """Give every card an FSRS review state and REVIEWS_PER_CARD review-log rows."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    db = open_database(db_path)
    with db.session(write=True) as s:
        ids = list(s.scalars(select(CardRow.id)))
        s.execute(
            update(CardRow),
            [
                {
                    "id": cid,
                    "state": "review",
                    "stability": rng.uniform(1, 100),
                    "difficulty": rng.uniform(1, 10),
                    "due": now + timedelta(days=rng.randint(-5, 60)),
                    "last_review": now - timedelta(days=rng.randint(1, 30)),
                    "reps": REVIEWS_PER_CARD,
                    "lapses": 1,
                }
                for cid in ids
            ],
        )
        rows = []
        for cid in ids:
            at = now - timedelta(days=200, seconds=cid)
            for r in range(REVIEWS_PER_CARD):
                due_after = at + timedelta(days=r + 1)
                rows.append(
                    {
                        "card_id": cid,
                        "rating": rng.randint(1, 4),
                        "reviewed_at": at,
                        "duration_ms": rng.randint(1000, 20000),
                        "state_before": "new" if r == 0 else "review",
                        "state_after": "review",
                        "due_before": None,
                        "due_after": due_after,
                        "card_before": "{}",
                    }
                )
                at = due_after
        s.execute(insert(ReviewLogRow), rows)
    db.close()
    return len(rows)


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<44} {time.perf_counter() - t0:6.2f} s")
    return out


def run_benchmark(tmp: Path) -> dict[str, float]:
    decks = tmp / "decks"
    decks.mkdir()
    write_decks(decks)
    result = load_library([decks])
    n_cards = len(result.cards)
    db_path = tmp / "quizapp.sqlite3"
    db = open_database(db_path)
    sync_decks(db, result)
    db.close()
    n_reviews = fill_progress(db_path)
    print(f"\n{n_cards} cards, {n_reviews} review-log rows")

    figures: dict[str, float] = {}
    for label, db_arg in (("anki, no progress", None), ("anki --with-progress", db_path)):
        t0 = time.perf_counter()
        job, _ = prepare_anki([decks], (), tmp / "out.apkg", db_arg)
        report = job.run()
        figures[label] = time.perf_counter() - t0
        print(
            f"export {label:<37} {figures[label]:6.2f} s  ({report.cards} cards, "
            f"{report.reviews} reviews, {(tmp / 'out.apkg').stat().st_size / 1e6:.1f} MB)"
        )
        assert report.cards == n_cards
        assert report.reviews == (n_reviews if db_arg else 0)
    for label, plain in (("csv", False), ("csv --plain", True)):
        t0 = time.perf_counter()
        job_t, _ = prepare_text([decks], (), tmp / "out.txt", plain)
        job_t.run()
        figures[label] = time.perf_counter() - t0
        print(f"export {label:<37} {figures[label]:6.2f} s")
    return figures


@pytest.mark.bench
def test_bench_export(tmp_path: Path) -> None:
    figures = run_benchmark(tmp_path)
    assert set(figures) == {"anki, no progress", "anki --with-progress", "csv", "csv --plain"}


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        run_benchmark(Path(d))
    sys.exit(0)
