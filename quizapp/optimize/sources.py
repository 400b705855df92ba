"""Where review histories come from: quizapp's own review log, or a CSV file.

An Anki collection is read by :mod:`quizapp.optimize.anki_log` (the only module here that
imports ``anki``).
"""

from __future__ import annotations

import csv
from datetime import datetime
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.optimize.errors import OptimizeError
from quizapp.optimize.items import (
    LEARN,
    RELEARN,
    REVIEW,
    Entry,
    FsrsItems,
    History,
    Review,
    ReviewObjects,
    StudyDays,
    TrainingSet,
    gc_paused,
)

if TYPE_CHECKING:
    import fsrs_rs_python

    from quizapp.store.db import Database

#: The columns of a review-log CSV (the format of py-fsrs's and srs-benchmark's logs).
CSV_COLUMNS = ("card_id", "review_rating", "review_time", "review_duration")
_REQUIRED = CSV_COLUMNS[:3]
#: An answer's entry kind, from the card's state before it (new or learning, review, relearning).
_STATE_KINDS = (LEARN, REVIEW, RELEARN)
_RATINGS = "1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"
#: A quarter hour in milliseconds: the review log's times are whole milliseconds, and the
#: study day of an instant is its quarter hour's (:class:`~quizapp.optimize.items.StudyDays`).
_QUARTER_MS = 900_000


def from_database(
    db: Database, deck: str | None, days: StudyDays, durations: bool = True
) -> History:
    """The review log of one deck (or every deck) of the quizapp database.

    An answer's kind comes from the card's state before it: a new or learning card's answer is
    a learning step. quizapp has no reset or reschedule, and exam answers live in their own
    tables, so every row of the review log is a graded answer. Answer times (``durations``)
    are only needed to simulate.
    """
    from quizapp.store import queries

    cards: dict[int, list[Entry]] = {}
    kinds, day_of = _STATE_KINDS, days.quarters
    with db.session() as s, gc_paused():
        for card, rows in groupby(queries.review_history(s, deck, durations), key=itemgetter(0)):
            cards[card] = [
                (ms / 1000, day_of[ms // _QUARTER_MS], rating, kinds[state], duration)
                for _card, ms, rating, state, duration in rows
            ]
    # Every row of the review log is a graded answer.
    reviews = sum(map(len, cards.values()))
    return History(cards, str(db.path), reviews=reviews, card_count=len(cards), graded_only=True)


def training_set_from_database(db: Database, deck: str | None, days: StudyDays) -> TrainingSet:
    """The training items of the review log of one deck (or every deck), read straight from
    its rows: ``training_set(from_database(db, deck, days))`` without a history entry for each
    of a million answers.

    The rules are :func:`~quizapp.optimize.items.training_set`'s for a history of graded
    answers only, which the review log is: a card's items start at its last run of learning
    steps (rule 1), each review after the first is paired with the study days since the one
    before (rule 3), one item ends at each review on a later study day (rule 4), and the items
    go in time order (rule 5).
    """
    from quizapp.store import queries

    histories: list[list[Review]] = []
    ends: list[tuple[int, int]] = []
    ats: list[float] = []
    reviews = cards = 0
    day_of = days.quarters
    with db.session() as s, gc_paused():
        rows = queries.review_history(s, deck, durations=False)
        for _card, group in groupby(rows, key=itemgetter(0)):
            answers = list(group)
            cards += 1
            reviews += len(answers)
            start = _history_start(answers)
            if start is None:
                continue
            k, count = len(histories), len(ends)
            first = answers[start]
            pairs: list[Review] = [(first[2], 0)]
            prev = day_of[first[1] // _QUARTER_MS]
            for _c, ms, rating, _state, _duration in islice(answers, start + 1, None):
                day = day_of[ms // _QUARTER_MS]
                delta = day - prev
                pairs.append((rating, delta))
                if delta:
                    ends.append((k, len(pairs)))
                    ats.append(ms / 1000)
                prev = day
            if len(ends) > count:
                histories.append(pairs)
        order = sorted(range(len(ats)), key=ats.__getitem__)
    return TrainingSet(reviews, cards, histories, ends, ats, order)


def fsrs_items_from_database(db: Database, deck: str | None, days: StudyDays) -> FsrsItems:
    """:func:`training_set_from_database`'s items as fsrs-rs objects, with their cards, in one
    pass over the rows: ``training_set_from_database(db, deck, days).prepared()``, made for a
    million answers.

    The same rules give the same items in the same order. What differs is how they are made:
    every item's reviews are the shared objects of :class:`ReviewObjects`, and the items are
    made in time order after the sort, so that they lie in memory in the order fsrs-rs reads
    them (four times: the fit, two evaluations, the time-series split) and in which they are
    freed; made card by card and then reordered, each of those reads jumps about in memory.
    """
    from fsrs_rs_python import FSRSItem

    from quizapp.store import queries

    reviews_of: list[list[fsrs_rs_python.FSRSReview]] = []  # each item's card's reviews ...
    lengths: list[int] = []  # ... of which the item holds the first this many
    card_ids: list[int] = []
    ats: list[float] = []
    review = ReviewObjects()
    reviews = cards = used = 0
    day_of = days.quarters
    with db.session() as s, gc_paused():
        rows = queries.review_history(s, deck, durations=False)
        for _card, group in groupby(rows, key=itemgetter(0)):
            answers = list(group)
            cards += 1
            reviews += len(answers)
            start = _history_start(answers)
            if start is None:
                continue
            count = len(lengths)
            first = answers[start]
            kept = [review[first[2]]]  # delta_t 0
            prev = day_of[first[1] // _QUARTER_MS]
            for _c, ms, rating, _state, _duration in islice(answers, start + 1, None):
                day = day_of[ms // _QUARTER_MS]
                delta = day - prev
                kept.append(review[delta << 3 | rating])
                if delta:
                    lengths.append(len(kept))
                    ats.append(ms / 1000)
                prev = day
            if n := len(lengths) - count:
                reviews_of.extend([kept] * n)
                card_ids.extend([used] * n)
                used += 1
        order = sorted(range(len(ats)), key=ats.__getitem__)
        del ats
        items = [FSRSItem(reviews_of[i][: lengths[i]]) for i in order]
        del reviews_of, lengths
        card_ids = list(map(card_ids.__getitem__, order))
    return FsrsItems(reviews, cards, used, items, card_ids)


def _history_start(answers: list[Any]) -> int | None:
    """Where a card's history starts: its last run of answers in the new or learning state
    (a reset begins a new history), or None when that leaves fewer than two answers."""
    states = [a[3] for a in answers]  # 0: the card was new or in its learning steps
    if 0 not in states:
        return None
    start = len(states) - 1 - states[::-1].index(0)
    while start and not states[start - 1]:
        start -= 1
    return None if len(answers) - start < 2 else start


def from_csv(path: Path, days: StudyDays) -> History:
    """A review log in CSV: ``card_id, review_rating, review_time, review_duration``.

    ``review_time`` is ISO 8601 with a time zone (``2024-03-29T20:32:32.25+00:00``) or whole
    milliseconds since the epoch; ``review_duration`` (milliseconds) may be missing or empty.
    The file has no entry kinds: a card's first review is taken as its first learning step and
    its history runs from there. Raises :class:`OptimizeError` as ``FILE:LINE: message``.
    """
    name = str(path)
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except IsADirectoryError:
        raise OptimizeError(f"{name}: is a directory, not a CSV file") from None
    except FileNotFoundError:
        raise OptimizeError(f"{name}: no such file") from None
    except OSError as err:
        raise OptimizeError(f"{name}: cannot read: {err.strerror or err}") from None
    cards: dict[int, list[Entry]] = {}
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
            if header is None:
                raise OptimizeError(
                    f"{name}: empty file (expected the header line {','.join(CSV_COLUMNS)})"
                )
            columns = [c.strip() for c in header]
            missing = [c for c in _REQUIRED if c not in columns]
            if missing:
                raise OptimizeError(
                    f"{name}:1: missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)} (expected {','.join(CSV_COLUMNS)})"
                )
            i_card, i_rating, i_time = (columns.index(c) for c in _REQUIRED)
            i_dur = columns.index("review_duration") if "review_duration" in columns else None
            width = len(columns)
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                line = reader.line_num
                if len(row) != width:
                    raise OptimizeError(f"{name}:{line}: {len(row)} fields, the header has {width}")
                card = _whole(row[i_card], "card_id", name, line)
                rating = _rating(row[i_rating], name, line)
                at = _time(row[i_time], name, line)
                duration = 0
                if i_dur is not None and row[i_dur].strip():
                    duration = _whole(row[i_dur], "review_duration", name, line)
                cards.setdefault(card, []).append((at, days(at), rating, REVIEW, duration))
        except UnicodeDecodeError:
            raise OptimizeError(f"{name}:{_bad_utf8_line(path)}: not UTF-8 text") from None
        except csv.Error as err:
            raise OptimizeError(f"{name}:{reader.line_num}: {err}") from None
    for entries in cards.values():
        entries.sort(key=lambda e: e[0])
        first = entries[0]
        entries[0] = (first[0], first[1], first[2], LEARN, first[4])
    return History(cards, name)


def _bad_utf8_line(path: Path) -> int:
    """The line of the first byte that is not UTF-8 (text is decoded in blocks, not lines)."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return raw.count(b"\n", 0, err.start) + 1
    return 1


def _whole(text: str, column: str, name: str, line: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise OptimizeError(
            f"{name}:{line}: {column} {text.strip()!r} is not a whole number"
        ) from None
    if value < 0:
        raise OptimizeError(f"{name}:{line}: {column} {value} is negative")
    return value


def _rating(text: str, name: str, line: int) -> int:
    t = text.strip()
    if t not in ("1", "2", "3", "4"):
        raise OptimizeError(f"{name}:{line}: unknown rating {t!r} (expected {_RATINGS})")
    return int(t)


def _time(text: str, name: str, line: int) -> float:
    t = text.strip()
    if t.isdigit():
        return int(t) / 1000
    try:
        at = datetime.fromisoformat(t)
    except ValueError:
        raise OptimizeError(
            f"{name}:{line}: review_time {t!r} is not an ISO 8601 time "
            "(e.g. 2024-03-29T20:32:32+00:00) or milliseconds since 1970"
        ) from None
    if at.tzinfo is None:
        raise OptimizeError(
            f"{name}:{line}: review_time {t!r} has no time zone (add +00:00 for UTC)"
        )
    return at.timestamp()
