"""The exam plan: known memory states and a known exam date give known due dates, limits and
readiness. Recall on the day is measured at the start of the exam's study day, the time since
the last review counted continuously (in days to the second). The figures in the
comments are worked by hand from FSRS-6's default parameters
(w8 = 1.8722, w9 = 0.1666, w10 = 0.796, w11 = 1.4835, w12 = 0.0614, w13 = 0.2629, w14 = 1.6483,
w17 = 0.5425, w18 = 0.0912, w19 = 0.0658, w20 = 0.1542, so F = 0.9^(-1/w20) - 1 = 0.9806)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quizapp import scheduling
from quizapp.config import DeckSettings
from quizapp.exam_plan import ExamDate, ExamPlan, exam_words, recall_after
from quizapp.scheduling import SchedState

EXAM = date(2026, 3, 15)  # a Sunday
SETTINGS = DeckSettings()


def _plan(target: float = 0.9, settings: DeckSettings = SETTINGS, tz=UTC) -> ExamPlan:  # type: ignore[no-untyped-def]
    return ExamPlan(ExamDate("d", EXAM, target), settings, day_starts_at=4, tz=tz)


def _at(month: int, day: int, hour: int = 12, tz=UTC) -> datetime:  # type: ignore[no-untyped-def]
    return datetime(2026, month, day, hour, tzinfo=tz)


def _review(stability: float, difficulty: float, last: datetime, due: datetime) -> SchedState:
    return SchedState("review", None, stability, difficulty, due, last, reps=3)


# --- the forgetting curve -------------------------------------------------------------------


def test_the_forgetting_curve_is_the_fsrs_packages() -> None:
    scheduler = fsrs.Scheduler()
    last = _at(3, 1)
    for stability in (0.3, 2.0, 12.0, 300.0):
        card = fsrs.Card(state=fsrs.State.Review, stability=stability, difficulty=5.0)
        card.last_review = last
        for days in (0, 1, 7, 30):
            expected = scheduler.get_card_retrievability(card, last + timedelta(days=days))
            assert recall_after(days, stability, SETTINGS) == pytest.approx(expected, rel=1e-12)
    assert recall_after(12.0, 12.0, SETTINGS) == pytest.approx(0.9)  # R(S, S) = 0.9


def test_recall_on_the_day_is_fsrs_at_the_start_of_the_exam_day() -> None:
    """Recall on the day is measured when the exam's study day begins (04:00 on 15 Mar), the
    time since the last review counted continuously, in days to the second."""
    plan = _plan()
    assert plan.exam_start == datetime(2026, 3, 15, 4, tzinfo=UTC)
    # Last reviewed at noon on 1 Mar: 13 days and 16 hours, 13.667 days.
    # R(13.667, 12) = (1 + 0.9806·13.667/12)^-0.1542 = 0.8908.
    card = _review(12.0, 5.0, _at(3, 1), _at(3, 20))
    assert plan.recall_on_day(card) == pytest.approx(0.8908, abs=1e-4)
    # At 05:00 on 2 Mar: 12 days and 23 hours: R(12.958, 12) = 0.8946, below 0.9 (whole days
    # would count 12 and give 0.9 exactly).
    later = _review(12.0, 5.0, _at(3, 2, hour=5), _at(3, 20))
    assert plan.recall_on_day(later) == pytest.approx(0.8946, abs=1e-4)
    assert not plan.ready_on_day(later)
    # At 03:00 on 1 Mar (the study day 28 Feb): 14 days and an hour: R(14.042, 12) = 0.8888.
    early = _review(12.0, 5.0, _at(3, 1, hour=3), _at(3, 20))
    assert plan.recall_on_day(early) == pytest.approx(0.8888, abs=1e-4)
    assert plan.recall_on_day(SchedState()) == 0.0  # a new card is not known at all


def test_recall_on_the_day_is_the_forgetting_curve_to_the_second() -> None:
    """The curve is the fsrs package's; only the days are not floored to whole ones. At the
    exam day's own hour (04:00) the days are whole, and it is the package's retrievability."""
    plan = _plan()
    for hour in (0, 3, 4, 5, 12, 23):
        for day in (1, 10, 13, 14, 15):
            last = _at(3, day, hour=hour)
            card = _review(6.0, 5.0, last, _at(3, 30))
            days = max(0.0, (plan.exam_start - last).total_seconds() / 86400)
            expected = recall_after(days, 6.0, SETTINGS)
            assert plan.recall_on_day(card) == pytest.approx(expected, rel=1e-12)
            assert plan.ready_on_day(card) == (expected >= 0.9)
            if hour == 4:
                fsrs_recall = scheduling.retrievability(SETTINGS, 1, card, plan.exam_start)
                assert plan.recall_on_day(card) == pytest.approx(fsrs_recall, rel=1e-12)


# --- the cap --------------------------------------------------------------------------------


def test_a_card_above_the_target_on_the_day_is_left_alone() -> None:
    plan = _plan()
    # R(13.667, 30) = (1 + 0.9806·13.667/30)^-0.1542 = 0.945 >= 0.9: its due (31 Mar) stands.
    card = _review(30.0, 5.0, _at(3, 1), _at(3, 31))
    assert plan.recall_on_day(card) == pytest.approx(0.9447, abs=1e-4)
    assert plan.brought_forward(card) is None
    assert plan.due(card, _at(3, 5)) == _at(3, 31)


def test_a_card_due_before_the_exam_anyway_is_left_alone() -> None:
    plan = _plan()
    card = _review(12.0, 5.0, _at(3, 1), _at(3, 12))  # below the target on the day, due 12 Mar
    assert plan.brought_forward(card) is None  # before 13 Mar, the day it would be brought to
    assert plan.due(card, _at(3, 5)) == _at(3, 12)


def test_a_card_below_the_target_comes_two_days_before() -> None:
    """R(13.667, 12) = 0.891 < 0.9 and FSRS would carry it to 16 Mar, past the exam: it comes
    due on 13 Mar, two days before, at the hour of its last review, so that it has the day
    before for a second chance."""
    plan = _plan()
    card = _review(12.0, 5.0, _at(3, 1), _at(3, 16))
    assert plan.brought_forward(card) == _at(3, 13)
    assert plan.due(card, _at(3, 5)) == _at(3, 13)
    due_the_day_before = _review(12.0, 5.0, _at(3, 1), _at(3, 14, hour=9))
    assert plan.brought_forward(due_the_day_before) == _at(3, 13)


def test_a_weak_card_has_two_chances_and_is_held_on_the_day_before() -> None:
    """A weak card (R(6.667, 4) = 0.861 on the day) comes on 13 Mar. Forgotten then, it is
    relearnt (stability 0.886 after its step, R = 0.851 over the 39.8 hours left): still
    below the target, and it comes again on 14 Mar (FSRS's own one day). Forgotten
    again (stability 0.281), FSRS would let it go after one relearning step, at R = 0.844 on
    the day; the exam keeps it at its relearning step, every 10 minutes, each Good raising the
    stability by FSRS's short-term rule, S · e^(w17·w18) · S^-w19, until it lasts the night:
    after 8 Goods, 0.656, R(14.6 hours) = 0.906."""
    settings = DeckSettings(fuzz=False)
    plan = _plan(settings=settings)
    card = _review(4.0, 8.0, _at(3, 8), _at(3, 16))
    assert plan.recall_on_day(card) == pytest.approx(0.8613, abs=1e-4)
    assert plan.brought_forward(card) == _at(3, 13)
    forgotten = plan.review(1, card, 1, _at(3, 13))
    assert forgotten.state == "relearning"
    assert forgotten.due is not None
    relearnt = plan.review(1, forgotten, 3, forgotten.due)  # two days before: not held
    assert relearnt.state == "review" and relearnt.stability == pytest.approx(0.8855, abs=1e-4)
    assert plan.recall_on_day(relearnt) == pytest.approx(0.8515, abs=1e-4)
    second = relearnt.due  # FSRS's one day: the day before the exam anyway
    assert second == _at(3, 14, hour=12).replace(minute=10)
    assert plan.brought_forward(relearnt) is None and plan.due(relearnt, _at(3, 13)) == second
    state = plan.review(1, relearnt, 1, second)
    goods = 0
    while state.state == "relearning":
        assert state.due is not None and state.due < plan.exam_start
        fsrs_after = scheduling.review(settings, 1, state, 3, state.due)
        state = plan.review(1, state, 3, state.due)
        goods += 1
        if fsrs_after.state == "review" and state.state == "relearning":
            assert plan.recall_on_day(fsrs_after) < 0.9  # let go by FSRS, held by the exam
    assert goods == 8 and state.state == "review"
    assert state.stability == pytest.approx(0.6562, abs=1e-4)
    assert plan.recall_on_day(state) == pytest.approx(0.9056, abs=1e-4)
    assert plan.brought_forward(state) is None  # the exam day is next
    assert plan.after_answer(state, _at(3, 13)) == state  # two days before: never held
    assert plan.after_answer(state, _at(3, 15)) == state  # the exam day: never held


def test_a_weak_card_last_seen_two_days_before_comes_the_day_before() -> None:
    """Last seen at noon on 13 Mar: 40 hours (1.667 days) to the exam day's start.
    R(1.667, 0.8) = 0.842 comes on 14 Mar; so does R(1.667, 1.2) = 0.876 (one whole day would
    have given it 0.912); R(1.667, 2) = 0.912 is left alone."""
    plan = _plan()
    card = _review(0.8, 8.0, _at(3, 13), _at(3, 16))
    assert plan.brought_forward(card) == _at(3, 14)  # the only day left
    assert plan.brought_forward(_review(1.2, 8.0, _at(3, 13), _at(3, 16))) == _at(3, 14)
    assert plan.brought_forward(_review(2.0, 8.0, _at(3, 13), _at(3, 16))) is None


def test_a_card_last_seen_the_day_before_is_not_moved() -> None:
    plan = _plan()
    card = _review(0.5, 9.0, _at(3, 14), _at(3, 15))
    assert plan.brought_forward(card) is None  # no study day is left before the exam


def test_a_later_recalled_review_always_leaves_more_on_the_day() -> None:
    """Why the day before the exam is the latest useful day: a recalled review on day d leaves
    R(E - d, S'(d)) on the exam day, and both the shorter gap and the larger stability increase
    (recall is lower at a later review) raise it as d moves towards the exam."""
    settings = DeckSettings(fuzz=False)
    plan = _plan(settings=settings)
    for stability, difficulty in ((1.0, 9.0), (4.0, 6.0), (12.0, 3.0), (40.0, 5.0)):
        card = _review(stability, difficulty, _at(3, 1), _at(4, 30))
        on_the_day = []
        for d in range(2, 15):  # 2 .. 14 Mar
            after = scheduling.review(settings, 1, card, 3, _at(3, d))
            on_the_day.append(plan.recall_on_day(after))
        assert on_the_day == sorted(on_the_day) and len(set(on_the_day)) == len(on_the_day)


def test_a_higher_target_brings_more_cards_forward() -> None:
    """0.945 on the day: above 0.9, below 0.95."""
    card = _review(30.0, 5.0, _at(3, 1), _at(3, 31))
    assert _plan(0.9).brought_forward(card) is None
    assert _plan(0.95).brought_forward(card) == _at(3, 13)


def test_after_the_date_nothing_is_capped() -> None:
    plan = _plan()
    card = _review(12.0, 5.0, _at(3, 1), _at(3, 16))
    assert plan.due(card, _at(3, 14)) == _at(3, 13)  # the day before: still aimed at the exam
    for now in (_at(3, 15), _at(3, 16), _at(4, 1)):
        assert not plan.active(now)
        assert plan.due(card, now) == _at(3, 16)
        assert plan.new_limit(500, now) == SETTINGS.new_cards_per_day
        assert all(p.reason is None for p in plan.previews(1, card, now))
    assert plan.days_left(_at(3, 15)) == 0 and plan.days_left(_at(3, 17)) == -2


# --- grade buttons --------------------------------------------------------------------------


def test_grade_previews_show_the_interval_used_and_why() -> None:
    """A card of stability 5 answered on 5 Mar, 6 days after its last review. FSRS gives Hard
    13d (S 13.4), Good 19d (S 19.0), Easy 1mo (S 31.3): all past the exam. At the start of the
    exam day (9.667 days later) they would be at 0.921, 0.940 and 0.960. With a target of
    0.9 nothing changes; with 0.95 Hard and Good come two days before the exam (13 Mar, 8
    days) and say why, while Easy and Again (10 minutes) are left as they are."""
    settings = DeckSettings(fuzz=False)
    card = _review(5.0, 5.0, _at(2, 27), _at(3, 4))
    now = _at(3, 5)
    normal = [
        (r, label, ivl, None) for r, label, ivl in scheduling.previews(settings, 1, card, now)
    ]
    assert [p[2] for p in normal] == ["10m", "13d", "19d", "1mo"]

    def shown(target: float) -> list[tuple[int, str, str, str | None]]:
        plan = ExamPlan(ExamDate("d", EXAM, target), settings, day_starts_at=4, tz=UTC)
        return [(p.rating, p.label, p.interval, p.reason) for p in plan.previews(1, card, now)]

    assert shown(0.9) == normal
    why = "before your exam on 15 Mar"
    assert shown(0.95) == [
        (1, "Again", "10m", None),
        (2, "Hard", "8d", why),
        (3, "Good", "8d", why),
        (4, "Easy", "1mo", None),
    ]


def test_exam_words() -> None:
    assert exam_words(date(2026, 12, 15), date(2026, 11, 1)) == "15 Dec"
    assert exam_words(date(2027, 1, 5), date(2026, 12, 20)) == "5 Jan 2027"
    assert _plan().reason(_at(3, 1)) == "before your exam on 15 Mar"


# --- new cards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "new_left", "limit"),
    [
        (_at(3, 1), 1000, 143),  # 14 days left: over the first 7, ceil(1000 / 7)
        (_at(3, 1), 100, 20),  # ceil(100 / 7) = 15: the deck's own 20 is enough
        (_at(3, 5), 600, 120),  # 10 days left: over 5
        (_at(3, 12), 90, 90),  # 3 days left: all today
        (_at(3, 13), 40, 40),  # 2 days left: all today, to be reviewed again tomorrow
        (_at(3, 14), 40, 40),  # the day before: all that are left
        (_at(3, 15), 40, 20),  # the exam day: back to normal
        (_at(3, 1), 0, 20),
    ],
)
def test_new_cards_are_spread_over_the_first_half_of_the_days_left(
    now: datetime, new_left: int, limit: int
) -> None:
    assert _plan().new_limit(new_left, now) == limit


def test_spreading_introduces_every_card_two_days_before_the_exam() -> None:
    plan = _plan()
    left, last_day = 1000, None
    for day in range(1, 15):
        now = _at(3, day)
        today = min(left, plan.new_limit(left, now))
        if today:
            last_day = day
        left -= today
    assert left == 0 and last_day is not None and last_day <= 13


# --- readiness ------------------------------------------------------------------------------


def test_readiness_on_a_hand_checked_deck() -> None:
    """Four cards: new (0), R(13.667, 30) = 0.945, R(13.667, 12) = 0.891, and stability 2 last
    seen at noon the day before (16 hours to 04:00 on the exam day): R(0.667, 2) = 0.957. Two of
    four at or above 0.9; one of four at or above 0.95."""
    plan = _plan()
    cards = [
        SchedState(),
        _review(30.0, 5.0, _at(3, 1), _at(3, 31)),
        _review(12.0, 5.0, _at(3, 1), _at(3, 16)),
        _review(2.0, 5.0, _at(3, 14), _at(3, 16)),
    ]
    assert [round(plan.recall_on_day(c), 3) for c in cards] == [0.0, 0.945, 0.891, 0.957]
    assert plan.readiness(cards) == 0.5
    assert _plan(0.95).readiness(cards) == 0.25
    assert plan.readiness([]) is None


# --- study days: rollover and time zones --------------------------------------------------


def test_the_exam_day_begins_at_the_rollover_hour_in_local_time() -> None:
    seoul, new_york = ZoneInfo("Asia/Seoul"), ZoneInfo("America/New_York")
    before = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)  # 03:30 on 15 Mar in Seoul
    after = datetime(2026, 3, 14, 19, 30, tzinfo=UTC)  # 04:30 on 15 Mar in Seoul
    assert _plan(tz=seoul).days_left(before) == 1 and _plan(tz=seoul).active(before)
    assert _plan(tz=seoul).days_left(after) == 0 and not _plan(tz=seoul).active(after)
    # The same instants are the afternoon of 14 Mar in New York: one day left either way.
    assert _plan(tz=new_york).days_left(before) == _plan(tz=new_york).days_left(after) == 1


def test_a_review_after_midnight_belongs_to_the_day_before() -> None:
    """Last reviewed at 02:00 on 2 Mar in Seoul: study day 1 Mar. The exam day begins at 04:00
    on 15 Mar in Seoul, 13 days and 2 hours later: R(13.083, 12) = 0.8940. Two days before the
    exam is the study day 13 Mar; 12 study days later is 02:00 on 14 Mar, still that day."""
    seoul = ZoneInfo("Asia/Seoul")
    plan = _plan(tz=seoul)
    assert plan.exam_start == datetime(2026, 3, 15, 4, tzinfo=seoul)
    last = datetime(2026, 3, 2, 2, tzinfo=seoul)
    card = _review(12.0, 5.0, last, datetime(2026, 3, 20, 2, tzinfo=seoul))
    assert plan.recall_on_day(card) == pytest.approx(0.8940, abs=1e-4)
    assert plan.brought_forward(card) == datetime(2026, 3, 14, 2, tzinfo=seoul)


def test_a_clock_change_cannot_move_the_due_into_another_study_day() -> None:
    """Berlin moves its clocks forward at 02:00 on 29 Mar 2026. A weak card last reviewed at
    03:30 on 27 Mar (study day 26 Mar; stored in UTC) is 3 days and 22.5 hours before the 31 Mar
    exam day begins (04:00 CEST): R(3.979, 2) = 0.846, so it is brought forward to two days
    before, the study day 29 Mar. Three days of 24 hours later is 04:30 on 30 Mar (an hour of
    the night was lost), the study day 30 Mar; on the wall clock it is 03:30 on 30 Mar, still
    the study day 29 Mar."""
    berlin = ZoneInfo("Europe/Berlin")
    plan = ExamPlan(ExamDate("d", date(2026, 3, 31), 0.9), SETTINGS, 4, berlin)
    last = datetime(2026, 3, 27, 3, 30, tzinfo=berlin).astimezone(UTC)
    card = _review(2.0, 5.0, last, datetime(2026, 4, 3, tzinfo=UTC))
    assert plan.recall_on_day(card) == pytest.approx(0.8463, abs=1e-4)
    assert (last + timedelta(days=3)).astimezone(berlin).hour == 4
    assert plan.brought_forward(card) == datetime(2026, 3, 30, 3, 30, tzinfo=berlin)


def test_the_rollover_around_the_exam_day() -> None:
    """New York, the day starting at 04:00, exam on 15 Mar (clocks went forward on 8 Mar). A
    review at 03:30 on 14 Mar belongs to the study day 13 Mar: it is 24.5 hours before the exam
    day begins, and a card of stability 0.8 (R(1.021, 0.8) = 0.882) comes again on the study
    day 14 Mar, at 03:30 on 15 Mar by the clock: half an hour before the exam day. A review at
    05:00 on 14 Mar is on the day before the exam: 23 hours, R(0.958, 0.8) = 0.887, below the
    target but with no study day left to bring it to (an answer then holds it instead). From
    04:00 on 15 Mar the exam day has begun and nothing is brought forward."""
    ny = ZoneInfo("America/New_York")
    plan = ExamPlan(ExamDate("d", EXAM, 0.9), SETTINGS, 4, ny)
    assert plan.exam_start == datetime(2026, 3, 15, 4, tzinfo=ny)
    night = _review(0.8, 8.0, datetime(2026, 3, 14, 3, 30, tzinfo=ny), _at(3, 17))
    assert plan.recall_on_day(night) == pytest.approx(0.882, abs=1e-3)
    due = plan.brought_forward(night)
    assert due == datetime(2026, 3, 15, 3, 30, tzinfo=ny)
    assert plan.due(night, datetime(2026, 3, 15, 3, 0, tzinfo=ny)) == due
    assert plan.needed_today(night, datetime(2026, 3, 15, 3, 0, tzinfo=ny))
    assert plan.due(night, datetime(2026, 3, 15, 4, 0, tzinfo=ny)) == _at(3, 17)
    assert not plan.needed_today(night, datetime(2026, 3, 15, 4, 0, tzinfo=ny))
    morning = _review(0.8, 8.0, datetime(2026, 3, 14, 5, tzinfo=ny), _at(3, 17))
    assert plan.recall_on_day(morning) == pytest.approx(0.887, abs=1e-3)
    assert plan.brought_forward(morning) is None


def test_a_review_long_ago_and_the_fast_count_agree() -> None:
    """Recall of a card last seen 529 days and 16 hours before the exam day begins, and
    readiness counted from plain rows equal to the one from states; at the exact threshold
    (S = 14 with 14 days to the second at a target of R(14, 14) = 0.9) a card counts."""
    plan = _plan()
    long_ago = _review(2000.0, 5.0, datetime(2024, 10, 1, 12, tzinfo=UTC), _at(4, 1))
    expected = recall_after(529 + 16 / 24, 2000.0, SETTINGS)
    assert plan.recall_on_day(long_ago) == pytest.approx(expected, rel=1e-12)
    assert plan.ready_on_day(long_ago)
    at_threshold = _review(14.0, 5.0, _at(3, 1, hour=4), _at(3, 20))
    assert plan.ready_on_day(at_threshold)
    assert not plan.ready_on_day(_review(13.99, 5.0, _at(3, 1, hour=4), _at(3, 20)))
    cards = [
        long_ago,
        at_threshold,
        _review(12.0, 5.0, _at(3, 1), _at(3, 16)),
        _review(2.0, 5.0, _at(3, 14), _at(3, 16)),
        _review(0.5, 9.0, _at(3, 15, hour=9), _at(3, 16)),  # reviewed on the exam day itself
        SchedState(),
        SchedState(),
    ]
    rows = [(c.stability, c.last_review.timestamp()) for c in cards if c.last_review]
    assert plan.ready_share(rows, new=2) == plan.readiness(cards) == 4 / 7
    assert [plan.ready(st, last) for st, last in rows] == [True, True, False, True, True]
