"""The statistics show each deck's exam date and how ready the deck is for it: the readiness
the review service computes (`quizapp due --json`'s `exam`), never counted a second time."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.exam_plan import ExamDate
from quizapp.review import ReviewService
from quizapp.stats.text import stats_text
from quizapp.store import exam_dates as exam_store
from tests.stats.test_stats import NOW, _october
from tests.stats.util import Store, berlin_local_time
from tests.store.util import qa_deck, write_deck

pytestmark = pytest.mark.usefixtures("berlin_local_time")
__all__ = ["berlin_local_time"]


def _service(tmp_path: Path) -> ReviewService:
    return ReviewService(
        tmp_path / "q.sqlite3",
        [tmp_path / "decks"],
        config_path=tmp_path / "none.toml",
        clock=lambda: NOW,
    )


def _json(st: Store, service: ReviewService, deck: str | None = None) -> dict[str, object]:
    return st.json(NOW, deck, exam_dates=service.exam_dates())


def test_exam_dates_and_readiness(tmp_path: Path) -> None:
    st = _october(tmp_path)
    service = _service(tmp_path)
    # alpha: a2 (stability 30, last reviewed today) is at 90 % recall or more on 3 November,
    # 7 study days ahead; a1, a3, a4 and a6 are not, nor is a5, new; a7 is retired.
    service.set_exam_date(date(2026, 11, 3), ["alpha"], 0.9)
    # beta, today: b1 (stability 40, last reviewed 47 days ago) recalls above 85 %; b2 is
    # suspended.
    service.set_exam_date(date(2026, 10, 27), ["beta"], 0.85)
    alpha_entry = {
        "deck": "alpha",
        "date": "2026-11-03",
        "days_left": 7,
        "target": 0.9,
        "ready": round(1 / 6, 4),
    }
    beta_entry = {
        "deck": "beta",
        "date": "2026-10-27",
        "days_left": 0,
        "target": 0.85,
        "ready": 1.0,
    }
    assert _json(st, service)["exam_dates"] == [alpha_entry, beta_entry]
    assert _json(st, service, "alpha")["exam_dates"] == [alpha_entry]
    assert _json(st, service, "beta")["exam_dates"] == [beta_entry]
    # The same numbers as `quizapp due` shows (the one function that computes them).
    due = {c.deck: c.exam for c in service.deck_counts()}
    for entry in (alpha_entry, beta_entry):
        e = due[str(entry["deck"])]
        assert e is not None
        assert (e.day.isoformat(), e.days_left, e.target, round(e.ready or 0, 4)) == (
            entry["date"],
            entry["days_left"],
            entry["target"],
            entry["ready"],
        )
    text = stats_text(st.stats(NOW, exam_dates=service.exam_dates()))
    assert "\n  alpha: Tue 2026-11-03, 7 days left, 16.7% ready for 0.90\n" in text
    assert text.endswith("\n  beta: Tue 2026-10-27, today, 100.0% ready for 0.85")

    # A date that has passed changes nothing any more: not shown (as `quizapp due`).
    with st.db.session(write=True) as s:
        exam_store.set_exam_date(s, ExamDate("beta", date(2026, 10, 20), 0.9), NOW)
    assert _json(st, service)["exam_dates"] == [alpha_entry]
    service.clear_exam_dates()
    assert _json(st, service)["exam_dates"] == []
    assert "\n  none (set one with `quizapp exam-date YYYY-MM-DD`)" in stats_text(st.stats(NOW))
    service.close()


def test_stats_json_shows_what_due_json_shows(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(3)]))
    base = ["--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir)]
    runner = CliRunner()
    day = (date.today() + timedelta(days=10)).isoformat()
    assert runner.invoke(cli, [*base, "exam-date", day, "--deck", "rnn"]).exit_code == 0
    service = ReviewService(tmp_path / "q.sqlite3", [deck_dir], config_path=tmp_path / "x.toml")
    session = service.start("rnn")
    card = session.next_card()
    assert card is not None
    session.answer(card, 4, 1000)  # Easy: a review card, not yet ready for a day 10 days ahead
    service.close()

    due = json.loads(runner.invoke(cli, [*base, "due", "--json"]).stdout)
    exam = next(d["exam"] for d in due["decks"] if d["deck"] == "rnn")
    stats = json.loads(runner.invoke(cli, [*base, "stats", "--json"]).stdout)
    assert stats["exam_dates"] == [
        {"deck": "rnn", **{k: exam[k] for k in ("date", "days_left", "target", "ready")}}
    ]
    assert stats["exam_dates"][0]["days_left"] in (9, 10, 11)  # the study day, not the date
    one = json.loads(runner.invoke(cli, [*base, "stats", "--json", "--deck", "rnn"]).stdout)
    assert one["exam_dates"] == stats["exam_dates"]
    other = json.loads(
        runner.invoke(cli, [*base, "stats", "--json", "--deck", "keras-basics"]).stdout
    )
    assert other["exam_dates"] == []
