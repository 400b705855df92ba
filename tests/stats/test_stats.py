"""The statistics on review logs with known answers: every number asserted.

Local time is Europe/Berlin and the study day starts at 04:00. Berlin's clocks go back from
03:00 to 02:00 on Sunday 25 October 2026 (the study day of the 24th, which runs until 04:00
that morning, is 25 hours long) and forward from 02:00 to 03:00 on Sunday 29 March 2026 (the
study day of the 28th is 23 hours long).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from quizapp import scheduling
from quizapp.config import Config, parse_config
from quizapp.scheduling import SchedState
from quizapp.store import exams
from tests.stats.util import BERLIN, Store, berlin, berlin_local_time, make_store

pytestmark = pytest.mark.usefixtures("berlin_local_time")
__all__ = ["berlin_local_time"]

NOW = berlin(2026, 10, 27, 12)  # study day 27 October
DAY = 1.0
MINUTE = 1 / 1440


def _october(tmp_path: Path) -> Store:
    """Two decks; answers around the rollover hour and the October clock change; cards in
    every state."""
    st = make_store(
        tmp_path,
        {"alpha": ["a1", "a2", "a3", "a4", "a5", "a6", "a7"], "beta": ["b1", "b2"]},
    )
    # a1: 03:59 belongs to the 26th; 04:01, two minutes later, to the 27th, and is the card's
    # first answer of that study day (it counts, though not a day after the last).
    st.answer("a1", berlin(2026, 10, 27, 3, 59), 3, interval=10, elapsed=10)
    st.answer("a1", berlin(2026, 10, 27, 4, 1), 1, interval=12, elapsed=2 * MINUTE)
    st.answer("a1", berlin(2026, 10, 27, 4, 15), 3, "relearning", 10 * MINUTE, 14 * MINUTE)
    # a2: young (20 days), then mature (21 days) an hour later: the second answer of the day
    # does not count for true retention, but is a mature card's answer button.
    st.answer("a2", berlin(2026, 10, 27, 10), 3, interval=20, elapsed=20)
    st.answer("a2", berlin(2026, 10, 27, 11), 4, interval=21, elapsed=1 / 24)
    st.answer("a2", berlin(2026, 7, 19, 12), 1, interval=3, elapsed=3)  # 100 days ago
    # a3: 03:30 (winter time) on the 26th is still the 25th; 02:30 on the 25th comes twice
    # (summer time, then winter time), both before 04:00: the 24th, the 25-hour day.
    st.answer("a3", berlin(2026, 10, 26, 3, 30), 3, interval=30, elapsed=30)
    st.answer("a3", berlin(2026, 10, 25, 2, 30, fold=0), 1, interval=25, elapsed=25)
    st.answer("a3", berlin(2026, 10, 25, 2, 30, fold=1), 3, "relearning", 10 * MINUTE, 1 / 24)
    st.answer("a4", berlin(2026, 10, 27, 9), 3, "new")
    st.answer("a6", berlin(2026, 10, 17, 12), 3, interval=22, elapsed=22)  # 10 days ago
    st.answer("b1", berlin(2026, 10, 27, 9, 30), 2, interval=40, elapsed=40)

    st.card(
        "a1",
        state="relearning",
        due=berlin(2026, 10, 27, 12, 10),
        last_review=berlin(2026, 10, 27, 4, 15),
        stability=2.0,
        difficulty=6.0,
    )
    last = berlin(2026, 10, 27, 11)
    st.card(
        "a2",
        state="review",
        due=last + timedelta(days=25),
        last_review=last,
        stability=30.0,
        difficulty=4.0,
    )
    # Due at 03:30 local on the 31st: the study day of the 30th, the forecast's fourth day.
    last = berlin(2026, 10, 26, 3, 30)
    st.card(
        "a3",
        state="review",
        due=last + timedelta(days=5),
        last_review=last,
        stability=5.0,
        difficulty=5.0,
    )
    st.card(
        "a4",
        state="learning",
        due=berlin(2026, 10, 27, 9, 10),
        last_review=berlin(2026, 10, 27, 9),
        stability=0.5,
        difficulty=5.0,
    )
    st.card(  # buried until tomorrow, due today: not in the forecast, in the daily load
        "a6",
        state="review",
        due=berlin(2026, 10, 27, 15),
        last_review=berlin(2026, 10, 19, 15),
        stability=8.0,
        difficulty=7.0,
        buried_until=berlin(2026, 10, 28, 4),
    )
    st.card(
        "a7",
        state="review",
        retired=True,
        due=berlin(2026, 10, 28, 12),
        last_review=berlin(2026, 10, 18, 12),
        stability=10.0,
        difficulty=5.0,
    )
    last = berlin(2026, 9, 10, 12)
    st.card(  # overdue since the 20th
        "b1",
        state="review",
        due=last + timedelta(days=40),
        last_review=last,
        stability=40.0,
        difficulty=3.0,
    )
    st.card(
        "b2",
        state="review",
        suspended=True,
        due=berlin(2026, 10, 28, 12),
        last_review=berlin(2026, 10, 20, 12),
        stability=8.0,
        difficulty=8.0,
    )
    return st


def _cells(d: dict[str, Any], period: str) -> tuple[int, int]:
    return d[period]["passed"], d[period]["failed"]


@pytest.mark.parametrize("zone", ["process", "injected"])
def test_every_number_of_a_known_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    st = _october(tmp_path)
    if zone == "injected":  # the process runs in UTC; the zone is handed in
        import time

        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        j = st.json(NOW, tz=BERLIN)
    else:
        j = st.json(NOW)
    assert j["deck"] is None and j["date"] == "2026-10-27" and j["day_starts_at"] == 4
    assert j["today"] == {"reviews": 6, "new": 1, "again": 1, "seconds": 60.0}
    assert j["streak"] == {"current": 4, "longest": 4}
    assert j["heatmap"] == {
        "2026-07-19": 1,
        "2026-10-17": 1,
        "2026-10-24": 2,
        "2026-10-25": 1,
        "2026-10-26": 1,
        "2026-10-27": 6,
    }

    tr = j["true_retention"]
    young, mature, total = tr["young"], tr["mature"], tr["total"]
    assert [_cells(young, p) for p in ("today", "yesterday", "7d", "30d", "365d")] == [
        (1, 1),
        (1, 0),
        (2, 1),
        (2, 1),
        (2, 2),
    ]
    assert [_cells(mature, p) for p in ("today", "yesterday", "7d", "30d", "365d")] == [
        (1, 0),
        (0, 0),
        (2, 1),
        (3, 1),
        (3, 1),
    ]
    assert [_cells(total, p) for p in ("today", "yesterday", "7d", "30d", "365d")] == [
        (2, 1),
        (1, 0),
        (4, 2),
        (5, 2),
        (5, 3),
    ]
    assert total["yesterday"]["retention"] == 1.0
    assert total["7d"]["retention"] == pytest.approx(4 / 6, abs=1e-4)
    assert j["retention"] == {
        "7d": round(4 / 6, 4),
        "30d": round(5 / 7, 4),
        "365d": round(5 / 8, 4),
        "young_30d": round(2 / 3, 4),
        "mature_30d": 0.75,
    }
    assert j["desired_retention"] == 0.9

    assert j["buttons"] == {
        "learning": [0, 0, 3, 0],
        "young": [1, 0, 2, 0],
        "mature": [1, 1, 2, 1],
    }
    hours = {h["hour"]: (h["reviews"], h["correct"]) for h in j["hours"] if h["reviews"]}
    assert hours == {2: (2, 1), 3: (2, 2), 4: (2, 1), 9: (2, 2), 10: (1, 1), 11: (1, 1), 12: (1, 1)}
    assert len(j["hours"]) == 24 and j["hours"][4]["success"] == 0.5
    assert j["hours"][0] == {"hour": 0, "reviews": 0, "correct": 0, "success": None}

    days = {d["date"]: d for d in j["reviews"] if d["learning"] + d["review"] + d["relearning"]}
    assert len(j["reviews"]) == 30 and j["reviews"][-1]["date"] == "2026-10-27"
    assert j["reviews"][0]["date"] == "2026-09-28"
    assert {
        k: (v["learning"], v["review"], v["relearning"], v["seconds"]) for k, v in days.items()
    } == {
        "2026-10-17": (0, 1, 0, 10.0),
        "2026-10-24": (0, 1, 1, 20.0),
        "2026-10-25": (0, 1, 0, 10.0),
        "2026-10-26": (0, 1, 0, 10.0),
        "2026-10-27": (1, 4, 1, 60.0),
    }

    assert j["cards"] == {
        "new": 1,
        "learning": 1,
        "review": 3,
        "young": 1,
        "mature": 2,
        "relearning": 1,
        "suspended": 1,
        "buried": 1,
        "retired": 1,
        "total": 9,
    }
    forecast = j["forecast"]
    assert len(forecast) == 30
    assert {k: n for k, n in enumerate(forecast) if n} == {0: 2, 3: 1, 25: 1}
    assert j["overdue"] == 1
    assert j["daily_load"] == pytest.approx(1 + 1 / 25 + 1 / 5 + 1 + 1 / 8 + 1 / 40, abs=0.005)

    memory = j["memory"]
    assert memory["cards"] == 7
    assert [b["cards"] for b in memory["stability"]] == [1, 0, 1, 1, 2, 1, 1, 0, 0, 0, 0]
    assert [b["cards"] for b in memory["difficulty"]] == [0, 0, 1, 1, 2, 1, 1, 1, 0, 0]
    assert [b["cards"] for b in memory["interval"]] == [2, 0, 0, 1, 2, 1, 1, 0, 0, 0, 0]
    assert memory["stability"][0] == {"from": 0.0, "to": 1.0, "cards": 1}
    assert memory["stability"][-1] == {"from": 512.0, "to": None, "cards": 0}
    assert j["exams"] == []


def test_retrievability_is_the_fsrs_packages(tmp_path: Path) -> None:
    """Total knowledge is Σ R over the studied cards, each R as fsrs computes it."""
    st = _october(tmp_path)
    stats = st.stats(NOW)
    settings = Config().defaults
    expected: list[float] = []
    with st.db.session() as s:
        from sqlalchemy import select

        from quizapp.store.models import CardRow

        for row in s.scalars(select(CardRow).where(CardRow.state != "new", ~CardRow.retired)):
            expected.append(scheduling.retrievability(settings, row.id, SchedState.of(row), NOW))
    assert len(expected) == stats.memory.cards == 7
    assert stats.memory.total_knowledge == pytest.approx(sum(expected), abs=1e-9)
    bins = [0] * 10
    for r in expected:
        bins[min(9, int(r * 10))] += 1
    assert [b.cards for b in stats.memory.retrievability] == bins
    assert stats.memory.average_retrievability == pytest.approx(sum(expected) / 7)


def test_a_decks_own_fsrs_parameters_shape_its_retrievability(tmp_path: Path) -> None:
    st = _october(tmp_path)
    params = list(Config().defaults.parameters)
    params[20] = 0.5  # a much steeper forgetting curve for beta
    config = parse_config({"decks": {"beta": {"parameters": params}}})
    steep = st.stats(NOW, "beta", config)
    plain = st.stats(NOW, "beta")
    assert steep.memory.cards == plain.memory.cards == 2
    with st.db.session() as s:
        from quizapp.store.models import CardRow

        rows = [s.get(CardRow, st.ids[name]) for name in ("b1", "b2")]
        expected = sum(
            scheduling.retrievability(config.for_deck("beta"), r.id, SchedState.of(r), NOW)
            for r in rows
            if r is not None
        )
    assert steep.memory.total_knowledge == pytest.approx(expected, abs=1e-9)
    assert steep.memory.total_knowledge != pytest.approx(plain.memory.total_knowledge)


def test_one_deck_counts_only_its_cards(tmp_path: Path) -> None:
    st = _october(tmp_path)
    alpha, beta = st.json(NOW, "alpha"), st.json(NOW, "beta")
    assert alpha["deck"] == "alpha"
    assert alpha["today"] == {"reviews": 5, "new": 1, "again": 1, "seconds": 50.0}
    assert beta["today"] == {"reviews": 1, "new": 0, "again": 0, "seconds": 10.0}
    assert alpha["heatmap"]["2026-10-27"] == 5 and beta["heatmap"] == {"2026-10-27": 1}
    assert alpha["streak"] == {"current": 4, "longest": 4}
    assert beta["streak"] == {"current": 1, "longest": 1}
    assert _cells(alpha["true_retention"]["mature"], "today") == (0, 0)
    assert _cells(beta["true_retention"]["mature"], "today") == (1, 0)
    assert _cells(alpha["true_retention"]["young"], "365d") == (2, 2)
    assert _cells(beta["true_retention"]["young"], "365d") == (0, 0)
    assert beta["true_retention"]["young"]["365d"]["retention"] is None
    assert alpha["buttons"]["mature"] == [1, 0, 2, 1] and beta["buttons"]["mature"] == [0, 1, 0, 0]
    assert alpha["cards"]["total"] == 7 and beta["cards"]["total"] == 2
    assert beta["cards"]["suspended"] == 1 and beta["cards"]["mature"] == 1
    assert beta["overdue"] == 1 and alpha["overdue"] == 0
    assert sum(alpha["forecast"]) == 4 and sum(beta["forecast"]) == 0
    assert alpha["memory"]["cards"] == 5 and beta["memory"]["cards"] == 2
    every = st.json(NOW)
    for key in ("new", "learning", "young", "mature", "relearning", "suspended", "buried"):
        assert every["cards"][key] == alpha["cards"][key] + beta["cards"][key]
    assert every["memory"]["total_knowledge"] == pytest.approx(
        alpha["memory"]["total_knowledge"] + beta["memory"]["total_knowledge"], abs=0.02
    )


def test_an_empty_database(tmp_path: Path) -> None:
    st = make_store(tmp_path, {})
    j = st.json(NOW)
    assert j["today"] == {"reviews": 0, "new": 0, "again": 0, "seconds": 0.0}
    assert j["streak"] == {"current": 0, "longest": 0}
    assert j["retention"] == {
        "7d": None,
        "30d": None,
        "365d": None,
        "young_30d": None,
        "mature_30d": None,
    }
    assert j["true_retention"]["total"]["today"] == {"passed": 0, "failed": 0, "retention": None}
    assert all(v == 0 for v in j["cards"].values())
    assert j["forecast"] == [0] * 30 and j["overdue"] == 0 and j["daily_load"] == 0
    assert j["heatmap"] == {} and j["exams"] == []
    assert j["memory"]["cards"] == 0 and j["memory"]["total_knowledge"] == 0
    assert j["memory"]["average_retrievability"] is None
    assert all(h["reviews"] == 0 and h["success"] is None for h in j["hours"])
    assert j["buttons"] == {"learning": [0] * 4, "young": [0] * 4, "mature": [0] * 4}
    assert list(j) == [
        "deck",
        "date",
        "day_starts_at",
        "today",
        "streak",
        "retention",
        "true_retention",
        "desired_retention",
        "cards",
        "forecast",
        "overdue",
        "daily_load",
        "heatmap",
        "reviews",
        "memory",
        "period",
        "hours",
        "buttons",
        "exams",
        "exam_dates",
    ]
    assert j["exam_dates"] == []
    assert j["period"] == {"name": "1m", "first_day": "2026-09-28", "days": 30}


def test_the_spring_clock_change_and_streaks(tmp_path: Path) -> None:
    """03:30 on 29 March (summer time) is still the 28th; 03:59 on the 30th is the 29th. The
    current streak runs to yesterday while nothing is answered today; the longest one may be
    older than the calendar."""
    st = make_store(tmp_path, {"alpha": ["a1", "a2"], "beta": ["b1"]})
    now = berlin(2026, 3, 30, 12)
    st.answer("a1", berlin(2026, 3, 29, 3, 30), 3, interval=2, elapsed=2)
    st.answer("a1", berlin(2026, 3, 29, 4, 30), 3, interval=3, elapsed=1 / 24)
    st.answer("a2", berlin(2026, 3, 30, 3, 59), 3, interval=4, elapsed=4)
    for k in range(3):  # three days in a row, about 400 days ago
        st.answer("b1", berlin(2025, 2, 20 + k, 12), 3, interval=1, elapsed=1)
    j = st.json(now)
    assert j["date"] == "2026-03-30"
    assert j["heatmap"] == {"2026-03-28": 1, "2026-03-29": 2}
    assert j["today"]["reviews"] == 0
    assert j["streak"] == {"current": 2, "longest": 3}
    assert _cells(j["true_retention"]["young"], "yesterday") == (2, 0)  # a1's second: 25 h
    assert j["hours"][3]["reviews"] == 2 and j["hours"][4]["reviews"] == 1
    beta = st.json(now, "beta")
    assert beta["streak"] == {"current": 0, "longest": 3} and beta["heatmap"] == {}
    st.answer("a1", berlin(2026, 3, 30, 9), 3, interval=1, elapsed=1)
    assert st.json(now)["streak"] == {"current": 3, "longest": 3}


def test_a_study_day_can_start_at_midnight_or_late(tmp_path: Path) -> None:
    st = make_store(tmp_path, {"alpha": ["a1"]})
    st.answer("a1", berlin(2026, 10, 27, 0, 30), 3, interval=2, elapsed=2)
    st.answer("a1", berlin(2026, 10, 27, 5, 30), 3, interval=3, elapsed=5 / 24)
    midnight = st.json(NOW, config=parse_config({"day_starts_at": 0}))
    assert midnight["heatmap"] == {"2026-10-27": 2}
    assert _cells(midnight["true_retention"]["young"], "today") == (1, 0)  # one is a repeat
    six = st.json(NOW, config=parse_config({"day_starts_at": 6}))
    assert six["heatmap"] == {"2026-10-26": 2} and six["date"] == "2026-10-27"
    assert six["day_starts_at"] == 6


def test_exam_scores_per_deck(tmp_path: Path) -> None:
    st = _october(tmp_path)
    base = berlin(2026, 10, 20, 12)

    def record(exam: int, n: int, deck: str, credit: float, at_minutes: int) -> None:
        exams.record_answer(
            st.db,
            exam,
            exams.AnswerRecord(
                n=n,
                qtype="mcq",
                card_key=f"{deck}:q{n}",
                deck=deck,
                section=("Notes",),
                prompt=f"[bold]{deck} question {n}",
                options=(),
                answer="x",
                given="x",
                result="right" if credit == 1 else "wrong",
                credit=credit,
                override=False,
                seconds=3.0,
                missed=(),
            ),
            base + timedelta(minutes=at_minutes),
        )

    first = exams.start_exam(
        st.db, started_at=base, deck_ids=["alpha", "beta"], options={}, seed=1, questions=4
    )
    for n, (deck, credit) in enumerate(
        [("alpha", 1.0), ("alpha", 0.5), ("alpha", 0.0), ("beta", 1.0)], 1
    ):
        record(first, n, deck, credit, n)
    exams.finish_exam(st.db, first, base + timedelta(minutes=10), 600)
    second = exams.start_exam(
        st.db,
        started_at=base + timedelta(days=1),
        deck_ids=["alpha"],
        options={},
        seed=2,
        questions=2,
    )
    record(second, 1, "alpha", 1.0, 1441)
    record(second, 2, "alpha", 1.0, 1442)
    exams.finish_exam(st.db, second, base + timedelta(days=1, minutes=5), 300)
    unfinished = exams.start_exam(
        st.db,
        started_at=base + timedelta(days=2),
        deck_ids=["alpha"],
        options={},
        seed=3,
        questions=1,
    )
    record(unfinished, 1, "alpha", 0.0, 2881)

    j = st.json(NOW)
    assert [(e["deck"], e["title"]) for e in j["exams"]] == [
        ("alpha", "Deck alpha"),
        ("beta", "Deck beta"),
    ]
    alpha, beta = j["exams"]
    assert [(x["exam"], x["score"], x["questions"]) for x in alpha["scores"]] == [
        (second, 1.0, 2),
        (first, 0.5, 3),
    ]
    assert [(x["exam"], x["score"], x["questions"]) for x in beta["scores"]] == [(first, 1.0, 1)]
    assert alpha["scores"][0]["finished_at"] == (base + timedelta(days=1, minutes=5)).isoformat()
    assert [e["deck"] for e in st.json(NOW, "beta")["exams"]] == ["beta"]
