"""The exam memory: exams and answers, confusions, history, missed cards.

Named tuples in and out; the quiz service (``quizapp.quiz``) holds the exam logic. Every
recorded answer is one committed transaction. Writing is Core statements over the tables, and
so is reading the history: exams never need the ORM's classes. The cards an exam is built from
are read by :mod:`quizapp.store.exam_cards`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple

from sqlalchemy import delete, false, func, insert, select, update

from quizapp.store.db import Database
from quizapp.store.exam_cards import HALF_LIFE_DAYS, REMEMBERED_DAYS
from quizapp.store.plain import CHUNK
from quizapp.store.tables import cards, quiz_answers, quiz_confusions, quiz_exams

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
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
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
        for i in range(0, len(keys), CHUNK):
            chunk = keys[i : i + CHUNK]
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
