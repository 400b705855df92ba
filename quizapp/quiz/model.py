"""The plain data of an exam: options, questions, grades, results. Named tuples only (immutable,
and cheap to define for a command that runs once); the TUI and the CLI get these, never ORM
objects."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from quizapp.errors import OptionError
from quizapp.quiz.grading import AnswerKind, Grade

if TYPE_CHECKING:
    from quizapp.verify.model import Verification

QuestionType = Literal["mcq", "typed", "tf", "match", "computed"]
TYPES: tuple[QuestionType, ...] = ("mcq", "typed", "tf", "match", "computed")
TYPE_NAMES: dict[str, str] = {
    "mcq": "multiple choice",
    "typed": "typed answer",
    "tf": "true / false",
    "match": "matching",
    "computed": "computed",
}
DEFAULT_COUNT = 20
MISSED_EXAMS = 5  # --missed looks this many exams back
TRUE, FALSE = "True", "False"


class QuizOptionError(OptionError):
    """Bad exam options (an unknown deck, section, tag or type, a count below 1, ...)."""


class ExamOptions(NamedTuple):
    """What an exam is made of. Empty ``decks`` means every deck."""

    decks: tuple[str, ...] = ()
    section: str | None = None
    tag: str | None = None
    count: int = DEFAULT_COUNT
    minutes: int | None = None
    types: tuple[QuestionType, ...] = TYPES
    seed: int | None = None
    missed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "decks": list(self.decks),
            "section": self.section,
            "tag": self.tag,
            "count": self.count,
            "minutes": self.minutes,
            "types": list(self.types),
            "seed": self.seed,
            "missed": self.missed,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamOptions:
        types = tuple(t for t in data.get("types") or TYPES if t in TYPES) or TYPES
        count = data.get("count")
        minutes = data.get("minutes")
        return cls(
            decks=tuple(str(d) for d in data.get("decks") or ()),
            section=data.get("section") or None,
            tag=data.get("tag") or None,
            count=count if isinstance(count, int) and count >= 1 else DEFAULT_COUNT,
            minutes=minutes if isinstance(minutes, int) and minutes >= 1 else None,
            types=types,  # type: ignore[arg-type]
            seed=data.get("seed") if isinstance(data.get("seed"), int) else None,
            missed=bool(data.get("missed")),
        )


class Question(NamedTuple):
    """One exam question.

    ``format`` says how it is answered: ``choice`` (one of ``options``; ``answer`` is exactly
    one of them), ``typed`` (free text graded against ``answer``; a list card has ``items``),
    or ``match`` (each term of ``pairs`` to one of ``options``, the meanings shuffled).
    """

    n: int
    type: QuestionType
    format: Literal["choice", "typed", "match"]
    prompt: str
    answer: str
    card: str  # the card's key (a matching question: its first pair's card)
    deck: str
    section: tuple[str, ...]
    source: str  # "decks/keras-basics.md:12"
    explanation: str = ""
    options: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()  # match: (term, meaning), terms in shown order
    cards: tuple[str, ...] = ()  # match: the card of each pair; else (card,)
    kind: AnswerKind = "text"  # what the answer is: number, shape, code or text
    others: tuple[str, ...] = ()  # typed: the siblings' answers (typing one is a confusion)
    items: tuple[str, ...] = ()  # typed list card: its items, accepted in any order
    mistakes: tuple[str | None, ...] = ()  # computed choice: each option's misconception
    swapped: str | None = None  # true/false: the sibling's value put in the statement
    keras: Verification | None = None  # computed: what Keras said (from the cache only)

    @property
    def right_index(self) -> int | None:
        """For a choice: the index of the right option."""
        if self.format != "choice":
            return None
        return self.options.index(self.answer)

    @property
    def card_keys(self) -> tuple[str, ...]:
        return self.cards or (self.card,)

    def renumbered(self, n: int) -> Question:
        return self._replace(n=n)


class Exam(NamedTuple):
    """A built exam, not yet taken. ``note`` says when it has fewer questions than asked."""

    seed: int
    options: ExamOptions  # resolved: the decks named, the seed set
    questions: tuple[Question, ...]
    cards_available: int
    note: str = ""
    retake_of: int | None = None


class Answered(NamedTuple):
    """A question with what was answered and how it was graded."""

    question: Question
    given: str | None  # as the learner gave it (an option's text, the typed text, pairs)
    grade: Grade
    seconds: float


class Score(NamedTuple):
    """Credit over questions, for a section or a question type."""

    name: str
    credit: float
    questions: int

    @property
    def percent(self) -> float:
        return 100.0 * self.credit / self.questions if self.questions else 0.0


class ExamResult(NamedTuple):
    exam_id: int
    score: float  # 0..1
    right: int
    questions: int
    seconds: float
    time_up: bool
    by_section: tuple[Score, ...]
    by_type: tuple[Score, ...]
    answers: tuple[Answered, ...]  # in question order
    options: ExamOptions = ExamOptions()

    @property
    def missed(self) -> tuple[Answered, ...]:
        """Every question not answered right (wrong, skipped, partly right, almost)."""
        return tuple(a for a in self.answers if a.grade.missed)

    @property
    def missed_cards(self) -> tuple[str, ...]:
        keys: dict[str, None] = {}
        for a in self.missed:
            for key in missed_keys(a):
                keys.setdefault(key, None)
        return tuple(keys)


def missed_keys(a: Answered) -> tuple[str, ...]:
    """The cards an answer missed: a matching question misses only its wrong pairs' cards."""
    if not a.grade.missed:
        return ()
    q = a.question
    if q.format == "match" and a.grade.result != "skipped":
        return tuple(k for i, k in enumerate(q.card_keys) if i in a.grade.wrong)
    return q.card_keys


class HistoryExam(NamedTuple):
    id: int
    started_at: datetime
    decks: tuple[str, ...]
    questions: int
    answered: int
    score: float | None
    seconds: float
    seed: int
    options: dict[str, Any]
    retake_of: int | None
    finished: bool


class SectionTrend(NamedTuple):
    section: tuple[str, ...]
    scores: tuple[float, ...]  # oldest first, 0..1, over the last exams that asked it


class History(NamedTuple):
    exams: tuple[HistoryExam, ...]  # newest first
    sections: tuple[SectionTrend, ...]
    confusions: tuple[Any, ...]  # store.exams.TopConfusion
