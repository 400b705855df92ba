"""The cards an exam is built from, and the confusions that pick its wrong options: read with
plain queries on the driver's cursor (nothing to compile, and no table objects to define), so
building or printing an exam needs neither the ORM nor the Core tables. Named tuples out; the
quiz service (``quizapp.quiz``) holds the exam logic. Recording exams and reading their
history is :mod:`quizapp.store.exams`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any, NamedTuple, overload

from quizapp.store.db import Database
from quizapp.store.plain import chunks, marks, read_time, stored_time

# A prompt with a character beyond ASCII: more bytes in UTF-8 than characters.
_BEYOND_ASCII = "length(prompt) < length(CAST(prompt AS BLOB))"
_ASKABLE = "retired = 0 AND suspended = 0"  # the cards an exam may ask: in the notes, not suspended


class ExamCard(NamedTuple):
    """A card as an exam sees it: plain immutable data, never an ORM object (a named tuple,
    so that reading 10,000 of them stays cheap)."""

    key: str
    note_key: str
    deck: str
    section: tuple[str, ...]
    kind: str
    prompt: str
    answer: str
    extra: str
    tags: tuple[str, ...]
    source: str
    line: int
    position: int
    # A computed card's compute-block fields, as the sync keeps them on the row; else None.
    compute: tuple[tuple[str, str], ...] | None = None

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


class DeckInfo(NamedTuple):
    id: str
    title: str


def decks(db: Database) -> list[DeckInfo]:
    """The decks in the notes now, by id (a plain query: nothing to compile)."""
    with db.plain_read() as raw:
        rows = raw.execute("SELECT id, title FROM decks WHERE retired = 0 ORDER BY id")
        return [DeckInfo(deck_id, title) for deck_id, title in rows]


class CardHead(NamedTuple):
    """A card as an exam's sibling index sees it: what every card of the chosen decks is read
    for (its siblings' answers, whether two cards ask the same thing, the section filter).
    These are :class:`ExamCard`'s first seven fields, in its order; the rest of a card is read
    only for the cards an exam asks (:func:`exam_card_details`), the tags only for an exam of
    one tag (:func:`card_tags`)."""

    key: str
    note_key: str
    deck: str
    section: tuple[str, ...]
    kind: str
    prompt: str
    answer: str


def exam_card_heads(db: Database, deck_ids: Sequence[str]) -> list[CardHead]:
    """Every card of the decks that exams may ask: in the notes, not suspended; deck order.

    Read with one plain query on the driver's cursor (no result rows of SQLAlchemy's for
    10,000 cards), only the columns every card is needed for (a note key that is the card's
    own key comes as NULL: no string to make); sections are decoded once per distinct value.
    """
    ids = list(deck_ids)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    with db.plain_read() as raw:
        (decks_known,) = raw.execute("SELECT count(*) FROM decks").fetchone()
        # Most of the decks: one scan of the table is cheaper than the deck index's look-ups.
        scan = " NOT INDEXED" if 2 * len(ids) >= decks_known else ""
        sql = (
            "SELECT key, nullif(note_key, key), deck, section, kind, prompt, answer"
            f" FROM cards{scan} WHERE deck IN ({marks}) AND {_ASKABLE} ORDER BY deck, position, key"
        )
        rows = raw.execute(sql, tuple(ids)).fetchall()
    sections = {t: tuple(json.loads(t)) for t in set(map(itemgetter(3), rows))}
    new = tuple.__new__
    return [
        new(CardHead, (k, k if nk is None else nk, d, sections[sec], kind, p, a))
        for k, nk, d, sec, kind, p, a in rows
    ]


class Listed(NamedTuple):
    """A card of an exam's draw: its row id, and its key and section where they were read."""

    id: int
    key: str | None
    section: tuple[str, ...] | None


class ExamCards:
    """The cards of some decks that exams may ask, read only as far as an exam needs them.

    The draw reads the candidates' row ids in deck order (their keys and sections only for an
    exam of some cards: a section, a tag, the missed ones); then the heads of the cards drawn,
    each one's group (its construct kind in its section) and, where a question needs them, a
    deck's answers of one kind, its cards of one kind, or those whose prompts may ask what a
    card asks. Each read is one plain query on the driver's cursor over the exam indexes
    (migration 0011); within :meth:`reading`, all of them go through one read transaction.
    """

    def __init__(self, db: Database, deck_ids: Sequence[str]) -> None:
        self.db = db
        self.deck_ids = tuple(deck_ids)
        self._raw: Any = None
        self._sections: dict[str, tuple[str, ...]] = {}
        self._texts: dict[tuple[str, ...], str] = {}
        self._every: list[int] | None = None

    @contextmanager
    def reading(self) -> Iterator[ExamCards]:
        """Read through one connection and transaction meanwhile."""
        if self._raw is not None:
            yield self
            return
        with self.db.plain_read() as raw:
            self._raw = raw
            try:
                yield self
            finally:
                self._raw = None

    def _rows(self, sql: str, params: Sequence[object]) -> list[Any]:
        if self._raw is None:
            with self.reading():
                return self._rows(sql, params)
        rows: list[Any] = self._raw.execute(sql, tuple(params)).fetchall()
        return rows

    def _section(self, text: str) -> tuple[str, ...]:
        section = self._sections.get(text)
        if section is None:
            section = self._sections[text] = tuple(json.loads(text))
            self._texts[section] = text
        return section

    def _in_deck_order(self) -> str:
        """The decks' askable cards in deck order, from the order index: a query's ``FROM``
        part, its parameters the deck ids."""
        return (
            f"cards INDEXED BY ix_cards_exam_order WHERE deck IN ({marks(self.deck_ids)})"
            f" AND {_ASKABLE}"
            " ORDER BY deck, position, key"
        )

    def listed(self, *, keys: bool = False, sections: bool = False) -> list[Listed]:
        """The candidates, in deck order: row ids, and keys and sections if asked for."""
        if not self.deck_ids:
            return []
        columns = f"id, {'key' if keys else 'NULL'}, {'section' if sections else 'NULL'}"
        rows = self._rows(f"SELECT {columns} FROM {self._in_deck_order()}", self.deck_ids)
        if not sections:
            new = tuple.__new__
            return [new(Listed, row) for row in rows]
        section = self._section
        return [Listed(i, k, section(sec)) for i, k, sec in rows]

    def every(self) -> list[int]:
        """The row ids of every card of the decks an exam may ask, in deck order (read once,
        then kept). SQLite gathers them into one JSON array, in the order its subquery gives
        them (an aggregate over an ordered subquery keeps that order): one value to read
        instead of one row per card."""
        if self._every is None:
            if not self.deck_ids:
                self._every = []
            else:
                sql = f"SELECT json_group_array(id) FROM (SELECT id FROM {self._in_deck_order()})"
                (text,) = self._rows(sql, self.deck_ids)[0]
                self._every = json.loads(text)
        return self._every

    def heads(self, ids: Sequence[int]) -> dict[int, CardHead]:
        """The heads of these cards (those still askable), by row id."""
        out: dict[int, CardHead] = {}
        section = self._section
        new = tuple.__new__
        for chunk in chunks(ids):
            sql = (
                "SELECT id, key, nullif(note_key, key), deck, section, kind, prompt, answer"
                f" FROM cards WHERE id IN ({marks(chunk)}) AND {_ASKABLE}"
            )
            for row_id, k, nk, d, sec, kind, p, a in self._rows(sql, chunk):
                out[row_id] = new(
                    CardHead, (k, k if nk is None else nk, d, section(sec), kind, p, a)
                )
        return out

    def group(self, deck: str, kind: str, section: tuple[str, ...]) -> list[CardHead]:
        """The cards of one construct kind in one section, in deck order."""
        text = self._texts.get(section)
        if text is None:
            text = json.dumps(list(section), ensure_ascii=False)
        sql = (
            "SELECT key, nullif(note_key, key), prompt, answer FROM cards"
            " INDEXED BY ix_cards_exam_siblings"
            f" WHERE deck = ? AND kind = ? AND section = ? AND {_ASKABLE} ORDER BY position, key"
        )
        new = tuple.__new__
        return [
            new(CardHead, (k, k if nk is None else nk, deck, section, kind, p, a))
            for k, nk, p, a in self._rows(sql, (deck, kind, text))
        ]

    def of_kind(self, deck: str, kind: str) -> list[CardHead]:
        """A deck's cards of one construct kind, in deck order."""
        sql = (
            "SELECT key, nullif(note_key, key), section, prompt, answer FROM cards"
            " INDEXED BY ix_cards_exam_siblings"
            f" WHERE deck = ? AND kind = ? AND {_ASKABLE} ORDER BY position, key"
        )
        section = self._section
        new = tuple.__new__
        return [
            new(CardHead, (k, k if nk is None else nk, deck, section(sec), kind, p, a))
            for k, nk, sec, p, a in self._rows(sql, (deck, kind))
        ]

    def prompts_with(self, deck: str, kind: str, letters: str) -> list[tuple[str, str, str]]:
        """The key, prompt and answer of a deck's cards of one construct kind whose prompt
        may fold to these letters and digits: an ASCII prompt with them in this order (in
        any case, anything between), and every prompt with a character beyond ASCII (which
        SQLite does not fold)."""
        if letters.isascii():
            where = f"(prompt LIKE ? OR {_BEYOND_ASCII})"
            params: tuple[str, ...] = (deck, kind, f"%{'%'.join(letters)}%")
        else:  # no ASCII prompt folds to a letter beyond ASCII
            where = _BEYOND_ASCII
            params = (deck, kind)
        sql = (
            "SELECT key, prompt, answer FROM cards INDEXED BY ix_cards_exam_siblings"
            f" WHERE deck = ? AND kind = ? AND {_ASKABLE} AND {where}"
        )
        return [(k, p, a) for k, p, a in self._rows(sql, params)]

    def answers(self, deck: str, kind: str) -> tuple[str, ...]:
        """The answers of a deck's cards of one construct kind, section by section (in the
        order the sections first come), each section's in deck order: as :meth:`of_kind`'s."""
        sql = (
            "SELECT section, answer FROM cards INDEXED BY ix_cards_exam_siblings"
            f" WHERE deck = ? AND kind = ? AND {_ASKABLE} ORDER BY position, key"
        )
        by_section: dict[str, list[str]] = {}
        for section, answer in self._rows(sql, (deck, kind)):
            found = by_section.get(section)
            if found is None:
                by_section[section] = [answer]
            else:
                found.append(answer)
        return tuple(a for answers in by_section.values() for a in answers)


class _Every:
    """Holds every key: the candidates of an exam of every card of its decks."""

    def __contains__(self, key: object) -> bool:
        return True


class Candidates(Sequence[CardHead]):
    """An exam's candidates in deck order, as row ids (``listed``: those listed by
    :meth:`ExamCards.listed`; else every card of the reader's decks an exam may ask). Their
    heads are read when they are taken (:meth:`take`: many in one query)."""

    def __init__(self, reader: ExamCards, listed: Sequence[Listed] | None = None) -> None:
        self.reader = reader
        self.ids = reader.every() if listed is None else [c.id for c in listed]
        self._keys: Container[str] = (
            _Every() if listed is None else {c.key for c in listed if c.key is not None}
        )
        self._heads: dict[int, CardHead] = {}

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> CardHead: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CardHead]: ...

    def __getitem__(self, index: int | slice) -> CardHead | Sequence[CardHead]:
        if isinstance(index, slice):
            return self.take(range(len(self.ids))[index])
        place = range(len(self.ids))[index]
        found = self.take([place])
        if not found:
            raise LookupError(f"card {self.ids[place]} is no longer in the store")
        return found[0]

    def take(self, places: Sequence[int]) -> list[CardHead]:
        """The heads of the candidates at these places (those still in the store)."""
        ids = [self.ids[i] for i in places]
        missing = [i for i in ids if i not in self._heads]
        if missing:
            self._heads.update(self.reader.heads(missing))
        heads = self._heads
        return [heads[i] for i in ids if i in heads]

    def keys(self) -> Container[str]:
        """The candidates' keys (to test a card for being one)."""
        return self._keys


def card_tags(db: Database, deck_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The tags of the decks' cards that exams may ask (those with any), by key."""
    ids = list(deck_ids)
    marks = ", ".join("?" for _ in ids) or "NULL"
    sql = f"SELECT key, tags FROM cards WHERE deck IN ({marks}) AND {_ASKABLE} AND tags != '[]'"
    with db.plain_read() as raw:
        rows = raw.execute(sql, tuple(ids)).fetchall()
    decoded = {t: tuple(json.loads(t)) for t in {t for _, t in rows}}
    return {k: decoded[t] for k, t in rows}


def exam_card_details(db: Database, card_keys: Iterable[str]) -> dict[str, ExamCard]:
    """The whole cards of these keys (those that are in the store), by key."""
    keys = list(dict.fromkeys(card_keys))
    out: dict[str, ExamCard] = {}
    with db.plain_read() as raw:
        for chunk in chunks(keys):
            sql = (
                "SELECT key, note_key, deck, section, kind, prompt, answer, extra, tags, source,"
                f" line, position, compute FROM cards WHERE key IN ({marks(chunk)})"
            )
            for k, nk, d, sec, kind, p, a, e, tg, src, ln, pos, comp in raw.execute(sql, chunk):
                section, card_tags = tuple(json.loads(sec)), tuple(json.loads(tg))
                card = (k, nk, d, section, kind, p, a, e, card_tags, src, ln, pos, _fields(comp))
                out[k] = ExamCard(*card)
    return out


def _fields(text: str | None) -> tuple[tuple[str, str], ...] | None:
    if text is None:
        return None
    return tuple((str(k), str(v)) for k, v in json.loads(text))


def cards_fingerprint(db: Database, deck_ids: Sequence[str]) -> tuple[object, ...]:
    """Changes whenever the exam cards of these decks may have (a sync, a suspension)."""
    ids = list(deck_ids)
    sql = (
        "SELECT count(*), max(updated_at), sum(suspended), sum(retired) FROM cards"
        f" WHERE deck IN ({marks(ids) or 'NULL'})"
    )
    with db.plain_read() as raw:
        row = raw.execute(sql, tuple(ids)).fetchone()
    return (tuple(ids), *(row or ()))


class WeightedConfusion(NamedTuple):
    text: str
    mistake: str | None
    weight: float  # recent confusions weigh more
    times: int


HALF_LIFE_DAYS = 30.0
REMEMBERED_DAYS = 365  # older confusions weigh less than 1/4000: left out


def confusions_for(
    db: Database, card_keys: Iterable[str], now: datetime
) -> dict[str, list[WeightedConfusion]]:
    """Per card, the answers the learner took for its own, heaviest first (a confusion's
    weight halves every 30 days)."""
    keys = list(dict.fromkeys(card_keys))
    found: dict[tuple[str, str, str | None], list[float]] = defaultdict(list)
    since = stored_time(now - timedelta(days=REMEMBERED_DAYS))
    with db.plain_read() as raw:
        for chunk in chunks(keys):
            sql = (
                "SELECT card_key, confused_with, mistake, at FROM quiz_confusions"
                f" WHERE card_key IN ({marks(chunk)}) AND at >= ?"
            )
            for key, text, mistake, at in raw.execute(sql, (*chunk, since)):
                age = max((now - read_time(at)).total_seconds() / 86400, 0.0)
                found[(key, text, mistake)].append(0.5 ** (age / HALF_LIFE_DAYS))
    out: dict[str, list[WeightedConfusion]] = defaultdict(list)
    for (key, text, mistake), weights in found.items():
        out[key].append(WeightedConfusion(text, mistake, sum(weights), len(weights)))
    for items in out.values():
        items.sort(key=lambda c: (-c.weight, c.text))
    return dict(out)
