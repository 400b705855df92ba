"""Choosing the retention: a year simulated by fsrs-rs at every retention from 0.70 to 0.97."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs_rs_python as fsrs_rs
import pytest

from quizapp.optimize import OptimizeError
from quizapp.optimize import items as k
from quizapp.optimize.items import History, StudyDays, entry
from quizapp.optimize.simulate import (
    MAX_INTRODUCED,
    RETENTIONS,
    Limits,
    choose_retention,
    habits,
    simulator_config,
)
from tests.optimize.synthetic import TRUE_PARAMETERS, learner_history

DAYS = StudyDays(4, UTC)


def test_without_history_the_habits_are_fsrs_rs_defaults() -> None:
    default = fsrs_rs.default_simulator_config()
    h = habits(History())
    # As in fsrs-rs: no answers count as one of each button, weighed 4 / (4 + 50).
    w = 4 / 54
    assert h["first_rating_prob"] == pytest.approx(
        [w / 4 + (1 - w) * p for p in default.first_rating_prob]
    )
    w = 3 / 53
    assert h["review_rating_prob"] == pytest.approx(
        [w / 3 + (1 - w) * p for p in default.review_rating_prob]
    )
    for ours, theirs in zip(h["state_rating_costs"], default.state_rating_costs, strict=True):
        assert ours == pytest.approx(theirs, abs=0.01)


def test_habits_come_from_the_learners_own_answers() -> None:
    t = datetime(2025, 1, 1, 12, tzinfo=UTC)
    cards = {}
    for c in range(400):  # always Good on a new card (in 4 s), Hard on every review (in 30 s)
        cards[c] = [
            entry(t, 3, k.LEARN, DAYS, 4000),
            entry(t + timedelta(days=3), 2, k.REVIEW, DAYS, 30_000),
        ]
    h = habits(History(cards))
    # Blended with fsrs-rs's defaults by n / (n + 50): 400 answers weigh 8/9.
    default = fsrs_rs.default_simulator_config()
    assert h["first_rating_prob"][2] == pytest.approx(8 / 9 + default.first_rating_prob[2] / 9)
    assert h["review_rating_prob"][0] == pytest.approx(8 / 9 + default.review_rating_prob[0] / 9)
    assert h["state_rating_costs"][0][2] == pytest.approx(
        8 / 9 * 4 + default.state_rating_costs[0][2] / 9, abs=0.01
    )
    assert h["state_rating_costs"][1][1] == pytest.approx(
        8 / 9 * 30 + default.state_rating_costs[1][1] / 9, abs=0.01
    )


def test_a_year_at_every_retention_and_the_optimal_one() -> None:
    calls: list[tuple[int, int | None, str]] = []
    choice = choose_retention(
        TRUE_PARAMETERS,
        Limits(cards=800, new_per_day=20, reviews_per_day=200),
        learner_history(cards=300),
        progress=lambda done, total, what: calls.append((done, total, what)),
    )
    assert [r.desired_retention for r in choice.rows] == list(RETENTIONS)
    assert RETENTIONS[0] == 0.70 and RETENTIONS[-1] == 0.97 and len(RETENTIONS) == 28
    low, high = choice.row(0.70), choice.row(0.97)
    assert high.reviews_per_day > 2 * low.reviews_per_day
    assert high.minutes_per_day > low.minutes_per_day
    assert high.remembered > low.remembered
    assert 0 < low.remembered <= 800
    assert 0.70 <= choice.optimal <= 0.95
    assert choice.simulated == choice.cards == 800
    # Progress: every retention in turn, then the optimal retention's simulations counted.
    assert calls[0] == (0, 28, "simulating a year at retention 0.70")
    assert (28, 28, "simulated every retention") in calls
    assert calls[-1][1] is None and calls[-1][0] >= 16


def test_a_large_deck_is_simulated_on_a_share_of_itself() -> None:
    history = learner_history(cards=50)
    config, share = simulator_config(Limits(100_000, 50, 500), history)
    assert config.learn_limit * 365 == pytest.approx(MAX_INTRODUCED, rel=0.05)
    assert share == pytest.approx(config.deck_size / 100_000)
    assert config.deck_size < 20_000 and config.review_limit == round(500 * share)
    small, share = simulator_config(Limits(1_000, 20, 200), history)
    assert (small.deck_size, small.learn_limit, small.review_limit, share) == (1_000, 20, 200, 1.0)


def test_nothing_to_simulate_is_a_clear_error() -> None:
    with pytest.raises(OptimizeError, match="the deck has no cards to simulate"):
        simulator_config(Limits(0, 20, 200), History())
    with pytest.raises(OptimizeError, match="new_cards_per_day is 0"):
        simulator_config(Limits(10, 0, 200), History())
