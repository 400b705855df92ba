"""Read queries the services share: today's queues, counts, schedules, the review history and
the exported cards' progress.

Plain SQL (:mod:`quizapp.store.plain`): each runs on a plain connection
(:meth:`~quizapp.store.db.Database.plain_read`) or inside a Core connection's or session's
transaction, and hands back named tuples with the store's times read as aware UTC datetimes.
Counting and reviewing therefore never import SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from quizapp.store.plain import chunks, driver_of, marks, read_time, stored_time, streamed

if TYPE_CHECKING:
    from quizapp.store.plain import PlainReader

LEARNING_STATES = ("learning", "relearning")

#: Cards that can be shown at all (not retired, not suspended) and not buried at ``?``.
AVAILABLE = "retired = 0 AND suspended = 0"
NOT_BURIED = "(buried_until IS NULL OR buried_until <= ?)"


class CardRow(NamedTuple):
    """A card as read from the ``cards`` table: every column, by name."""

    id: int
    key: str
    note_key: str
    deck: str
    file_id: int | None
    position: int
    section: str  # JSON list of headings
    kind: str
    prompt: str
    answer: str
    extra: str
    tags: str  # JSON list
    source: str
    line: int
    compute: str | None
    checks: str | None
    cloze_text: str | None
    cloze_number: int | None
    content_hash: str
    retired: bool
    suspended: bool
    buried_until: datetime | None
    state: str
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime | None
    last_review: datetime | None
    reps: int
    lapses: int
    created_at: datetime | None
    updated_at: datetime | None


CARD_COLUMNS = ", ".join(CardRow._fields)
_CARD_TIMES = tuple(
    i
    for i, name in enumerate(CardRow._fields)
    if name in ("buried_until", "due", "last_review", "created_at", "updated_at")
)
_CARD_FLAGS = (CardRow._fields.index("retired"), CardRow._fields.index("suspended"))


def card_row(values: Sequence[Any]) -> CardRow:
    """A ``SELECT {CARD_COLUMNS}`` row as a :class:`CardRow` (times aware, flags bool)."""
    out = list(values)
    for i in _CARD_TIMES:
        out[i] = read_time(out[i])
    for i in _CARD_FLAGS:
        out[i] = bool(out[i])
    return CardRow._make(out)


def _cards(s: PlainReader, where: str, params: Sequence[object]) -> list[CardRow]:
    sql = f"SELECT {CARD_COLUMNS} FROM cards WHERE {where}"
    return [card_row(r) for r in driver_of(s).execute(sql, params)]


class DeckRow(NamedTuple):
    """A row of the ``decks`` table."""

    id: str
    title: str
    source: str
    file_path: str
    retired: bool


def active_decks(s: PlainReader) -> list[DeckRow]:
    """The decks not retired, by id."""
    sql = "SELECT id, title, source, file_path, retired FROM decks WHERE retired = 0 ORDER BY id"
    return [
        DeckRow(i, title, source, path, bool(retired))
        for i, title, source, path, retired in driver_of(s).execute(sql)
    ]


def deck_of(s: PlainReader, deck_id: str) -> DeckRow | None:
    """The deck with this id (retired or not)."""
    sql = "SELECT id, title, source, file_path, retired FROM decks WHERE id = ?"
    row = driver_of(s).execute(sql, (deck_id,)).fetchone()
    return None if row is None else DeckRow(*row[:4], bool(row[4]))


def deck_file_path(s: PlainReader, file_id: int) -> str | None:
    """The path of the deck file with this id, as the sync stored it."""
    row = driver_of(s).execute("SELECT path FROM deck_files WHERE id = ?", (file_id,)).fetchone()
    return None if row is None else row[0]


class DoneToday(NamedTuple):
    new: int = 0
    review: int = 0


#: Today's answers by their time, then each one's card ("+ 0": not every card's answers by
#: card, which the card-first history index would otherwise invite).
_TODAY = (
    "FROM review_log JOIN cards ON cards.id = review_log.card_id + 0"
    " WHERE review_log.reviewed_at >= ?"
)


def done_today(s: PlainReader, day_start: datetime) -> dict[str, DoneToday]:
    """Per deck: new cards introduced and review cards answered since the study day began."""
    sql = (
        "SELECT cards.deck,"
        " sum(CASE WHEN review_log.state_before = 'new' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN review_log.state_before = 'review' THEN 1 ELSE 0 END) "
        f"{_TODAY} GROUP BY cards.deck"
    )
    rows = driver_of(s).execute(sql, (stored_time(day_start),))
    return {deck: DoneToday(int(n or 0), int(r or 0)) for deck, n, r in rows}


def notes_seen_today(s: PlainReader, day_start: datetime) -> set[str]:
    sql = f"SELECT DISTINCT cards.note_key {_TODAY}"
    return {note for (note,) in driver_of(s).execute(sql, (stored_time(day_start),))}


def _pick_sql(state: str, due_before: bool) -> str:
    """The statement of :func:`pick_cards` for one kind of pick."""
    sql = (
        "SELECT id, note_key, due FROM cards"
        f" WHERE deck = ? AND state = ? AND {AVAILABLE} AND {NOT_BURIED}"
    )
    if due_before:
        sql += " AND due < ?"
    order = "due, id" if state == "review" else "position, id"
    return f"{sql} ORDER BY {order} LIMIT ? OFFSET ?"


def pick_cards(
    s: PlainReader,
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
    raw = driver_of(s)
    sql = _pick_sql(state, due_before is not None)
    params: tuple[object, ...] = (deck, state, stored_time(now))
    if due_before is not None:
        params += (stored_time(due_before),)
    out: list[tuple[int, str, datetime | None]] = []
    offset, batch = 0, limit * 2 + 20
    while len(out) < limit:
        rows = raw.execute(sql, (*params, batch, offset)).fetchall()
        for cid, note, due in rows:
            if note in skip_notes:
                continue
            skip_notes.add(note)
            out.append((cid, note, read_time(due)))
            if len(out) >= limit:
                break
        if len(rows) < batch:
            break
        offset += batch
        batch *= 2
    return out


def _learning_shown(
    decks: Sequence[str], until: datetime, day: tuple[datetime, datetime] | None
) -> tuple[str, tuple[object, ...]]:
    """Learning cards of these decks that can be shown by ``until``; with the study ``day``
    (start, end), also cards on a step of a day or more (last answered before today) that fall
    due today, as in Anki. The condition and its parameters."""
    t = stored_time(until)
    where = (
        f"deck IN ({marks(decks)}) AND state IN ({marks(LEARNING_STATES)})"
        f" AND {AVAILABLE} AND {NOT_BURIED}"
    )
    params: tuple[object, ...] = (*decks, *LEARNING_STATES, t, t)
    if day is None:
        return f"{where} AND due <= ?", params
    start, end = day
    where += " AND (due <= ? OR last_review < ? AND due < ?)"
    return where, (*params, stored_time(start), stored_time(end))


def learning_count(
    s: PlainReader,
    decks: Sequence[str],
    until: datetime,
    day: tuple[datetime, datetime] | None = None,
) -> dict[str, int]:
    where, params = _learning_shown(decks, until, day)
    sql = f"SELECT deck, count(*) FROM cards WHERE {where} GROUP BY deck"
    return {deck: int(n) for deck, n in driver_of(s).execute(sql, params)}


def next_learning(
    s: PlainReader,
    decks: Sequence[str],
    until: datetime,
    day: tuple[datetime, datetime] | None = None,
) -> int | None:
    where, params = _learning_shown(decks, until, day)
    row = (
        driver_of(s)
        .execute(f"SELECT id FROM cards WHERE {where} ORDER BY due, id LIMIT 1", params)
        .fetchone()
    )
    return None if row is None else row[0]


def earliest_due(
    s: PlainReader, decks: Sequence[str], states: Sequence[str], after: datetime
) -> datetime | None:
    sql = (
        f"SELECT min(due) FROM cards WHERE deck IN ({marks(decks)})"
        f" AND state IN ({marks(states)}) AND {AVAILABLE} AND due > ?"
    )
    (due,) = driver_of(s).execute(sql, (*decks, *states, stored_time(after))).fetchone()
    return read_time(due)


def card_schedules(s: PlainReader) -> dict[str, tuple[str, datetime | None]]:
    """Every card's key → (state, due); due is None for new cards."""
    rows = driver_of(s).execute("SELECT key, state, due FROM cards")
    return {key: (state, None if state == "new" else read_time(due)) for key, state, due in rows}


def waiting_beyond_today(s: PlainReader, decks: Sequence[str], day_end: datetime) -> bool:
    """Whether new or due review cards wait beyond today's limits, burials or siblings."""
    sql = (
        f"SELECT id FROM cards WHERE deck IN ({marks(decks)}) AND {AVAILABLE}"
        " AND state IN ('new', 'review') AND (state = 'new' OR due < ?) LIMIT 1"
    )
    return driver_of(s).execute(sql, (*decks, stored_time(day_end))).fetchone() is not None


def card_by_id(s: PlainReader, card_id: int) -> CardRow | None:
    """The card with this id, every column (read afresh: another process may have changed
    it)."""
    found = _cards(s, "id = ?", (card_id,))
    return found[0] if found else None


def card_by_key(s: PlainReader, key: str) -> CardRow | None:
    """The card with this key, every column."""
    found = _cards(s, "key = ?", (key,))
    return found[0] if found else None


def note_key_of(s: PlainReader, card_id: int) -> str | None:
    row = driver_of(s).execute("SELECT note_key FROM cards WHERE id = ?", (card_id,)).fetchone()
    return None if row is None else row[0]


def suspended_cards(s: PlainReader, deck: str | None = None) -> list[CardRow]:
    """Suspended cards that still exist in the notes, in deck order."""
    where, params = "suspended = 1 AND retired = 0", ()
    if deck is not None:
        where, params = f"{where} AND deck = ?", (deck,)
    return _cards(s, f"{where} ORDER BY deck, position", params)


def card_count(s: PlainReader, deck: str | None = None) -> int:
    """Cards that can be shown (not retired, not suspended), of one deck or all."""
    sql, params = f"SELECT count(*) FROM cards WHERE {AVAILABLE}", ()
    if deck is not None:
        sql, params = f"{sql} AND deck = ?", (deck,)
    return int(driver_of(s).execute(sql, params).fetchone()[0] or 0)


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
    s: PlainReader, deck: str | None = None, durations: bool = True
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
    return streamed(driver_of(s).execute(*review_history_query(deck, durations)), 50_000)


def cards_with_keys(s: PlainReader, keys: Sequence[str]) -> list[CardRow]:
    """The cards with these keys (keys the database does not know are left out)."""
    return [row for chunk in chunks(keys) for row in _cards(s, f"key IN ({marks(chunk)})", chunk)]


class LoggedAnswer(NamedTuple):
    card_id: int
    reviewed_at: datetime
    rating: int
    duration_ms: int
    state_before: str
    state_after: str
    due_after: datetime


def review_log_of(s: PlainReader, keys: Sequence[str]) -> Iterator[LoggedAnswer]:
    """The review log of the cards with these keys, card by card and oldest first.

    Only those cards' entries are read; the rows stream (consume them inside the transaction).
    """
    raw = driver_of(s)
    for chunk in chunks(keys):
        sql = (
            "SELECT r.card_id, r.reviewed_at, r.rating, r.duration_ms, r.state_before,"
            " r.state_after, r.due_after FROM review_log AS r JOIN cards ON cards.id = r.card_id"
            f" WHERE cards.key IN ({marks(chunk)}) ORDER BY r.card_id, r.reviewed_at, r.id"
        )
        for card_id, at, rating, ms, before, after, due_after in raw.execute(sql, chunk):
            yield LoggedAnswer(
                card_id, read_time(at), rating, ms, before, after, read_time(due_after)
            )
