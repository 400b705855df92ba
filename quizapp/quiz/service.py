"""The quiz service: build an exam, run it (grading, skipping, the clock), remember it.

The UI and the CLI call :class:`QuizService` and :class:`ExamRun`; they get the named
tuples of :mod:`quizapp.quiz.model`. Every answer is recorded in one committed transaction
before the next question is shown. An exam never changes a review schedule, except through
:meth:`QuizService.send_to_review`, which makes the cards it is given due now.
"""

from __future__ import annotations

import gc
import random
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from quizapp.library import load_library
from quizapp.notes.model import SECTION_SEPARATOR
from quizapp.quiz.build import build_exam, select_cards
from quizapp.quiz.grading import (
    SKIPPED,
    Grade,
    accept_override,
    grade_list,
    grade_typed,
)
from quizapp.quiz.model import (
    MISSED_EXAMS,
    TRUE,
    TYPES,
    Answered,
    Exam,
    ExamOptions,
    ExamResult,
    History,
    HistoryExam,
    Question,
    QuizOptionError,
    Score,
    SectionTrend,
    missed_keys,
)
from quizapp.quiz.pool import Pool
from quizapp.store import exam_cards as store
from quizapp.store.db import Database, open_database
from quizapp.store.sync import SyncReport, sync_library

if TYPE_CHECKING:
    from quizapp.verify.model import Verification

Given = int | str | Sequence[int | None] | None


def _memory() -> ModuleType:
    """The exam memory (:mod:`quizapp.store.exams`: recording, the history, missed cards),
    imported when an exam is taken or looked back on. Building or printing one reads only the
    cards (:mod:`quizapp.store.exam_cards`), and so never defines the store's Core tables."""
    from quizapp.store import exams

    return exams


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Building an exam makes tens of thousands of small objects that hold no reference cycles
    (the cards' heads, the index over them). Run after every 700 new objects, the cycle
    collector would also, now and then, walk every object of the process (its first full
    collection: tens of milliseconds, more than the exam itself takes); paused, it runs once
    after, over the objects made meanwhile."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _known(items: Sequence[str], limit: int = 30) -> str:
    shown = ", ".join(items[:limit])
    return shown + (", …" if len(items) > limit else "") if items else "none"


class QuizService:
    """Exams over the cards of an open database (the decks synced by the caller)."""

    def __init__(self, db: Database, clock: Callable[[], datetime] | None = None) -> None:
        self.db = db
        self.clock = clock or _utc_now
        self._pool: (
            tuple[tuple[object, ...] | None, store.ExamCards, Pool, list[store.CardHead] | None]
            | None
        ) = None

    @classmethod
    def open(
        cls,
        db_path: Path,
        deck_dirs: Sequence[Path],
        clock: Callable[[], datetime] | None = None,
        *,
        read_only: bool = False,
    ) -> tuple[QuizService, SyncReport]:
        """Open the database and sync the deck files into it (unchanged files are not read).

        ``read_only``: open it read-only, as it is, and sync nothing (for what only reads: a
        printed exam, the history); starting an exam on it then fails.
        """
        db = open_database(Path(db_path), migrate=not read_only)
        if read_only:
            return cls(db, clock), SyncReport()
        try:
            report = sync_library(db, list(deck_dirs), load_library)
        except BaseException:
            db.close()
            raise
        return cls(db, clock), report

    def close(self) -> None:
        self.db.close()

    def now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the clock must return an aware datetime")
        return now.astimezone(UTC)

    # -- building ---------------------------------------------------------------------------

    def deck_ids(self) -> list[str]:
        return [d.id for d in store.decks(self.db)]

    def resolve_decks(self, decks: Sequence[str]) -> tuple[str, ...]:
        known = self.deck_ids()
        for d in decks:
            if d not in known:
                raise QuizOptionError(f"unknown deck {d!r} (known: {_known(known)})")
        return tuple(dict.fromkeys(decks)) if decks else tuple(known)

    def build(self, options: ExamOptions) -> Exam:
        """An exam for these options; raises :class:`QuizOptionError` for bad ones. The seed
        is drawn when the options have none (the exam says which)."""
        with _cycle_collection_paused():
            return self._build(options)

    def _build(self, options: ExamOptions) -> Exam:
        if options.count < 1:
            raise QuizOptionError(f"--count must be at least 1, not {options.count}")
        if options.minutes is not None and options.minutes < 1:
            raise QuizOptionError(f"--minutes must be at least 1, not {options.minutes}")
        bad = [t for t in options.types if t not in TYPES]
        if bad or not options.types:
            raise QuizOptionError(
                f"unknown question type {(bad or [''])[0]!r} (known: {', '.join(TYPES)})"
            )
        deck_ids = self.resolve_decks(options.decks)
        reader, pool, heads = self._cards(deck_ids)
        with reader.reading():
            return self._build_from(options, deck_ids, reader, pool, heads)

    def _build_from(
        self,
        options: ExamOptions,
        deck_ids: tuple[str, ...],
        reader: store.ExamCards,
        pool: Pool,
        heads: list[store.CardHead] | None,
    ) -> Exam:
        some = bool(options.section or options.tag or options.missed)
        cards: Sequence[store.CardHead | store.Listed] = []
        if heads is not None:
            cards = heads
        elif some:
            cards = reader.listed(keys=True, sections=bool(options.section))
        if options.section:
            needle = options.section.casefold()
            if not any(needle in h.casefold() for c in cards for h in c.section or ()):
                sections = list(
                    dict.fromkeys(
                        h for c in cards for h in (c.section or ())[1:] or c.section or ()
                    )
                )
                raise QuizOptionError(
                    f"unknown section {options.section!r} (known: {_known(sections)})"
                )
        tagged: set[str] | None = None
        if options.tag:
            tag = options.tag.casefold()
            tags_of = store.card_tags(self.db, deck_ids)  # read for an exam of one tag only
            tagged = {k for k, tags in tags_of.items() if any(tag == t.casefold() for t in tags)}
            if not tagged:
                tags = sorted({t for tags in tags_of.values() for t in tags})
                raise QuizOptionError(f"unknown tag {options.tag!r} (known: {_known(tags)})")
        if options.seed is not None:
            seed = options.seed
        else:
            seed = random.SystemRandom().randrange(999_999) + 1  # drawn at random
        resolved = ExamOptions(
            decks=deck_ids,
            section=options.section,
            tag=options.tag,
            count=options.count,
            minutes=options.minutes,
            types=tuple(dict.fromkeys(options.types)),
            seed=seed,
            missed=options.missed,
        )
        missed = _memory().missed_cards(self.db, deck_ids, MISSED_EXAMS) if options.missed else None
        chosen = select_cards(cards, resolved, missed, tagged) if some or heads else None
        candidates = chosen if heads is not None else store.Candidates(reader, chosen)
        now = self.now()
        exam = build_exam(
            pool,
            candidates,
            resolved,
            seed,
            confusions=lambda keys: store.confusions_for(self.db, keys, now),
            keras=self.keras_check,
            details=lambda keys: store.exam_card_details(self.db, keys),
        )
        if options.missed and not missed:
            exam = exam._replace(note=f"no card was missed in the last {MISSED_EXAMS} exams")
        return exam

    def _cards(
        self, deck_ids: tuple[str, ...]
    ) -> tuple[store.ExamCards, Pool, list[store.CardHead] | None]:
        """The decks' cards as an exam reads them, and their sibling index.

        The first exam of a service reads only what it asks: the candidates' row ids, then the
        cards drawn and their siblings, as the questions need them (a process that builds one
        exam, as ``quiz --print`` does, reads no more), and without the stamp that tells when
        the cards change. The second takes the stamp and reads the heads of every card at
        once, and from then on they are kept, indexed, while the stamp holds: the exams of a
        session then read only the cards they ask. The same seed gives the same exam either
        way.
        """
        kept = self._pool
        if kept is None:
            reader = store.ExamCards(self.db, deck_ids)
            self._pool = (None, reader, Pool(source=reader), None)
            return self._pool[1], self._pool[2], None
        stamp = store.cards_fingerprint(self.db, deck_ids)
        if kept[0] != stamp:
            heads = store.exam_card_heads(self.db, deck_ids)
            self._pool = (stamp, store.ExamCards(self.db, deck_ids), Pool(heads), heads)
        return self._pool[1], self._pool[2], self._pool[3]

    def keras_check(
        self, layers: str, input_shape: tuple[int | None, ...], ask: str
    ) -> Verification:
        """What Keras said about a computed question, from the cache alone (no TensorFlow)."""
        from quizapp.calc.expr import format_shape
        from quizapp.store.oracle_cache import DbOracleCache
        from quizapp.verify.compare import cached_verification
        from quizapp.verify.model import KerasFacts

        fields = (("layers", layers), ("input", format_shape(input_shape)), ("ask", ask))
        return cached_verification(KerasFacts("", 0, compute=fields), DbOracleCache(self.db))

    def retake(self, result: ExamResult) -> Exam:
        """An exam of the questions ``result`` missed, as they were asked."""
        questions = tuple(a.question.renumbered(i) for i, a in enumerate(result.missed, 1))
        seed = result.options.seed or 0
        return Exam(seed, result.options, questions, len(questions), retake_of=result.exam_id)

    # -- running ----------------------------------------------------------------------------

    def start(self, exam: Exam) -> ExamRun:
        """Begin an exam: it is recorded now, and each answer as it is given."""
        started = self.now()
        exam_id = _memory().start_exam(
            self.db,
            started_at=started,
            deck_ids=exam.options.decks,
            options=exam.options.to_json(),
            seed=exam.seed,
            questions=len(exam.questions),
            retake_of=exam.retake_of,
        )
        return ExamRun(self, exam, exam_id, started)

    def send_to_review(self, card_keys: Sequence[str]) -> int:
        """Make these cards due now in today's review (only these cards change)."""
        return _memory().send_to_review(self.db, card_keys, self.now())

    # -- memory -----------------------------------------------------------------------------

    def last_options(self) -> ExamOptions | None:
        """The options of the last exam, for the setup screen (seed left out)."""
        data = _memory().last_options(self.db)
        if data is None:
            return None
        data = {**data, "seed": None}
        opts = ExamOptions.from_json(data)
        known = set(self.deck_ids())
        return opts._replace(decks=tuple(d for d in opts.decks if d in known))

    def history(
        self, decks: Sequence[str] = (), limit: int = 20, trend: int = 5, window: int = 50
    ) -> History:
        """The last ``limit`` exams (newest first) with scores, each section's trend over its
        last ``trend`` exams (within the last ``window``), and the top confusions."""
        deck_ids = self.resolve_decks(decks) if decks else None
        past = _memory().past_exams(self.db, deck_ids, limit=max(limit, window))
        exams = tuple(
            HistoryExam(
                id=e.id,
                started_at=e.started_at,
                decks=e.decks,
                questions=e.questions,
                answered=e.answered,
                score=e.score
                if e.score is not None
                else (
                    sum(c for c, _ in e.sections.values()) / e.questions if e.questions else None
                ),
                seconds=e.seconds,
                seed=e.seed,
                options=e.options,
                retake_of=e.retake_of,
                finished=e.finished_at is not None,
            )
            for e in past[:limit]
        )
        by_section: dict[tuple[str, ...], list[float]] = defaultdict(list)
        for e in past:  # newest first
            for section, (credit, count) in e.sections.items():
                if count and len(by_section[section]) < trend:
                    by_section[section].append(credit / count)
        sections = tuple(
            SectionTrend(s, tuple(reversed(scores))) for s, scores in sorted(by_section.items())
        )
        confusions = tuple(_memory().top_confusions(self.db, deck_ids, self.now()))
        return History(exams, sections, confusions)


def section_name(section: Sequence[str]) -> str:
    return SECTION_SEPARATOR.join(section)


def grade(q: Question, given: Given) -> tuple[Grade, str | None]:
    """Grade an answer to ``q``; also the answer as text (None when skipped)."""
    if given is None or (isinstance(given, str) and not given.strip()):
        return SKIPPED, None
    if q.format == "choice":
        if not isinstance(given, int) or not 0 <= given < len(q.options):
            raise ValueError(f"choose an option from 0 to {len(q.options) - 1}")
        text = q.options[given]
        if text == q.answer:
            return Grade("right", 1.0, expected=q.answer), text
        confused: tuple[tuple[str, str, str | None], ...] = ()
        if q.type == "tf":
            if text == TRUE and q.swapped is not None:
                confused = ((q.card, q.swapped, None),)
        else:
            mistake = q.mistakes[given] if q.mistakes else None
            confused = ((q.card, text, mistake),)
        return Grade("wrong", 0.0, expected=q.answer, confused_with=confused), text
    if q.format == "match":
        if isinstance(given, str | int):
            raise ValueError("a matching answer gives an option for each term")
        picks = list(given)[: len(q.pairs)] + [None] * max(0, len(q.pairs) - len(list(given)))
        if all(p is None for p in picks):
            return SKIPPED, None
        wrong: list[int] = []
        confusions = []
        for i, ((_, meaning), pick) in enumerate(zip(q.pairs, picks, strict=True)):
            chosen = q.options[pick] if pick is not None and 0 <= pick < len(q.options) else None
            if chosen != meaning:
                wrong.append(i)
                if chosen is not None:
                    confusions.append((q.card_keys[i], chosen, None))
        right = len(q.pairs) - len(wrong)
        credit = right / len(q.pairs)
        result = "right" if not wrong else "wrong" if right == 0 else "partial"
        text = " ".join(
            f"{i + 1}{chr(65 + p) if p is not None else '-'}" for i, p in enumerate(picks)
        )
        note = f"{right} of {len(q.pairs)} pairs"
        return (
            Grade(
                result,
                credit,
                expected=q.answer,
                confused_with=tuple(confusions),
                note=note,
                wrong=tuple(wrong),
            ),
            text,
        )
    if not isinstance(given, str):
        raise ValueError("a typed answer is text")
    if q.items:
        g = grade_list(given, q.items)
        return g, given.strip()
    g = grade_typed(given, q.answer, q.kind, q.others, q.card)
    if g.confused_with and q.mistakes:
        text = g.confused_with[0][1]
        label = dict(zip(q.others, q.mistakes, strict=False)).get(text)
        g = Grade(g.result, g.credit, g.diff, g.expected, ((q.card, text, label),), g.note)
    return g, given.strip()


class ExamRun:
    """One sitting of an exam. Skipped questions come back at the end; when the time is up
    the exam ends and what is unanswered counts as skipped. Not thread-safe."""

    def __init__(self, service: QuizService, exam: Exam, exam_id: int, started: datetime) -> None:
        self.service = service
        self.exam = exam
        self.exam_id = exam_id
        self.started = started
        minutes = exam.options.minutes
        self.deadline = started + timedelta(minutes=minutes) if minutes else None
        self._queue: deque[int] = deque(range(len(exam.questions)))
        self._answers: dict[int, Answered] = {}
        self._shown: tuple[int, datetime] | None = None
        self._result: ExamResult | None = None
        self._skipped: set[int] = set()
        self._answered_at: dict[int, datetime] = {}

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.exam.questions

    @property
    def total(self) -> int:
        return len(self.exam.questions)

    @property
    def done(self) -> bool:
        return self._result is not None

    @property
    def unanswered(self) -> int:
        return len(self._queue)

    @property
    def answered(self) -> int:
        return len(self._answers)

    def was_skipped(self, q: Question) -> bool:
        return q.n - 1 in self._skipped

    def time_left(self) -> float | None:
        """Seconds left (never below 0), or None without a time limit."""
        if self.deadline is None:
            return None
        return max((self.deadline - self.service.now()).total_seconds(), 0.0)

    def time_up(self) -> bool:
        left = self.time_left()
        return left is not None and left <= 0

    def elapsed(self) -> float:
        return max((self.service.now() - self.started).total_seconds(), 0.0)

    def current(self) -> Question | None:
        """The question to show now; None once every question is answered or time is up."""
        if self._result is not None or not self._queue or self.time_up():
            return None
        idx = self._queue[0]
        if self._shown is None or self._shown[0] != idx:
            self._shown = (idx, self.service.now())
        return self.exam.questions[idx]

    def answer(self, given: Given) -> Answered:
        """Grade and record the answer to the current question, then move on."""
        answered = self.submit(given)
        self.save(answered)
        return answered

    def submit(self, given: Given) -> Answered:
        """Grade the answer to the current question and move on, without recording it yet:
        :meth:`save` records it (the app does so in its worker while the next question shows;
        :meth:`finish` comes after every save)."""
        q = self.current()
        if q is None:
            raise ValueError("the exam is over")
        grade_, text = grade(q, given)
        now = self.service.now()
        seconds = (now - self._shown[1]).total_seconds() if self._shown else 0.0
        answered = Answered(q, text, grade_, max(seconds, 0.0))
        self._answers[q.n - 1] = answered
        self._queue.popleft()
        self._shown = None
        self._answered_at[q.n - 1] = now
        return answered

    def save(self, answered: Answered) -> None:
        """Record a submitted answer (one committed transaction)."""
        self._record(answered, self._answered_at.get(answered.question.n - 1, self.service.now()))

    def skip(self) -> None:
        """Put the current question at the end: it comes back after the others."""
        q = self.current()
        if q is None:
            return
        self._skipped.add(q.n - 1)
        self._queue.rotate(-1)
        self._shown = None

    def override(self, n: int) -> Answered:
        """ "I was right": accept an *almost* answer to question ``n``; recorded."""
        old = self._answers.get(n - 1)
        if old is None or old.grade.result != "almost" or old.grade.override:
            raise ValueError("only an answer marked almost can be accepted")
        new = Answered(old.question, old.given, accept_override(old.grade), old.seconds)
        self._record(new, self.service.now())
        self._answers[n - 1] = new
        if self._result is not None:  # accepted on the end screen: the score follows
            _memory().finish_exam(self.service.db, self.exam_id, self._finished_at, self._seconds)
            self._result = self._make_result(self._result.time_up)
        return new

    def answer_of(self, n: int) -> Answered | None:
        return self._answers.get(n - 1)

    def finish(self) -> ExamResult:
        """End the exam (also when time is up): unanswered questions count as skipped."""
        if self._result is not None:
            return self._result
        time_up = self.time_up()
        now = self.service.now()
        for idx in list(self._queue):
            q = self.exam.questions[idx]
            answered = Answered(q, None, SKIPPED, 0.0)
            self._record(answered, now)
            self._answers[idx] = answered
        self._queue.clear()
        seconds = (
            (self.deadline - self.started).total_seconds() if time_up and self.deadline else None
        )
        self._seconds = seconds if seconds is not None else self.elapsed()
        self._finished_at = now
        _memory().finish_exam(self.service.db, self.exam_id, now, self._seconds)
        self._result = self._make_result(time_up)
        return self._result

    @property
    def result(self) -> ExamResult | None:
        return self._result

    def _record(self, a: Answered, now: datetime) -> None:
        q = a.question
        options = (
            q.options if q.format != "match" else tuple(f"{t} → ?" for t, _ in q.pairs) + q.options
        )
        memory = _memory()
        rec = memory.AnswerRecord(
            n=q.n,
            qtype=q.type,
            card_key=q.card,
            deck=q.deck,
            section=q.section,
            prompt=q.prompt,
            options=options,
            answer=q.answer,
            given=a.given,
            result=a.grade.result,
            credit=a.grade.credit,
            override=a.grade.override,
            seconds=round(a.seconds, 3),
            missed=missed_keys(a),
            confusions=tuple(
                memory.Confusion(key, text, mistake) for key, text, mistake in a.grade.confused_with
            ),
        )
        memory.record_answer(self.service.db, self.exam_id, rec, now)

    def _make_result(self, time_up: bool) -> ExamResult:
        answers = tuple(self._answers[i] for i in range(self.total))
        credit = sum(a.grade.credit for a in answers)
        by_section: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
        by_type: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
        for a in answers:
            for table, key in (
                (by_section, section_name(a.question.section)),
                (by_type, a.question.type),
            ):
                table[key][0] += a.grade.credit
                table[key][1] += 1
        return ExamResult(
            exam_id=self.exam_id,
            score=credit / self.total if self.total else 0.0,
            right=sum(1 for a in answers if a.grade.result == "right" or a.grade.override),
            questions=self.total,
            seconds=round(self._seconds, 3),
            time_up=time_up,
            by_section=tuple(Score(k, v[0], int(v[1])) for k, v in by_section.items()),
            by_type=tuple(
                Score(t, by_type[t][0], int(by_type[t][1])) for t in TYPES if t in by_type
            ),
            answers=answers,
            options=self.exam.options,
        )
