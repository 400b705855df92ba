"""Fitting and evaluating the 21 FSRS-6 parameters with fsrs-rs (``fsrs_rs_python``).

The steps are Anki's (rslib ``scheduler/fsrs/params.rs``): fit on every item, score the
parameters in force and the fitted ones with fsrs-rs's own ``evaluate`` on the same items (log
loss and RMSE over bins of predicted recall), and keep the fitted parameters only when their
RMSE beats the ones in force. On top, fsrs-rs's time-series split (fit on the past, score the
future) says how well fitting predicts reviews it has not seen.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

import fsrs_rs_python as fsrs_rs

from quizapp.optimize.errors import NotEnoughHistory, OptimizeError
from quizapp.optimize.items import FsrsItems, TrainingSet

#: fsrs-rs returns its defaults, fitting nothing, below this many training items after its
#: outlier filter (which drops the rarest first intervals of each first rating, at least 20
#: items of each, so a first rating needs 20 items alike before any is kept) ...
MIN_ITEMS = 8
#: ... and below this many it fits only the four initial stabilities.
MIN_ITEMS_FULL = 64
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs_rs.DEFAULT_PARAMETERS)
#: How far apart (relative) fsrs-rs's RMSE (bins) of the same parameters on the same items may
#: come out from run to run.
RMSE_NOISE = 1e-5
#: Above this many items the time-series split (which fits several times) scores the items of
#: a random sample of cards holding about this many; the fit itself always uses every item.
SPLIT_MAX = 100_000


@dataclass(frozen=True)
class Evaluation:
    log_loss: float
    rmse_bins: float

    def to_json(self) -> dict[str, float]:
        return {"log_loss": self.log_loss, "rmse_bins": self.rmse_bins}


@dataclass(frozen=True)
class FitResult:
    """Parameters fitted to a training set, and how both sets of parameters score on it."""

    reviews: int
    cards: int
    items: int
    current: tuple[float, ...]  # the parameters in force
    parameters: tuple[float, ...]  # the fitted ones
    before: Evaluation
    after: Evaluation
    time_series: Evaluation | None  # None when there are too few items to split
    partial: bool  # fewer than MIN_ITEMS_FULL items: only the initial stabilities were fitted
    seconds: float

    @property
    def better(self) -> bool:
        """Whether the fitted parameters beat the ones in force (Anki's rule: on RMSE). fsrs-rs
        sums its bins in no fixed order, so the same parameters score a few parts in ten
        million apart from run to run: a win must be larger than that."""
        return self.after.rmse_bins < self.before.rmse_bins * (1 - RMSE_NOISE)


def usable_items(items: Sequence[fsrs_rs.FSRSItem]) -> int:
    """How many items fsrs-rs trains on: every item but its outliers (rare first intervals)."""
    first = [i for i in items if i.long_term_review_cnt() == 1]
    _init, train = fsrs_rs.filter_outlier(first, list(items))
    return len(train)


def check_parameters(parameters: Sequence[float]) -> tuple[float, ...]:
    """21 FSRS-6 parameters as fsrs-rs accepts them (older 17- or 19-number sets are filled)."""
    try:
        return tuple(fsrs_rs.check_and_fill_parameters(list(parameters)))
    except (ValueError, RuntimeError) as err:  # pragma: no cover - fsrs validated them before
        raise OptimizeError(f"invalid FSRS parameters: {err}") from None


def evaluate(parameters: Sequence[float], items: Sequence[fsrs_rs.FSRSItem]) -> Evaluation:
    """fsrs-rs's own scoring of ``parameters`` on ``items`` (which must be in time order)."""
    ev = fsrs_rs.FSRS(list(parameters)).evaluate(list(items))
    return Evaluation(float(ev.log_loss), float(ev.rmse_bins))


def _card_sample(cards: int, share: float) -> set[int]:
    rng = random.Random(2023)
    return {k for k in range(cards) if rng.random() < share}


def fit(
    ts: TrainingSet | FsrsItems,
    current: Sequence[float] = DEFAULT_PARAMETERS,
    *,
    relearning_steps: int = 1,
    time_series: bool = True,
) -> FitResult:
    """Fit the 21 parameters to ``ts`` and score them against ``current`` on the same items.

    Raises :class:`NotEnoughHistory` (changing nothing) below fsrs-rs's own threshold.
    """
    start = time.perf_counter()
    # One conversion to fsrs-rs objects serves the fit and every evaluation.
    prepared = ts if isinstance(ts, FsrsItems) else ts.prepared()
    items = prepared.items
    usable = usable_items(items) if len(items) < 10 * MIN_ITEMS_FULL else len(items)
    if usable < MIN_ITEMS:
        raise NotEnoughHistory(ts.reviews, ts.cards, len(items), usable, MIN_ITEMS)
    # The card of each item lets fsrs-rs compute a card's reviews once for all its items.
    card_ids = prepared.card_ids
    # With the deck's relearning steps, fsrs-rs bounds the same-day parameters so that a lapse
    # and its relearning steps never end above the stability the card had before it.
    steps = max(1, relearning_steps)
    fitted = fsrs_rs.FSRS([]).compute_parameters(
        items, card_ids=card_ids, enable_short_term=True, num_relearning_steps=steps
    )
    parameters = tuple(float(x) for x in fitted)
    current = check_parameters(current)
    before = evaluate(current, items)
    after = evaluate(parameters, items)
    split: Evaluation | None = None
    if time_series:
        split_items, split_cards = items, card_ids
        if len(items) > SPLIT_MAX:
            keep = _card_sample(prepared.used_cards, SPLIT_MAX / len(items))
            kept = bytes(k in keep for k in range(prepared.used_cards))
            chosen = list(compress(range(len(items)), map(kept.__getitem__, card_ids)))
            split_items = list(map(items.__getitem__, chosen))
            split_cards = list(map(card_ids.__getitem__, chosen))
        try:
            ev = fsrs_rs.evaluate_with_time_series_splits(
                split_items,
                card_ids=split_cards,
                enable_short_term=True,
                num_relearning_steps=steps,
            )
            split = Evaluation(float(ev.log_loss), float(ev.rmse_bins))
        except (ValueError, RuntimeError):
            split = None  # too few items for fsrs-rs to split
    return FitResult(
        reviews=ts.reviews,
        cards=ts.cards,
        items=len(items),
        current=current,
        parameters=parameters,
        before=before,
        after=after,
        time_series=split,
        partial=usable < MIN_ITEMS_FULL,
        seconds=time.perf_counter() - start,
    )
