"""Scheduling: grade previews, the study day, fsrs agreement, and the state conversions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quizapp.config import DeckSettings
from quizapp.scheduling import (
    SchedState,
    elapsed_days,
    forgetting_curve,
    format_interval,
    from_fsrs_card,
    interval_days,
    local_hours,
    previews,
    retrievability,
    review,
    study_day,
    study_day_bounds,
    study_day_start,
    to_fsrs_card,
)

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


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


def test_study_day_starts_across_daylight_saving() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # back on 2026-10-25, forward on 2026-03-29
    october = [study_day_start(datetime(2026, 10, d).date(), 4, berlin) for d in (23, 24, 25)]
    assert [b - a for a, b in pairwise(october)] == [
        timedelta(hours=24),
        timedelta(hours=25),
    ]
    assert all(at.astimezone(berlin).hour == 4 for at in october)
    # Starting at 02:00: on the 29th of March 02:00 never shows; the day starts at 03:00.
    spring = study_day_start(datetime(2026, 3, 29).date(), 2, berlin)
    assert spring.astimezone(berlin).hour == 3 and spring == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert study_day(spring, 2, berlin).isoformat() == "2026-03-29"
    assert study_day(spring - timedelta(seconds=1), 2, berlin).isoformat() == "2026-03-28"


def test_local_hours_across_daylight_saving() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 10, 24, 22, tzinfo=UTC)  # midnight, summer time
    hours = local_hours(start, start + timedelta(hours=6), berlin)
    assert [(at.hour, h) for at, h in hours] == [(22, 0), (23, 1), (0, 2), (2, 3), (3, 4)]
    # The hour 2 comes twice (00:00-01:00 UTC in summer time, 01:00-02:00 in winter time).
    spring = local_hours(
        datetime(2026, 3, 29, 0, tzinfo=UTC), datetime(2026, 3, 29, 2, tzinfo=UTC), berlin
    )
    assert [h for _, h in spring] == [1, 3]  # no 02:00 that night
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30
    half = local_hours(
        datetime(2026, 1, 1, 0, 10, tzinfo=UTC), datetime(2026, 1, 1, 2, tzinfo=UTC), kolkata
    )
    assert [(at.strftime("%H:%M"), h) for at, h in half] == [
        ("00:10", 5),
        ("00:30", 6),
        ("01:30", 7),
    ]


def test_interval_and_elapsed_days() -> None:
    state = SchedState("review", None, 5.0, 5.0, T0 + timedelta(days=21), T0)
    assert interval_days(state) == 21.0
    assert elapsed_days(state, T0 + timedelta(hours=36)) == 1.5
    assert elapsed_days(state, T0 - timedelta(hours=1)) == 0.0
    assert interval_days(SchedState()) is None and elapsed_days(SchedState(), T0) is None


@pytest.mark.parametrize("decay_param", [0.1542, 0.5, 0.8])
def test_the_forgetting_curve_is_the_fsrs_packages(decay_param: float) -> None:
    params = list(DeckSettings().parameters)
    params[20] = decay_param
    settings = DeckSettings(parameters=tuple(params))
    decay, factor = forgetting_curve(settings)
    for stability, days in [(0.5, 0), (1.0, 1), (3.0, 7), (40.0, 12), (200.0, 365)]:
        state = SchedState("review", None, stability, 5.0, T0, T0 - timedelta(days=days, hours=5))
        r = retrievability(settings, 1, state, T0)
        assert (1 + factor * days / stability) ** decay == pytest.approx(r, rel=1e-12)
    assert retrievability(settings, 1, SchedState(), T0) == 0.0


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


def test_a_state_survives_a_card_row_the_review_log_json_and_fsrs(
    tmp_path: Path, deck_dir: Path
) -> None:
    from sqlalchemy import select

    from quizapp.library import load_library
    from quizapp.store.db import open_database
    from quizapp.store.models import CardRow
    from quizapp.store.sync import sync_library
    from tests.store.util import qa_deck, write_deck

    settings = DeckSettings(fuzz=False)
    state = SchedState()
    for rating, when in [(3, T0), (3, T0 + timedelta(minutes=11)), (1, T0 + timedelta(days=3))]:
        state = review(settings, 1, state, rating, when)
    assert (state.state, state.reps, state.lapses) == ("relearning", 3, 1)

    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [("Q?", "A.")]))
    db = open_database(tmp_path / "q.sqlite3")
    try:
        sync_library(db, [deck_dir], load_library)
        with db.session(write=True) as s:
            state.copy_to(s.scalars(select(CardRow)).one())
        with db.session() as s:
            assert SchedState.of(s.scalars(select(CardRow)).one()) == state
    finally:
        db.close()
    assert SchedState.from_json(state.to_json()) == state
    assert SchedState.from_json(SchedState().to_json()) == SchedState()
    card = to_fsrs_card(state, 1, T0)
    assert (card.stability, card.difficulty, card.due) == (
        state.stability,
        state.difficulty,
        state.due,
    )
    assert from_fsrs_card(card, state.reps, state.lapses) == state
    new = to_fsrs_card(SchedState(), 1, T0)
    assert (new.state, new.step, new.due) == (fsrs.State.Learning, 0, T0)
