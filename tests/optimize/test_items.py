"""The training items fsrs-rs is fitted on: each of Anki's rules, with a small history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.optimize import items as k
from quizapp.optimize.items import History, StudyDays, entry, training_set

DAYS = StudyDays(4, UTC)
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def at(day: float, hour: float = 12) -> datetime:
    return T0.replace(hour=0) + timedelta(days=day, hours=hour)


def card(*answers: tuple[float, int, str]) -> list[k.Entry]:
    """Entries from (day, rating, kind); each on its day at noon, 10 minutes apart if same."""
    out, seen = [], {}
    for day, rating, kind in answers:
        n = seen[day] = seen.get(day, -1) + 1
        out.append(entry(at(day) + timedelta(minutes=10 * n), rating, kind, DAYS))
    return out


def items_of(*cards: list[k.Entry]) -> list[tuple[tuple[int, int], ...]]:
    return training_set(History(dict(enumerate(cards)))).items()


L, R, RL = k.LEARN, k.REVIEW, k.RELEARN


def test_one_item_per_review_a_day_or_more_after_the_previous_one() -> None:
    history = card((0, 3, L), (2, 3, R), (5, 3, R), (15, 3, R))
    assert items_of(history) == [
        ((3, 0), (3, 2)),
        ((3, 0), (3, 2), (3, 3)),
        ((3, 0), (3, 2), (3, 3), (3, 10)),
    ]


def test_same_day_reviews_stay_in_the_history_with_interval_0_and_are_not_scored() -> None:
    # Learning steps on day 0, a lapse and its relearning step on day 4.
    history = card((0, 1, L), (0, 3, L), (0, 3, L), (4, 1, R), (4, 3, RL), (9, 3, R))
    assert items_of(history) == [
        ((1, 0), (3, 0), (3, 0), (1, 4)),
        ((1, 0), (3, 0), (3, 0), (1, 4), (3, 0), (3, 5)),
    ]


def test_a_single_day_of_learning_gives_no_item() -> None:
    assert items_of(card((0, 3, L), (0, 3, L))) == []
    assert items_of(card((0, 4, L))) == []


def test_days_are_study_days_starting_at_day_starts_at_not_24_hours() -> None:
    # 23:00 and 03:00 the next night are one study day (it starts at 04:00); 05:00 is the next.
    late, night, morning = at(0, 23), at(1, 3), at(1, 5)
    history = [entry(late, 3, L, DAYS), entry(night, 3, L, DAYS), entry(morning, 3, R, DAYS)]
    assert items_of(history) == [((3, 0), (3, 0), (3, 1))]
    # 20.5 hours apart across one day boundary, and 47 hours apart across one: a day each.
    assert items_of([entry(at(0, 8), 3, L, DAYS), entry(at(1, 4.5), 3, R, DAYS)]) == [
        ((3, 0), (3, 1))
    ]
    assert items_of([entry(at(0, 4.5), 3, L, DAYS), entry(at(2, 3.5), 3, R, DAYS)]) == [
        ((3, 0), (3, 1))
    ]


def test_study_days_are_in_local_time() -> None:
    seoul = StudyDays(4, ZoneInfo("Asia/Seoul"))  # UTC+9: 04:00 there is 19:00 UTC
    before, after = (
        datetime(2024, 3, 1, 18, 30, tzinfo=UTC),
        datetime(2024, 3, 1, 19, 30, tzinfo=UTC),
    )
    assert seoul.of(after) - seoul.of(before) == 1
    assert DAYS.of(after) == DAYS.of(before)
    history = [entry(before, 3, L, seoul), entry(after, 3, R, seoul)]
    assert items_of(history) == [((3, 0), (3, 1))]


def test_study_days_follow_daylight_saving_time() -> None:
    ny = StudyDays(4, ZoneInfo("America/New_York"))
    # 2024-03-10: clocks go from 02:00 to 03:00; the study day still starts at 04:00 local.
    assert ny.of(datetime(2024, 3, 10, 7, 59, tzinfo=UTC)) == ny.of(
        datetime(2024, 3, 9, 9, 30, tzinfo=UTC)
    )  # 03:59 EDT on the 10th is still the 9th's study day
    assert (
        ny.of(datetime(2024, 3, 10, 8, 0, tzinfo=UTC))
        == ny.of(datetime(2024, 3, 9, 9, 30, tzinfo=UTC)) + 1
    )  # 04:00 EDT


def test_set_due_date_and_other_manual_entries_are_left_out() -> None:
    history = card((0, 3, L), (1, 3, R), (3, 0, k.MANUAL), (6, 3, R))
    assert items_of(history) == [((3, 0), (3, 1)), ((3, 0), (3, 1), (3, 5))]


def test_reschedules_and_cram_reviews_are_left_out() -> None:
    history = card((0, 3, L), (1, 3, R), (2, 0, k.RESCHEDULE), (3, 1, k.CRAM), (6, 3, R))
    assert items_of(history) == [((3, 0), (3, 1)), ((3, 0), (3, 1), (3, 5))]


def test_reviews_in_a_rescheduling_filtered_deck_count() -> None:
    history = card((0, 3, L), (2, 3, k.FILTERED), (6, 3, R))
    assert items_of(history) == [((3, 0), (3, 2)), ((3, 0), (3, 2), (3, 4))]


def test_exam_answers_never_enter_the_fit() -> None:
    history = card((0, 3, L), (1, 1, k.EXAM), (2, 3, R), (2, 4, k.EXAM), (5, 2, R))
    assert items_of(history) == [((3, 0), (3, 2)), ((3, 0), (3, 2), (2, 3))]
    assert History({0: history}).reviews == 3


def test_history_starts_at_the_last_reset() -> None:
    history = card((0, 3, L), (1, 3, R), (3, 0, k.RESET), (6, 3, L), (10, 3, R))
    assert items_of(history) == [((3, 0), (3, 4))]


def test_history_starts_at_the_last_run_of_learning_steps() -> None:
    # An earlier life of the card (learnt, reviewed) before it was learnt anew.
    history = card((0, 3, L), (3, 3, R), (7, 3, L), (7, 3, L), (9, 3, R))
    assert items_of(history) == [((3, 0), (3, 0), (3, 2))]


def test_a_card_reset_and_not_learnt_again_gives_no_items() -> None:
    assert items_of(card((0, 3, L), (1, 3, R), (3, 0, k.RESET))) == []
    assert items_of(card((0, 3, L), (1, 3, R), (3, 0, k.RESET), (4, 3, R), (5, 1, RL))) == []


def test_a_card_without_its_first_learning_step_gives_no_items() -> None:
    # Its history starts in the middle: the memory state at the start is unknown.
    assert items_of(card((0, 3, R), (4, 3, R), (9, 3, R))) == []


def test_items_of_all_cards_are_in_time_order() -> None:
    a = card((0, 3, L), (2, 3, R), (9, 3, R))
    b = card((1, 3, L), (3, 1, R), (5, 3, R))
    assert items_of(a, b) == [
        ((3, 0), (3, 2)),  # a, day 2
        ((3, 0), (1, 2)),  # b, day 3
        ((3, 0), (1, 2), (3, 2)),  # b, day 5
        ((3, 0), (3, 2), (3, 7)),  # a, day 9
    ]


def test_counts_are_of_graded_answers_and_the_cards_that_have_them() -> None:
    ts = training_set(
        History(
            {
                1: card((0, 3, L), (2, 3, R), (3, 0, k.MANUAL)),
                2: card((0, 3, L)),
                3: card((0, 0, k.MANUAL)),
            }
        )
    )
    assert (ts.reviews, ts.cards, len(ts)) == (3, 2, 1)


def test_fsrs_items_are_the_same_items() -> None:
    ts = training_set(History({0: card((0, 2, L), (0, 3, L), (3, 1, R), (3, 3, RL), (8, 4, R))}))
    got = [repr(i) for i in ts.fsrs_items()]
    want = [
        "FSRSItem { reviews: ["
        + ", ".join(f"FSRSReview {{ rating: {r}, delta_t: {d} }}" for r, d in item)
        + "] }"
        for item in ts.items()
    ]
    assert got == want and len(got) == 2


def test_an_entry_needs_an_aware_time_and_a_known_kind() -> None:
    with pytest.raises(ValueError, match="aware"):
        entry(datetime(2024, 1, 1), 3, L, DAYS)
    with pytest.raises(ValueError, match="kind"):
        entry(T0, 3, "guess", DAYS)
