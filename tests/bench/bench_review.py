"""Review benchmark: 100,000 cards in 10 deck files, 1,000,000 review-log rows, vs Anki.

Run on demand (not a timed test):

    .venv/bin/python tests/bench/bench_review.py            # or
    .venv/bin/python -m pytest tests/bench/bench_review.py -s

The generated data is kept in ``$QUIZAPP_BENCH_DIR`` (default: a ``quizapp-bench`` directory in
the system temp dir) and reused. Ratings and answer times of the synthetic history are drawn from
the real review log in ``../shared/data/review_logs_josh.csv`` when it is present.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

N_FILES = 10
SECTIONS = 100
PER_SECTION = 100  # 10 x 100 x 100 = 100,000 cards
N_LOG = 1_000_000
NEW_SHARE = 0.1
SEED = 1234
REPO = Path(__file__).resolve().parents[2]
REAL_LOG = REPO / ".." / "shared" / "data" / "review_logs_josh.csv"
QUIZAPP = Path(sys.executable).with_name("quizapp")


@dataclass(frozen=True)
class Shape:
    """How much data to build: deck files × sections × cards per section, review-log rows."""

    files: int = N_FILES
    sections: int = SECTIONS
    per_section: int = PER_SECTION
    log: int = N_LOG

    @property
    def cards(self) -> int:
        return self.files * self.sections * self.per_section


FULL = Shape()  # this benchmark's 100,000 cards and 1,000,000 rows


def bench_dir() -> Path:
    return Path(os.environ.get("QUIZAPP_BENCH_DIR", Path(tempfile.gettempdir()) / "quizapp-bench"))


def review_dir() -> Path:
    """This benchmark's data (``bench_tui.py`` reads it too), a folder of its own: its builder
    starts it afresh, which must not take the other benchmarks' folders with it."""
    return bench_dir() / "review-100k"


# --- data -----------------------------------------------------------------------------------


def write_decks(deck_dir: Path, shape: Shape = FULL) -> None:
    deck_dir.mkdir(parents=True, exist_ok=True)
    for f in range(shape.files):
        lines = ["---", f"id: bench-{f}", f"title: Bench deck {f}", "---", "", f"# Bench {f}", ""]
        for s in range(shape.sections):
            lines += [f"## Section {s}", ""]
            for i in range(shape.per_section):
                lines += [f"Q: Deck {f}, section {s}: what is {i} + {s}?", f"A: {i + s}", ""]
        (deck_dir / f"bench-{f}.md").write_text("\n".join(lines), encoding="utf-8")


def real_answers() -> list[tuple[int, int]]:
    """(rating, duration ms) pairs from the real review log, or a fixed mix without it."""
    if REAL_LOG.is_file():
        with REAL_LOG.open(newline="") as fh:
            return [
                (int(r["review_rating"]), min(int(r["review_duration"]), 120_000))
                for r in csv.DictReader(fh)
            ]
    print(f"note: {REAL_LOG} not found; using a fixed rating mix for the synthetic history")
    return [(1, 9000)] * 15 + [(2, 8000)] * 5 + [(3, 6000)] * 75 + [(4, 4000)] * 5


def card_plan(n_cards: int, now: datetime) -> list[dict[str, Any]]:
    """The same scheduling state for both apps: new, or review due -3..+90 days from now."""
    rng = random.Random(SEED)
    plans = []
    for i in range(n_cards):
        if rng.random() < NEW_SHARE:
            plans.append({"new": True})
            continue
        ivl = rng.randint(1, 120)
        due_days = rng.randint(-3, 90)
        plans.append(
            {
                "new": False,
                "ivl": ivl,
                "due": now + timedelta(days=due_days, minutes=rng.randint(-600, 600)),
                "due_days": due_days,
                "stability": float(ivl),
                "difficulty": rng.uniform(2, 8),
                "reps": 0,
                "index": i,
            }
        )
    return plans


def history(
    plans: list[dict[str, Any]], now: datetime, n_log: int = N_LOG
) -> list[tuple[int, int, int, datetime]]:
    """``n_log`` (plan index, rating, duration, time) rows spread over the reviewed cards."""
    rng = random.Random(SEED + 1)
    answers = real_answers()
    reviewed = [i for i, p in enumerate(plans) if not p["new"]]
    rows = []
    for n in range(n_log):
        idx = reviewed[n % len(reviewed)]
        rating, duration = answers[rng.randrange(len(answers))]
        when = now - timedelta(days=rng.uniform(1, 365))
        rows.append((idx, rating, duration, when))
        plans[idx]["reps"] += 1
    return rows


def build_quizapp(root: Path, now: datetime, shape: Shape = FULL) -> tuple[Path, Path]:
    from sqlalchemy import insert, select, update

    from quizapp.library import load_library
    from quizapp.store.db import open_database
    from quizapp.store.models import CardRow, ReviewLogRow
    from quizapp.store.sync import sync_library

    deck_dir, db_path = root / "decks", root / "quizapp.sqlite3"
    marker = root / "quizapp.done"
    if marker.exists():
        return deck_dir, db_path
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    write_decks(deck_dir, shape)
    t = time.perf_counter()
    db = open_database(db_path)
    report = sync_library(db, [deck_dir], load_library)
    print(f"first sync of {shape.cards:,} cards: {time.perf_counter() - t:.1f} s ({report})")
    with db.session(write=True) as s:
        ids = list(s.scalars(select(CardRow.id).order_by(CardRow.id)))
    plans = card_plan(len(ids), now)
    log = history(plans, now, shape.log)
    t = time.perf_counter()
    with db.session(write=True) as s:
        updates = [
            {
                "id": ids[i],
                "state": "review",
                "step": None,
                "stability": p["stability"],
                "difficulty": p["difficulty"],
                "due": p["due"],
                "last_review": p["due"] - timedelta(days=p["ivl"]),
                "reps": p["reps"],
            }
            for i, p in enumerate(plans)
            if not p["new"]
        ]
        s.execute(update(CardRow), updates)
    with db.engine.begin() as conn:
        chunk = 50_000
        for start in range(0, len(log), chunk):
            conn.execute(
                insert(ReviewLogRow.__table__),
                [
                    {
                        "card_id": ids[idx],
                        "rating": rating,
                        "reviewed_at": when,
                        "duration_ms": duration,
                        "state_before": "review",
                        "state_after": "review" if rating > 1 else "relearning",
                        "due_before": when,
                        "due_after": when + timedelta(days=3),
                        "card_before": "{}",
                    }
                    for idx, rating, duration, when in log[start : start + chunk]
                ],
            )
    print(f"scheduling state and {shape.log:,} review-log rows: {time.perf_counter() - t:.1f} s")
    db.close()
    marker.touch()
    return deck_dir, db_path


def build_anki(root: Path, now: datetime, shape: Shape = FULL) -> Path:
    """The same cards (Basic notes, one subdeck per deck file) and review log in Anki."""
    import sqlite3

    from anki.collection import Collection
    from anki.utils import guid64

    path = root / "anki" / "collection.anki2"
    marker = root / "anki.done"
    if marker.exists():
        return path
    shutil.rmtree(path.parent, ignore_errors=True)
    path.parent.mkdir(parents=True)
    t = time.perf_counter()
    col = Collection(str(path))
    model = col.models.by_name("Basic")
    assert model is not None
    today = col.sched.today
    # Reviewing "Bench" reviews every subdeck; lift the parent's own limits so that, as in
    # quizapp, each subdeck's 20 new / 200 reviews apply.
    parent_id = col.decks.id("Bench")
    assert parent_id is not None
    conf = col.decks.add_config_returning_id("Bench parent")
    conf_dict = col.decks.get_config(conf)
    assert conf_dict is not None
    conf_dict["new"]["perDay"] = 9999
    conf_dict["rev"]["perDay"] = 9999
    col.decks.update_config(conf_dict)
    parent = col.decks.get(parent_id)
    assert parent is not None
    parent["conf"] = conf
    col.decks.save(parent)
    deck_ids = [col.decks.id(f"Bench::Bench deck {f}") for f in range(shape.files)]
    col.decks.select(parent_id)
    col.set_config("fsrs", True)  # the same scheduler family as quizapp
    col.close()

    n_cards = shape.cards
    plans = card_plan(n_cards, now)
    log = history(plans, now, shape.log)
    notes, cards = [], []
    base_id = int(now.timestamp() * 1000) - n_cards - 10
    k = 0
    for f in range(shape.files):
        did = deck_ids[f]
        for s in range(shape.sections):
            for i in range(shape.per_section):
                nid = cid = base_id + k
                front, back = f"Deck {f}, section {s}: what is {i} + {s}?", str(i + s)
                csum = int(hashlib.sha1(front.encode()).hexdigest()[:8], 16)
                notes.append(
                    (
                        nid,
                        guid64(),
                        model["id"],
                        0,
                        -1,
                        "",
                        f"{front}\x1f{back}",
                        front,
                        csum,
                        0,
                        "",
                    )
                )
                p = plans[k]
                if p["new"]:
                    row = (cid, nid, did, 0, 0, -1, 0, 0, k, 0, 0, 0, 0, 0, 0, 0, 0, "")
                else:
                    due = today + p["due_days"]
                    row = (cid, nid, did, 0, 0, -1, 2, 2, due, p["ivl"], 2500, p["reps"])
                    row += (0, 0, 0, 0, 0, "")
                cards.append(row)
                k += 1
    revlog = []
    for n, (idx, rating, duration, when) in enumerate(log):
        rid = int(when.timestamp() * 1000) * 10 + n % 10  # unique millisecond-style ids
        revlog.append((rid, base_id + idx, -1, rating, 3, 1, 2500, duration, 1))
    con = sqlite3.connect(path)
    with con:
        con.executemany(
            "insert into notes (id,guid,mid,mod,usn,tags,flds,sfld,csum,flags,data)"
            " values (?,?,?,?,?,?,?,?,?,?,?)",
            notes,
        )
        con.executemany(
            "insert into cards (id,nid,did,ord,mod,usn,type,queue,due,ivl,factor,reps,lapses,"
            "left,odue,odid,flags,data) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            cards,
        )
        con.executemany(
            "insert or ignore into revlog (id,cid,usn,ease,ivl,lastIvl,factor,time,type)"
            " values (?,?,?,?,?,?,?,?,?)",
            revlog,
        )
    con.close()
    col = Collection(str(path))
    assert col.card_count() == n_cards
    col.close()
    print(f"Anki collection with the same cards and review log: {time.perf_counter() - t:.1f} s")
    marker.touch()
    return path


# --- measurements ---------------------------------------------------------------------------


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time (s) of ``fn`` and its last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def subprocess_time(args: list[str], repeat: int = 3) -> float:
    def run() -> None:
        subprocess.run(args, check=True, capture_output=True)

    return timed(run, repeat)[0]


FIRST_CARD = """
import sys, time
t = time.perf_counter()
from pathlib import Path
from quizapp.review import ReviewService
s = ReviewService(Path(sys.argv[1]), [Path(sys.argv[2])], config_path=Path(sys.argv[3]))
s.sync()
card = s.start().step().card
assert card is not None
print(time.perf_counter() - t)
"""

ANKI_DUE = """
import json, sys
from anki.collection import Collection
col = Collection(sys.argv[1])
tree = col.sched.deck_due_tree()
print(json.dumps([[c.name, c.new_count, c.learn_count, c.review_count] for c in tree.children]))
col.close()
"""

ANKI_FIRST_CARD = """
import sys, time
t = time.perf_counter()
from anki.collection import Collection
col = Collection(sys.argv[1])
assert col.sched.get_queued_cards().cards
print(time.perf_counter() - t)
col.close()
"""


def measure_quizapp(deck_dir: Path, db_path: Path, work: Path) -> dict[str, float]:
    from quizapp.review import ReviewService

    db = work / "quizapp.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        src = db_path.with_name(db_path.name + suffix)
        if src.exists():
            shutil.copy(src, db.with_name(db.name + suffix))
    config = work / "config.toml"
    config.write_text("")
    out: dict[str, float] = {}

    service = ReviewService(db, [deck_dir], config_path=config)
    out["sync_unchanged"], report = timed(service.sync, 7)
    assert report.parsed_files == 0, report
    out["deck_counts"], counts = timed(service.deck_counts, 5)
    print(f"  today: {sum(c.new for c in counts)} new, {sum(c.review for c in counts)} reviews")

    def first_card() -> Any:
        svc = ReviewService(db, [deck_dir], config_path=config)
        svc.sync()
        card = svc.start().step().card
        svc.close()
        return card

    out["first_card_in_process"], card = timed(first_card, 5)
    assert card is not None
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", FIRST_CARD, str(db), str(deck_dir), str(config)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(3)
    ]
    out["first_card_cold_process"] = statistics.median(runs)

    session = service.start()
    card = session.step().card
    lat = []
    for n in range(300):
        assert card is not None
        t = time.perf_counter()
        # One call: the answer saved, then the next card with its grade previews and the counts.
        card = session.answer(card, (3, 3, 3, 1, 4)[n % 5], 2000).card
        lat.append(time.perf_counter() - t)
    out["answer_to_next_median"] = statistics.median(lat)
    out["answer_to_next_p95"] = sorted(lat)[int(len(lat) * 0.95)]
    service.close()

    env_args = [str(QUIZAPP), "--db", str(db), "--decks", str(deck_dir), "due", "--json"]
    out["due_json_wall"] = subprocess_time(env_args)
    return out


def measure_anki(col_path: Path, work: Path) -> dict[str, float]:
    from anki.cards import Card
    from anki.collection import Collection
    from anki.scheduler_pb2 import CardAnswer

    path = work / "collection.anki2"
    shutil.copy(col_path, path)
    out: dict[str, float] = {}

    def open_close() -> None:
        Collection(str(path)).close()

    out["open"] = timed(open_close, 3)[0]
    col = Collection(str(path))
    out["deck_counts"] = timed(col.sched.deck_due_tree, 5)[0]
    col.close()

    def first_card() -> Any:
        c = Collection(str(path))
        cards = c.sched.get_queued_cards().cards
        c.close()
        return cards

    out["first_card_in_process"] = timed(first_card, 3)[0]
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", ANKI_FIRST_CARD, str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(3)
    ]
    out["first_card_cold_process"] = statistics.median(runs)

    col = Collection(str(path))
    queued = col.sched.get_queued_cards().cards[0]
    ratings = (CardAnswer.GOOD, CardAnswer.GOOD, CardAnswer.GOOD, CardAnswer.AGAIN, CardAnswer.EASY)
    lat = []
    for n in range(300):
        t = time.perf_counter()
        card = Card(col)
        card._load_from_backend_card(queued.card)
        card.start_timer()
        answer = col.sched.build_answer(card=card, states=queued.states, rating=ratings[n % 5])
        col.sched.answer_card(answer)
        queued = col.sched.get_queued_cards().cards[0]
        lat.append(time.perf_counter() - t)
    out["answer_to_next_median"] = statistics.median(lat)
    out["answer_to_next_p95"] = sorted(lat)[int(len(lat) * 0.95)]
    col.close()

    out["due_counts_process"] = subprocess_time([sys.executable, "-c", ANKI_DUE, str(path)])
    return out


def run() -> dict[str, dict[str, float]]:
    root = review_dir()
    now = datetime.now(UTC)
    deck_dir, db_path = build_quizapp(root, now)
    col_path = build_anki(root, now)
    with tempfile.TemporaryDirectory() as tmp:
        q = measure_quizapp(deck_dir, db_path, Path(tmp))
        a = measure_anki(col_path, Path(tmp))
    rows = [
        ("launch to first card, in process", "first_card_in_process", "first_card_in_process"),
        ("launch to first card, new process", "first_card_cold_process", "first_card_cold_process"),
        ("answer to next card, median", "answer_to_next_median", "answer_to_next_median"),
        ("answer to next card, 95th pct", "answer_to_next_p95", "answer_to_next_p95"),
        ("deck due counts (open collection)", "deck_counts", "deck_counts"),
        ("`quizapp due --json` (a new process)", "due_json_wall", "due_counts_process"),
    ]
    print(f"\n{'operation':<42} {'quizapp':>10} {'Anki':>10} {'ratio':>7}")
    for label, qk, ak in rows:
        print(f"{label:<42} {q[qk] * 1000:>8.1f}ms {a[ak] * 1000:>8.1f}ms {q[qk] / a[ak]:>7.2f}")
    print(f"{'sync of unchanged decks':<42} {q['sync_unchanged'] * 1000:>8.1f}ms {'—':>10}")
    print(f"{'Anki: open collection':<42} {'':>10} {a['open'] * 1000:>8.1f}ms")
    return {"quizapp": q, "anki": a}


def test_benchmark() -> None:
    results = run()
    assert results["quizapp"]["answer_to_next_median"] > 0


if __name__ == "__main__":
    run()
