"""Reading review histories: quizapp's review log, a CSV file, and their bad files."""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.optimize import OptimizeError
from quizapp.optimize import items as k
from quizapp.optimize.items import StudyDays, TrainingSet, training_set
from quizapp.optimize.sources import (
    from_csv,
    from_database,
    fsrs_items_from_database,
    training_set_from_database,
)
from quizapp.review import ReviewService
from quizapp.store import exams, queries
from quizapp.store.db import Database, open_database
from quizapp.store.models import CardRow, ExamAnswerRow
from tests.store.util import Clock, qa_deck, require_josh_csv, write_deck

DAYS = StudyDays(4, UTC)
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
HEADER = "card_id,review_rating,review_time,review_duration\n"


def expected_items(answers: list[tuple[int, int, int]]) -> list[tuple[tuple[int, int], ...]]:
    """Items from (card, day, rating) answers, given in time order, of cards that started new."""
    by_card: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for order, (card, day, rating) in enumerate(answers):
        by_card[card].append((order, day, rating))
    out = []
    for answers_of_card in by_card.values():
        pairs, prev = [], None
        for order, day, rating in answers_of_card:
            pairs.append((rating, 0 if prev is None else day - prev))
            if prev is not None and day > prev:
                out.append((order, tuple(pairs)))
            prev = day
    return [item for _, item in sorted(out)]


def test_the_review_log_of_the_database_without_exam_answers(
    tmp_path: Path, deck_dir: Path
) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", [(f"A{i}?", f"a{i}") for i in range(4)]))
    write_deck(deck_dir, "b.md", qa_deck("b", [(f"B{i}?", f"b{i}") for i in range(3)]))
    clock = Clock(T0)
    cfg = tmp_path / "config.toml"
    cfg.write_text("", encoding="utf-8")
    service = ReviewService(tmp_path / "q.sqlite3", [deck_dir], config_path=cfg, clock=clock)
    assert service.sync().errors == []
    answers: dict[str, list[tuple[int, int, int]]] = {"a": [], "b": []}
    ratings = [3, 3, 1, 3, 4, 2, 3]
    n = 0
    for day in (0, 1, 3, 4, 8, 15, 30, 31, 60):
        clock.now = T0 + timedelta(days=day)
        session = service.start()
        while (card := session.next_card()) is not None:
            rating = ratings[n % len(ratings)]
            n += 1
            session.answer(card, rating, 2000)
            clock.advance(seconds=5)
            answers[card.deck].append((card.card_id, day, rating))
    service.close()
    db = open_database(tmp_path / "q.sqlite3")
    try:
        _answer_an_exam(db, only_a_card=answers["a"][0][0])
        every = from_database(db, None, DAYS)
        only_a = from_database(db, "a", DAYS)
    finally:
        db.close()
    assert every.reviews == len(answers["a"]) + len(answers["b"]) > 40
    assert every.card_count == 7 and only_a.card_count == 4
    assert only_a.reviews == len(answers["a"])
    first = [es[0][k.KIND] for es in every.cards.values()]
    assert first == [k.LEARN] * 7  # every card's history starts with its first learning step
    ts = training_set(only_a)
    assert ts.items() == expected_items(answers["a"])
    assert len(training_set(every)) == len(expected_items(answers["a"])) + len(
        expected_items(answers["b"])
    )
    # What `quizapp optimize` fits on: the same items, read straight from the rows.
    db = open_database(tmp_path / "q.sqlite3", migrate=False)
    try:
        direct = {deck: training_set_from_database(db, deck, DAYS) for deck in (None, "a")}
    finally:
        db.close()
    assert _same(direct["a"], ts) and _same(direct[None], training_set(every))


def _same(a: TrainingSet, b: TrainingSet) -> bool:
    return (a.reviews, a.cards, a.histories, a.ends, a.ats, a.order) == (
        b.reviews, b.cards, b.histories, b.ends, b.ats, b.order
    )  # fmt: skip


def test_the_review_log_rules_on_rows_of_its_own(tmp_path: Path, deck_dir: Path) -> None:
    """Answers written into the review log as they are stored: a study day begins at 04:00 to
    the millisecond; a card without its learning steps gives no items; a card learnt again
    gives items from its last learning steps on."""
    write_deck(deck_dir, "a.md", qa_deck("a", [(f"A{i}?", f"a{i}") for i in range(3)]))
    service = ReviewService(tmp_path / "q.sqlite3", [deck_dir], clock=Clock(T0))
    assert service.sync().errors == []
    service.close()
    day0 = datetime(2026, 3, 2, 4, tzinfo=UTC)  # a study day's first instant (UTC, 04:00)
    tick = timedelta(milliseconds=1)
    rows = [  # (card, time, rating, state before)
        (1, day0 + timedelta(days=1), 3, "review"),  # no learning step: no items
        (1, day0 + timedelta(days=4), 3, "review"),
        (2, day0, 3, "new"),
        (2, day0 + timedelta(hours=1), 3, "learning"),
        (2, day0 + timedelta(days=1) - tick, 1, "review"),  # still study day 0
        (2, day0 + timedelta(days=1), 3, "relearning"),  # study day 1
        (2, day0 + timedelta(days=3, hours=23), 4, "review"),  # day 3
        (3, day0, 1, "new"),
        (3, day0 + timedelta(days=2), 3, "review"),
        (3, day0 + timedelta(days=5), 2, "new"),  # learnt again: the history starts here
        (3, day0 + timedelta(days=5, minutes=10), 3, "learning"),
        (3, day0 + timedelta(days=7), 3, "review"),
    ]
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    with sqlite3.connect(tmp_path / "q.sqlite3") as con:
        con.execute("DELETE FROM review_log")
        con.executemany(
            "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before,"
            " state_after, due_after, card_before) VALUES (?, ?, ?, 1000, ?, 'review', ?, '{}')",
            [(c, r, at.strftime(stamp), state, at.strftime(stamp)) for c, at, r, state in rows],
        )
    con.close()
    db = open_database(tmp_path / "q.sqlite3", migrate=False)
    try:
        history = from_database(db, None, DAYS)
        direct = training_set_from_database(db, None, DAYS)
        with db.session() as s:
            plans = [
                s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
                for sql, params in map(queries.review_history_query, (None, "a"))
            ]
    finally:
        db.close()
    assert history.reviews == direct.reviews == len(rows)
    assert history.card_count == direct.cards == 3
    two = ((3, 0), (3, 0), (1, 0), (3, 1), (4, 2))
    three = ((2, 0), (3, 0), (3, 2))
    assert training_set(history).items() == direct.items() == [two[:4], two, three]
    assert _same(direct, training_set(history))
    # A million answers are read in order from one index, without a sort.
    for plan in plans:
        steps = " / ".join(str(row[-1]) for row in plan)
        assert "COVERING INDEX ix_review_log_history" in steps and "TEMP B-TREE" not in steps


def _answer_an_exam(db: Database, only_a_card: int) -> None:
    """An exam on deck a, answered wrong and right: recognition, never part of the fit."""
    with db.session() as s:
        key = s.scalar(select(CardRow.key).where(CardRow.id == only_a_card))
    assert key is not None
    at = T0 + timedelta(days=61)
    exam = exams.start_exam(db, started_at=at, deck_ids=["a"], options={}, seed=1, questions=2)
    for n, result in enumerate(("wrong", "right")):
        exams.record_answer(
            db,
            exam,
            exams.AnswerRecord(
                n=n, qtype="choice", card_key=key, deck="a", section=(), prompt="A0?",
                options=("a0", "b0"), answer="a0", given="b0" if n == 0 else "a0",
                result=result, credit=float(n), override=False, seconds=3.0,
                missed=(key,) if n == 0 else (),
            ),
            at,
        )  # fmt: skip
    exams.finish_exam(db, exam, at, 6.0)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ExamAnswerRow)) == 2


def write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_a_csv_review_log(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        HEADER
        + "7,3,2024-03-02T12:00:00+00:00,5000\n"
        + "5,3,2024-03-01T12:00:00Z,4000\n"
        + "5,1,2024-03-03T13:00:00.5+00:00,9000\n"
        + "7,4,1709640000000,\n"  # milliseconds since 1970: 2024-03-05 12:00 UTC
        + "\n"
        + "5,3,2024-03-03T13:10:00+00:00,3000\n",
    )
    h = from_csv(p, DAYS)
    assert list(h.cards) == [7, 5]  # in the file's order of first appearance
    assert [(e[k.RATING], e[k.KIND], e[k.DURATION]) for e in h.cards[5]] == [
        (3, k.LEARN, 4000),
        (1, k.REVIEW, 9000),
        (3, k.REVIEW, 3000),
    ]
    assert (h.reviews, h.card_count) == (5, 2)
    assert training_set(h).items() == [((3, 0), (1, 2)), ((3, 0), (4, 3))]


def test_the_real_review_log_csv() -> None:
    h = from_csv(require_josh_csv(), DAYS)
    ts = training_set(h)
    assert (h.reviews, h.card_count, len(ts)) == (12_580, 1_205, 6_276)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"log\.csv: empty file \(expected the header line card_id,review_rating,"),
        (
            "card_id,rating,review_time\n1,3,2024-03-01T12:00:00Z\n",
            r"log\.csv:1: missing column review_rating",
        ),
        ("card,when\n", r"log\.csv:1: missing columns card_id, review_rating, review_time"),
        (
            HEADER + "1,3,2024-03-01T12:00:00Z,1\n1,5,2024-03-02T12:00:00Z,1\n",
            r"log\.csv:3: unknown rating '5' \(expected 1 \(Again\)",
        ),
        (HEADER + "1,Good,2024-03-01T12:00:00Z,1\n", r"log\.csv:2: unknown rating 'Good'"),
        (
            HEADER + "x1,3,2024-03-01T12:00:00Z,1\n",
            r"log\.csv:2: card_id 'x1' is not a whole number",
        ),
        (
            HEADER + "1,3,yesterday,1\n",
            r"log\.csv:2: review_time 'yesterday' is not an ISO 8601 time",
        ),
        (
            HEADER + "1,3,2024-03-01T12:00:00,1\n",
            r"log\.csv:2: review_time '2024-03-01T12:00:00' has no time zone",
        ),
        (HEADER + "1,3,2024-03-01T12:00:00Z\n", r"log\.csv:2: 3 fields, the header has 4"),
        (HEADER + "1,3,2024-03-01T12:00:00Z,-5\n", r"log\.csv:2: review_duration -5 is negative"),
    ],
)
def test_bad_csv_files_are_one_line_errors_naming_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(OptimizeError, match=message) as err:
        from_csv(write(tmp_path, text), DAYS)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith(str(tmp_path / "log.csv"))


def test_unreadable_csv_files(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(HEADER.encode() + b"1,3,2024-03-01T12:00:00Z,1\n" + b"2,3,\xe9t\xe9,1\n")
    with pytest.raises(OptimizeError, match=r"latin1\.csv:3: not UTF-8 text"):
        from_csv(bad, DAYS)
    with pytest.raises(OptimizeError, match=r"missing\.csv: no such file"):
        from_csv(tmp_path / "missing.csv", DAYS)
    with pytest.raises(OptimizeError, match="is a directory"):
        from_csv(tmp_path, DAYS)


def test_the_fsrs_items_of_the_review_log_are_its_training_items_as_fsrs_rs_objects(
    tmp_path: Path, deck_dir: Path
) -> None:
    """What `quizapp optimize` hands fsrs-rs, made in one pass over the rows, is the training
    set of the rows as fsrs-rs objects: the same items in the same (time) order, each with its
    card, on every deck and on one — on a log with learning steps, lapses, cards learnt again,
    cards without a start, several reviews a day and answers at the same instant."""
    write_deck(deck_dir, "a.md", qa_deck("a", [(f"A{i}?", f"a{i}") for i in range(20)]))
    write_deck(deck_dir, "b.md", qa_deck("b", [(f"B{i}?", f"b{i}") for i in range(20)]))
    service = ReviewService(tmp_path / "q.sqlite3", [deck_dir], clock=Clock(T0))
    assert service.sync().errors == []
    service.close()
    rng = random.Random(11)
    day0 = datetime(2026, 3, 2, 4, tzinfo=UTC)
    rows = []
    for card in range(1, 41):
        at = day0 + timedelta(minutes=rng.randrange(0, 3000))
        state = "new" if card % 9 else "review"  # every ninth card: no start, no items
        for _ in range(rng.randrange(1, 25)):
            rows.append((card, rng.randint(1, 4), at, state))
            state = rng.choice(["learning", "review", "review", "relearning", "new"])
            at += rng.choice([timedelta(0), timedelta(minutes=10), timedelta(hours=20)]) + (
                timedelta(days=rng.randrange(0, 30))
            )
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    with sqlite3.connect(tmp_path / "q.sqlite3") as con:
        con.execute("DELETE FROM review_log")
        con.executemany(
            "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before,"
            " state_after, due_after, card_before) VALUES (?, ?, ?, 1000, ?, 'review', ?, '{}')",
            [(c, r, at.strftime(stamp), st, at.strftime(stamp)) for c, r, at, st in rows],
        )
    con.close()
    db = open_database(tmp_path / "q.sqlite3", migrate=False)
    try:
        for deck in (None, "a", "b"):
            want = training_set_from_database(db, deck, DAYS)
            got = fsrs_items_from_database(db, deck, DAYS)
            assert len(got) == len(want) > 30
            assert (got.reviews, got.cards, got.used_cards) == (
                want.reviews,
                want.cards,
                len(want.histories),
            )
            assert [repr(i) for i in got.items] == [repr(i) for i in want.fsrs_items()]
            assert got.card_ids == want.card_ids()
    finally:
        db.close()
