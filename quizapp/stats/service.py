"""The statistics of one deck or all: each part from a few SQL aggregates (the store's
``stats_queries``), cut at the study days and local hours here.

Every number follows the study day: it begins at ``day_starts_at`` o'clock local time (the
system's time zone, or ``tz``), so a day is 23, 24 or 25 hours long across a daylight-saving
change, and an answer just before the rollover hour belongs to the day before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property

from quizapp import scheduling
from quizapp.config import Config
from quizapp.stats.model import (
    BREAKDOWN_DAYS,
    BREAKDOWN_PERIODS,
    DEFAULT_BREAKDOWN,
    PERIODS,
    Bin,
    Breakdown,
    Buttons,
    Calendar,
    CardCounts,
    Cell,
    DayCount,
    DayReviews,
    DeckExams,
    ExamReadiness,
    ExamScore,
    ExamStatusLike,
    FutureDue,
    HourStat,
    Memory,
    Stats,
    Streak,
    Today,
    TrueRetention,
)
from quizapp.store import stats_queries as q
from quizapp.store.db import Database
from quizapp.store.queries import active_decks

CALENDAR_DAYS = 365
RECENT_DAYS = 30  # reviews per day; hours and buttons of the default period (1m)
FORECAST_DAYS = 30
EXAMS_PER_DECK = 5
_QUARTER_HOUR = 900  # seconds


def _utc_offset(ts: float, tz: tzinfo | None) -> int:
    at = datetime.fromtimestamp(ts, UTC)
    local = at.astimezone(tz) if tz is not None else at.astimezone()
    offset = local.utcoffset()
    assert offset is not None
    return round(offset.total_seconds())


def _next_change(first: float, count: int, offset: int, tz: tzinfo | None) -> int | None:
    """The first ``k`` in ``[0, count)`` at whose quarter hour ``first + k * 900`` the offset
    from UTC is no longer ``offset`` (None: none is): looked up a day apart, then bisected."""
    same = -1  # the last quarter hour known to have the offset
    while True:
        k = min(same + 96, count - 1)
        if k <= same:
            return None
        if _utc_offset(first + k * _QUARTER_HOUR, tz) != offset:
            lo, hi = same, k
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _utc_offset(first + mid * _QUARTER_HOUR, tz) == offset:
                    lo = mid
                else:
                    hi = mid
            return hi
        same = k


def hour_pieces(
    start: datetime, end: datetime, tz: tzinfo | None = None
) -> list[tuple[datetime, int]]:
    """What :func:`quizapp.scheduling.local_hours` gives, ``[start, end)`` cut where the local
    hour of the day changes, found in a few steps a day instead of one per quarter hour (for
    a year or more of hours).

    The offset from UTC changes only at whole quarter hours of UTC time; it is looked up a day
    apart, and where it differs, the change is found by bisection on the quarter hours. Between
    two changes the local hours begin every 3,600 s. (Two changes less than a day apart that
    cancel out would be missed; no time zone has them.)
    """
    t, e = start.timestamp(), end.timestamp()
    out: list[tuple[float, int]] = []
    while t < e:
        offset = _utc_offset(t, tz)
        # The quarter hours after t and before e: first + k * 900 for k in [0, count).
        first = (t // _QUARTER_HOUR + 1) * _QUARTER_HOUR
        count = max(0, math.ceil((e - first) / _QUARTER_HOUR))
        change = _next_change(first, count, offset, tz)
        span_end = e if change is None else first + change * _QUARTER_HOUR
        hour = int((t + offset) // 3600) % 24
        if not out or out[-1][1] != hour:
            out.append((t, hour))
        at = ((t + offset) // 3600 + 1) * 3600 - offset
        while at < span_end:
            out.append((at, int((at + offset) // 3600) % 24))
            at += 3600
        t = span_end
    pieces = [(datetime.fromtimestamp(at, UTC), hour) for at, hour in out]
    if pieces:
        pieces[0] = (start.astimezone(UTC), pieces[0][1])
    return pieces


class StatsReader:
    """The statistics at one moment, for one deck (``deck``) or every deck (None).

    Each part is its own method, so that a screen can show the quick ones first; parts that
    share a query share its result. Not thread-safe: use one reader from one thread.
    """

    def __init__(
        self,
        db: Database,
        config: Config,
        *,
        now: datetime,
        deck: str | None = None,
        tz: tzinfo | None = None,
        period: str = DEFAULT_BREAKDOWN,
        exam_dates: Sequence[ExamStatusLike] = (),
    ) -> None:
        """``exam_dates``: the decks' exam dates with their readiness, as the review service
        reports them (``ReviewService.exam_dates``); the statistics show them, they do not
        compute them."""
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        if period not in BREAKDOWN_PERIODS:
            raise ValueError(f"period must be one of {', '.join(BREAKDOWN_PERIODS)}")
        self.db, self.config, self.deck, self.tz = db, config, deck, tz
        self.period = period
        self._exam_dates = exam_dates
        self.now = now.astimezone(UTC)
        self.day_starts_at = config.day_starts_at
        self.day = scheduling.study_day(self.now, self.day_starts_at, tz)
        self._starts: dict[date, datetime] = {}

    # -- study days ------------------------------------------------------------------------

    def start_of(self, day: date) -> datetime:
        """When (UTC) the study day ``day`` begins."""
        at = self._starts.get(day)
        if at is None:
            at = self._starts[day] = scheduling.study_day_start(day, self.day_starts_at, self.tz)
        return at

    def _days(self, first: date, count: int) -> list[date]:
        return [first + timedelta(days=k) for k in range(count)]

    def _bounds(self, days: Sequence[date]) -> list[datetime]:
        """The starts of ``days`` (consecutive) and the end of the last."""
        return [self.start_of(d) for d in days] + [self.start_of(days[-1] + timedelta(days=1))]

    def _back(self, n: int) -> date:
        return self.day - timedelta(days=n)

    # -- the answers -----------------------------------------------------------------------

    @cached_property
    def _calendar_counts(self) -> list[int]:
        days = self._days(self._back(CALENDAR_DAYS - 1), CALENDAR_DAYS)
        with self.db.read() as s:
            return q.answers_per_range(s, self._bounds(days), self.deck)

    def calendar(self) -> Calendar:
        first = self._back(CALENDAR_DAYS - 1)
        return Calendar(
            tuple(
                DayCount(first + timedelta(days=k), n) for k, n in enumerate(self._calendar_counts)
            )
        )

    def streak(self) -> Streak:
        studied = [n > 0 for n in self._calendar_counts]
        first_day = self._back(CALENDAR_DAYS - 1)
        with self.db.read() as s:
            first = q.first_answer_at(s, self.deck)
            if first is not None:
                since = scheduling.study_day(first, self.day_starts_at, self.tz)
                if since < first_day:
                    older = self._days(since, (first_day - since).days)
                    studied = q.ranges_with_answers(s, self._bounds(older), self.deck) + studied
        current = 0
        for k in range(len(studied) - 1, -1, -1):
            if studied[k]:
                current += 1
            elif k < len(studied) - 1 or current:  # today may still come
                break
        longest = run = 0
        for done in studied:
            run = run + 1 if done else 0
            longest = max(longest, run)
        return Streak(current, longest)

    @cached_property
    def _days_answers(self) -> list[q.DayAnswers]:
        """The answers of each of the last 30 study days (the oldest first, today last)."""
        days = self._days(self._back(RECENT_DAYS - 1), RECENT_DAYS)
        with self.db.read() as s:
            return q.day_answers(s, self._bounds(days), self.deck)

    def today(self) -> Today:
        t = self._days_answers[-1]
        return Today(
            reviews=t.count,
            new=t.new,
            again=t.again,
            seconds=t.duration_ms / 1000,
            correct=t.count - t.again,
        )

    def reviews(self) -> tuple[DayReviews, ...]:
        first = self._back(RECENT_DAYS - 1)
        return tuple(
            DayReviews(
                first + timedelta(days=k),
                learning=d.count - d.review - d.relearning,  # new cards' answers included
                review=d.review,
                relearning=d.relearning,
                seconds=d.duration_ms / 1000,
            )
            for k, d in enumerate(self._days_answers)
        )

    def breakdown(self) -> Breakdown:
        """The period the hours and the answer buttons cover."""
        days = BREAKDOWN_DAYS.get(self.period)
        if days is not None:
            return Breakdown(self.period, self._back(days - 1), days)
        with self.db.read() as s:
            first = q.first_answer_at(s, self.deck)
        if first is None:
            return Breakdown(self.period, None, 0)
        since = min(scheduling.study_day(first, self.day_starts_at, self.tz), self.day)
        return Breakdown(self.period, since, (self.day - since).days + 1)

    def _period_range(self) -> tuple[datetime, datetime] | None:
        """When the period begins and ends (the end of today); None: no answer yet."""
        first = self._breakdown.first_day
        if first is None:
            return None
        return self.start_of(first), self.start_of(self.day + timedelta(days=1))

    @cached_property
    def _breakdown(self) -> Breakdown:
        return self.breakdown()

    def hours(self) -> tuple[HourStat, ...]:
        span = self._period_range()
        found: dict[int, tuple[int, int]] = {}
        if span is not None:
            pieces = hour_pieces(*span, self.tz)
            with self.db.read() as s:
                found = q.hour_answers(
                    s, [*(at for at, _ in pieces), span[1]], [h for _, h in pieces], self.deck
                )
        return tuple(HourStat(h, *found.get(h, (0, 0))) for h in range(24))

    def buttons(self) -> Buttons:
        span = self._period_range()
        counts: dict[tuple[str, int, bool], int] = {}
        if span is not None:
            with self.db.read() as s:
                counts = q.grade_counts(s, *span, self.deck)
        rows = {"learning": [0] * 4, "young": [0] * 4, "mature": [0] * 4}
        for (state, rating, mature), n in counts.items():
            if state == "review":
                rows["mature" if mature else "young"][rating - 1] += n
            else:
                rows["learning"][rating - 1] += n
        return Buttons(*(tuple(rows[k]) for k in ("learning", "young", "mature")))  # type: ignore[arg-type]

    def true_retention(self) -> TrueRetention:
        end = self.start_of(self.day + timedelta(days=1))
        spans = {"today": (0, 1), "yesterday": (1, 2), "7d": (0, 7), "30d": (0, 30)}
        spans["365d"] = (0, CALENDAR_DAYS)
        first = self._back(CALENDAR_DAYS - 1)
        with self.db.read() as s:
            repeats = q.same_day_repeats(
                s, self._bounds(self._days(first, CALENDAR_DAYS)), self.deck
            )
            cells: dict[str, q.RetentionCounts] = {}
            for period in PERIODS:
                newest, oldest = spans[period]  # days back from today: [newest, oldest)
                lo = self.start_of(self._back(oldest - 1))
                hi = end if newest == 0 else self.start_of(self._back(newest - 1))
                counted = q.retention_answers(s, lo, hi, self.deck)
                for back in range(newest, oldest):
                    counted = counted - repeats.get(CALENDAR_DAYS - 1 - back, q.RetentionCounts())
                cells[period] = counted
        settings = self.config.for_deck(self.deck) if self.deck else self.config.defaults
        return TrueRetention(
            young={p: Cell(c.young_passed, c.young_failed) for p, c in cells.items()},
            mature={p: Cell(c.mature_passed, c.mature_failed) for p, c in cells.items()},
            desired=settings.desired_retention,
        )

    # -- the cards ---------------------------------------------------------------------------

    @cached_property
    def _cards(self) -> q.CardFigures:
        bounds = self._bounds(self._days(self.day, FORECAST_DAYS))
        curves = {
            deck_id: scheduling.forgetting_curve(settings)
            for deck_id, settings in self.config.decks.items()
        }
        default = scheduling.forgetting_curve(self.config.defaults)
        with self.db.read() as s:
            return q.card_figures(s, self.now, bounds, curves, default, self.deck)

    def cards(self) -> CardCounts:
        n = self._cards.counts
        return CardCounts(
            new=n.get("new", 0),
            learning=n.get("learning", 0),
            relearning=n.get("relearning", 0),
            young=n.get("young", 0),
            mature=n.get("mature", 0),
            suspended=n.get("suspended", 0),
            buried=n.get("buried", 0),
            retired=n.get("retired", 0),
        )

    def future(self) -> FutureDue:
        c = self._cards
        return FutureDue(c.overdue, c.due_per_day, c.daily_load)

    def memory(self) -> Memory:
        m = self._cards

        def bins(found: tuple[q.Bin, ...]) -> tuple[Bin, ...]:
            return tuple(Bin(b.lo, b.hi, b.cards) for b in found)

        return Memory(
            cards=m.memory_cards,
            total_knowledge=m.total_retrievability,
            retrievability=bins(m.retrievability),
            stability=bins(m.stability),
            difficulty=bins(m.difficulty),
            interval=bins(m.interval),
        )

    # -- the exams ----------------------------------------------------------------------------

    def exams(self) -> tuple[DeckExams, ...]:
        with self.db.read() as s:
            rows = q.exam_scores(s, self.deck, EXAMS_PER_DECK)
        out: dict[str, list[ExamScore]] = {}
        titles: dict[str, str] = {}
        for r in rows:
            titles[r.deck] = r.title
            out.setdefault(r.deck, []).append(
                ExamScore(r.exam_id, r.finished_at, r.credit / r.questions, r.questions)
            )
        return tuple(DeckExams(d, titles[d], tuple(scores)) for d, scores in out.items())

    def exam_dates(self) -> tuple[ExamReadiness, ...]:
        """The exam dates of the deck (or of every deck), today or ahead (as ``quizapp due``
        shows them), by deck."""
        return tuple(
            ExamReadiness.of(e)
            for e in sorted(self._exam_dates, key=lambda e: e.deck)
            if e.days_left >= 0 and (self.deck is None or e.deck == self.deck)
        )

    # -- all of it -----------------------------------------------------------------------------

    def collect(self) -> Stats:
        """Every part. The cards' figures are counted in a second thread meanwhile (SQLite
        lets go of the interpreter while it counts, so the two take about the time of one)."""
        self._bounds(self._days(self.day, FORECAST_DAYS))  # the day starts, before the thread
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="quizapp-stats") as pool:
            cards = pool.submit(lambda: self._cards)
            log_parts = (
                self.today(),
                self.streak(),
                self.calendar(),
                self.reviews(),
                self.true_retention(),
                self._breakdown,
                self.hours(),
                self.buttons(),
                self.exams(),
            )
            cards.result()
        today, streak, calendar, reviews, true_retention, period, hours, buttons, exams = log_parts
        return Stats(
            deck=self.deck,
            day=self.day,
            day_starts_at=self.day_starts_at,
            today=today,
            streak=streak,
            calendar=calendar,
            future=self.future(),
            reviews=reviews,
            cards=self.cards(),
            memory=self.memory(),
            true_retention=true_retention,
            period=period,
            hours=hours,
            buttons=buttons,
            exams=exams,
            exam_dates=self.exam_dates(),
        )


def deck_titles(db: Database) -> list[tuple[str, str]]:
    """The decks in the notes now, by id: ``(id, title)``, for choosing whose statistics."""
    with db.read() as s:
        return [(d.id, d.title or d.id) for d in active_decks(s)]


def collect_stats(
    db: Database,
    config: Config,
    *,
    now: datetime,
    deck: str | None = None,
    tz: tzinfo | None = None,
    period: str = DEFAULT_BREAKDOWN,
    exam_dates: Sequence[ExamStatusLike] = (),
) -> Stats:
    """Every part of the statistics, for one deck or (None) all; the hours and the answer
    buttons over ``period`` (one of :data:`~quizapp.stats.model.BREAKDOWN_PERIODS`); the exam
    dates as the review service reports them (see :class:`StatsReader`)."""
    reader = StatsReader(
        db, config, now=now, deck=deck, tz=tz, period=period, exam_dates=exam_dates
    )
    return reader.collect()
