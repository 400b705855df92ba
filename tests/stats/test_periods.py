"""The hours of the day and the answer buttons over a period: the last month (the default), 3
months, a year, or every answer; known answers in each, every count asserted.

Local time is Europe/Berlin, the study day starts at 04:00, today is 27 October 2026 (winter
time since the 25th): the answers of the summer are counted at their summer-time hour.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from quizapp import scheduling
from quizapp.cli import STATS_PERIODS, cli
from quizapp.stats.model import BREAKDOWN_PERIODS
from quizapp.stats.service import hour_pieces
from quizapp.stats.text import stats_text
from tests.stats.util import Store, berlin, berlin_local_time, make_store

pytestmark = pytest.mark.usefixtures("berlin_local_time")
__all__ = ["berlin_local_time"]

NOW = berlin(2026, 10, 27, 12)


def _history(tmp_path: Path) -> Store:
    st = make_store(tmp_path, {"alpha": ["a1", "a2", "a3"], "beta": ["b1"]})
    # Today, 09:00 and 09:30: a new card Good, a young review Again.
    st.answer("a1", berlin(2026, 10, 27, 9), 3, "new")
    st.answer("a2", berlin(2026, 10, 27, 9, 30), 1, interval=5, elapsed=5)
    # 03:30 on 29 September is still the 28th's study day: the month's first (hour 3, young).
    st.answer("a2", berlin(2026, 9, 29, 3, 30), 3, interval=2, elapsed=2)
    # 45 days ago, 14:00 summer time: a mature card's Easy (in 3 months, not in the month).
    st.answer("a3", berlin(2026, 9, 12, 14), 4, interval=30, elapsed=30)
    # 30 July, the 3 months' first day, 23:00: Hard to a card in relearning.
    st.answer("a3", berlin(2026, 7, 30, 23), 2, "relearning", 0.01, 0.01)
    # 29 July, a day before the 3 months, and 10 April: in the year (beta's card).
    st.answer("b1", berlin(2026, 7, 29, 8), 3, interval=25, elapsed=25)  # mature Good
    st.answer("b1", berlin(2026, 4, 10, 20), 1, interval=3, elapsed=3)  # young Again
    # 22 September 2025, 06:15: before the year; the first answer of all.
    st.answer("b1", berlin(2025, 9, 22, 6, 15), 3, "learning", 0.0, 0.01)
    return st


def _hours(j: dict[str, object]) -> dict[int, tuple[int, int]]:
    hours = j["hours"]
    assert isinstance(hours, list) and len(hours) == 24
    return {h["hour"]: (h["reviews"], h["correct"]) for h in hours if h["reviews"]}


def test_each_period_counts_its_own_answers(tmp_path: Path) -> None:
    st = _history(tmp_path)
    month = st.json(NOW)
    assert month["period"] == {"name": "1m", "first_day": "2026-09-28", "days": 30}
    assert _hours(month) == {9: (2, 1), 3: (1, 1)}
    assert month["buttons"] == {
        "learning": [0, 0, 1, 0],
        "young": [1, 0, 1, 0],
        "mature": [0, 0, 0, 0],
    }
    assert st.json(NOW, period="1m") == month

    three = st.json(NOW, period="3m")
    assert three["period"] == {"name": "3m", "first_day": "2026-07-30", "days": 90}
    assert _hours(three) == {9: (2, 1), 3: (1, 1), 14: (1, 1), 23: (1, 1)}
    assert three["buttons"] == {
        "learning": [0, 1, 1, 0],
        "young": [1, 0, 1, 0],
        "mature": [0, 0, 0, 1],
    }

    year = st.json(NOW, period="1y")
    assert year["period"] == {"name": "1y", "first_day": "2025-10-28", "days": 365}
    assert _hours(year) == {9: (2, 1), 3: (1, 1), 14: (1, 1), 23: (1, 1), 8: (1, 1), 20: (1, 0)}
    assert year["buttons"] == {
        "learning": [0, 1, 1, 0],
        "young": [2, 0, 1, 0],
        "mature": [0, 0, 1, 1],
    }

    every = st.json(NOW, period="all")
    assert every["period"] == {"name": "all", "first_day": "2025-09-22", "days": 401}
    assert _hours(every) == {**_hours(year), 6: (1, 1)}
    assert every["buttons"] == {
        "learning": [0, 1, 2, 0],
        "young": [2, 0, 1, 0],
        "mature": [0, 0, 1, 1],
    }
    assert every["hours"][20]["success"] == 0.0 and every["hours"][9]["success"] == 0.5

    # Only the hours and the buttons follow the period.
    for other in (three, year, every):
        for key in ("today", "reviews", "heatmap", "true_retention", "cards", "streak"):
            assert other[key] == month[key], key


def test_a_period_of_one_deck_and_of_none(tmp_path: Path) -> None:
    st = _history(tmp_path)
    beta = st.json(NOW, "beta", period="all")
    assert beta["period"] == {"name": "all", "first_day": "2025-09-22", "days": 401}
    assert _hours(beta) == {8: (1, 1), 20: (1, 0), 6: (1, 1)}
    assert beta["buttons"] == {
        "learning": [0, 0, 1, 0],
        "young": [1, 0, 0, 0],
        "mature": [0, 0, 1, 0],
    }
    assert _hours(st.json(NOW, "beta")) == {}
    alpha = st.json(NOW, "alpha", period="all")
    assert alpha["period"]["first_day"] == "2026-07-30" and alpha["period"]["days"] == 90
    (tmp_path / "empty").mkdir()
    empty = make_store(tmp_path / "empty", {"gamma": ["g1"]})
    nothing = empty.json(NOW, period="all")
    assert nothing["period"] == {"name": "all", "first_day": None, "days": 0}
    assert _hours(nothing) == {} and nothing["buttons"]["young"] == [0, 0, 0, 0]
    with pytest.raises(ValueError, match="period must be one of 1m, 3m, 1y, all"):
        st.stats(NOW, period="2y")


def test_the_text_names_the_period(tmp_path: Path) -> None:
    st = _history(tmp_path)
    text = stats_text(st.stats(NOW, period="all"))
    assert "\nHours, all time (401 days) (reviews, correct)\n" in text
    assert "\nAnswer buttons, all time (401 days) (Again, Hard, Good, Easy)\n" in text
    assert "\nHours, last 90 days (reviews, correct)\n" in stats_text(st.stats(NOW, period="3m"))
    assert "\nReviews, last 30 days\n" in text


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe", None])
def test_hour_pieces_are_the_local_hours(zone: str | None) -> None:
    """The quick cut of two years into local hours is the one the study day's hours come from
    (Lord Howe Island's clocks change by half an hour; Kathmandu is 5:45 ahead of UTC)."""
    tz = ZoneInfo(zone) if zone else None
    start = datetime(2025, 3, 1, 3, 7, 12, 5, tzinfo=UTC)
    end = start + timedelta(days=730, minutes=13)
    pieces = hour_pieces(start, end, tz)
    assert pieces == scheduling.local_hours(start, end, tz)
    assert pieces[0][0] == start and len(pieces) > 730 * 24 - 10
    assert hour_pieces(start, start, tz) == []


def test_stats_period_on_the_command_line(tmp_path: Path, deck_dir: Path) -> None:
    assert STATS_PERIODS == BREAKDOWN_PERIODS
    from tests.store.util import qa_deck, write_deck

    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [("Q?", "A.")]))
    args = ["--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir), "stats", "--json"]
    runner = CliRunner()
    default = json.loads(runner.invoke(cli, args).stdout)
    assert default["period"]["name"] == "1m" and default["period"]["days"] == 30
    year = json.loads(runner.invoke(cli, [*args, "--period", "1y"]).stdout)
    assert year["period"]["name"] == "1y" and year["period"]["days"] == 365
    every = json.loads(runner.invoke(cli, [*args, "--period", "all"]).stdout)
    assert every["period"] == {"name": "all", "first_day": None, "days": 0}
    bad = runner.invoke(cli, [*args, "--period", "2y"])
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "Error: --period must be one of 1m, 3m, 1y, all, not '2y'"
