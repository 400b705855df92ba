"""Exam-date benchmark: a simulated learner, with and without an exam date.

Run on demand (not a timed test; about a minute of CPU time):

    .venv/bin/python tests/bench/bench_exam.py            # or
    .venv/bin/python -m pytest tests/bench/bench_exam.py -s

A seeded learner studies once a day (at 19:00, UTC, study days starting at 04:00) the bundled
deck and a 1,000-card deck of independent cards, with the default settings (FSRS-6 defaults,
desired retention 0.9, 20 new cards and 200 reviews a day per deck, fuzz on), for 7, 14 and 30
days before an exam, starting from new cards or from a half-learnt deck (half of it introduced
at 20 a day with normal scheduling over the 40 days before the first day). Each day's queue is
the app's: reviews whose due (brought forward by the exam) falls today, by due date, within the
daily limit; new cards in deck order within the (raised) new limit, spread among the reviews;
one card of a note a day; learning steps answered as they come due that day. Answers are
scheduled by quizapp's own ``scheduling.review`` and ``exam_plan``.

The learner's answers come from the FSRS model itself: every answer but a new card's first is
recalled with the card's predicted recall at that moment, ``R(t, S)`` with ``t`` in days to the
second, and then Hard, Good or Easy in fsrs-rs's default proportions (22/63/15 %), else Again;
a new card's first answer follows fsrs-rs's default first answers (24/9/50/17 %).

Each day's queue is the app's on the day before the exam too: the cards below the target on
the day, and every new card left, come whatever the review limit and their siblings; an answer
that day leaving a card below the target keeps it at its relearning step (``after_answer``).

Reported, as the mean over five seeds: the share of cards at or above the target (0.9) on the
exam day with no further review (``ExamPlan.readiness``, the measure ``quizapp due --json``
uses: FSRS's recall at the start of the exam's study day, the days since the last review to
the second: the learner's own curve, which ``learner_ready`` counts again independently); the
answers over the days before the exam (learning steps included), with and without the exam
date; their ratio, also per card learnt; the most answers on one day. Target: with the exam 14
days ahead, >= 95 % of the cards at or above 0.9 on the day, for at most 1.5x the answers of
normal scheduling.
"""

from __future__ import annotations

import heapq
import math
import random
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from quizapp import scheduling  # noqa: E402
from quizapp.config import DeckSettings  # noqa: E402
from quizapp.exam_plan import ExamDate, ExamPlan, recall_after  # noqa: E402
from quizapp.scheduling import SchedState  # noqa: E402

SEEDS = (0, 1, 2, 3, 4)
DAY_STARTS_AT = 4
STUDY_AT = 19  # o'clock, UTC
TARGET = 0.9
SYNTH_CARDS = 1000
DAYS_AHEAD = (7, 14, 30)
WARM_UP_DAYS = 40
FIRST_DAY = date(2026, 3, 2)

# fsrs-rs's default simulator (fsrs_rs_python.default_simulator_config()), rounded.
FIRST_RATING = (0.24, 0.094, 0.495, 0.171)
REVIEW_RATING = (0.224, 0.631, 0.145)  # Hard, Good, Easy when recalled


@dataclass
class Card:
    id: int
    note: str
    state: SchedState


@dataclass(frozen=True)
class Outcome:
    ready: float  # share of the cards at or above the target on the exam day
    answers: int  # answers over the days before the exam
    busiest: int  # the most answers on one of those days
    introduced: int  # cards no longer new on the exam day
    # The share at or above the target at the start of the exam day on the learner's own curve,
    # counted from the curve itself (``ready`` counts the same with the plan's threshold).
    recall: float = 0.0


def bundled_notes() -> list[str]:
    """The bundled deck's cards, as their note keys, in deck order."""
    from quizapp.library import load_library
    from quizapp.paths import bundled_decks_dir

    result = load_library([bundled_decks_dir()])
    assert not result.errors, result.errors
    return [c.note_key for c in result.cards]


def synthetic_notes(n: int = SYNTH_CARDS) -> list[str]:
    return [f"n{i}" for i in range(n)]


def study_time(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, STUDY_AT, tzinfo=UTC)


class Learner:
    def __init__(self, settings: DeckSettings, seed: int, plan: ExamPlan | None = None) -> None:
        self.settings = settings
        self.rng = random.Random(seed)
        self.plan = plan  # answers scheduled with the exam date's plan

    def rating(self, card: Card, now: datetime) -> int:
        st = card.state
        if st.state == "new" or st.stability is None or st.last_review is None:
            return self._pick((1, 2, 3, 4), FIRST_RATING)
        elapsed = (now - st.last_review).total_seconds() / 86400
        recall = recall_after(elapsed, st.stability, self.settings)
        if self.rng.random() >= recall:
            return 1
        return self._pick((2, 3, 4), REVIEW_RATING)

    def answer(self, card: Card, now: datetime) -> None:
        rating = self.rating(card, now)
        if self.plan is not None:
            card.state = self.plan.review(card.id, card.state, rating, now)
        else:
            card.state = scheduling.review(self.settings, card.id, card.state, rating, now)

    def _pick(self, values: tuple[int, ...], weights: Iterable[float]) -> int:
        return self.rng.choices(values, weights=list(weights))[0]


def study_day_of(at: datetime) -> date:
    return scheduling.study_day(at, DAY_STARTS_AT, UTC)


def run_days(
    cards: list[Card],
    settings: DeckSettings,
    first: date,
    days: int,
    learner: Learner,
    plan: ExamPlan | None = None,
    new_cap: int | None = None,
) -> list[int]:
    """Study ``days`` days from ``first``; answers given each day. ``new_cap`` stops introducing
    new cards once that many are no longer new (the half-learnt deck's warm-up)."""
    per_day = []
    for k in range(days):
        day = first + timedelta(days=k)
        per_day.append(study_day(cards, settings, day, learner, plan, new_cap))
    return per_day


def study_day(
    cards: list[Card],
    settings: DeckSettings,
    day: date,
    learner: Learner,
    plan: ExamPlan | None,
    new_cap: int | None,
) -> int:
    now = study_time(day)
    day_end = scheduling.study_day_bounds(now, DAY_STARTS_AT, UTC)[1]
    seen: set[str] = set()

    def due_of(c: Card) -> datetime | None:
        return plan.due(c.state, now) if plan is not None else c.state.due

    reviews = sorted(
        (c for c in cards if c.state.state == "review" and (due_of(c) or day_end) < day_end),
        key=lambda c: (due_of(c), c.id),
    )
    queue: list[Card] = []
    for c in reviews:  # the review limit holds back no card the exam needs today
        needed = plan is not None and plan.needed_today(c.state, now)
        if c.note in seen and not needed:
            continue
        if len(queue) >= settings.maximum_reviews_per_day and not needed:
            continue
        seen.add(c.note)
        queue.append(c)
    new_left = [c for c in cards if c.state.state == "new"]
    limit = plan.new_limit(len(new_left), now) if plan is not None else settings.new_cards_per_day
    if new_cap is not None:
        limit = min(limit, max(0, new_cap - (len(cards) - len(new_left))))
    new: list[Card] = []
    for c in new_left:  # on the day before the exam, a sibling seen today does not hold one back
        if len(new) >= limit:
            break
        if c.note not in seen or (plan is not None and plan.needed_today(c.state, now)):
            seen.add(c.note)
            new.append(c)
    # New cards spread evenly among the reviews, as the app mixes them.
    mixed: list[Card] = []
    total = len(queue) + len(new)
    ri = ni = 0
    for i in range(total):
        if ni < len(new) and (ri >= len(queue) or (ni + 1) * total <= (i + 1) * len(new)):
            mixed.append(new[ni])
            ni += 1
        else:
            mixed.append(queue[ri])
            ri += 1
    learning: list[tuple[datetime, int, Card]] = [
        (c.state.due, c.id, c)
        for c in cards
        if c.state.state in ("learning", "relearning") and c.state.due and c.state.due < day_end
    ]
    heapq.heapify(learning)
    answers = 0

    def answer(c: Card, at: datetime) -> None:
        nonlocal answers
        learner.answer(c, at)
        answers += 1
        if c.state.state in ("learning", "relearning") and c.state.due < day_end:
            heapq.heappush(learning, (c.state.due, c.id, c))

    for c in mixed:
        while learning and learning[0][0] <= now:
            answer(heapq.heappop(learning)[2], now)
            now += timedelta(seconds=8)
        answer(c, now)
        now += timedelta(seconds=8)
    while learning:  # the learner waits for the last steps of the day
        due, _, c = heapq.heappop(learning)
        now = max(now, due)
        answer(c, now)
        now += timedelta(seconds=8)
    return answers


def start_state(
    notes: list[str], settings: DeckSettings, half_learnt: bool, seed: int
) -> list[Card]:
    cards = [Card(i + 1, note, SchedState()) for i, note in enumerate(notes)]
    if half_learnt:
        first = FIRST_DAY - timedelta(days=WARM_UP_DAYS)
        learner = Learner(settings, seed + 1000)
        run_days(cards, settings, first, WARM_UP_DAYS, learner, new_cap=len(cards) // 2)
    return cards


class EvenSpread(ExamPlan):
    """The plan with new cards spread evenly until two days before the exam."""

    def new_limit(self, new_left: int, now: datetime) -> int:
        if not self.active(now) or new_left <= 0:
            return self.settings.new_cards_per_day
        days = self.days_left(now) - 1
        needed = new_left if days <= 0 else math.ceil(new_left / days)
        return max(self.settings.new_cards_per_day, needed)


class NoHold(ExamPlan):
    """The plan without holding a weak card on the day before the exam until it is at the
    target: FSRS's own relearning steps only (two chances: two days before, the day before)."""

    def after_answer(self, after: SchedState, now: datetime) -> SchedState:
        return after


class OneChance(NoHold):
    """One chance only: a weak card is brought forward to the day before the exam, not held."""

    def brought_forward(self, state: SchedState) -> datetime | None:
        if state.due is None or state.last_review is None or state.state == "new":
            return None
        day_before = self.day - timedelta(days=1)
        if study_day_of(state.last_review) >= day_before or state.due < self.exam_start:
            return None
        if self.ready_on_day(state):
            return None
        return self._on_day(state.last_review, day_before)


def simulate(
    notes: list[str],
    days_ahead: int,
    half_learnt: bool,
    with_exam: bool,
    seed: int,
    plan_type: type[ExamPlan] = ExamPlan,
) -> Outcome:
    settings = DeckSettings()
    cards = start_state(notes, settings, half_learnt, seed)
    exam_day = FIRST_DAY + timedelta(days=days_ahead)
    plan = plan_type(ExamDate("bench", exam_day, TARGET), settings, DAY_STARTS_AT, UTC)
    learner = Learner(settings, seed, plan if with_exam else None)
    per_day = run_days(cards, settings, FIRST_DAY, days_ahead, learner, plan if with_exam else None)
    ready = plan.readiness(c.state for c in cards) or 0.0
    introduced = sum(c.state.state != "new" for c in cards)
    recall = learner_ready(plan, cards)
    assert abs(ready - recall) <= 1 / len(cards), (ready, recall)  # one measure, two ways
    return Outcome(ready, sum(per_day), max(per_day), introduced, recall)


def learner_ready(plan: ExamPlan, cards: list[Card]) -> float:
    """The share of the cards whose recall at the start of the exam day, on the curve the
    learner answers from (days to the second), is at or above the target."""
    ready = 0
    for c in cards:
        st = c.state
        if st.state != "new" and st.stability is not None and st.last_review is not None:
            days = (plan.exam_start - st.last_review).total_seconds() / 86400
            ready += recall_after(days, st.stability, plan.settings) >= plan.target
    return ready / len(cards)


def mean(xs: Iterable[float]) -> float:
    xs = list(xs)
    return sum(xs) / len(xs)


def table() -> list[str]:
    decks = {"bundled": bundled_notes(), "1,000 cards": synthetic_notes()}
    rows = [
        "| deck | start | exam in | ready, normal | ready, exam date (lowest seed) "
        "| on the learner's curve, normal → exam date "
        "| answers, normal | answers, exam date | ratio | ratio per card learnt "
        "| busiest day |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, notes in decks.items():
        for half in (False, True):
            for ahead in DAYS_AHEAD:
                t = time.perf_counter()
                normal = [simulate(notes, ahead, half, False, s) for s in SEEDS]
                exam = [simulate(notes, ahead, half, True, s) for s in SEEDS]
                n_ans, e_ans = mean(o.answers for o in normal), mean(o.answers for o in exam)
                n_learnt = mean(o.introduced for o in normal)
                e_learnt = mean(o.introduced for o in exam)
                rows.append(
                    f"| {name} ({len(notes)}) | {'half-learnt' if half else 'new'} "
                    f"| {ahead} d | {mean(o.ready for o in normal):.1%} ({n_learnt:.0f} learnt) "
                    f"| {mean(o.ready for o in exam):.1%} ({min(o.ready for o in exam):.1%}) "
                    f"| {mean(o.recall for o in normal):.1%} → {mean(o.recall for o in exam):.1%} "
                    f"| {n_ans:.0f} | {e_ans:.0f} | {e_ans / n_ans:.2f} "
                    f"| {(e_ans / e_learnt) / (n_ans / n_learnt):.2f} "
                    f"| {max(o.busiest for o in exam)} |"
                )
                print(rows[-1], f"  ({time.perf_counter() - t:.1f} s)", file=sys.stderr)
    return rows


def choices() -> list[str]:
    """The plan's new-card spread against an even one, 14 days ahead from new."""
    decks = {"bundled": bundled_notes(), "1,000 cards": synthetic_notes()}
    rows = [
        "| deck | the plan | even new-card spread |",
        "|---|---|---|",
    ]
    for name, notes in decks.items():
        outcomes = [
            [simulate(notes, 14, False, True, s, plan_type=kind) for s in SEEDS]
            for kind in (ExamPlan, EvenSpread)
        ]
        rows.append(
            f"| {name} "
            + "".join(
                f"| {mean(o.ready for o in os):.1%} ({mean(o.recall for o in os):.1%} on the "
                f"learner's curve), {mean(o.answers for o in os):.0f} answers "
                for os in outcomes
            )
            + "|"
        )
        print(rows[-1], file=sys.stderr)
    return rows


def ideas() -> list[str]:
    """What each part of the plan adds, 14 days ahead: one chance (the day before), two chances
    (two days before and the day before), and the plan (two chances, and a weak card held on
    the day before until it is at the target)."""
    decks = {"bundled": bundled_notes(), "1,000 cards": synthetic_notes()}
    kinds = (OneChance, NoHold, ExamPlan)
    rows = [
        "| deck | start | one chance | two chances | two chances and held |",
        "|---|---|---|---|---|",
    ]
    for name, notes in decks.items():
        for half in (False, True):
            normal = mean(simulate(notes, 14, half, False, s).answers for s in SEEDS)
            cells = []
            for kind in kinds:
                os = [simulate(notes, 14, half, True, s, plan_type=kind) for s in SEEDS]
                answers = mean(o.answers for o in os)
                cells.append(
                    f"{mean(o.recall for o in os):.1%} (lowest {min(o.recall for o in os):.1%}),"
                    f" {answers:.0f} answers ({answers / normal:.2f}x)"
                )
            rows.append(
                f"| {name} | {'half-learnt' if half else 'new'} | " + " | ".join(cells) + " |"
            )
            print(rows[-1], file=sys.stderr)
    return rows


def through_the_app(days_ahead: int, half_learnt: bool, seed: int) -> Outcome:
    """The bundled deck with an exam date, through the app's own review service (its queue,
    limits, siblings, learning steps and learn-ahead) on a clock, with the same learner; the
    half-learnt start is the in-memory one's, written into the cards."""
    import tempfile

    from quizapp.paths import bundled_decks_dir
    from quizapp.review import ReviewService
    from quizapp.store.models import CardRow

    settings = DeckSettings()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text("", encoding="utf-8")
        clock_at = [study_time(FIRST_DAY)]
        service = ReviewService(
            Path(tmp) / "q.sqlite3", [bundled_decks_dir()], config, clock=lambda: clock_at[0]
        )
        service.sync()
        with service.db.session(write=True) as s:
            rows = list(s.query(CardRow).order_by(CardRow.position, CardRow.id))
            start = start_state([r.note_key for r in rows], settings, half_learnt, seed)
            for row, card in zip(rows, start, strict=True):
                card.state.copy_to(row)
        exam_day = FIRST_DAY + timedelta(days=days_ahead)
        service.set_exam_date(exam_day, None, TARGET)
        learner = Learner(settings, seed)
        per_day = []
        for k in range(days_ahead):
            clock_at[0] = study_time(FIRST_DAY + timedelta(days=k))
            session, answers = service.start(), 0
            step = session.step()
            while step.summary is None:
                if step.card is None:
                    assert step.wait_until is not None
                    clock_at[0] = max(clock_at[0], step.wait_until)
                    step = session.step()
                    continue
                with service.db.session() as s:
                    row = s.get(CardRow, step.card.card_id)
                    assert row is not None
                    state = SchedState.of(row)
                rating = learner.rating(Card(row.id, row.note_key, state), clock_at[0])
                step = session.answer(step.card, rating, 8000)
                clock_at[0] += timedelta(seconds=8)
                answers += 1
            per_day.append(answers)
        plan = ExamPlan(ExamDate("bench", exam_day, TARGET), settings, DAY_STARTS_AT, UTC)
        with service.db.session() as s:
            states = [SchedState.of(r) for r in s.query(CardRow).filter(CardRow.retired.is_(False))]
        service.close()
    introduced = sum(st.state != "new" for st in states)
    cards = [Card(0, "", st) for st in states]
    return Outcome(
        plan.readiness(states) or 0.0,
        sum(per_day),
        max(per_day),
        introduced,
        learner_ready(plan, cards),
    )


def app_check() -> list[str]:
    """The in-memory simulation against the app's own queue, bundled deck, 14 days ahead."""
    notes = bundled_notes()
    rows = [
        "| start | ready, simulated queue | ready, the app's queue "
        "| on the learner's curve, simulated | the app "
        "| answers, simulated | answers, the app |",
        "|---|---|---|---|---|---|---|",
    ]
    for half in (False, True):
        sim = [simulate(notes, 14, half, True, s) for s in SEEDS]
        app = [through_the_app(14, half, s) for s in SEEDS]
        rows.append(
            f"| {'half-learnt' if half else 'new'} | {mean(o.ready for o in sim):.1%} "
            f"| {mean(o.ready for o in app):.1%} | {mean(o.recall for o in sim):.1%} "
            f"| {mean(o.recall for o in app):.1%} | {mean(o.answers for o in sim):.0f} "
            f"| {mean(o.answers for o in app):.0f} |"
        )
        print(rows[-1], file=sys.stderr)
    return rows


def report() -> str:
    return "\n".join(
        [
            *table(),
            "",
            "What each part of the plan adds, 14 days ahead (ready on the day):",
            *ideas(),
            "",
            "Ready on the day, 14 days ahead from new, against an even new-card spread:",
            *choices(),
            "",
            "The bundled deck with the exam 14 days ahead, simulated and through the app:",
            *app_check(),
        ]
    )


def test_bench_exam() -> None:
    print(report())


if __name__ == "__main__":
    print(report())
