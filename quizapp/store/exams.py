"""The exam memory: the cards an exam is built from, exams and answers, confusions, history.

Plain dataclasses in and out; the quiz service (``quizapp.quiz``) holds the exam logic.
Every recorded answer is one committed transaction. Reading (an exam's cards, its confusions,
the history) goes through Core connections, the bulk of it as plain queries on the driver's
cursor; writing is Core statements over the same tables: exams never need the ORM's classes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar, overload

from sqlalchemy import delete, false, func, insert, select, update

from quizapp.store import tables
from quizapp.store.db import Database
from quizapp.store.tables import cards, quiz_answers, quiz_confusions, quiz_exams

_CHUNK = 500
_T = TypeVar("_T")


def _in_chunks(values: Sequence[_T]) -> Iterator[tuple[Sequence[_T], str]]:
    """``values`` in runs of at most ``_CHUNK`` (well below SQLite's limit on a statement's
    parameters), each with its ``?, ?, ...`` for an ``IN (...)`` list."""
    for i in range(0, len(values), _CHUNK):
        chunk = values[i : i + _CHUNK]
        yield chunk, ", ".join("?" for _ in chunk)


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
    with db.read() as conn:
        rows = conn.exec_driver_sql("SELECT id, title FROM decks WHERE retired = 0 ORDER BY id")
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
    with db.read() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
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
        with self.db.read() as conn:
            self._raw = conn.connection.driver_connection
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
        marks = ", ".join("?" for _ in self.deck_ids)
        return (
            f"cards INDEXED BY ix_cards_exam_order WHERE deck IN ({marks}) AND {_ASKABLE}"
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
        for chunk, marks in _in_chunks(ids):
            sql = (
                "SELECT id, key, nullif(note_key, key), deck, section, kind, prompt, answer"
                f" FROM cards WHERE id IN ({marks}) AND {_ASKABLE}"
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
    with db.read() as conn:
        rows = conn.exec_driver_sql(sql, tuple(ids)).all()
    decoded = {t: tuple(json.loads(t)) for t in {t for _, t in rows}}
    return {k: decoded[t] for k, t in rows}


def exam_card_details(db: Database, card_keys: Iterable[str]) -> dict[str, ExamCard]:
    """The whole cards of these keys (those that are in the store), by key."""
    keys = list(dict.fromkeys(card_keys))
    out: dict[str, ExamCard] = {}
    with db.read() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        for chunk, marks in _in_chunks(keys):
            sql = (
                "SELECT key, note_key, deck, section, kind, prompt, answer, extra, tags, source,"
                f" line, position, compute FROM cards WHERE key IN ({marks})"
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
    marks = ", ".join("?" for _ in ids) or "NULL"
    sql = (
        "SELECT count(*), max(updated_at), sum(suspended), sum(retired) FROM cards"
        f" WHERE deck IN ({marks})"
    )
    with db.read() as conn:
        row = conn.exec_driver_sql(sql, tuple(ids)).fetchone()
    return (tuple(ids), *(row or ()))


# -- recording ---------------------------------------------------------------------------------


class Confusion(NamedTuple):
    """The learner took ``confused_with`` for the answer of ``card_key``."""

    card_key: str
    confused_with: str
    mistake: str | None = None


class AnswerRecord(NamedTuple):
    """One question as shown and how it was answered."""

    n: int
    qtype: str
    card_key: str
    deck: str
    section: tuple[str, ...]
    prompt: str
    options: tuple[str, ...]
    answer: str
    given: str | None
    result: str
    credit: float
    override: bool
    seconds: float
    missed: tuple[str, ...]  # card keys not answered right
    confusions: tuple[Confusion, ...] = ()


def start_exam(
    db: Database,
    *,
    started_at: datetime,
    deck_ids: Sequence[str],
    options: dict[str, Any],
    seed: int,
    questions: int,
    retake_of: int | None = None,
) -> int:
    """Record a new exam; its id."""
    with db.session(write=True) as s:
        done = s.execute(
            insert(quiz_exams).values(
                started_at=started_at,
                seconds=0.0,
                decks=json.dumps(list(deck_ids), ensure_ascii=False),
                options=json.dumps(options, ensure_ascii=False, sort_keys=True),
                seed=seed,
                questions=questions,
                retake_of=retake_of,
            )
        )
        return int(done.inserted_primary_key[0])


def record_answer(db: Database, exam_id: int, rec: AnswerRecord, at: datetime) -> None:
    """Store (or replace) the answer to question ``rec.n``, with its confusions, in one
    committed transaction."""
    with db.session(write=True) as s:
        s.execute(
            delete(quiz_answers).where(quiz_answers.c.exam_id == exam_id, quiz_answers.c.n == rec.n)
        )
        row = {
            "exam_id": exam_id,
            "n": rec.n,
            "qtype": rec.qtype,
            "card_key": rec.card_key,
            "deck": rec.deck,
            "section": json.dumps(list(rec.section), ensure_ascii=False),
            "prompt": rec.prompt,
            "options": json.dumps(list(rec.options), ensure_ascii=False),
            "answer": rec.answer,
            "given": rec.given,
            "result": rec.result,
            "credit": rec.credit,
            "override": rec.override,
            "seconds": rec.seconds,
            "missed": json.dumps(list(rec.missed), ensure_ascii=False),
            "answered_at": at,
        }
        answer_id = s.execute(insert(quiz_answers).values(**row)).inserted_primary_key[0]
        if rec.confusions:
            s.execute(
                insert(quiz_confusions),
                [
                    {
                        "answer_id": answer_id,
                        "card_key": c.card_key,
                        "confused_with": c.confused_with,
                        "mistake": c.mistake,
                        "at": at,
                    }
                    for c in rec.confusions
                ],
            )


def finish_exam(db: Database, exam_id: int, finished_at: datetime, seconds: float) -> float:
    """Close the exam: its time taken and score (mean credit over its questions)."""
    with db.session(write=True) as s:
        questions = s.scalar(select(quiz_exams.c.questions).where(quiz_exams.c.id == exam_id))
        if questions is None:
            return 0.0
        total = s.scalar(
            select(func.coalesce(func.sum(quiz_answers.c.credit), 0.0)).where(
                quiz_answers.c.exam_id == exam_id
            )
        )
        score = float(total or 0.0) / questions if questions else 0.0
        s.execute(
            update(quiz_exams)
            .where(quiz_exams.c.id == exam_id)
            .values(finished_at=finished_at, seconds=seconds, score=score)
        )
        return score


# -- reading the memory ------------------------------------------------------------------------


def _stored_time(t: datetime) -> str:
    """An aware datetime as the store keeps it (``UTCDateTime``: naive UTC text, microseconds
    always written, so that the text sorts as the time does)."""
    return t.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _read_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


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
    since = _stored_time(now - timedelta(days=REMEMBERED_DAYS))
    with db.read() as conn:
        raw = conn.connection.driver_connection  # a plain query: no statement to compile
        assert raw is not None  # in a process that asks this once
        for chunk, marks in _in_chunks(keys):
            sql = (
                "SELECT card_key, confused_with, mistake, at FROM quiz_confusions"
                f" WHERE card_key IN ({marks}) AND at >= ?"
            )
            for key, text, mistake, at in raw.execute(sql, (*chunk, since)):
                age = max((now - _read_time(at)).total_seconds() / 86400, 0.0)
                found[(key, text, mistake)].append(0.5 ** (age / HALF_LIFE_DAYS))
    out: dict[str, list[WeightedConfusion]] = defaultdict(list)
    for (key, text, mistake), weights in found.items():
        out[key].append(WeightedConfusion(text, mistake, sum(weights), len(weights)))
    for items in out.values():
        items.sort(key=lambda c: (-c.weight, c.text))
    return dict(out)


class TopConfusion(NamedTuple):
    card_key: str
    prompt: str
    answer: str
    confused_with: str
    times: int
    weight: float


def top_confusions(
    db: Database, deck_ids: Sequence[str] | None, now: datetime, limit: int = 10
) -> list[TopConfusion]:
    """The learner's most frequent (and most recent) confusions, heaviest first."""
    c, a = quiz_confusions.c, quiz_answers.c
    stmt = select(c.card_key, c.confused_with, c.at, a.deck, a.prompt, a.answer, a.qtype).join(
        quiz_answers, a.id == c.answer_id
    )
    stmt = stmt.where(c.at >= now - timedelta(days=REMEMBERED_DAYS))
    if deck_ids is not None:
        stmt = stmt.where(a.deck.in_(list(deck_ids)))
    acc: dict[tuple[str, str], list[Any]] = {}
    with db.read() as conn:
        for key, text, at, _deck, prompt, answer, qtype in conn.execute(stmt.order_by(c.at)):
            age = max((now - at).total_seconds() / 86400, 0.0)
            entry = acc.setdefault((key, text), [0, 0.0, prompt, answer])
            entry[0] += 1
            entry[1] += 0.5 ** (age / HALF_LIFE_DAYS)
            if qtype != "match":  # the latest wording of a single-card question
                entry[2], entry[3] = prompt, answer
    ranked = sorted(acc.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return [
        TopConfusion(key, prompt, answer, text, times, round(weight, 3))
        for (key, text), (times, weight, prompt, answer) in ranked[:limit]
    ]


class PastExam(NamedTuple):
    id: int
    started_at: datetime
    finished_at: datetime | None
    seconds: float
    decks: tuple[str, ...]
    options: dict[str, Any]
    seed: int
    questions: int
    score: float | None
    retake_of: int | None
    answered: int = 0
    # per section: (credit, questions)
    sections: Mapping[tuple[str, ...], tuple[float, int]] = MappingProxyType({})


def _touches(exam_decks: Sequence[str], deck_ids: Sequence[str] | None) -> bool:
    return deck_ids is None or bool(set(exam_decks) & set(deck_ids))


def past_exams(
    db: Database,
    deck_ids: Sequence[str] | None = None,
    limit: int | None = None,
    *,
    with_sections: bool = True,
) -> list[PastExam]:
    """Exams that touched any of the decks (all with None), newest first."""
    out: list[PastExam] = []
    with db.read() as conn:
        stmt = select(quiz_exams).order_by(quiz_exams.c.started_at.desc(), quiz_exams.c.id.desc())
        for row in conn.execute(stmt):
            exam_decks = tuple(json.loads(row.decks))
            if not _touches(exam_decks, deck_ids):
                continue
            out.append(
                PastExam(
                    row.id,
                    row.started_at,
                    row.finished_at,
                    row.seconds,
                    exam_decks,
                    json.loads(row.options),
                    row.seed,
                    row.questions,
                    row.score,
                    row.retake_of,
                )
            )
            if limit is not None and len(out) >= limit:
                break
        if not with_sections or not out:
            return out
        ids = [e.id for e in out]
        per: dict[int, dict[tuple[str, ...], list[float]]] = defaultdict(dict)
        answered: dict[int, int] = defaultdict(int)
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            a = quiz_answers.c
            rows = conn.execute(
                select(
                    a.exam_id,
                    a.section,
                    func.sum(a.credit),
                    func.count(),
                    func.sum(a.result != "skipped"),
                )
                .where(a.exam_id.in_(chunk))
                .group_by(a.exam_id, a.section)
            )
            for exam_id, section, credit, count, done in rows:
                per[exam_id][tuple(json.loads(section))] = [float(credit or 0.0), int(count)]
                answered[exam_id] += int(done or 0)
    return [
        e._replace(
            answered=answered.get(e.id, 0),
            sections={k: (v[0], int(v[1])) for k, v in per.get(e.id, {}).items()},
        )
        for e in out
    ]


def missed_cards(db: Database, deck_ids: Sequence[str], last: int = 5) -> list[str]:
    """The cards missed (wrong, skipped, almost, partly right) in the last ``last`` exams of
    the decks, most recent exam first."""
    exams = past_exams(db, deck_ids, limit=last, with_sections=False)
    if not exams:
        return []
    order = {e.id: i for i, e in enumerate(exams)}
    keys: dict[str, tuple[int, int]] = {}
    with db.read() as conn:
        a = quiz_answers.c
        rows = conn.execute(select(a.exam_id, a.n, a.missed).where(a.exam_id.in_(list(order))))
        for exam_id, n, missed in rows:
            for key in json.loads(missed):
                rank = (order[exam_id], n)
                if key not in keys or rank < keys[key]:
                    keys[key] = rank
    wanted = set(deck_ids)
    return [
        k for k, _ in sorted(keys.items(), key=lambda kv: kv[1]) if k.split(":", 1)[0] in wanted
    ]


def last_options(db: Database) -> dict[str, Any] | None:
    """The options of the last exam started (not a retake), for the setup screen."""
    with db.read() as conn:
        row = conn.execute(
            select(quiz_exams.c.options, quiz_exams.c.decks)
            .where(quiz_exams.c.retake_of.is_(None))
            .order_by(quiz_exams.c.started_at.desc(), quiz_exams.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return {**json.loads(row.options), "decks": json.loads(row.decks)}


def send_to_review(db: Database, card_keys: Sequence[str], now: datetime) -> int:
    """Make these cards due now, and only these: a review card keeps its memory state and
    falls due; a new card starts its learning steps now. Returns the cards changed."""
    keys = list(dict.fromkeys(card_keys))
    changed = 0
    with db.session(write=True) as s:
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            base = [cards.c.key.in_(chunk), cards.c.retired == false()]
            res = s.execute(  # learning, review and relearning cards keep their state
                update(cards)
                .where(*base, cards.c.state != "new")
                .values(due=now, buried_until=None, updated_at=now)
            )
            changed += res.rowcount or 0
            res = s.execute(  # a new card begins its learning steps, as fsrs starts one
                update(cards)
                .where(*base, cards.c.state == "new")
                .values(state="learning", step=0, due=now, buried_until=None, updated_at=now)
            )
            changed += res.rowcount or 0
    return changed


def deck_titles(db: Database) -> dict[str, str]:
    with db.read() as conn:
        return dict(conn.execute(select(tables.decks.c.id, tables.decks.c.title)).all())
