"""Fitting and evaluating the 21 FSRS-6 parameters with fsrs-rs (``fsrs_rs_python``).

The steps are Anki's (rslib ``scheduler/fsrs/params.rs``): fit on every item, score the
parameters in force and the fitted ones with fsrs-rs's own ``evaluate`` on the same items (log
loss and RMSE over bins of predicted recall), and keep the fitted parameters only when their
RMSE beats the ones in force. On top, fsrs-rs's time-series split (fit on the past, score the
future) says how well fitting predicts reviews it has not seen.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
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
    # fsrs-rs reads any sequence; a list is not copied first (a million items take a while).
    ev = fsrs_rs.FSRS(list(parameters)).evaluate(items if isinstance(items, list) else list(items))
    return Evaluation(float(ev.log_loss), float(ev.rmse_bins))


def _card_sample(cards: int, share: float) -> set[int]:
    rng = random.Random(2023)
    return {k for k in range(cards) if rng.random() < share}


def _time_series(prepared: FsrsItems, steps: int) -> Evaluation | None:
    """fsrs-rs's time-series split, on the items of a sample of cards above SPLIT_MAX items;
    None when there are too few items to split."""
    items, card_ids = prepared.items, prepared.card_ids
    if len(items) > SPLIT_MAX:
        keep = _card_sample(prepared.used_cards, SPLIT_MAX / len(items))
        kept = bytes(k in keep for k in range(prepared.used_cards))
        chosen = list(compress(range(len(items)), map(kept.__getitem__, card_ids)))
        items = list(map(items.__getitem__, chosen))
        card_ids = list(map(card_ids.__getitem__, chosen))
    try:
        ev = fsrs_rs.evaluate_with_time_series_splits(
            items, card_ids=card_ids, enable_short_term=True, num_relearning_steps=steps
        )
    except (ValueError, RuntimeError):
        return None  # too few items for fsrs-rs to split
    return Evaluation(float(ev.log_loss), float(ev.rmse_bins))


def _independent(
    prepared: FsrsItems, current: tuple[float, ...], steps: int, time_series: bool
) -> tuple[Evaluation, Evaluation | None]:
    """The scores that do not depend on the fit: the parameters in force, and the split."""
    before = evaluate(current, prepared.items)
    return before, _time_series(prepared, steps) if time_series else None


def can_fork() -> bool:
    """Whether this process can fork a helper safely: it runs one thread only. A forked child
    has only the thread that forked, so a lock another thread held (fsrs-rs starts a pool of
    threads for its first time-series split) would never be released in the child. Checked
    where the threads can be counted (Linux); elsewhere the scores are computed in process."""
    try:
        return hasattr(os, "fork") and len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def spare_core() -> bool:
    """Whether a core of this machine is free for a helper process: over the last minute,
    fewer processes ran on average than there are cores by more than one. With none free a
    helper only adds its own cost (the pages it and the fit copy on write) to the wall time."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return cores >= 2 and load < cores - 0.5


class _Beside:
    """:func:`_independent` in a forked child process, on the machine's other core, while
    this process fits: fsrs-rs holds the interpreter while it works, so a thread would wait.

    The child shares the items with this process (copied on write, page by page, only where
    either process writes) and sends back four numbers; it ends with ``os._exit``, running
    nothing of this process's (no exit handlers, no buffers flushed twice). If it fails or
    takes far longer than the fit, :meth:`result` says None and the caller scores in process.
    """

    def __init__(self, work: Callable[[], tuple[Evaluation, Evaluation | None]]) -> None:
        self.pid = -1
        self.started = time.perf_counter()
        read, write = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            self.read = -1
            return
        if self.pid == 0:  # the child
            code = 1
            try:
                os.close(read)
                before, split = work()
                numbers = [before.log_loss, before.rmse_bins]
                if split is not None:
                    numbers += [split.log_loss, split.rmse_bins]
                os.write(write, json.dumps(numbers).encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.read = read

    def result(self) -> tuple[Evaluation, Evaluation | None] | None:
        if self.read < 0:
            return None
        # The child's work is a fraction of the fit's; far longer than that, it is stuck.
        wait = max(10.0, 3 * (time.perf_counter() - self.started))
        chunks: list[bytes] = []
        try:
            while select.select([self.read], [], [], wait)[0]:
                if not (chunk := os.read(self.read, 4096)):
                    break
                chunks.append(chunk)
            else:
                return None
        finally:
            self.close()
        try:
            numbers = [float(x) for x in json.loads(b"".join(chunks))]
        except ValueError:
            return None
        if len(numbers) not in (2, 4):
            return None
        split = Evaluation(*numbers[2:]) if len(numbers) == 4 else None
        return Evaluation(*numbers[:2]), split

    def close(self) -> None:
        if self.read >= 0:
            os.close(self.read)
            self.read = -1
        if self.pid > 0:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = -1


def fit(
    ts: TrainingSet | FsrsItems,
    current: Sequence[float] = DEFAULT_PARAMETERS,
    *,
    relearning_steps: int = 1,
    time_series: bool = True,
    parallel: bool = False,
) -> FitResult:
    """Fit the 21 parameters to ``ts`` and score them against ``current`` on the same items.

    With ``parallel``, the parameters in force and the time-series split are scored in a
    forked child process while this one fits, if the process runs one thread only
    (:func:`can_fork`: the ``optimize`` command, before fsrs-rs's first split); else, and if
    the child fails, in process. The figures are the same either way. Raises
    :class:`NotEnoughHistory` (changing nothing) below fsrs-rs's own threshold.
    """
    start = time.perf_counter()
    # One conversion to fsrs-rs objects serves the fit and every evaluation.
    prepared = ts if isinstance(ts, FsrsItems) else ts.prepared()
    items = prepared.items
    usable = usable_items(items) if len(items) < 10 * MIN_ITEMS_FULL else len(items)
    if usable < MIN_ITEMS:
        raise NotEnoughHistory(ts.reviews, ts.cards, len(items), usable, MIN_ITEMS)
    current = check_parameters(current)
    # With the deck's relearning steps, fsrs-rs bounds the same-day parameters so that a lapse
    # and its relearning steps never end above the stability the card had before it.
    steps = max(1, relearning_steps)
    beside = None
    if parallel and can_fork():
        beside = _Beside(lambda: _independent(prepared, current, steps, time_series))
    try:
        # The card of each item lets fsrs-rs compute a card's reviews once for all its items.
        fitted = fsrs_rs.FSRS([]).compute_parameters(
            items, card_ids=prepared.card_ids, enable_short_term=True, num_relearning_steps=steps
        )
        parameters = tuple(float(x) for x in fitted)
        after = evaluate(parameters, items)
        scored = beside.result() if beside is not None else None
    finally:
        if beside is not None:
            beside.close()
    before, split = scored or _independent(prepared, current, steps, time_series)
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
