"""Exam dates per deck, and what the exam plan reads of a deck: its cards' memory states and how
many new cards it has left. Plain data in and out (:class:`~quizapp.exam_plan.ExamDate`,
:class:`~quizapp.scheduling.SchedState`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from quizapp.exam_plan import ExamDate
from quizapp.scheduling import STATE_FIELDS, SchedState
from quizapp.store.models import CardRow, ExamDateRow
from quizapp.store.queries import available, not_buried


def exam_dates(s: Session, decks: Sequence[str] | None = None) -> list[ExamDate]:
    """The exam dates (of these decks, or all), by deck."""
    stmt = select(ExamDateRow).order_by(ExamDateRow.deck)
    if decks is not None:
        stmt = stmt.where(ExamDateRow.deck.in_(decks))
    return [ExamDate(row.deck, row.day, row.target) for row in s.scalars(stmt)]


def set_exam_date(s: Session, exam: ExamDate, now: datetime) -> None:
    """Set (or replace) a deck's exam date."""
    row = s.get(ExamDateRow, exam.deck)
    if row is None:
        s.add(ExamDateRow(deck=exam.deck, day=exam.day, target=exam.target, set_at=now))
    else:
        row.day, row.target, row.set_at = exam.day, exam.target, now


def clear_exam_dates(s: Session, decks: Sequence[str] | None = None) -> list[str]:
    """Remove the exam dates of these decks (or all); the decks that had one."""
    cleared = [e.deck for e in exam_dates(s, decks)]
    if cleared:
        s.execute(delete(ExamDateRow).where(ExamDateRow.deck.in_(cleared)))
    return cleared


_STATE_COLUMNS = tuple(getattr(CardRow, name) for name in STATE_FIELDS)
_EPOCH = "(julianday({}) - 2440587.5) * 86400.0"  # a stored UTC time in seconds since the epoch


def _raw(s: Session, sql: str, params: tuple[object, ...]) -> Iterator[tuple[Any, ...]]:
    """Rows straight from the SQLite driver: no ORM row, datetime or state object for each."""
    raw = s.connection().connection.driver_connection
    assert raw is not None
    cursor = raw.execute(sql, params)
    try:
        while rows := cursor.fetchmany(10_000):
            yield from rows
    finally:
        cursor.close()


def recall_inputs(s: Session, deck: str) -> Iterator[tuple[float | None, float | None]]:
    """For every card of the deck that can be shown (neither retired nor suspended) and is not
    new: its stability and last review in seconds since the epoch."""
    sql = (
        f"SELECT stability, {_EPOCH.format('last_review')} FROM cards"
        " WHERE deck = ? AND state != 'new' AND retired = 0 AND suspended = 0"
    )
    yield from _raw(s, sql, (deck,))


def reviews_due_later(
    s: Session, deck: str, now: datetime, after: datetime
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
    s: Session, deck: str, now: datetime, before: datetime
) -> list[tuple[int, str, datetime | None, float | None, float | None]]:
    """The deck's review cards that can be shown now and are due before ``before``: id, note
    key, due, stability and last review in seconds since the epoch, siblings included (the
    caller keeps one card of a note)."""
    stmt = select(
        CardRow.id, CardRow.note_key, CardRow.due, CardRow.stability, CardRow.last_review
    ).where(
        CardRow.deck == deck,
        CardRow.state == "review",
        available(),
        not_buried(now),
        CardRow.due < before,
    )
    return [
        (cid, note, due, stability, last.timestamp() if last is not None else None)
        for cid, note, due, stability, last in s.execute(stmt)
    ]


def new_cards(
    s: Session, deck: str, now: datetime, limit: int
) -> list[tuple[int, str, datetime | None]]:
    """Up to ``limit`` of the deck's new cards that can be shown now, in deck order, siblings
    included: id, note key and no due."""
    if limit <= 0:
        return []
    stmt = (
        select(CardRow.id, CardRow.note_key)
        .where(CardRow.deck == deck, CardRow.state == "new", available(), not_buried(now))
        .order_by(CardRow.position, CardRow.id)
        .limit(limit)
    )
    return [(cid, note, None) for cid, note in s.execute(stmt)]


def cards_of(s: Session, ids: Sequence[int]) -> Iterator[tuple[int, str, SchedState]]:
    """These cards as (id, note key, scheduling state)."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = select(CardRow.id, CardRow.note_key, *_STATE_COLUMNS).where(CardRow.id.in_(chunk))
        for row in s.execute(stmt):
            yield row.id, row.note_key, SchedState.of(row)


def new_left(s: Session, deck: str) -> int:
    """The deck's new cards not yet introduced (neither retired nor suspended; buried ones too)."""
    stmt = select(func.count()).where(CardRow.deck == deck, CardRow.state == "new", available())
    return int(s.scalar(stmt) or 0)
