"""An exam date: a deck's reviews aimed at one study day. Pure: memory states and dates in,
dates and numbers out (``fsrs``, :mod:`quizapp.scheduling` and the standard library only).

Days are study days (:func:`quizapp.scheduling.study_day`: local time, starting at
``day_starts_at``); the exam's day is ``E``, today ``T``.

**Recall on the day.** FSRS-6's forgetting curve is ``R(t, S) = (1 + F·t/S) ** -w20`` with
``F = 0.9 ** (-1/w20) - 1`` (so ``R(S, S) = 0.9``), ``t`` the days since the last review. A card's
recall on the exam day with no further review is ``R(E - L, S)``, ``L`` the study day of its last
review (whole days, as FSRS counts them). A new card's is 0.

**Which cards are brought forward.** FSRS gives a card the interval ``I`` at which its recall
falls to the desired retention ``r``: ``R(I, S) = r``. If its due day comes before the exam it
is reviewed before it as usual; only a card due on or after the day before the exam can miss it,
and of those only the ones whose ``R(E - L, S)`` is below the target need anything. With the
target at or below ``r`` these are few (rounding, fuzz, the maximum interval, a day lost to a
sibling or a limit); a target above ``r`` brings more forward. The rest are left alone.

**To which day.** A successful review on day ``d`` (``L < d < E``) leaves recall on the exam day
``R(E - d, S'(d))``, ``S'(d)`` the stability FSRS gives for that review. Both parts grow with
``d``: the gap to the exam shrinks, and the later the review, the lower the recall at it and so
the larger FSRS's stability increase ``1 + e^w8·(11 - D)·S^-w9·(e^(w10·(1 - R)) - 1)``. So if a
review is recalled, the later the better: the day before the exam is the latest useful day. But
a review can be forgotten (with probability ``1 - R`` at the review), and a card forgotten on
the day before the exam is relearnt with FSRS's post-lapse stability, small for a weak card: too
small to last the night above the target. So the card is brought forward to the day before the
exam if, forgotten there and relearnt at once (Good on each relearning step), it would still be
at or above the target on the day; otherwise to two days before, which leaves the day before
for a card that was forgotten to be reviewed once more. A review on the exam day itself is not
counted on (the exam may be in the morning). The stored due stays FSRS's own: the queue and the
grade buttons use :meth:`ExamPlan.due`, so clearing the date, or the date passing, brings every
card back to its normal interval at once.

**New cards.** Each day the new cards not yet introduced are spread over the first half of the
days left (so the daily number tapers off as the exam nears, and a card first answered Again
still has days to be relearnt), raising the deck's daily limit as needed, never lowering it; the
last ones are introduced at least two days before the exam, early enough to be reviewed again;
on the day before the exam all that are left come (learnt once is better than not at all).

**Readiness.** The share of the deck's cards (not suspended, not retired) whose recall on the
exam day with no further review is at least the target.

``tests/bench/bench_exam.py`` measures all of this on a simulated learner (README, "Exam date").
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from quizapp import scheduling
from quizapp.scheduling import SchedState

if TYPE_CHECKING:
    from quizapp.config import DeckSettings

DEFAULT_TARGET = 0.9
TARGET_RANGE = (0.7, 0.99)


@dataclass(frozen=True)
class ExamDate:
    """A deck's exam as stored: its study day and the recall wanted on it."""

    deck: str
    day: date
    target: float = DEFAULT_TARGET


def recall_after(days: float, stability: float, settings: DeckSettings) -> float:
    """FSRS's ``R(t, S)`` with these settings' curve (:func:`scheduling.forgetting_curve`):
    recall ``days`` after the last review of a card of this stability."""
    decay, factor = scheduling.forgetting_curve(settings)
    return (1 + factor * max(days, 0.0) / stability) ** decay


def exam_words(day: date, today: date | None = None) -> str:
    """``15 Dec`` (``15 Dec 2027`` when not this year's): the exam day as the screens say it."""
    words = f"{day.day} {day:%b}"
    return words if today is not None and day.year == today.year else f"{words} {day.year}"


@dataclass(frozen=True)
class ExamPlan:
    """One deck's exam, with what it needs to aim at it: the deck's settings and the study day."""

    exam: ExamDate
    settings: DeckSettings
    day_starts_at: int = 4
    tz: tzinfo | None = None  # None: the system's local time

    @property
    def day(self) -> date:
        return self.exam.day

    @property
    def target(self) -> float:
        return self.exam.target

    def today(self, now: datetime) -> date:
        return scheduling.study_day(now, self.day_starts_at, self.tz)

    def days_left(self, now: datetime) -> int:
        """Study days from today to the exam's: 0 on the day, negative once it has passed."""
        return (self.day - self.today(now)).days

    def active(self, now: datetime) -> bool:
        """Whether the exam still changes anything: until the day before it, included."""
        return self.days_left(now) > 0

    def brings_forward_today(self, now: datetime) -> bool:
        """Whether a card can be brought forward to today: on the last two days before the
        exam (the only days cards are brought forward to)."""
        return 0 < self.days_left(now) <= 2

    def reason(self, now: datetime) -> str:
        """Why an interval is shorter than usual: ``before your exam on 15 Dec``."""
        return f"before your exam on {exam_words(self.day, self.today(now))}"

    # -- recall on the day ----------------------------------------------------------------

    def recall_on_day(self, state: SchedState) -> float:
        """The card's predicted recall on the exam day if it is not reviewed again (0: new)."""
        if state.state == "new" or state.last_review is None:
            return 0.0
        return self.recall(state.stability, state.last_review.timestamp())

    def recall(self, stability: float | None, last_review: float | None) -> float:
        """:meth:`recall_on_day` of a card of this stability last reviewed at ``last_review``
        (seconds since the epoch); 0 without either."""
        if stability is None or last_review is None:
            return 0.0
        return recall_after(self._days_since(last_review), stability, self.settings)

    def ready(self, stability: float | None, last_review: float | None) -> bool:
        """Whether a card of this stability last reviewed at ``last_review`` (seconds since the
        epoch) is at or above the target on the day: ``R(t, S) >= target`` exactly when
        ``S >= t · F / (target^(-1/w20) - 1)``, ``F`` the curve's factor."""
        if stability is None or last_review is None:
            return False
        return stability >= self._per_day * self._days_since(last_review)

    def ready_on_day(self, state: SchedState) -> bool:
        if state.state == "new" or state.last_review is None:
            return False
        return self.ready(state.stability, state.last_review.timestamp())

    def readiness(self, states: Iterable[SchedState]) -> float | None:
        """The share of these cards at or above the target on the day (None: no cards)."""
        total = ready = 0
        for state in states:
            total += 1
            ready += self.ready_on_day(state)
        return ready / total if total else None

    def ready_share(
        self, cards: Iterable[tuple[float | None, float | None]], new: int = 0
    ) -> float | None:
        """:meth:`readiness` of cards given as (stability, last review in seconds since the
        epoch), and ``new`` new cards: what the store reads without making a state for each
        (:meth:`ready`, written out for speed)."""
        per_day, starts, lookup = self._per_day, self._day_starts, self._LOOKUP_DAYS
        total, ready = new, 0
        for stability, last in cards:
            total += 1
            if stability is None or last is None:
                continue
            i = bisect_right(starts, last)
            days = lookup - i + 1 if 0 < i <= lookup else self._days_since(last)
            ready += stability >= per_day * days  # S > 0 always
        return ready / total if total else None

    @cached_property
    def _per_day(self) -> float:
        """The stability a card needs per study day to the exam to be at the target on it."""
        decay, factor = scheduling.forgetting_curve(self.settings)
        return factor / (self.target ** (1 / decay) - 1)

    _LOOKUP_DAYS = 400

    @cached_property
    def _day_starts(self) -> list[float]:
        """When each of the study days up to the exam's begins (seconds since the epoch), the
        last :data:`_LOOKUP_DAYS` of them, for finding a review's study day by bisection."""
        first = self.day - timedelta(days=self._LOOKUP_DAYS)
        return [
            scheduling.study_day_start(
                first + timedelta(days=i), self.day_starts_at, self.tz
            ).timestamp()
            for i in range(self._LOOKUP_DAYS + 1)
        ]

    def _days_since(self, last_review: float) -> int:
        """Study days from the one ``last_review`` (seconds since the epoch) falls in to the
        exam's (0 for a review on the exam day or after it)."""
        i = bisect_right(self._day_starts, last_review)
        if i > self._LOOKUP_DAYS:
            return 0
        if i > 0:
            return self._LOOKUP_DAYS - i + 1
        return (self.day - self._study_day(datetime.fromtimestamp(last_review, UTC))).days

    # -- the cap ----------------------------------------------------------------------------

    def brought_forward(self, state: SchedState) -> datetime | None:
        """The due the exam gives a card in this state instead of FSRS's, or None (left alone)."""
        if state.due is None or state.last_review is None or state.state == "new":
            return None
        last_day = self._study_day(state.last_review)
        due_day = self._study_day(state.due)
        day_before = self.day - timedelta(days=1)
        if last_day >= day_before or due_day < day_before:
            return None  # no day left before the exam, or reviewed on one anyway
        if self.ready_on_day(state):
            return None
        cap_day = day_before
        if last_day < day_before - timedelta(days=1) and not self._survives_a_lapse(state):
            cap_day = day_before - timedelta(days=1)
        if due_day <= cap_day:
            return None
        return self._on_day(state.last_review, cap_day)

    def _study_day(self, at: datetime) -> date:
        return scheduling.study_day(at, self.day_starts_at, self.tz)

    def _on_day(self, last_review: datetime, day: date) -> datetime:
        """The local hour of ``last_review`` on the study day ``day`` (aware UTC). The days are
        added on the wall clock, so a change of the clocks between cannot move it into another
        study day; an hour the clocks skipped gives the start of the study day."""
        local = last_review.astimezone(self.tz) if self.tz else last_review.astimezone()
        at = (local + timedelta(days=(day - self._study_day(last_review)).days)).astimezone(UTC)
        if self._study_day(at) != day:
            at = scheduling.study_day_start(day, self.day_starts_at, self.tz)
        return at

    def _survives_a_lapse(self, state: SchedState) -> bool:
        """Whether the card, forgotten on the day before the exam and relearnt at once (Good on
        each relearning step), would still be at or above the target on the day."""
        assert state.last_review is not None
        at = self._on_day(state.last_review, self.day - timedelta(days=1))
        after = scheduling.review(self._exact, 0, state, 1, at)
        while after.state == "relearning":
            assert after.due is not None
            after = scheduling.review(self._exact, 0, after, 3, after.due)
        return self.ready_on_day(after)

    @cached_property
    def _exact(self) -> DeckSettings:
        """The deck's settings without fuzz: what a review does to the memory state."""
        return replace(self.settings, fuzz=False)

    def due(self, state: SchedState, now: datetime) -> datetime | None:
        """When the card comes up: FSRS's due, brought forward while the exam is ahead."""
        if not self.active(now):
            return state.due
        return self.brought_forward(state) or state.due

    def previews(self, card_id: int, before: SchedState, now: datetime) -> list[Preview]:
        """What each grade would do, as the grade buttons show it: the interval actually used
        and, when the exam shortened it, why."""
        out = []
        for rating, label in scheduling.RATING_LABELS.items():
            after = scheduling.review(self.settings, card_id, before, rating, now)
            assert after.due is not None
            capped = self.brought_forward(after) if self.active(now) else None
            due = capped or after.due
            reason = self.reason(now) if capped is not None else None
            out.append(Preview(rating, label, scheduling.format_interval(due - now), reason))
        return out

    # -- new cards ----------------------------------------------------------------------------

    def new_limit(self, new_left: int, now: datetime) -> int:
        """Today's new-card limit: the deck's own, raised so that the ``new_left`` cards not yet
        introduced when today began are spread over the first half of the days left (on the
        day before the exam, all that are left)."""
        limit = self.settings.new_cards_per_day
        if not self.active(now) or new_left <= 0:
            return limit
        days = self.days_left(now) // 2
        needed = new_left if days <= 0 else math.ceil(new_left / days)
        return max(limit, needed)


@dataclass(frozen=True)
class Preview:
    """A grade button: ``Good``, ``9d``, and ``before your exam on 15 Dec`` when capped."""

    rating: int
    label: str
    interval: str
    reason: str | None = None
