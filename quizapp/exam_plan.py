"""An exam date: a deck's reviews aimed at one study day. Pure: memory states and dates in,
dates and numbers out (``fsrs``, :mod:`quizapp.scheduling` and the standard library only).

Days are study days (:func:`quizapp.scheduling.study_day`: local time, starting at
``day_starts_at``); the exam's day is ``E``.

**Recall on the day** is measured at the start of the exam's study day (``day_starts_at`` on
``E``, :attr:`ExamPlan.exam_start`): the earliest the exam can be. FSRS-6's forgetting curve is
``R(t, S) = (1 + F·t/S) ** -w20`` with ``F = 0.9 ** (-1/w20) - 1`` (so ``R(S, S) = 0.9``:
:func:`quizapp.scheduling.forgetting_curve`), and ``t`` is the time from the last review to
that moment in days to the second. (The ``fsrs`` package's ``get_card_retrievability``, which
normal scheduling keeps exactly, floors ``t`` to whole 24-hour periods, so a review at any hour
of the day before the exam would count 0 days and recall 1, whatever the stability; the exam
path counts the hours, the curve the memory follows.) A new card's recall is 0.

**Which cards are brought forward.** FSRS gives a card the interval ``I`` at which its recall
falls to the desired retention ``r``: ``R(I, S) = r``. Only a card due after the day it would
be brought to can miss the exam, and of those only the ones below the target on the day need
anything; the rest are left alone. With the target at or below ``r`` these are few (rounding,
fuzz, the maximum interval, the hour of review); a target above ``r`` brings more forward.

**Two chances.** A card below the target on the day comes two days before the exam (at the
hour of its last review, on the wall clock, so a change of the clocks cannot move it into
another study day); reviewed then and still below the target (most often forgotten, its
relearnt stability too small for the 1.5 days left), it comes again the day before. A review
on the exam day itself is not counted on (the exam may be in the morning). The stored due stays
FSRS's own: the queue and the grade buttons use :meth:`ExamPlan.due`, so clearing the date, or
the date passing, brings every card back to its normal interval at once.

**Held on the day before.** A card answered on the day before the exam that would still be
below the target on the day (forgotten, then relearnt to a stability that cannot last the
night) is not let go after FSRS's relearning steps: :meth:`ExamPlan.after_answer` keeps it at
its last relearning step, so it comes again after it, until it is at the target. Each of those
same-day answers raises its stability by FSRS-6's short-term rule ``S · e^(w17·(G - 3 + w18)) ·
S^-w19`` (about 14 % for a Good at a stability under 1 day), so a few Goods are enough. That
rule is the least tested part of the model; the benchmark's learner follows the model, so how
well a real learner's memory of a card drilled that evening lasts the night is its guess.

**Nothing the exam needs is held back.** On the day before the exam the cards below the target
on the day (:meth:`ExamPlan.needed_today`) come whatever the deck's review limit (which is
raised for them, and the screens say so) and whether a sibling was seen that day; so do all the
new cards not yet introduced. Two days before, the brought-forward cards come within the limit
(those it holds back come the next day).

**New cards.** Each day the new cards not yet introduced are spread over the first half of the
days left (so the daily number tapers off as the exam nears, and a card first answered Again
still has days to be relearnt), raising the deck's daily limit as needed, never lowering it; the
last ones are introduced at least two days before the exam, so they are reviewed again on the
day before it if they need it; on the day before the exam all that are left come (learnt once
is better than not at all).

**Readiness.** The share of the deck's cards (not suspended, not retired) at or above the target
on the day with no further review: :meth:`ExamPlan.ready_share`, which ``quizapp due --json``,
the home screen and the benchmark all count with.

``tests/bench/bench_exam.py`` measures all of this on a simulated learner (README, "Exam date").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from quizapp import scheduling
from quizapp.scheduling import SchedState

if TYPE_CHECKING:
    from quizapp.config import DeckSettings

DEFAULT_TARGET = 0.9
TARGET_RANGE = (0.7, 0.99)


class ExamDate(NamedTuple):
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
        """Whether a card can be brought forward to today: on the two days before the exam
        (the only days cards are brought forward to)."""
        return self.days_left(now) in (1, 2)

    def reason(self, now: datetime) -> str:
        """Why an interval is shorter than usual: ``before your exam on 15 Dec``."""
        return f"before your exam on {exam_words(self.day, self.today(now))}"

    # -- recall on the day ----------------------------------------------------------------

    @cached_property
    def exam_start(self) -> datetime:
        """When the exam's study day begins (aware UTC): the moment readiness is measured at."""
        return scheduling.study_day_start(self.day, self.day_starts_at, self.tz)

    def recall_on_day(self, state: SchedState) -> float:
        """The card's predicted recall at the start of the exam day if it is not reviewed again
        (0: new): FSRS's forgetting curve, the days since the last review to the second."""
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
        epoch) is at or above the target at the start of the exam day: ``R(t, S) >= target``
        exactly when ``S >= t · F / (target^(-1/w20) - 1)``, ``F`` the curve's factor. The one
        test behind :meth:`ready_on_day`, :meth:`readiness` and :meth:`ready_share`."""
        if stability is None or last_review is None:
            return False
        return stability >= self._per_day * self._days_since(last_review)

    def ready_on_day(self, state: SchedState) -> bool:
        if state.state == "new" or state.last_review is None:
            return False
        return self.ready(state.stability, state.last_review.timestamp())

    def readiness(self, states: Iterable[SchedState]) -> float | None:
        """The share of these cards at or above the target on the day (None: no cards):
        :meth:`ready_share` of their stabilities and last reviews, new cards counted as such."""
        cards: list[tuple[float | None, float | None]] = []
        new = 0
        for state in states:
            if state.state == "new" or state.last_review is None:
                new += 1
            else:
                cards.append((state.stability, state.last_review.timestamp()))
        return self.ready_share(cards, new=new)

    def ready_share(
        self, cards: Iterable[tuple[float | None, float | None]], new: int = 0
    ) -> float | None:
        """The share of the cards at or above the target on the day (None: no cards), the cards
        given as (stability, last review in seconds since the epoch), and ``new`` new cards:
        readiness as ``quizapp due --json``, the home screen and the benchmark count it."""
        per_day, start = self._per_day, self._start_seconds
        total, count = new, 0
        for stability, last in cards:  # :meth:`ready`, written out for speed
            total += 1
            if stability is None or last is None:
                continue
            count += stability >= per_day * max(0.0, (start - last) / 86400)
        return count / total if total else None

    @cached_property
    def _per_day(self) -> float:
        """The stability a card needs per day to the exam to be at the target on it."""
        decay, factor = scheduling.forgetting_curve(self.settings)
        return factor / (self.target ** (1 / decay) - 1)

    @cached_property
    def _start_seconds(self) -> float:
        return self.exam_start.timestamp()

    def _days_since(self, last_review: float) -> float:
        """Days, to the second, from ``last_review`` (seconds since the epoch) to the start of
        the exam day (0 for a review on the exam day or after it)."""
        return max(0.0, (self._start_seconds - last_review) / 86400)

    # -- the cap ----------------------------------------------------------------------------

    def brought_forward(self, state: SchedState) -> datetime | None:
        """The due the exam gives a card in this state instead of FSRS's, or None (left alone).
        A card below the target on the day comes two days before the exam (at the hour of its
        last review), so that a card forgotten then has the day before to be reviewed again;
        one last reviewed two days before the exam and still below the target comes the day
        before. A card FSRS makes due before that day, or reviewed on the day before the exam,
        is left alone."""
        if state.due is None or state.last_review is None or state.state == "new":
            return None
        last_day = self._study_day(state.last_review)
        day_before = self.day - timedelta(days=1)
        if last_day >= day_before or self.ready_on_day(state):
            return None  # no day left before the exam, or ready for it
        day = max(self.day - timedelta(days=2), last_day + timedelta(days=1))
        at = self._on_day(state.last_review, day)
        return at if at < state.due else None  # else: due by then anyway

    def needed_today(self, state: SchedState, now: datetime) -> bool:
        """Whether the card must be reviewed today for the exam: today is the day before it and
        the card is below the target on the day. Such a card is shown whatever the deck's
        review limit (the limit is raised for it)."""
        return self.last_day_before(now) and not self.ready_on_day(state)

    def last_day_before(self, now: datetime) -> bool:
        """Whether today is the day before the exam: the day nothing the exam needs is held
        back (weak cards whatever the review limit and their siblings, every new card left)."""
        return self.days_left(now) == 1

    def after_answer(self, after: SchedState, now: datetime) -> SchedState:
        """The state an answer at ``now`` leaves, ``after`` being FSRS's. On the day before the
        exam a card that would still be below the target on the day (most often one forgotten
        and relearnt, whose stability cannot last the night) is not let go: it stays at its
        last relearning step and comes again after it, like a card being relearnt, until it
        is at the target (each same-day answer updates its stability by FSRS's short-term
        rule). Otherwise ``after`` as it is."""
        if after.state != "review" or not self.last_day_before(now) or self.ready_on_day(after):
            return after
        steps = self.settings.relearning_steps
        wait = steps[-1] if steps else timedelta(minutes=10)
        return replace(
            after,
            state="relearning",
            step=max(len(steps) - 1, 0),
            due=now.astimezone(UTC) + wait,
        )

    def review(self, card_id: int, before: SchedState, rating: int, now: datetime) -> SchedState:
        """:func:`scheduling.review` with this plan's settings, then :meth:`after_answer`."""
        after = scheduling.review(self.settings, card_id, before, rating, now)
        return self.after_answer(after, now) if self.active(now) else after

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

    def due(self, state: SchedState, now: datetime) -> datetime | None:
        """When the card comes up: FSRS's due, brought forward while the exam is ahead."""
        if not self.active(now):
            return state.due
        return self.brought_forward(state) or state.due

    def previews(self, card_id: int, before: SchedState, now: datetime) -> list[Preview]:
        """What each grade would do, as the grade buttons show it: the interval actually used
        and, when the exam shortened it, why."""
        out = []
        active = self.active(now)
        for rating, label in scheduling.RATING_LABELS.items():
            fsrs_after = scheduling.review(self.settings, card_id, before, rating, now)
            after = self.after_answer(fsrs_after, now) if active else fsrs_after
            assert after.due is not None
            capped = self.brought_forward(after) if active else None
            due = capped or after.due
            changed = capped is not None or after.state != fsrs_after.state
            reason = self.reason(now) if changed else None
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


class Preview(NamedTuple):
    """A grade button: ``Good``, ``9d``, and ``before your exam on 15 Dec`` when capped."""

    rating: int
    label: str
    interval: str
    reason: str | None = None
