"""Exam dates per deck, and what the exam plan reads of a deck: its cards' memory states and how
many new cards it has left. Plain data in and out (:class:`~quizapp.exam_plan.ExamDate`,
:class:`~quizapp.scheduling.SchedState`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update

from quizapp.exam_plan import ExamDate
from quizapp.scheduling import STATE_FIELDS, SchedState
from quizapp.store.db import connection_of
from quizapp.store.queries import available, not_buried
from quizapp.store.tables import cards
from quizapp.store.tables import exam_dates as exam_table

if TYPE_CHECKING:
    from quizapp.store.db import Reader


def exam_dates(s: Reader, decks: Sequence[str] | None = None) -> list[ExamDate]:
    """The exam dates (of these decks, or all), by deck."""
    stmt = select(exam_table).order_by(exam_table.c.deck)
    if decks is not None:
        stmt = stmt.where(exam_table.c.deck.in_(decks))
    return [ExamDate(row.deck, row.day, row.target) for row in s.execute(stmt)]


def set_exam_date(s: Reader, exam: ExamDate, now: datetime) -> None:
    """Set (or replace) a deck's exam date."""
    values = {"day": exam.day, "target": exam.target, "set_at": now}
    known = exam_table.c.deck == exam.deck
    if s.execute(select(exam_table.c.deck).where(known)).first() is None:
        s.execute(insert(exam_table).values(deck=exam.deck, **values))
    else:
        s.execute(update(exam_table).where(known).values(**values))


def clear_exam_dates(s: Reader, decks: Sequence[str] | None = None) -> list[str]:
    """Remove the exam dates of these decks (or all); the decks that had one."""
    cleared = [e.deck for e in exam_dates(s, decks)]
    if cleared:
        s.execute(delete(exam_table).where(exam_table.c.deck.in_(cleared)))
    return cleared


_STATE_COLUMNS = tuple(cards.c[name] for name in STATE_FIELDS)
_EPOCH = "(julianday({}) - 2440587.5) * 86400.0"  # a stored UTC time in seconds since the epoch


def _raw(s: Reader, sql: str, params: tuple[object, ...]) -> Iterator[tuple[Any, ...]]:
    """Rows straight from the SQLite driver: no ORM row, datetime or state object for each."""
    raw = connection_of(s).connection.driver_connection
    assert raw is not None
    cursor = raw.execute(sql, params)
    try:
        while rows := cursor.fetchmany(10_000):
            yield from rows
    finally:
        cursor.close()


def recall_inputs(s: Reader, deck: str) -> Iterator[tuple[float | None, float | None]]:
    """For every card of the deck that can be shown (neither retired nor suspended) and is not
    new: its stability and last review in seconds since the epoch."""
    sql = (
        f"SELECT stability, {_EPOCH.format('last_review')} FROM cards"
        " WHERE deck = ? AND state != 'new' AND retired = 0 AND suspended = 0"
    )
    yield from _raw(s, sql, (deck,))


def reviews_due_later(
    s: Reader, deck: str, now: datetime, after: datetime
) -> Iterator[tuple[int, float | None, float | None]]:
    """The deck's review cards that can be shown now but are due only at or after ``after``:
    id, stability and last review in seconds since the epoch."""
    sql = (
        f"SELECT id, stability, {_EPOCH.format('last_review')} FROM cards"
        " WHERE deck = ? AND state = 'review' AND retired = 0 AND suspended = 0"
        f" AND (buried_until IS NULL OR {_EPOCH.format('buried_until')} <= ?)"
        f" AND {_EPOCH.format('due')} >= ?"
    )
    yield from _raw(s, sql, (deck, now.timestamp(), after.timestamp()))


def reviews_due_before(
    s: Reader, deck: str, now: datetime, before: datetime
) -> list[tuple[int, str, datetime | None, float | None, float | None]]:
    """The deck's review cards that can be shown now and are due before ``before``: id, note
    key, due, stability and last review in seconds since the epoch, siblings included (the
    caller keeps one card of a note)."""
    stmt = select(
        cards.c.id, cards.c.note_key, cards.c.due, cards.c.stability, cards.c.last_review
    ).where(
        cards.c.deck == deck,
        cards.c.state == "review",
        available(),
        not_buried(now),
        cards.c.due < before,
    )
    return [
        (cid, note, due, stability, last.timestamp() if last is not None else None)
        for cid, note, due, stability, last in s.execute(stmt)
    ]


def new_cards(
    s: Reader, deck: str, now: datetime, limit: int
) -> list[tuple[int, str, datetime | None]]:
    """Up to ``limit`` of the deck's new cards that can be shown now, in deck order, siblings
    included: id, note key and no due."""
    if limit <= 0:
        return []
    stmt = (
        select(cards.c.id, cards.c.note_key)
        .where(cards.c.deck == deck, cards.c.state == "new", available(), not_buried(now))
        .order_by(cards.c.position, cards.c.id)
        .limit(limit)
    )
    return [(cid, note, None) for cid, note in s.execute(stmt)]


def cards_of(s: Reader, ids: Sequence[int]) -> Iterator[tuple[int, str, SchedState]]:
    """These cards as (id, note key, scheduling state)."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = select(cards.c.id, cards.c.note_key, *_STATE_COLUMNS).where(cards.c.id.in_(chunk))
        for row in s.execute(stmt):
            yield row.id, row.note_key, SchedState.of(row)


def new_left(s: Reader, deck: str) -> int:
    """The deck's new cards not yet introduced (neither retired nor suspended; buried ones too)."""
    stmt = select(func.count()).where(cards.c.deck == deck, cards.c.state == "new", available())
    return int(s.scalar(stmt) or 0)
