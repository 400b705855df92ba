"""What the statistics hand to the screen and the command line: plain frozen dataclasses, and
their one JSON shape (:func:`stats_json`, ``quizapp stats --json``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

PERIODS = ("today", "yesterday", "7d", "30d", "365d")
GRADES = ("again", "hard", "good", "easy")
#: The periods the hours and the answer buttons cover, as Anki offers them: the last month,
#: three months, year, or every answer; ``1m`` unless asked otherwise.
BREAKDOWN_PERIODS = ("1m", "3m", "1y", "all")
DEFAULT_BREAKDOWN = "1m"
#: The study days each covers, today included (``all``: from the first answer's study day).
BREAKDOWN_DAYS = {"1m": 30, "3m": 90, "1y": 365}


def ratio(part: int | float, whole: int | float) -> float | None:
    """``part / whole``, or None when there is nothing to measure."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Today:
    """The answers of today's study day."""

    reviews: int  # every answer
    new: int  # answers to new cards: the cards learnt today
    again: int  # answers graded Again
    seconds: float  # time spent answering
    correct: int  # answers graded Hard, Good or Easy


@dataclass(frozen=True)
class Streak:
    """Study days in a row with at least one answer. The current run ends today, or yesterday
    while nothing has been answered today yet (the day is not over)."""

    current: int
    longest: int


@dataclass(frozen=True)
class DayCount:
    day: date
    reviews: int


@dataclass(frozen=True)
class Calendar:
    """Answers per study day for the last 365 study days, oldest first (today last)."""

    days: tuple[DayCount, ...]

    @property
    def busiest(self) -> int:
        return max((d.reviews for d in self.days), default=0)

    @property
    def days_studied(self) -> int:
        return sum(1 for d in self.days if d.reviews)


@dataclass(frozen=True)
class FutureDue:
    """Cards due per study day from today on (``days[0]`` is today), the cards due before
    today apart, and the daily load: Σ 1/interval over the cards studied, the answers a day
    they ask for on average."""

    overdue: int
    days: tuple[int, ...]
    daily_load: float


@dataclass(frozen=True)
class DayReviews:
    """One study day's answers by what the card was before: new or learning, review,
    relearning; and the time they took."""

    day: date
    learning: int
    review: int
    relearning: int
    seconds: float

    @property
    def total(self) -> int:
        return self.learning + self.review + self.relearning


@dataclass(frozen=True)
class CardCounts:
    """Each card in one of these: retired (gone from the notes), suspended, buried (until
    tomorrow), or by state, review cards as young (interval under 21 days) or mature."""

    new: int
    learning: int
    relearning: int
    young: int
    mature: int
    suspended: int
    buried: int
    retired: int

    @property
    def review(self) -> int:
        return self.young + self.mature

    @property
    def total(self) -> int:
        return (
            self.new
            + self.learning
            + self.relearning
            + self.review
            + self.suspended
            + self.buried
            + self.retired
        )


@dataclass(frozen=True)
class Bin:
    """``cards`` with a value in ``[lo, hi)`` (``hi`` None: no upper end)."""

    lo: float
    hi: float | None
    cards: int


@dataclass(frozen=True)
class Memory:
    """FSRS's memory of the studied cards (not new, not retired) now: how many, the
    estimated total knowledge (Σ retrievability: the cards you would recall now), and
    distributions of retrievability (0..1), stability and interval (days) and difficulty
    (0..1, FSRS's 1..10 scale)."""

    cards: int
    total_knowledge: float
    retrievability: tuple[Bin, ...]
    stability: tuple[Bin, ...]
    difficulty: tuple[Bin, ...]
    interval: tuple[Bin, ...]

    @property
    def average_retrievability(self) -> float | None:
        return ratio(self.total_knowledge, self.cards)


@dataclass(frozen=True)
class Cell:
    passed: int = 0
    failed: int = 0

    @property
    def retention(self) -> float | None:
        return ratio(self.passed, self.passed + self.failed)


@dataclass(frozen=True)
class TrueRetention:
    """Passed (Hard, Good, Easy) and failed (Again) answers, as Anki counts them: only a
    card's first answer of a study day, and only cards with an interval of a day or more;
    young under 21 days, mature from 21. One cell per period of :data:`PERIODS`."""

    young: dict[str, Cell]
    mature: dict[str, Cell]
    desired: float

    @property
    def total(self) -> dict[str, Cell]:
        return {
            p: Cell(
                self.young[p].passed + self.mature[p].passed,
                self.young[p].failed + self.mature[p].failed,
            )
            for p in PERIODS
        }


@dataclass(frozen=True)
class Breakdown:
    """The period the hours and the answer buttons cover: one of :data:`BREAKDOWN_PERIODS`,
    its first study day (None: no answer yet, with ``all``) and its number of study days, up
    to today's."""

    name: str
    first_day: date | None
    days: int


@dataclass(frozen=True)
class HourStat:
    """Answers given in one hour of the day (local time) over the period (:class:`Breakdown`)."""

    hour: int
    reviews: int
    correct: int

    @property
    def success(self) -> float | None:
        return ratio(self.correct, self.reviews)


@dataclass(frozen=True)
class Buttons:
    """Answers per grade (Again, Hard, Good, Easy) over the period (:class:`Breakdown`): to cards
    in learning (new, learning, relearning), to young and to mature review cards."""

    learning: tuple[int, int, int, int]
    young: tuple[int, int, int, int]
    mature: tuple[int, int, int, int]


@dataclass(frozen=True)
class ExamScore:
    exam: int
    finished_at: datetime
    score: float  # the deck's questions' credit, 0..1
    questions: int  # the exam's questions on the deck


@dataclass(frozen=True)
class DeckExams:
    """A deck's part of its last finished exams, newest first."""

    deck: str
    title: str
    scores: tuple[ExamScore, ...]


class ExamStatusLike(Protocol):
    """What the review service says of a deck's exam date (``quizapp.review.ExamStatus``, the
    readiness ``quizapp due --json`` shows): the statistics show it, never compute it."""

    @property
    def deck(self) -> str: ...
    @property
    def day(self) -> date: ...
    @property
    def target(self) -> float: ...
    @property
    def days_left(self) -> int: ...
    @property
    def ready(self) -> float | None: ...


@dataclass(frozen=True)
class ExamReadiness:
    """A deck's exam date, today or ahead: the study days left (0 on the day), the recall
    wanted on it, and the share of the deck's cards already at or above it on the day with no
    further review (None: no cards)."""

    deck: str
    day: date
    days_left: int
    target: float
    ready: float | None

    @classmethod
    def of(cls, status: ExamStatusLike) -> ExamReadiness:
        return cls(status.deck, status.day, status.days_left, status.target, status.ready)


@dataclass(frozen=True)
class Stats:
    """Everything on the statistics screen, for one deck or (``deck`` None) all of them."""

    deck: str | None
    day: date  # today's study day
    day_starts_at: int
    today: Today
    streak: Streak
    calendar: Calendar
    future: FutureDue
    reviews: tuple[DayReviews, ...]  # the last 30 study days, oldest first
    cards: CardCounts
    memory: Memory
    true_retention: TrueRetention
    period: Breakdown  # what hours and buttons cover
    hours: tuple[HourStat, ...]  # 0..23
    buttons: Buttons
    exams: tuple[DeckExams, ...]
    exam_dates: tuple[ExamReadiness, ...] = ()  # by deck


# -- JSON ------------------------------------------------------------------------------------


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


def _bins(bins: tuple[Bin, ...]) -> list[dict[str, Any]]:
    return [{"from": b.lo, "to": b.hi, "cards": b.cards} for b in bins]


def _cells(cells: dict[str, Cell]) -> dict[str, dict[str, Any]]:
    return {
        p: {"passed": c.passed, "failed": c.failed, "retention": _r(c.retention)}
        for p, c in cells.items()
    }


def stats_json(st: Stats) -> dict[str, Any]:
    """The one JSON object of ``quizapp stats --json`` (every field is in the README)."""
    tr = st.true_retention
    total = tr.total
    return {
        "deck": st.deck,
        "date": st.day.isoformat(),
        "day_starts_at": st.day_starts_at,
        "today": {
            "reviews": st.today.reviews,
            "new": st.today.new,
            "again": st.today.again,
            "seconds": round(st.today.seconds, 1),
        },
        "streak": {"current": st.streak.current, "longest": st.streak.longest},
        "retention": {
            "7d": _r(total["7d"].retention),
            "30d": _r(total["30d"].retention),
            "365d": _r(total["365d"].retention),
            "young_30d": _r(tr.young["30d"].retention),
            "mature_30d": _r(tr.mature["30d"].retention),
        },
        "true_retention": {
            "young": _cells(tr.young),
            "mature": _cells(tr.mature),
            "total": _cells(total),
        },
        "desired_retention": tr.desired,
        "cards": {
            "new": st.cards.new,
            "learning": st.cards.learning,
            "review": st.cards.review,
            "young": st.cards.young,
            "mature": st.cards.mature,
            "relearning": st.cards.relearning,
            "suspended": st.cards.suspended,
            "buried": st.cards.buried,
            "retired": st.cards.retired,
            "total": st.cards.total,
        },
        "forecast": list(st.future.days),
        "overdue": st.future.overdue,
        "daily_load": round(st.future.daily_load, 2),
        "heatmap": {d.day.isoformat(): d.reviews for d in st.calendar.days if d.reviews},
        "reviews": [
            {
                "date": d.day.isoformat(),
                "learning": d.learning,
                "review": d.review,
                "relearning": d.relearning,
                "seconds": round(d.seconds, 1),
            }
            for d in st.reviews
        ],
        "memory": {
            "cards": st.memory.cards,
            "total_knowledge": round(st.memory.total_knowledge, 2),
            "average_retrievability": _r(st.memory.average_retrievability),
            "retrievability": _bins(st.memory.retrievability),
            "stability": _bins(st.memory.stability),
            "difficulty": _bins(st.memory.difficulty),
            "interval": _bins(st.memory.interval),
        },
        "period": {
            "name": st.period.name,
            "first_day": None if st.period.first_day is None else st.period.first_day.isoformat(),
            "days": st.period.days,
        },
        "hours": [
            {"hour": h.hour, "reviews": h.reviews, "correct": h.correct, "success": _r(h.success)}
            for h in st.hours
        ],
        "buttons": {
            "learning": list(st.buttons.learning),
            "young": list(st.buttons.young),
            "mature": list(st.buttons.mature),
        },
        "exams": [
            {
                "deck": e.deck,
                "title": e.title,
                "scores": [
                    {
                        "exam": x.exam,
                        "finished_at": x.finished_at.isoformat(),
                        "score": _r(x.score),
                        "questions": x.questions,
                    }
                    for x in e.scores
                ],
            }
            for e in st.exams
        ],
        "exam_dates": [
            {
                "deck": e.deck,
                "date": e.day.isoformat(),
                "days_left": e.days_left,
                "target": e.target,
                "ready": _r(e.ready),
            }
            for e in st.exam_dates
        ],
    }
