"""A synthetic learner whose memory follows known FSRS parameters (through the ``fsrs`` package).

Each card is first seen on a day of the first two months, then reviewed when the ``fsrs``
scheduler (with the true parameters and a desired retention drawn per card) says it is due,
give or take a few days; at each review the learner remembers with the probability the true
parameters predict, and then presses Hard, Good or Easy — or Again when they forgot. Every
review is at noon UTC, so days between reviews are whole days either way they are counted.

Every draw comes from the learner's own generator, so the same seed gives the same history
whatever else runs in the process. (``fsrs``'s own fuzz draws from the ``random`` module, which
anything may draw from or reseed meanwhile — ``quizapp.scheduling`` reseeds it for each
answer — so the learner does not use it and spreads the intervals itself, as fuzz would.)
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs

from quizapp.optimize import items as k
from quizapp.optimize.items import History, StudyDays, entry

#: The "true" parameters: valid FSRS-6 parameters clearly away from the defaults.
TRUE_PARAMETERS = (
    0.1726, 0.8326, 2.4851, 6.3079, 6.5383, 0.5241, 3.1816, 0.0269, 1.6629, 0.2612, 0.6194,
    1.5809, 0.0423, 0.3833, 1.798, 0.6014, 1.8729, 0.8313, 0.1011, 0.1463, 0.2433,
)  # fmt: skip
START = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def learner_history(
    parameters: tuple[float, ...] = TRUE_PARAMETERS,
    cards: int = 600,
    days: int = 365,
    seed: int = 7,
) -> History:
    return _learner_history(parameters, cards, days, random.Random(seed))


def _learner_history(
    parameters: tuple[float, ...], cards: int, days: int, rng: random.Random
) -> History:
    study_days = StudyDays(4, UTC)
    out: dict[int, list[k.Entry]] = {}
    for cid in range(cards):
        scheduler = fsrs.Scheduler(
            parameters=parameters,
            desired_retention=rng.uniform(0.75, 0.95),
            learning_steps=(),
            relearning_steps=(),
            enable_fuzzing=False,
        )
        now = START + timedelta(days=rng.randrange(60))
        card = fsrs.Card(card_id=cid + 1, due=now)
        rating = rng.choices((1, 2, 3, 4), weights=(0.25, 0.1, 0.5, 0.15))[0]
        entries = [entry(now, rating, k.LEARN, study_days, 8000)]
        card, _ = scheduler.review_card(card, fsrs.Rating(rating), now)
        _fuzz(card, now, rng)
        while True:
            now = card.due
            if now >= START + timedelta(days=days):
                break
            recalled = rng.random() < scheduler.get_card_retrievability(card, now)
            rating = rng.choices((2, 3, 4), weights=(0.15, 0.7, 0.15))[0] if recalled else 1
            entries.append(entry(now, rating, k.REVIEW, study_days, 6000))
            card, _ = scheduler.review_card(card, fsrs.Rating(rating), now)
            _fuzz(card, now, rng)
        out[cid] = entries
    return History(out, "synthetic")


def _fuzz(card: fsrs.Card, now: datetime, rng: random.Random) -> None:
    """Move the card's due date by up to 5% of its interval (at least a day, from 3 days on)."""
    interval = (card.due - now).days
    if interval >= 3:
        spread = max(1, round(interval * 0.05))
        card.due += timedelta(days=rng.randint(-spread, spread))


def write_history_csv(path: Path, cards: int = 150) -> None:
    """The learner's history as a review-log CSV (the format of ``review_logs_josh.csv``)."""
    history = learner_history(cards=cards)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["card_id", "review_rating", "review_time", "review_duration"])
        for card, entries in history.cards.items():
            for at, _day, rating, _kind, duration in entries:
                w.writerow(
                    [card + 1000, rating, datetime.fromtimestamp(at, UTC).isoformat(), duration]
                )
