"""Exam dates per deck, and what the exam plan reads of a deck: its cards' memory states and how
many new cards it has left. Plain data in and out (:class:`~quizapp.exam_plan.ExamDate`,
:class:`~quizapp.scheduling.SchedState`), plain SQL (:mod:`quizapp.store.plain`) on the
connection given: a plain one, or a Core connection or session.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from quizapp.exam_plan import ExamDate
from quizapp.scheduling import STATE_FIELDS, SchedState
from quizapp.store.plain import chunks, driver_of, marks, read_time, stored_time, streamed
from quizapp.store.queries import AVAILABLE, NOT_BURIED

if TYPE_CHECKING:
    from quizapp.store.plain import PlainReader


def exam_dates(s: PlainReader, decks: Sequence[str] | None = None) -> list[ExamDate]:
    """The exam dates (of these decks, or all), by deck."""
    sql, params = "SELECT deck, day, target FROM exam_dates", ()
    if decks is not None:
        sql, params = f"{sql} WHERE deck IN ({marks(decks)})", tuple(decks)
    rows = driver_of(s).execute(f"{sql} ORDER BY deck", params)
    return [ExamDate(deck, date.fromisoformat(day), target) for deck, day, target in rows]


def set_exam_date(s: PlainReader, exam: ExamDate, now: datetime) -> None:
    """Set (or replace) a deck's exam date."""
    driver_of(s).execute(
        "INSERT INTO exam_dates (deck, day, target, set_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (deck) DO UPDATE"
        " SET day = excluded.day, target = excluded.target, set_at = excluded.set_at",
        (exam.deck, exam.day.isoformat(), exam.target, stored_time(now)),
    )


def clear_exam_dates(s: PlainReader, decks: Sequence[str] | None = None) -> list[str]:
    """Remove the exam dates of these decks (or all); the decks that had one."""
    cleared = [e.deck for e in exam_dates(s, decks)]
    if cleared:
        driver_of(s).execute(f"DELETE FROM exam_dates WHERE deck IN ({marks(cleared)})", cleared)
    return cleared


_STATE_COLUMNS = ", ".join(STATE_FIELDS)
_TIMES = tuple(i for i, name in enumerate(STATE_FIELDS) if name in ("due", "last_review"))
_EPOCH = "(julianday({}) - 2440587.5) * 86400.0"  # a stored UTC time in seconds since the epoch


def recall_inputs(s: PlainReader, deck: str) -> Iterator[tuple[float | None, float | None]]:
    """For every card of the deck that can be shown (neither retired nor suspended) and is not
    new: its stability and last review in seconds since the epoch."""
    sql = (
        f"SELECT stability, {_EPOCH.format('last_review')} FROM cards"
        f" WHERE deck = ? AND state != 'new' AND {AVAILABLE}"
    )
    return streamed(driver_of(s).execute(sql, (deck,)))


def reviews_due_later(
    s: PlainReader, deck: str, now: datetime, after: datetime
) -> Iterator[tuple[int, float | None, float | None]]:
    """The deck's review cards that can be shown now but are due only at or after ``after``:
    id, stability and last review in seconds since the epoch."""
    sql = (
        f"SELECT id, stability, {_EPOCH.format('last_review')} FROM cards"
        f" WHERE deck = ? AND state = 'review' AND {AVAILABLE}"
        f" AND (buried_until IS NULL OR {_EPOCH.format('buried_until')} <= ?)"
        f" AND {_EPOCH.format('due')} >= ?"
    )
    return streamed(driver_of(s).execute(sql, (deck, now.timestamp(), after.timestamp())))


def reviews_due_before(
    s: PlainReader, deck: str, now: datetime, before: datetime
) -> list[tuple[int, str, datetime | None, float | None, float | None]]:
    """The deck's review cards that can be shown now and are due before ``before``: id, note
    key, due, stability and last review in seconds since the epoch, siblings included (the
    caller keeps one card of a note)."""
    sql = (
        "SELECT id, note_key, due, stability, last_review FROM cards"
        f" WHERE deck = ? AND state = 'review' AND {AVAILABLE} AND {NOT_BURIED} AND due < ?"
    )
    rows = driver_of(s).execute(sql, (deck, stored_time(now), stored_time(before)))
    return [
        (
            cid,
            note,
            read_time(due),
            stability,
            None if last is None else read_time(last).timestamp(),
        )
        for cid, note, due, stability, last in rows
    ]


def new_cards(
    s: PlainReader, deck: str, now: datetime, limit: int
) -> list[tuple[int, str, datetime | None]]:
    """Up to ``limit`` of the deck's new cards that can be shown now, in deck order, siblings
    included: id, note key and no due."""
    if limit <= 0:
        return []
    sql = (
        "SELECT id, note_key FROM cards"
        f" WHERE deck = ? AND state = 'new' AND {AVAILABLE} AND {NOT_BURIED}"
        " ORDER BY position, id LIMIT ?"
    )
    return [
        (cid, note, None)
        for cid, note in driver_of(s).execute(sql, (deck, stored_time(now), limit))
    ]


def cards_of(s: PlainReader, ids: Sequence[int]) -> Iterator[tuple[int, str, SchedState]]:
    """These cards as (id, note key, scheduling state)."""
    raw = driver_of(s)
    for chunk in chunks(ids):
        sql = f"SELECT id, note_key, {_STATE_COLUMNS} FROM cards WHERE id IN ({marks(chunk)})"
        for cid, note, *state in raw.execute(sql, chunk):
            for i in _TIMES:
                state[i] = read_time(state[i])
            yield cid, note, SchedState(*state)


def new_left(s: PlainReader, deck: str) -> int:
    """The deck's new cards not yet introduced (neither retired nor suspended; buried ones too)."""
    sql = f"SELECT count(*) FROM cards WHERE deck = ? AND state = 'new' AND {AVAILABLE}"
    return int(driver_of(s).execute(sql, (deck,)).fetchone()[0] or 0)
