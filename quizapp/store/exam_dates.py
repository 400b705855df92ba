"""Exam dates per deck, and what the exam plan reads of a deck: its cards' memory states and how
many new cards it has left. Plain data in and out (:class:`~quizapp.exam_plan.ExamDate`,
:class:`~quizapp.scheduling.SchedState`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

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


def memory_states(s: Session, deck: str) -> Iterator[SchedState]:
    """The scheduling state of every card of the deck that can be shown (neither retired nor
    suspended), new cards included."""
    stmt = select(*_STATE_COLUMNS).where(CardRow.deck == deck, available())
    for row in s.execute(stmt):
        yield SchedState.of(row)


def new_left(s: Session, deck: str) -> int:
    """The deck's new cards not yet introduced (neither retired nor suspended; buried ones too)."""
    stmt = select(func.count()).where(CardRow.deck == deck, CardRow.state == "new", available())
    return int(s.scalar(stmt) or 0)


def review_cards(s: Session, deck: str, now: datetime) -> Iterator[tuple[int, str, SchedState]]:
    """The deck's review cards that can be shown now, due or not, as (id, note key, state)."""
    stmt = select(CardRow.id, CardRow.note_key, *_STATE_COLUMNS).where(
        CardRow.deck == deck, CardRow.state == "review", available(), not_buried(now)
    )
    for row in s.execute(stmt):
        yield row.id, row.note_key, SchedState.of(row)
