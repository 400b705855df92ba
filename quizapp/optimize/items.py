"""Review histories → fsrs-rs training items, built the way Anki builds them.

Anki's ``reviews_for_fsrs`` (rslib ``scheduler/fsrs/params.rs``) decides what FSRS is fitted on;
these are its rules for training, applied to a card's history in time order:

1. **From the last reset on.** The history starts at the first learning step of the card's last
   run of learning steps (its last time as a new card); anything before it — an earlier life of
   the card, ended by a reset to new — is left out. A card with no learning step in its history
   (its start is unknown), or reset and not learnt again, gives no items.
2. **User grades only.** Manual entries (set due date, reset to new), reschedules, cram
   reviews (a filtered deck that does not reschedule) and exam answers (recognition, not
   recall) are left out of the history altogether.
3. **Days between study days.** ``delta_t`` of a review is the number of study days since the
   card's previous review, in local time with the day starting at ``day_starts_at`` — not
   elapsed hours divided by 24.
4. **Same-day reviews are history, not targets.** A review on the same study day as the
   previous one (``delta_t = 0``: learning steps, an Again and its relearning step) stays in the
   history of later items, but is not scored: there is one item per review a day or more after
   the card's previous review, holding every review of the card up to and including it.
5. **Time order.** Items are sorted by the time of their last review, as fsrs-rs expects (its
   evaluation weighs recent items more, and its time-series split fits on the past).

An :data:`Entry` is a plain tuple, so that a million of them stay cheap.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from itertools import groupby, islice
from typing import TYPE_CHECKING, Final

from quizapp import scheduling

if TYPE_CHECKING:
    import fsrs_rs_python

# Entry kinds. The first four are answers by the user, graded 1 (Again) … 4 (Easy).
LEARN: Final = "learn"  # a new card or one in its learning steps
REVIEW: Final = "review"
RELEARN: Final = "relearn"
FILTERED: Final = "filtered"  # a review in an Anki filtered deck that reschedules
# Left out of the history.
MANUAL: Final = "manual"  # set due date, forget without reset, any entry without a grade
RESET: Final = "reset"  # the card was made new again: the history before it is dropped
RESCHEDULE: Final = "reschedule"
CRAM: Final = "cram"  # a filtered deck that does not reschedule
EXAM: Final = "exam"  # an exam answer: recognition, not recall

GRADED: Final = frozenset({LEARN, REVIEW, RELEARN, FILTERED})
KINDS: Final = GRADED | {MANUAL, RESET, RESCHEDULE, CRAM, EXAM}
_INVISIBLE = frozenset({CRAM, EXAM})  # as if they had not happened, even for the reset scan

#: ``(at, day, rating, kind, duration_ms)``: ``at`` orders a card's entries (seconds since the
#: epoch), ``day`` is the study day number (:class:`StudyDays`), ``rating`` 1..4 (0 for entries
#: without a grade), ``kind`` one of :data:`KINDS`.
Entry = tuple[float, int, int, str, int]
AT, DAY, RATING, KIND, DURATION = range(5)

#: fsrs-rs's ``FSRSReview(rating, delta_t)`` as plain data.
Review = tuple[int, int]


class _QuarterDays(dict[int, int]):
    """Quarter hour of UTC (seconds since the epoch // 900) → its study day, filled on demand."""

    def __init__(self, day_starts_at: int, tz: tzinfo | None) -> None:
        super().__init__()
        self.day_starts_at, self.tz = day_starts_at, tz

    def __missing__(self, quarter: int) -> int:
        at = datetime.fromtimestamp(quarter * 900, UTC)
        day = self[quarter] = scheduling.study_day(at, self.day_starts_at, self.tz).toordinal()
        return day


class StudyDays:
    """Seconds since the epoch → the number of the study day they fall in (local time).

    The day begins at ``day_starts_at`` local time (:func:`quizapp.scheduling.study_day`). Days
    are cached per quarter hour of UTC: every time zone offset and daylight-saving switch is a
    whole number of quarter hours, so all instants of one quarter hour share a study day.
    """

    def __init__(self, day_starts_at: int = 4, tz: tzinfo | None = None) -> None:
        self.day_starts_at, self.tz = day_starts_at, tz
        #: quarter hour (seconds // 900) → study day, computed on first use: readers that have
        #: the quarter hour look days up here directly (``days.quarters[q]``).
        self.quarters: dict[int, int] = _QuarterDays(day_starts_at, tz)

    def __call__(self, seconds: float) -> int:
        return self.quarters[int(seconds // 900)]

    def of(self, at: datetime) -> int:
        return self(at.timestamp())


def entry(at: datetime, rating: int, kind: str, days: StudyDays, duration_ms: int = 0) -> Entry:
    """One history entry at the aware datetime ``at``."""
    if kind not in KINDS:
        raise ValueError(f"unknown entry kind {kind!r}")
    if at.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    seconds = at.timestamp()
    return (seconds, days(seconds), rating, kind, duration_ms)


@dataclass
class History:
    """Every card's entries in time order, as read from one source.

    ``reviews`` (answers graded by the user: learning, review, relearning, filtered; not
    exams or manual entries) and ``card_count`` (cards with such answers) are counted from the
    entries unless the reader gives them.
    """

    cards: dict[int, list[Entry]] = field(default_factory=dict)
    source: str = ""
    reviews: int = -1
    card_count: int = -1
    #: Every entry is a user's answer graded 1..4 (learning, review, relearning or filtered):
    #: no manual entries, resets, reschedules, cram reviews or exams. The reader vouches for
    #: it (quizapp's own review log holds nothing else); the items are then found faster.
    graded_only: bool = False

    def __post_init__(self) -> None:
        if self.reviews < 0 or self.card_count < 0:
            counts = [sum(1 for e in es if e[KIND] in GRADED) for es in self.cards.values()]
            self.reviews = sum(counts)
            self.card_count = sum(1 for n in counts if n)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, Entry]], source: str = "") -> History:
        """``(card, entry)`` rows, grouped by card and in time order within a card."""
        cards: dict[int, list[Entry]] = {}
        for card, group in groupby(rows, key=lambda r: r[0]):
            cards.setdefault(card, []).extend(e for _, e in group)
        return cls(cards, source)


def card_reviews(entries: Sequence[Entry], graded_only: bool = False) -> Sequence[Entry] | None:
    """The entries of one card that go into its training items (rules 1 and 2), or ``None``.

    With ``graded_only`` (:attr:`History.graded_only`) rule 2 leaves nothing out, and rule 1
    is a look for the card's last run of learning steps among the kinds.
    """
    if graded_only:
        kinds = [e[KIND] for e in entries]
        if LEARN not in kinds:
            return None
        start = len(kinds) - 1 - kinds[::-1].index(LEARN)
        while start and kinds[start - 1] == LEARN:
            start -= 1
        return entries[start:] if start else entries
    start = None
    for i in range(len(entries) - 1, -1, -1):
        kind = entries[i][KIND]
        if kind in _INVISIBLE:
            continue
        if kind == LEARN and 1 <= entries[i][RATING] <= 4:
            start = i
        elif start is not None:
            break  # the entry before the card's last run of learning steps
        elif kind == RESET:
            return None  # reset, and not learnt again since
    if start is None:
        return None
    tail = entries[start:] if start else entries  # read only: no copy needed
    for e in tail:
        if e[KIND] not in GRADED or not 1 <= e[RATING] <= 4:
            return [e for e in tail if e[KIND] in GRADED and 1 <= e[RATING] <= 4]
    return tail


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building a million small lists and tuples, Python's cycle collector would rescan them
    again and again; none of them can form a cycle, so it pauses meanwhile."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class TrainingSet:
    """fsrs-rs training items as plain data.

    ``histories[k]`` is the k-th used card's whole history as ``(rating, delta_t)`` pairs. Item
    ``i`` is the first ``n`` reviews of card ``k`` for ``(k, n) = ends[i]``, its last review at
    ``ats[i]``; ``ends`` go card by card, and ``order`` lists the items in time order (rule 5).
    """

    reviews: int  # graded answers read from the source
    cards: int  # cards with at least one graded answer
    histories: list[list[Review]]
    ends: list[tuple[int, int]]
    ats: list[float]
    order: list[int]

    def __len__(self) -> int:
        return len(self.ends)

    def items(self, by_card: bool = False) -> list[tuple[Review, ...]]:
        """Every item's reviews, in time order (or card by card), for reading and testing."""
        ends = self.ends if by_card else [self.ends[i] for i in self.order]
        return [tuple(self.histories[k][:n]) for k, n in ends]

    def card_ids(self, by_card: bool = False) -> list[int]:
        """The card (its position in ``histories``) of every item, aligned with the items."""
        cards = [k for k, _ in self.ends]
        return cards if by_card else [cards[i] for i in self.order]

    def prepared(self) -> FsrsItems:
        """The items as fsrs-rs objects in time order, with their cards, as :func:`fit
        <quizapp.optimize.fit.fit>` hands them to fsrs-rs."""
        return FsrsItems(
            self.reviews, self.cards, len(self.histories), self.fsrs_items(), self.card_ids()
        )

    def fsrs_items(self, by_card: bool = False) -> list[fsrs_rs_python.FSRSItem]:
        """The items as fsrs-rs objects, in time order (or card by card)."""
        from fsrs_rs_python import FSRSItem, FSRSReview

        with gc_paused():
            reviews = [[FSRSReview(r, d) for r, d in h] for h in self.histories]
            # Card by card, each card's reviews are read while they are at hand; then reorder.
            made = [FSRSItem(reviews[k][:n]) for k, n in self.ends]
            return made if by_card else [made[i] for i in self.order]


@dataclass
class FsrsItems:
    """Training items as fsrs-rs takes them: ``items[i]`` (an ``FSRSItem``, in time order, rule
    5) is an item of the card at position ``card_ids[i]`` among the ``used_cards`` cards that
    have items (numbered in the order of the source's cards, as :meth:`TrainingSet.card_ids`)."""

    reviews: int  # graded answers read from the source
    cards: int  # cards with at least one graded answer
    used_cards: int
    items: list[fsrs_rs_python.FSRSItem]
    card_ids: list[int]

    def __len__(self) -> int:
        return len(self.items)


class ReviewObjects(dict[int, "fsrs_rs_python.FSRSReview"]):
    """One fsrs-rs ``FSRSReview`` for each ``(rating, delta_t)``, made on first use: the key is
    ``delta_t << 3 | rating``. An ``FSRSItem`` copies its reviews when it is made and a review
    cannot be changed from Python, so every item can share them; a million answers then need
    a few thousand review objects, not a million."""

    def __missing__(self, key: int) -> fsrs_rs_python.FSRSReview:
        from fsrs_rs_python import FSRSReview

        review = self[key] = FSRSReview(key & 7, key >> 3)
        return review


def training_set(history: History) -> TrainingSet:
    """Build the training items of every card in ``history`` (rules 1–5)."""
    histories: list[list[Review]] = []
    ends: list[tuple[int, int]] = []
    ats: list[float] = []
    graded_only = history.graded_only
    with gc_paused():
        for entries in history.cards.values():
            kept = card_reviews(entries, graded_only)
            if not kept or len(kept) < 2:
                continue
            k, count = len(histories), len(ends)
            first = kept[0]
            pairs: list[Review] = [(first[RATING], 0)]
            prev = first[DAY]
            for at, day, rating, _kind, _duration in islice(kept, 1, None):
                delta = day - prev  # rules 3 and 4
                pairs.append((rating, delta))
                if delta:
                    ends.append((k, len(pairs)))
                    ats.append(at)
                prev = day
            if len(ends) > count:
                histories.append(pairs)
        order = sorted(range(len(ats)), key=ats.__getitem__)  # rule 5
    return TrainingSet(history.reviews, history.card_count, histories, ends, ats, order)
