"""Choosing the desired retention: a year of reviews simulated by fsrs-rs.

For each desired retention from 0.70 to 0.97, fsrs-rs's ``simulate`` learns the deck from its
first card for a year, at the deck's daily limits, with the learner's FSRS parameters and their
own habits from the review history (how often they press each button on a new card and on a
review, the button sequences of learning and relearning steps, and the seconds each answer
takes — fsrs-rs's ``extract_simulator_config``, smoothed toward fsrs-rs's defaults when the
history is short). The table shows the reviews a day, the minutes a day and the cards
remembered at the end; fsrs-rs's ``optimal_retention`` is the retention that costs the least
time per card remembered.

A large deck is simulated on a random share of itself (at most :data:`MAX_INTRODUCED` cards
introduced in the year, with the daily limits scaled alike) and the counts scaled back, so the
choice takes seconds, not minutes; the time per card remembered does not depend on the scale.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import fsrs_rs_python as fsrs_rs

from quizapp.optimize.errors import OptimizeError
from quizapp.optimize.items import DAY, DURATION, KIND, LEARN, RATING, RELEARN, REVIEW, History

RETENTIONS: tuple[float, ...] = tuple(round(0.70 + i / 100, 2) for i in range(28))  # .70-.97
DAYS = 365
MAX_INTRODUCED = 3_000
SEED = 42
_STATE = {LEARN: 0, REVIEW: 1, RELEARN: 2}
_LONGEST_ANSWER_MS = 1_200_000  # fsrs-rs ignores answers of 20 minutes or more (or no time)
_NO_LIMIT = 3.4e38  # quizapp has no daily time limit

#: ``progress(done, total, what)``; ``total`` is None while the number of steps is unknown.
Progress = Callable[[int, int | None, str], None]


@dataclass(frozen=True)
class Limits:
    """The deck's size and limits, as the simulation uses them."""

    cards: int  # cards that can be shown: not retired, not suspended
    new_per_day: int
    reviews_per_day: int
    maximum_interval: int = 36500
    learning_steps: int = 2
    relearning_steps: int = 1


@dataclass(frozen=True)
class RetentionRow:
    desired_retention: float
    reviews_per_day: float  # reviews of cards already introduced, mean over the year
    minutes_per_day: float  # answering time, new cards included
    remembered: float  # cards remembered at the end of the year (sum of recall probabilities)
    seconds_per_remembered: float  # the year's answering time / cards remembered

    def to_json(self) -> dict[str, float]:
        return {
            "desired_retention": self.desired_retention,
            "reviews_per_day": round(self.reviews_per_day, 1),
            "minutes_per_day": round(self.minutes_per_day, 1),
            "remembered": round(self.remembered, 1),
            "seconds_per_remembered": round(self.seconds_per_remembered, 1),
        }


@dataclass(frozen=True)
class RetentionChoice:
    rows: tuple[RetentionRow, ...]
    optimal: float  # fsrs-rs's optimal retention, in 0.70..0.95
    parameters: tuple[float, ...]
    cards: int  # the deck's size
    simulated: int  # the cards simulated (the deck, or a share of it)
    seconds: float

    def row(self, retention: float) -> RetentionRow:
        return min(self.rows, key=lambda r: abs(r.desired_retention - retention))


def habits(history: History) -> dict[str, list[float] | list[list[float]]]:
    """The learner's rating habits and answer times, as fsrs-rs's simulator config fields.

    The steps of fsrs-rs's ``extract_simulator_config`` with smoothing: counts of each card's
    answers per study day give the first-rating and review-rating probabilities and the
    learning/relearning step transitions, mean answer seconds per state and rating give the
    costs; each is blended with fsrs-rs's default by ``n / (n + 50)``.
    """
    default = fsrs_rs.default_simulator_config()
    durations: dict[tuple[int, int], list[int]] = defaultdict(list)
    buttons: dict[tuple[int, int], int] = defaultdict(int)
    learn_seqs: list[list[int]] = []
    relearn_seqs: list[list[int]] = []
    for entries in history.cards.values():
        day_runs: dict[int, list[tuple[int, int]]] = {}
        for e in entries:
            state = _STATE.get(e[KIND])
            if state is None or not 1 <= e[RATING] <= 4:
                continue
            if not 0 < e[DURATION] < _LONGEST_ANSWER_MS:
                continue
            durations[(state, e[RATING] - 1)].append(e[DURATION])
            day_runs.setdefault(e[DAY], []).append((state, e[RATING]))
        for run in day_runs.values():
            state, rating = run[0]
            buttons[(state, rating)] += 1
            if state == 0:
                learn_seqs.append([r for _, r in run])
            elif state == 1 and rating == 1:
                relearn_seqs.append([r for _, r in run])

    learn = [buttons[(0, r)] for r in range(1, 5)]
    if not any(learn):
        learn = [1, 1, 1, 1]
    review = [buttons[(1, r)] for r in range(1, 5)]
    if not any(review[1:]):
        review = [review[0], 1, 1, 1]
    first = [x / sum(learn) for x in learn]
    later = [x / sum(review[1:]) for x in review[1:]]

    def blend(values: Sequence[float], defaults: Sequence[float], n: float) -> list[float]:
        w = n / (50 + n)
        return [w * v + (1 - w) * d for v, d in zip(values, defaults, strict=True)]

    def transitions(seqs: list[list[int]], defaults: list[list[float]]) -> list[list[float]]:
        counts = [[1.0] * 4 for _ in range(4)]  # Laplace smoothing, as fsrs-rs
        for seq in seqs:
            for a, b in itertools.pairwise(seq):
                counts[a - 1][b - 1] += 1
        return [
            blend([c / sum(row) for c in row], defaults[i], sum(row))
            for i, row in enumerate(counts[:3])
        ]

    costs = []
    for state in range(3):
        row = []
        for rating in range(4):
            ds = durations.get((state, rating), [])
            mean = (sum(ds) // len(ds)) / 1000 if ds else 0.0
            w = len(ds) / (50 + len(ds))
            row.append(round(w * mean + (1 - w) * default.state_rating_costs[state][rating], 2))
        costs.append(row)
    return {
        "first_rating_prob": blend(first, default.first_rating_prob, sum(learn)),
        "review_rating_prob": blend(later, default.review_rating_prob, sum(review[1:])),
        "learning_step_transitions": transitions(learn_seqs, default.learning_step_transitions),
        "relearning_step_transitions": transitions(
            relearn_seqs, default.relearning_step_transitions
        ),
        "state_rating_costs": costs,
    }


def simulator_config(limits: Limits, history: History) -> tuple[fsrs_rs.SimulatorConfig, float]:
    """fsrs-rs's simulator config for the deck, and the share of the deck it simulates."""
    if limits.cards <= 0:
        raise OptimizeError("the deck has no cards to simulate")
    if limits.new_per_day <= 0:
        raise OptimizeError(
            "new_cards_per_day is 0: the simulation learns the deck from its first card, so "
            "there is nothing to simulate"
        )
    introduced = min(limits.cards, limits.new_per_day * DAYS)
    share = min(1.0, MAX_INTRODUCED / introduced)

    def scaled(n: int) -> int:
        return max(1, round(n * share))

    h = habits(history)
    config = fsrs_rs.SimulatorConfig(
        deck_size=scaled(limits.cards),
        learn_span=DAYS,
        max_cost_perday=_NO_LIMIT,
        max_ivl=float(limits.maximum_interval),
        first_rating_prob=h["first_rating_prob"],
        review_rating_prob=h["review_rating_prob"],
        learn_limit=scaled(limits.new_per_day),
        review_limit=scaled(limits.reviews_per_day),
        new_cards_ignore_review_limit=True,
        learning_step_transitions=h["learning_step_transitions"],
        relearning_step_transitions=h["relearning_step_transitions"],
        state_rating_costs=h["state_rating_costs"],
        learning_step_count=limits.learning_steps,
        relearning_step_count=limits.relearning_steps,
    )
    return config, config.deck_size / limits.cards


def choose_retention(
    parameters: Sequence[float],
    limits: Limits,
    history: History,
    progress: Progress | None = None,
) -> RetentionChoice:
    """Simulate a year at every retention of :data:`RETENTIONS` and find the optimal one."""
    start = time.perf_counter()
    tick = progress or (lambda done, total, what: None)
    config, share = simulator_config(limits, history)
    w = fsrs_rs.check_and_fill_parameters(list(parameters))
    rows = []
    for i, dr in enumerate(RETENTIONS):
        tick(i, len(RETENTIONS), f"simulating a year at retention {dr:.2f}")
        result = fsrs_rs.simulate(w, dr, config, SEED)
        cost = float(sum(result.cost_per_day))
        remembered = float(result.memorized_cnt_per_day[-1])
        rows.append(
            RetentionRow(
                desired_retention=dr,
                reviews_per_day=sum(result.review_cnt_per_day) / DAYS / share,
                minutes_per_day=cost / DAYS / 60 / share,
                remembered=remembered / share,
                seconds_per_remembered=cost / remembered if remembered else float("inf"),
            )
        )
    tick(len(RETENTIONS), len(RETENTIONS), "simulated every retention")
    runs = 0

    def target(result: fsrs_rs.SimulationResult, _w: Sequence[float]) -> float:
        # fsrs-rs's own default target (time per card remembered), counted for the progress.
        nonlocal runs
        runs += 1
        tick(runs, None, "finding the optimal retention")
        remembered = result.memorized_cnt_per_day[-1]
        return float(sum(result.cost_per_day)) / remembered if remembered else float("inf")

    optimal = float(fsrs_rs.optimal_retention(config, w, None, target))
    return RetentionChoice(
        rows=tuple(rows),
        optimal=round(optimal, 2),
        parameters=tuple(float(x) for x in w),
        cards=limits.cards,
        simulated=config.deck_size,
        seconds=time.perf_counter() - start,
    )
