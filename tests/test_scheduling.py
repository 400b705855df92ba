"""Scheduling: config.toml settings, grade previews, the study day, and fsrs agreement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quizapp.scheduling import (
    ConfigError,
    DeckSettings,
    SchedState,
    format_interval,
    load_config,
    previews,
    review,
    study_day,
    study_day_bounds,
)

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    config = load_config(tmp_path / "missing.toml")
    d = config.defaults
    assert d.desired_retention == 0.9
    assert d.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert d.relearning_steps == (timedelta(minutes=10),)
    assert d.fuzz is True
    assert (d.new_cards_per_day, d.maximum_reviews_per_day) == (20, 200)
    assert config.day_starts_at == 4
    assert d.scheduler.desired_retention == 0.9


def test_settings_and_per_deck_overrides(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
desired_retention = 0.85
learning_steps = ["30s", "5m", "1h"]
relearning_steps = "15m"
maximum_interval = 365
fuzz = false
new_cards_per_day = 5
maximum_reviews_per_day = 50
day_starts_at = 6

[decks.keras-basics]
new_cards_per_day = 2
desired_retention = 0.95
""",
    )
    config = load_config(path)
    d = config.defaults
    assert d.desired_retention == 0.85
    assert d.learning_steps == (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1))
    assert d.relearning_steps == (timedelta(minutes=15),)
    assert (d.maximum_interval, d.fuzz, d.new_cards_per_day, d.maximum_reviews_per_day) == (
        365,
        False,
        5,
        50,
    )
    assert config.day_starts_at == 6
    keras = config.for_deck("keras-basics")
    assert (keras.new_cards_per_day, keras.desired_retention) == (2, 0.95)
    assert keras.maximum_reviews_per_day == 50  # inherited from the global settings
    assert config.for_deck("other") == d


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("desired_retention = 1.5", "desired_retention"),
        ('desired_retention = "high"', "desired_retention"),
        ('learning_steps = ["1 minute"]', "learning_steps"),
        ("maximum_interval = 0", "maximum_interval"),
        ('fuzz = "yes"', "fuzz"),
        ("new_cards_per_day = -1", "new_cards_per_day"),
        ("maximum_reviews_per_day = 2.5", "maximum_reviews_per_day"),
        ("day_starts_at = 24", "day_starts_at"),
        ("new_cards = 3", "new_cards"),
        ("[decks.rnn]\nnew_cards_per_day = true", "decks.rnn.new_cards_per_day"),
        ("[decks.rnn]\nday_starts_at = 3", "decks.rnn.day_starts_at"),
        ("parameters = [1, 2, 3]", "parameters"),
        ("[decks.rnn]\nparameters = " + str([0.1] * 21), "decks.rnn.parameters"),
    ],
)
def test_bad_value_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, text))
    assert key in str(err.value)
    assert "\n" not in str(err.value)


def test_invalid_toml_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(_write(tmp_path, "desired_retention = = 3"))


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=8), "8d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_interval_format(delta: timedelta, text: str) -> None:
    assert format_interval(delta) == text


def test_study_day_rolls_over_at_the_configured_local_hour() -> None:
    seoul = ZoneInfo("Asia/Seoul")  # UTC+9, no DST
    # 03:30 in Seoul on March 3 is still the study day of March 2 (day starts at 04:00).
    late = datetime(2026, 3, 3, 3, 30, tzinfo=seoul).astimezone(UTC)
    early = datetime(2026, 3, 3, 4, 0, tzinfo=seoul).astimezone(UTC)
    assert study_day(late, 4, seoul).isoformat() == "2026-03-02"
    assert study_day(early, 4, seoul).isoformat() == "2026-03-03"
    start, end = study_day_bounds(late, 4, seoul)
    assert start == datetime(2026, 3, 2, 4, 0, tzinfo=seoul)
    assert end == datetime(2026, 3, 3, 4, 0, tzinfo=seoul)
    assert start.tzinfo == UTC


def test_study_day_across_daylight_saving() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # clocks go forward on 2026-03-29
    start, end = study_day_bounds(datetime(2026, 3, 28, 12, tzinfo=UTC), 4, berlin)
    assert end - start == timedelta(hours=23)
    assert end.astimezone(berlin).hour == 4


def _replay_fsrs(scheduler: fsrs.Scheduler, answers: list[tuple[int, datetime]]) -> fsrs.Card:
    card = fsrs.Card(card_id=1)
    card.due = answers[0][1]
    for rating, when in answers:
        card, _ = scheduler.review_card(card, fsrs.Rating(rating), when)
    return card


def test_review_matches_the_fsrs_package() -> None:
    settings = DeckSettings(fuzz=False, desired_retention=0.9)
    answers = [
        (3, T0),
        (3, T0 + timedelta(minutes=11)),
        (1, T0 + timedelta(days=3)),
        (3, T0 + timedelta(days=3, minutes=12)),
        (4, T0 + timedelta(days=9)),
        (2, T0 + timedelta(days=40)),
    ]
    state = SchedState()
    for rating, when in answers:
        state = review(settings, 1, state, rating, when)
    expected = _replay_fsrs(fsrs.Scheduler(enable_fuzzing=False), answers)
    assert state.state == {2: "review", 1: "learning", 3: "relearning"}[expected.state.value]
    assert state.due == expected.due
    assert state.stability == pytest.approx(expected.stability)
    assert state.difficulty == pytest.approx(expected.difficulty)
    assert state.reps == len(answers)
    assert state.lapses == 1  # the Again on day 3 was on a review card


def test_previews_are_what_the_answer_gives_even_with_fuzz() -> None:
    settings = DeckSettings(fuzz=True)
    state = SchedState()
    for rating, when in [(3, T0), (3, T0 + timedelta(minutes=10)), (3, T0 + timedelta(days=3))]:
        state = review(settings, 7, state, rating, when)
    now = T0 + timedelta(days=20)
    shown = previews(settings, 7, state, now)
    assert [p[1] for p in shown] == ["Again", "Hard", "Good", "Easy"]
    for rating, _label, interval in shown:
        after = review(settings, 7, state, rating, now)
        assert after.due is not None
        assert format_interval(after.due - now) == interval
    # The fuzzed Good interval stays within fsrs's own fuzz range around the unfuzzed one.
    plain = review(DeckSettings(fuzz=False), 7, state, 3, now)
    fuzzed = review(settings, 7, state, 3, now)
    assert plain.due is not None and fuzzed.due is not None
    days_plain = (plain.due - now).days
    assert abs((fuzzed.due - now).days - days_plain) <= max(2, round(days_plain * 0.15))


def test_new_card_previews_follow_the_learning_steps() -> None:
    shown = previews(DeckSettings(fuzz=False), 1, SchedState(), T0)
    assert shown[0] == (1, "Again", "1m")
    assert shown[2] == (3, "Good", "10m")
    expected_easy = fsrs.Scheduler(enable_fuzzing=False).review_card(
        fsrs.Card(card_id=1, due=T0), fsrs.Rating.Easy, T0
    )[0]
    assert shown[3][2] == format_interval(expected_easy.due - T0)
