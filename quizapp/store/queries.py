"""Read queries the services share: today's queues, counts, schedules, the review history and
the exported cards' progress.

Core statements over :mod:`quizapp.store.tables`: each runs on an ORM session or on a plain
connection (:meth:`~quizapp.store.db.Database.read`), and hands back rows, never ORM objects.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, case, false, func, or_, select

from quizapp.store.db import connection_of
from quizapp.store.tables import cards, decks, review_log

if TYPE_CHECKING:
    from quizapp.store.db import Reader

LEARNING_STATES = ("learning", "relearning")
_CHUNK = 500  # keys per IN (...) list, well below SQLite's limit on query parameters


def available() -> ColumnElement[bool]:
    """Cards that can be shown at all: not retired, not suspended."""
    return and_(cards.c.retired == false(), cards.c.suspended == false())


def not_buried(now: datetime) -> ColumnElement[bool]:
    return or_(cards.c.buried_until.is_(None), cards.c.buried_until <= now)


def active_decks(s: Reader) -> list[Row[Any]]:
    """The decks not retired, by id: rows of the ``decks`` table (id, title, source, ...)."""
    return list(s.execute(select(decks).where(decks.c.retired.is_(False)).order_by(decks.c.id)))


@dataclass
class DoneToday:
    new: int = 0
    review: int = 0


def done_today(s: Reader, day_start: datetime) -> dict[str, DoneToday]:
    """Per deck: new cards introduced and review cards answered since the study day began."""
    stmt = (
        select(
            cards.c.deck,
            func.sum(case((review_log.c.state_before == "new", 1), else_=0)),
            func.sum(case((review_log.c.state_before == "review", 1), else_=0)),
        )
        # "+ 0": today's answers by their time, then each one's card (not every card's answers
        # by card, which the card-first history index would otherwise invite).
        .join(cards, cards.c.id == review_log.c.card_id + 0)
        .where(review_log.c.reviewed_at >= day_start)
        .group_by(cards.c.deck)
    )
    return {deck: DoneToday(int(n or 0), int(r or 0)) for deck, n, r in s.execute(stmt)}


def notes_seen_today(s: Reader, day_start: datetime) -> set[str]:
    stmt = (
        select(cards.c.note_key)
        .join(review_log, cards.c.id == review_log.c.card_id + 0)  # as in done_today
        .where(review_log.c.reviewed_at >= day_start)
        .distinct()
    )
    return set(s.scalars(stmt))


@cache
def _pick_statement(state: str, due_before: bool) -> Select[tuple[int, str, datetime | None]]:
    """The statement of :func:`pick_cards`, made once per kind of pick: the values are bound
    at each run (``deck``, ``now``, ``due_before``, ``offset``, ``limit``)."""
    cond = [
        cards.c.deck == bindparam("deck"),
        cards.c.state == state,
        available(),
        not_buried(bindparam("now", type_=cards.c.due.type)),
    ]
    if due_before:
        cond.append(cards.c.due < bindparam("due_before", type_=cards.c.due.type))
    order = (cards.c.due, cards.c.id) if state == "review" else (cards.c.position, cards.c.id)
    return (
        select(cards.c.id, cards.c.note_key, cards.c.due)
        .where(*cond)
        .order_by(*order)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


def pick_cards(
    s: Reader,
    deck: str,
    state: str,
    limit: int,
    now: datetime,
    due_before: datetime | None,
    skip_notes: set[str],
) -> list[tuple[int, str, datetime | None]]:
    """Up to ``limit`` cards of one deck in ``state``, at most one per note, skipping
    ``skip_notes`` (which gains the notes taken). Reviews by due date, new cards in file order."""
    if limit <= 0:
        return []
    stmt = _pick_statement(state, due_before is not None)
    params: dict[str, Any] = {"deck": deck, "now": now}
    if due_before is not None:
        params["due_before"] = due_before
    out: list[tuple[int, str, datetime | None]] = []
    offset, batch = 0, limit * 2 + 20
    while len(out) < limit:
        rows = s.execute(stmt, {**params, "offset": offset, "limit": batch}).all()
        for cid, note, due in rows:
            if note in skip_notes:
                continue
            skip_notes.add(note)
            out.append((cid, note, due))
            if len(out) >= limit:
                break
        if len(rows) < batch:
            break
        offset += batch
        batch *= 2
    return out


def learning_due(until: datetime, day: tuple[datetime, datetime] | None) -> ColumnElement[bool]:
    """Learning cards due by ``until``; with the study ``day`` (start, end), also cards on a
    step of a day or more (last answered before today) that fall due today, as in Anki."""
    cond = cards.c.due <= until
    if day is None:
        return cond
    start, end = day
    return or_(cond, and_(cards.c.last_review < start, cards.c.due < end))


def _learning_shown(
    decks: Sequence[str], until: datetime, day: tuple[datetime, datetime] | None
) -> tuple[ColumnElement[bool], ...]:
    """Learning cards of these decks that can be shown by ``until``."""
    return (
        cards.c.deck.in_(decks),
        cards.c.state.in_(LEARNING_STATES),
        available(),
        not_buried(until),
        learning_due(until, day),
    )


def learning_count(
    s: Reader,
    decks: Sequence[str],
    until: datetime,
    day: tuple[datetime, datetime] | None = None,
) -> dict[str, int]:
    stmt = (
        select(cards.c.deck, func.count())
        .where(*_learning_shown(decks, until, day))
        .group_by(cards.c.deck)
    )
    return {deck: int(n) for deck, n in s.execute(stmt)}


def next_learning(
    s: Reader,
    decks: Sequence[str],
    until: datetime,
    day: tuple[datetime, datetime] | None = None,
) -> int | None:
    stmt = (
        select(cards.c.id)
        .where(*_learning_shown(decks, until, day))
        .order_by(cards.c.due, cards.c.id)
        .limit(1)
    )
    return s.scalar(stmt)


def earliest_due(
    s: Reader, decks: Sequence[str], states: Sequence[str], after: datetime
) -> datetime | None:
    return s.scalar(
        select(func.min(cards.c.due)).where(
            cards.c.deck.in_(decks), cards.c.state.in_(states), available(), cards.c.due > after
        )
    )


def card_schedules(s: Reader) -> dict[str, tuple[str, datetime | None]]:
    """Every card's key → (state, due); due is None for new cards."""
    rows = s.execute(select(cards.c.key, cards.c.state, cards.c.due))
    return {key: (state, None if state == "new" else due) for key, state, due in rows}


def waiting_beyond_today(s: Reader, decks: Sequence[str], day_end: datetime) -> bool:
    """Whether new or due review cards wait beyond today's limits, burials or siblings."""
    stmt = (
        select(cards.c.id)
        .where(
            cards.c.deck.in_(decks),
            available(),
            cards.c.state.in_(("new", "review")),
            (cards.c.state == "new") | (cards.c.due < day_end),
        )
        .limit(1)
    )
    return s.scalar(stmt) is not None


def card_by_key(s: Reader, key: str) -> Row[Any] | None:
    """The card with this key: its row of the ``cards`` table, every column."""
    return s.execute(select(cards).where(cards.c.key == key)).first()


def note_key_of(s: Reader, card_id: int) -> str | None:
    return s.scalar(select(cards.c.note_key).where(cards.c.id == card_id))


def suspended_cards(s: Reader, deck: str | None = None) -> list[Row[Any]]:
    """Suspended cards that still exist in the notes, in deck order (rows of ``cards``)."""
    stmt = select(cards).where(cards.c.suspended.is_(True), cards.c.retired.is_(False))
    if deck is not None:
        stmt = stmt.where(cards.c.deck == deck)
    return list(s.execute(stmt.order_by(cards.c.deck, cards.c.position)))


def card_count(s: Reader, deck: str | None = None) -> int:
    """Cards that can be shown (not retired, not suspended), of one deck or all."""
    stmt = select(func.count()).select_from(cards).where(available())
    if deck is not None:
        stmt = stmt.where(cards.c.deck == deck)
    return int(s.scalar(stmt) or 0)


#: An answer's time in whole milliseconds since the epoch (UTC), exact: SQLite reads the stored
#: time to the millisecond as a whole number of them (julianday() is that number over 86,400,000,
#: which round() restores); 210,866,760,000,000 ms is the Julian day of 1970-01-01.
_MS = "CAST(round(julianday(r.reviewed_at) * 86400000.0) AS INTEGER) - 210866760000000"


def review_history_query(
    deck: str | None = None, durations: bool = True
) -> tuple[str, tuple[str, ...]]:
    """The SQL (and its parameters) :func:`review_history` reads the review log with."""
    sql = (
        f"SELECT r.card_id, {_MS}, r.rating,"
        " CASE r.state_before WHEN 'review' THEN 1 WHEN 'relearning' THEN 2 ELSE 0 END,"
        f" {'r.duration_ms' if durations else '0'} FROM review_log AS r"
    )
    params: tuple[str, ...] = ()
    if deck is not None:
        # Not a join: this way SQLite reads the index in order, one card of the deck at a time.
        sql += " WHERE r.card_id IN (SELECT id FROM cards WHERE deck = ?)"
        params = (deck,)
    return sql + " ORDER BY r.card_id, r.reviewed_at, r.id", params


def review_history(
    s: Reader, deck: str | None = None, durations: bool = True
) -> Iterator[tuple[int, int, int, int, int]]:
    """Every answer in the review log (of one deck, or all) as ``(card_id, milliseconds since
    the epoch (UTC), rating, state before, duration ms)``, by card, then in time order.

    The time is a whole number, exact (a study day begins at its first millisecond, which float
    seconds could miss by rounding); the state before is 0 (new or learning), 1 (review) or 2
    (relearning); without ``durations`` the duration is 0. Exam answers are not in the review
    log, so they are never part of it. The rows are read in order from the
    ``ix_review_log_history`` index alone, without a sort, and come straight from the SQLite
    driver as numbers: no ORM row, datetime or string for each of a million.
    """
    raw = connection_of(s).connection.driver_connection
    assert raw is not None
    return chain.from_iterable(_batches(raw.execute(*review_history_query(deck, durations))))


def _batches(cursor: sqlite3.Cursor, size: int = 50_000) -> Iterator[list[Any]]:
    try:
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()


def _chunks(keys: Sequence[str]) -> Iterator[Sequence[str]]:
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


def cards_with_keys(s: Reader, keys: Sequence[str]) -> list[Row]:
    """The cards with these keys: id, key, suspended and their scheduling state fields.

    Only those cards' rows are read (keys the database does not know are left out).
    """
    cols = (
        cards.c.id,
        cards.c.key,
        cards.c.suspended,
        cards.c.state,
        cards.c.step,
        cards.c.stability,
        cards.c.difficulty,
        cards.c.due,
        cards.c.last_review,
        cards.c.reps,
        cards.c.lapses,
    )
    return [
        row
        for chunk in _chunks(keys)
        for row in s.execute(select(*cols).where(cards.c.key.in_(chunk)))
    ]


def review_log_of(s: Reader, keys: Sequence[str]) -> Iterator[Row]:
    """The review log of the cards with these keys, card by card and oldest first: rows of
    (card_id, reviewed_at, rating, duration_ms, state_before, state_after, due_after).

    Only those cards' entries are read; the rows stream (consume them inside the session).
    """
    cols = (
        review_log.c.card_id,
        review_log.c.reviewed_at,
        review_log.c.rating,
        review_log.c.duration_ms,
        review_log.c.state_before,
        review_log.c.state_after,
        review_log.c.due_after,
    )
    order = (review_log.c.card_id, review_log.c.reviewed_at, review_log.c.id)
    for chunk in _chunks(keys):
        yield from s.execute(
            select(*cols)
            .join(cards, cards.c.id == review_log.c.card_id)
            .where(cards.c.key.in_(chunk))
            .order_by(*order)
        )
