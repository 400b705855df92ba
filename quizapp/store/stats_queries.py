"""The statistics' reads: aggregates of the review log, the cards and the exams, in SQL.

Every function counts in SQLite and hands back a few numbers per group (a day, an hour, a
bin), never a row per answer or per card. Time ranges come in as aware datetimes, already cut
at the study days' and local hours' boundaries by the caller (:mod:`quizapp.stats`); each
range is ``[start, end)``. The answers are read from indexes alone (migrations 0007 and 0009),
and counted range by range rather than sorted, so a million of them are counted in a fraction of
a second:

- ``ix_review_log_time`` (time): the answers of each day of the calendar;
- ``ix_review_log_recent`` (time, card, state, grade, duration, interval): the answers of a time
  range with everything they are summed by (the last 30 days, the hours of the day);
- ``ix_review_log_grades`` (state, grade, maturity, time, ...): the answers of a time range per
  state, grade and maturity, each a range of its own (the answer buttons);
- ``ix_review_log_young`` and ``ix_review_log_mature`` (grade, time), only the answers that
  count for true retention (a card with an interval of a day or more), young and mature apart:
  their counts by grade;
- ``ix_review_log_same_day``, only the few of those given less than 1.1 days after the card's
  previous answer: the ones that may not be the card's first answer of their study day.

``deck`` limits every count to one deck's cards (None: every deck).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from quizapp.store.db import connection_of

if TYPE_CHECKING:
    from quizapp.store.db import Reader

MATURE_DAYS = 21  # a card with an interval of 21 days or more is mature (as in Anki)
DAY_MS = 86_400_000

# A stored time as whole milliseconds since the Julian epoch (SQLite's date functions keep
# milliseconds): differences of two are exact, where differences of julianday() are not.
_MS = "CAST(round(julianday({}) * 86400000.0) AS INTEGER)"
_IVL_MS = f"({_MS.format('due')} - {_MS.format('last_review')})"
# The ranges [lo, hi), numbered from 0, from one JSON parameter: [[lo, hi], ...].
_RANGES = (
    "d(i, lo, hi) AS (SELECT CAST(key AS INTEGER), json_extract(value, '$[0]'),"
    " json_extract(value, '$[1]') FROM json_each(:ranges))"
)
# The same, each range numbered by its label: [[lo, hi, label], ...].
_LABELLED_RANGES = _RANGES.replace("CAST(key AS INTEGER)", "json_extract(value, '$[2]')")
# The unary + keeps SQLite from looking answers up by card: it scans the time range instead.
_DECK_LOG = " AND +r.card_id IN (SELECT id FROM cards WHERE deck = :deck)"


_UNIX_EPOCH_JD_MS = 210_866_760_000_000  # the Unix epoch as a Julian day, in milliseconds
_MICROSECOND = timedelta(microseconds=1)
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def jd_ms(at: datetime) -> int:
    """A time as :data:`_MS` gives a stored one: milliseconds since the Julian epoch, rounded
    to the nearest millisecond as SQLite rounds a stored time."""
    us = (at.astimezone(UTC) - _UNIX_EPOCH) // _MICROSECOND
    return (us + 500) // 1000 + _UNIX_EPOCH_JD_MS


def stamp(at: datetime) -> str:
    """A time as the database stores it (naive UTC text, which sorts in time order)."""
    if at.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return at.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _ranges(bounds: Sequence[datetime], labels: Sequence[int] | None = None) -> str:
    """Consecutive ranges between the boundaries, as the JSON parameter of :data:`_RANGES`;
    with ``labels``, each range is numbered by its label instead of its place."""
    texts = [stamp(b) for b in bounds]
    if labels is None:
        return json.dumps([[lo, hi] for lo, hi in pairwise(texts)])
    return json.dumps([[lo, hi, n] for (lo, hi), n in zip(pairwise(texts), labels, strict=True)])


def _rows(s: Reader, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection_of(s).exec_driver_sql(sql, dict(params)).fetchall()]


# -- the review log ----------------------------------------------------------------------------


def first_answer_at(s: Reader, deck: str | None = None) -> datetime | None:
    """When the first answer in the review log was given (of one deck's cards, or any)."""
    # In time order until the first of the deck's answers (min() would read every answer).
    sql = "SELECT r.reviewed_at FROM review_log AS r WHERE 1"
    sql += _DECK_LOG if deck is not None else ""
    rows = _rows(s, sql + " ORDER BY r.reviewed_at LIMIT 1", {"deck": deck})
    value = rows[0][0] if rows else None
    return _parse(value) if value is not None else None


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def answers_per_range(s: Reader, bounds: Sequence[datetime], deck: str | None) -> list[int]:
    """The number of answers in each range between consecutive ``bounds``."""
    if len(bounds) < 2:
        return []
    if deck is None:
        sql = (
            f"WITH {_RANGES} SELECT d.i, (SELECT count(*) FROM review_log AS r"
            " WHERE r.reviewed_at >= d.lo AND r.reviewed_at < d.hi) FROM d"
        )
    else:  # one pass over the time range, the deck's cards picked out as it goes
        sql = (
            f"WITH {_RANGES} SELECT d.i, count(*) FROM d JOIN review_log AS r"
            f" ON r.reviewed_at >= d.lo AND r.reviewed_at < d.hi WHERE 1{_DECK_LOG} GROUP BY d.i"
        )
    counts = [0] * (len(bounds) - 1)
    for i, n in _rows(s, sql, {"ranges": _ranges(bounds), "deck": deck}):
        counts[i] = int(n)
    return counts


def ranges_with_answers(s: Reader, bounds: Sequence[datetime], deck: str | None) -> list[bool]:
    """Whether each range between consecutive ``bounds`` holds an answer (for streaks)."""
    if len(bounds) < 2:
        return []
    cond = _DECK_LOG if deck is not None else ""
    sql = (
        f"WITH {_RANGES} SELECT d.i FROM d WHERE EXISTS (SELECT 1 FROM review_log AS r"
        f" WHERE r.reviewed_at >= d.lo AND r.reviewed_at < d.hi{cond})"
    )
    if deck is not None:
        sql = _deck_once(sql)
    found = [False] * (len(bounds) - 1)
    for (i,) in _rows(s, sql, {"ranges": _ranges(bounds), "deck": deck}):
        found[i] = True
    return found


def _deck_once(sql: str) -> str:
    """``sql`` with the deck's card ids picked once, in a CTE, not once per range or count."""
    sql = sql.replace("(SELECT id FROM cards WHERE deck = :deck)", "deck_cards")
    cte = "deck_cards(id) AS MATERIALIZED (SELECT id FROM cards WHERE deck = :deck)"
    if sql.startswith("WITH "):
        return sql.replace("WITH ", f"WITH {cte}, ", 1)
    return f"WITH {cte} {sql}"


@dataclass(frozen=True)
class DayAnswers:
    """The answers of one range: how many; of them to new cards, to review cards and to
    relearning cards (the rest: to learning cards); graded Again; and the time they took."""

    count: int = 0
    new: int = 0
    review: int = 0
    relearning: int = 0
    again: int = 0
    duration_ms: int = 0


def day_answers(s: Reader, bounds: Sequence[datetime], deck: str | None) -> list[DayAnswers]:
    """:class:`DayAnswers` of each range between consecutive ``bounds``: one pass over each
    range of the time index, every sum at once (no sort of the answers)."""
    if len(bounds) < 2:
        return []
    cond = _DECK_LOG if deck is not None else ""
    sql = (
        f"WITH {_RANGES} SELECT d.i, (SELECT count(*) || ' ' || total(r.state_before = 'new')"
        " || ' ' || total(r.state_before = 'review') || ' ' || total(r.state_before = 'relearning')"
        " || ' ' || total(r.rating = 1) || ' ' || total(r.duration_ms) FROM review_log AS r"
        f" WHERE r.reviewed_at >= d.lo AND r.reviewed_at < d.hi{cond}) FROM d"
    )
    if deck is not None:
        sql = _deck_once(sql)
    out = [DayAnswers() for _ in range(len(bounds) - 1)]
    for i, packed in _rows(s, sql, {"ranges": _ranges(bounds), "deck": deck}):
        out[i] = DayAnswers(*(int(float(x)) for x in packed.split()))
    return out


def hour_answers(
    s: Reader, bounds: Sequence[datetime], labels: Sequence[int], deck: str | None
) -> dict[int, tuple[int, int]]:
    """Per label (the local hour of each range between consecutive ``bounds``): the answers
    and, of them, the ones graded Hard, Good or Easy."""
    if len(bounds) < 2:
        return {}
    cond = _DECK_LOG if deck is not None else ""
    # Both numbers of a range in one integer (the count times 2^32, plus the correct ones).
    sql = (
        f"WITH {_LABELLED_RANGES} SELECT d.i, sum((SELECT count(*) * 4294967296"
        " + total(r.rating > 1) FROM review_log AS r"
        f" WHERE r.reviewed_at >= d.lo AND r.reviewed_at < d.hi{cond})) FROM d GROUP BY d.i"
    )
    if deck is not None:
        sql = _deck_once(sql)
    out = {}
    for label, packed in _rows(s, sql, {"ranges": _ranges(bounds, labels), "deck": deck}):
        out[int(label)] = divmod(int(packed), 4294967296)
    return out


STATES = ("new", "learning", "review", "relearning")
# Whether the card was mature, as ix_review_log_grades holds it (word for word, so that
# SQLite matches the index's expression).
_WAS_MATURE = f"coalesce(r.interval_before >= {MATURE_DAYS}, 0)"


def grade_counts(
    s: Reader, start: datetime, end: datetime, deck: str | None
) -> dict[tuple[str, int, bool], int]:
    """The answers in ``[start, end)`` by the card's state before (:data:`STATES`), the grade
    (1 Again .. 4 Easy) and whether the card was mature: each a count of one range of
    ``ix_review_log_grades``."""
    cond = _DECK_LOG if deck is not None else ""
    keys = [(st, g, m) for st in STATES for g in (1, 2, 3, 4) for m in (False, True)]
    counts = ", ".join(
        f"(SELECT count(*) FROM review_log AS r WHERE r.state_before = '{st}' AND r.rating = {g}"
        f" AND {_WAS_MATURE} = {int(m)} AND r.reviewed_at >= :lo"
        f" AND r.reviewed_at < :hi{cond})"
        for st, g, m in keys
    )
    sql = f"SELECT {counts}"
    if deck is not None:
        sql = _deck_once(sql)
    row = _rows(s, sql, {"lo": stamp(start), "hi": stamp(end), "deck": deck})[0]
    return {k: int(n) for k, n in zip(keys, row, strict=True)}


@dataclass(frozen=True)
class RetentionCounts:
    """Answers that count for true retention: young and mature, passed and failed."""

    young_passed: int = 0
    young_failed: int = 0
    mature_passed: int = 0
    mature_failed: int = 0

    def __sub__(self, other: RetentionCounts) -> RetentionCounts:
        return RetentionCounts(
            self.young_passed - other.young_passed,
            self.young_failed - other.young_failed,
            self.mature_passed - other.mature_passed,
            self.mature_failed - other.mature_failed,
        )

    def __add__(self, other: RetentionCounts) -> RetentionCounts:
        return RetentionCounts(
            self.young_passed + other.young_passed,
            self.young_failed + other.young_failed,
            self.mature_passed + other.mature_passed,
            self.mature_failed + other.mature_failed,
        )


def _retention(rows: Sequence[tuple[Any, ...]]) -> RetentionCounts:
    """Counts from rows of (failed, mature, count)."""
    cells = {(bool(f), bool(m)): int(n) for f, m, n in rows}
    return RetentionCounts(
        cells.get((False, False), 0),
        cells.get((True, False), 0),
        cells.get((False, True), 0),
        cells.get((True, True), 0),
    )


_YOUNG = f"r.interval_before >= 1 AND r.interval_before < {MATURE_DAYS}"
_MATURE = f"r.interval_before >= {MATURE_DAYS}"


def retention_answers(
    s: Reader, start: datetime, end: datetime, deck: str | None
) -> RetentionCounts:
    """Answers in ``[start, end)`` to cards with an interval of a day or more, by maturity and
    pass (Hard, Good, Easy) or fail (Again); every one, first of its study day or not.

    Each a count of ranges of the young or the mature answers' own index, which holds nothing
    else (the conditions below are its own, word for word, so that SQLite picks it).
    """
    cond = _DECK_LOG if deck is not None else ""

    def count(which: str, grades: str) -> str:
        return (
            f"(SELECT count(*) FROM review_log AS r WHERE {which} AND r.rating {grades}"
            f" AND r.reviewed_at >= :lo AND r.reviewed_at < :hi{cond})"
        )

    sql = (
        f"SELECT {count(_YOUNG, 'IN (2, 3, 4)')}, {count(_YOUNG, '= 1')},"
        f" {count(_MATURE, 'IN (2, 3, 4)')}, {count(_MATURE, '= 1')}"
    )
    row = _rows(s, sql, {"lo": stamp(start), "hi": stamp(end), "deck": deck})[0]
    return RetentionCounts(*(int(n) for n in row))


def same_day_repeats(
    s: Reader, bounds: Sequence[datetime], deck: str | None
) -> dict[int, RetentionCounts]:
    """Per study day (the ranges between consecutive ``bounds``): the answers counted by
    :func:`retention_answers` that were not the card's first answer of that study day."""
    if len(bounds) < 2:
        return {}
    cond = _DECK_LOG if deck is not None else ""
    # The previous answer was at reviewed_at - elapsed_before: on the same study day when that
    # is at or after the day's start. Only answers less than 1.1 days after the previous one
    # can be (a study day is at most 25 hours long); the partial index holds just those.
    sql = (
        f"WITH {_RANGES} SELECT d.i, r.rating = 1, r.interval_before >= {MATURE_DAYS}, count(*)"
        " FROM d JOIN review_log AS r ON r.reviewed_at >= d.lo AND r.reviewed_at < d.hi"
        " WHERE r.elapsed_before < 1.1 AND r.interval_before >= 1"
        f" AND julianday(r.reviewed_at) - r.elapsed_before >= julianday(d.lo){cond}"
        " GROUP BY 1, 2, 3"
    )
    per_day: dict[int, list[tuple[Any, ...]]] = {}
    for i, failed, mature, n in _rows(s, sql, {"ranges": _ranges(bounds), "deck": deck}):
        per_day.setdefault(int(i), []).append((failed, mature, n))
    return {i: _retention(rows) for i, rows in per_day.items()}


# -- the cards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bin:
    lo: float
    hi: float | None  # None: no upper end
    cards: int


TENTHS = tuple((k / 10, (k + 1) / 10) for k in range(10))
#: Day bins by powers of two: [0, 1), [1, 2), [2, 4), ..., [256, 512), [512, ∞).
DOUBLING_DAYS: tuple[tuple[float, float | None], ...] = (
    (0.0, 1.0),
    *((float(2**k), float(2 ** (k + 1))) for k in range(9)),
    (512.0, None),
)


@dataclass(frozen=True)
class CardFigures:
    """The cards now, from one pass over the card index."""

    #: Each card in the first of: retired, suspended, buried, or its state (review cards as
    #: young or mature).
    counts: dict[str, int]
    overdue: int  # cards due before the forecast's first day
    due_per_day: tuple[int, ...]  # cards due on each day of the forecast
    daily_load: float  # Σ 1 / max(1, interval in days) over the studied cards not suspended
    #: FSRS memory of the studied cards that are not retired (with a stability and a review).
    memory_cards: int
    total_retrievability: float  # Σ R: the estimated number of cards recalled now
    retrievability: tuple[Bin, ...]  # 10 bins of 0.1
    stability: tuple[Bin, ...]  # days, :data:`DOUBLING_DAYS`
    difficulty: tuple[Bin, ...]  # 10 bins of 10 % of FSRS's 1..10 scale
    interval: tuple[Bin, ...]  # days, :data:`DOUBLING_DAYS`


_STATES = ("learning", "review", "relearning")  # a card that has been studied
_ALL_STATES = ("new", *_STATES)  # by the number the card figures' key gives each
# Bin numbers, each from one mention of the value (SQLite repeats a mentioned expression).
_DOUBLING = "min(10, CAST(log2(max({x}, 0.5)) + 1 AS INTEGER))"  # DOUBLING_DAYS (truncates)
_TENTH = "max(0, min(9, CAST({x} * 10 AS INTEGER)))"  # TENTHS


def card_figures(
    s: Reader,
    now: datetime,
    forecast: Sequence[datetime],
    curves: Mapping[str, tuple[float, float]],
    default_curve: tuple[float, float],
    deck: str | None,
) -> CardFigures:
    """Card counts, the due forecast and the FSRS memory of the cards.

    ``forecast`` holds the starts of the forecast's study days and the end of the last: cards
    that have been studied, neither suspended nor retired, are counted by due time, before the
    first day (overdue) and per day; a buried card due by the end of the first day (today) is
    left out, it waits for tomorrow (as in Anki).

    Retrievability follows FSRS's curve ``(1 + factor * t / S) ** decay`` with each deck's
    ``(decay, factor)`` (``curves``; other decks: ``default_curve``) and ``t`` the whole days
    since the last review, as the ``fsrs`` package computes it.

    Two statements: the forecast as a count of an index range per day; and one pass over the
    card index for the rest, every card grouped by its state, flags and memory bins at once
    (one sort), with its times parsed once.
    """
    deck_cond = " AND deck = :deck" if deck is not None else ""
    params: dict[str, Any] = {"now": stamp(now), "now_ms": jd_ms(now), "deck": deck}
    counts: dict[str, int] = {}

    def add(kind: str, n: int) -> None:
        counts[kind] = counts.get(kind, 0) + n

    # Per day, a range of the card index (deck, state, retired, suspended, due).
    decks = [deck] if deck is not None else [r[0] for r in _rows(s, "SELECT id FROM decks", {})]
    days = [0] * (len(forecast) - 1)
    overdue = 0
    if decks:
        marks = ", ".join(f":d{n}" for n in range(len(decks)))
        params.update({f"d{n}": d for n, d in enumerate(decks)})
        params.update(ranges=_ranges(forecast), start=stamp(forecast[0]))
        params["today_end"] = stamp(forecast[1])
        shown = (
            f"deck IN ({marks}) AND state IN {_STATES!r} AND retired = 0 AND suspended = 0"
            " AND NOT coalesce(buried_until > :now AND due < :today_end, 0)"
        )
        sql = (
            f"WITH {_RANGES} SELECT -1, (SELECT count(*) FROM cards WHERE {shown}"
            f" AND due < :start) UNION ALL SELECT d.i, (SELECT count(*) FROM cards WHERE {shown}"
            " AND due >= d.lo AND due < d.hi) FROM d"
        )
        per_day = dict(_rows(s, sql, params))
        overdue = int(per_day.get(-1, 0))
        days = [int(per_day.get(i, 0)) for i in range(len(forecast) - 1)]

    decay, factor = repr(float(default_curve[0])), repr(float(default_curve[1]))
    if curves:
        whens_d, whens_f = [], []
        for n, (deck_id, (d, f)) in enumerate(sorted(curves.items())):
            params[f"curve{n}"] = deck_id
            whens_d.append(f"WHEN :curve{n} THEN {float(d)!r}")
            whens_f.append(f"WHEN :curve{n} THEN {float(f)!r}")
        decay = f"CASE deck {' '.join(whens_d)} ELSE {decay} END"
        factor = f"CASE deck {' '.join(whens_f)} ELSE {factor} END"
    elapsed = f"max(0, (:now_ms - lr_ms) / {DAY_MS})"  # whole days, as fsrs counts them
    retrievability = (
        f"CASE WHEN stability > 0 AND lr_ms IS NOT NULL"
        f" THEN pow(1.0 + {factor} * {elapsed} / stability, {decay}) END"
    )
    ivl = f"((due_ms - lr_ms) / {float(DAY_MS)})"
    # One integer key holds the card's state, flags and four bins: one sort for all of them.
    key = (
        "((((((((CASE state WHEN 'new' THEN 0 WHEN 'learning' THEN 1 WHEN 'review' THEN 2"
        " ELSE 3 END * 2 + retired) * 2 + suspended) * 2 + buried)"
        f" * 2 + coalesce({ivl} >= {MATURE_DAYS}, 0))"
        f" * 11 + coalesce({_TENTH.format(x='(' + retrievability + ')')}, 10))"
        f" * 12 + coalesce({_DOUBLING.format(x='stability')}, 11))"
        f" * 11 + coalesce({_TENTH.format(x='(difficulty - 1) / 9')}, 10))"
        f" * 12 + coalesce({_DOUBLING.format(x=ivl)}, 11))"
    )
    sql = (
        # Each card's times parsed once: the subquery runs as a co-routine, row by row (a
        # LIMIT keeps SQLite from folding it into the outer query, which would parse them
        # again at each mention).
        f"SELECT {key}, count(*), total({retrievability}), total(1.0 / max(1.0, {ivl})) FROM ("
        "SELECT deck, state, retired, suspended, coalesce(buried_until > :now, 0) AS buried,"
        f" stability, difficulty, {_MS.format('due')} AS due_ms,"
        f" {_MS.format('last_review')} AS lr_ms FROM cards WHERE 1{deck_cond} LIMIT -1)"
        " GROUP BY 1"
    )
    bins: dict[str, dict[int, int]] = {"r": {}, "s": {}, "d": {}, "i": {}}
    memory_cards, total_r, load = 0, 0.0, 0.0
    for packed, n, r_sum, load_sum in _rows(s, sql, params):
        packed, n = int(packed), int(n)
        packed, ib = divmod(packed, 12)
        packed, db = divmod(packed, 11)
        packed, sb = divmod(packed, 12)
        packed, rb = divmod(packed, 11)
        packed, mature = divmod(packed, 2)
        packed, buried = divmod(packed, 2)
        packed, suspended = divmod(packed, 2)
        state, retired = divmod(packed, 2)
        name = _ALL_STATES[state]
        if retired:
            add("retired", n)
        elif suspended:
            add("suspended", n)
        elif buried:
            add("buried", n)
        else:
            add(("mature" if mature else "young") if name == "review" else name, n)
        if name == "new" or retired:
            continue
        if not suspended:
            load += float(load_sum)
        if rb == 10:  # no memory state (no stability, or never reviewed)
            continue
        memory_cards += n
        total_r += float(r_sum)
        for what, b, none in (("r", rb, 10), ("s", sb, 11), ("d", db, 10), ("i", ib, 11)):
            if b != none:
                bins[what][b] = bins[what].get(b, 0) + n

    def binned(what: str, edges: Sequence[tuple[float, float | None]]) -> tuple[Bin, ...]:
        return tuple(Bin(lo, hi, bins[what].get(k, 0)) for k, (lo, hi) in enumerate(edges))

    return CardFigures(
        counts=counts,
        overdue=overdue,
        due_per_day=tuple(days),
        daily_load=load,
        memory_cards=memory_cards,
        total_retrievability=total_r,
        retrievability=binned("r", TENTHS),
        stability=binned("s", DOUBLING_DAYS),
        difficulty=binned("d", TENTHS),
        interval=binned("i", DOUBLING_DAYS),
    )


# -- the exams -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeckExamScore:
    """One finished exam's questions on one deck: their share of the credit."""

    deck: str
    title: str
    exam_id: int
    finished_at: datetime
    credit: float  # Σ credit of the deck's questions (each 0..1)
    questions: int


def exam_scores(s: Reader, deck: str | None, per_deck: int = 5) -> list[DeckExamScore]:
    """Per deck, its part of the last ``per_deck`` finished exams that asked about it, newest
    first; decks by id."""
    sql = (
        "SELECT a.deck, coalesce(dk.title, a.deck), e.id, e.finished_at, total(a.credit),"
        " count(*) FROM quiz_answers AS a JOIN quiz_exams AS e ON e.id = a.exam_id"
        " LEFT JOIN decks AS dk ON dk.id = a.deck WHERE e.finished_at IS NOT NULL"
        + (" AND a.deck = :deck" if deck is not None else "")
        + " GROUP BY a.deck, e.id ORDER BY a.deck, e.finished_at DESC, e.id DESC"
    )
    out: list[DeckExamScore] = []
    taken: dict[str, int] = {}
    for deck_id, title, exam_id, finished, credit, n in _rows(s, sql, {"deck": deck}):
        if taken.get(deck_id, 0) >= per_deck:
            continue
        taken[deck_id] = taken.get(deck_id, 0) + 1
        out.append(
            DeckExamScore(deck_id, title, int(exam_id), _parse(finished), float(credit), int(n))
        )
    return out
