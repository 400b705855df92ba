"""The review service: today's counts, the review queue, answering, undo, suspend and bury.

The UI and the CLI get named tuples from here, never rows. Every answer is one transaction (card
update + review-log row), committed before :meth:`ReviewSession.answer` returns. The queue is
read and the answers written with plain SQL on the driver's connection
(:meth:`~quizapp.store.db.Database.plain_read`, ``plain_write``), so reviewing never imports
SQLAlchemy. Each step of a session (starting, answering, undoing, suspending, burying) hands back
one :class:`ReviewStep`: the next card with its grade previews, or the time to wait for a
learning card, or the summary, and the counts still to go.

The queue, as Anki builds it: learning cards whose step is due come first; then the day's
reviews (by due date) with the new cards (in deck order) spread evenly among them; when nothing
else is left, learning cards due within ``learn_ahead_minutes`` are shown early. Daily limits
apply per deck (a deck with an exam date ahead has its new-card limit raised so that every card
is learnt in time: :mod:`quizapp.exam_plan`). Cards of one note (a cloze's siblings, a term and
its reverse) are not shown on the same study day.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from quizapp import scheduling
from quizapp.config import Config, load_config
from quizapp.errors import OptionError, QuizappError
from quizapp.exam_plan import TARGET_RANGE, ExamDate, ExamPlan
from quizapp.library import load_library
from quizapp.notes import cloze_answer
from quizapp.notes.model import SECTION_SEPARATOR, LoadResult
from quizapp.scheduling import SchedState
from quizapp.store import deck_scheduling, queries
from quizapp.store import exam_dates as exam_store
from quizapp.store.db import Database, open_database
from quizapp.store.errors import NoSuchDeck, StoreError
from quizapp.store.plain import chunks, marks, stored_time, stored_time_or_none
from quizapp.store.queries import CardRow
from quizapp.store.sync import SyncReport, sync_decks, sync_library
from quizapp.verify.model import Verification

if TYPE_CHECKING:
    import sqlite3

    from quizapp.store.plain import PlainReader as Reader

__all__ = [
    "CardView",
    "DeckCounts",
    "ExamStatus",
    "GradePreview",
    "Remaining",
    "ReviewService",
    "ReviewSession",
    "ReviewStep",
    "Summary",
    "SuspendedCard",
]


class ExamStatus(NamedTuple):
    """A deck's exam date and how ready the deck is for it."""

    deck: str
    day: date
    target: float
    days_left: int  # study days to the exam: 0 on the day, negative once it has passed
    # The share of the cards at or above the target on the day with no further review (None: no
    # cards, or the exam has passed).
    ready: float | None
    new_per_day: int  # today's new-card limit, raised for the exam when needed
    usual_new_per_day: int  # the deck's own limit
    # Today's review limit, raised on the day before the exam so that no card the exam needs
    # is held back by it; and the deck's own.
    reviews_per_day: int = 0
    usual_reviews_per_day: int = 0

    @property
    def raised(self) -> bool:
        return self.new_per_day > self.usual_new_per_day

    @property
    def reviews_raised(self) -> bool:
        return self.reviews_per_day > self.usual_reviews_per_day


class DeckCounts(NamedTuple):
    deck: str
    title: str
    new: int
    learning: int
    review: int
    exam: ExamStatus | None = None  # only while the exam is today or ahead


class CardView(NamedTuple):
    """A card as the UI shows it: plain data, never an ORM object."""

    card_id: int
    key: str
    deck: str
    deck_title: str
    section: tuple[str, ...]
    context: str
    kind: str
    prompt: str
    answer: str
    extra: str
    source: str
    line: int
    file_path: Path | None
    state: str  # "new" | "learning" | "review" | "relearning"
    # The card's schedule when it was shown (see ``_stamp``): an answer to a card that has been
    # answered elsewhere since is not recorded. Empty: not checked.
    schedule: str = ""
    # Computed cards and cards with Keras checks: how far Keras agrees, from the cache alone;
    # None for other cards.
    verification: Verification | None = None
    # Cloze cards: the ranges of ``answer`` the card asks (its deletions, revealed on the
    # answer); empty for other cards.
    revealed: tuple[tuple[int, int], ...] = ()


class SuspendedCard(NamedTuple):
    key: str
    deck: str
    prompt: str
    source: str  # "decks/keras-basics.md:12"


class GradePreview(NamedTuple):
    """A grade button: ``Good`` and the interval it will give, ``9d``; ``reason`` says why when
    the deck's exam shortened it (``before your exam on 15 Dec``)."""

    rating: int
    label: str
    interval: str
    reason: str | None = None


class Remaining(NamedTuple):
    new: int
    learning: int
    review: int


class Summary(NamedTuple):
    reviewed: int
    seconds: float
    forgotten: int
    next_due: datetime | None


class ReviewStep(NamedTuple):
    """What to show after a step of a session, from one call (give its fields by name).

    Exactly one of three: ``card`` (with ``previews``, what each grade would do to it), or
    ``wait_until`` (nothing is due now, but a learning card comes back then, today), or
    ``summary`` (nothing is left). ``remaining`` counts the cards still to go, ``card``
    included.
    """

    remaining: Remaining
    card: CardView | None = None
    previews: tuple[GradePreview, ...] = ()
    wait_until: datetime | None = None
    summary: Summary | None = None
    # Something the learner should know about the step just taken (an answer not recorded
    # because another app answered the card first): one line for the status line.
    notice: str = ""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Queues:
    """Today's review and new cards per deck, limits and siblings applied."""

    __slots__ = ("needed", "new", "review_limits", "reviews")

    def __init__(self) -> None:
        self.reviews: dict[str, list[tuple[int, str, datetime | None]]] = {}
        self.new: dict[str, list[tuple[int, str, datetime | None]]] = {}
        # The cards the exam needs today, queued whatever the review limit and their siblings
        # (on the day before the exam: reviews below the target on the day, and the new cards).
        self.needed: set[int] = set()
        # Today's review limit per deck where the exam raised it.
        self.review_limits: dict[str, int] = {}


class ReviewService:
    """Entry point for the UI and CLI: open the store, sync the decks, count, start sessions."""

    def __init__(
        self,
        db_path: Path,
        deck_dirs: list[Path],
        config_path: Path | None = None,
        clock: Callable[[], datetime] | None = None,
        read_only: bool = False,
    ) -> None:
        self._file_config: Config = load_config(config_path)
        self.config_path = config_path
        self.deck_dirs = list(deck_dirs)
        self.clock = clock or _utc_now
        #: Opened read-only (for counting and listing): nothing may be synced or recorded.
        self.read_only = read_only
        self.db: Database = open_database(Path(db_path), migrate=not read_only)
        self.config: Config = self._file_config
        self.reload_settings()

    def reload_settings(self) -> None:
        """``config.toml``'s settings with what ``quizapp optimize --apply`` stored (fitted
        parameters, a chosen retention); a new session reads them again, so an applied choice
        counts from the next session on, or at once after this call."""
        self.config = self._file_config.with_stored(*deck_scheduling.overrides(self.db))

    # -- syncing and counting -----------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Bring the cards in line with the deck files (unchanged files are not parsed)."""
        return sync_library(self.db, self.deck_dirs, load_library)

    def now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the clock must return an aware datetime")
        return now.astimezone(UTC)

    def day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        return scheduling.study_day_bounds(now or self.now(), self.config.day_starts_at)

    def deck_counts(self) -> list[DeckCounts]:
        """Every deck's New / Learning / Due counts for today (limits applied)."""
        now = self.now()
        with self.db.plain_read() as s:
            decks = queries.active_decks(s)
            queues = self._build_queues(s, [d.id for d in decks], now)
            learning = queries.learning_count(
                s, [d.id for d in decks], now + self.config.learn_ahead, self.day_bounds(now)
            )
            exams = {
                e.deck: e
                for e in self._exam_statuses(s, [d.id for d in decks], now, queues)
                if e.days_left >= 0
            }
        return [
            DeckCounts(
                deck=d.id,
                title=d.title,
                new=len(queues.new.get(d.id, [])),
                learning=learning.get(d.id, 0),
                review=len(queues.reviews.get(d.id, [])),
                exam=exams.get(d.id),
            )
            for d in decks
        ]

    def config_warnings(self) -> list[str]:
        """A ``[decks.ID]`` section of the settings file for a deck that does not exist (a
        typo would otherwise leave the deck on the defaults, silently): one line each."""
        if not self._file_config.decks:
            return []
        known = self.deck_ids()
        where = self.config_path if self.config_path is not None else "config.toml"
        return [
            f"Warning: {where}: [decks.{deck}] names no deck (known: {', '.join(known) or 'none'})"
            for deck in self._file_config.decks
            if deck not in known
        ]

    def deck_ids(self) -> list[str]:
        """The ids of the decks in the database (every deck of the deck files, once synced)."""
        with self.db.plain_read() as s:
            return [d.id for d in queries.active_decks(s)]

    def suspended(self, deck: str | None = None) -> list[SuspendedCard]:
        """The suspended cards (of one deck, or all), for listing and unsuspending."""
        with self.db.plain_read() as s:
            return [
                SuspendedCard(row.key, row.deck, row.prompt, f"{row.source}:{row.line}")
                for row in queries.suspended_cards(s, deck)
            ]

    def unsuspend(self, keys: list[str]) -> list[str]:
        """Unsuspend the cards with these keys in one transaction; returns the keys not found
        among the suspended cards (nothing is changed when any is unknown)."""
        with self.db.plain_write() as s:
            rows = {row.key: row for row in queries.suspended_cards(s)}
            unknown = [k for k in keys if k not in rows]
            if unknown:
                return unknown
            for chosen in chunks([rows[k].id for k in keys]):
                s.execute(f"UPDATE cards SET suspended = 0 WHERE id IN ({marks(chosen)})", chosen)
        return []

    def _build_queues(self, s: Reader, deck_ids: list[str], now: datetime) -> _Queues:
        day_start, day_end = self.day_bounds(now)
        done = queries.done_today(s, day_start)
        seen = queries.notes_seen_today(s, day_start)
        out = _Queues()
        plans = self._exam_plans(s, deck_ids)
        for deck in deck_ids:
            settings = self.config.for_deck(deck)
            d = done.get(deck, queries.DoneToday())
            limit = settings.maximum_reviews_per_day - d.review
            plan = plans.get(deck)
            if plan is not None and plan.brings_forward_today(now):
                reviews = self._exam_reviews(s, deck, plan, limit, now, day_end, seen, out.needed)
                out.reviews[deck] = reviews
                if d.review + len(reviews) > settings.maximum_reviews_per_day:
                    out.review_limits[deck] = d.review + len(reviews)
            else:
                out.reviews[deck] = queries.pick_cards(s, deck, "review", limit, now, day_end, seen)
        for deck in deck_ids:  # a note with a review due today does not also start a new card
            d = done.get(deck, queries.DoneToday())
            plan = plans.get(deck)
            limit = self._new_limit(s, deck, plan, d.new, now)
            if plan is not None and plan.last_day_before(now):
                # The day before the exam: every new card left, a sibling seen today or not.
                out.new[deck] = exam_store.new_cards(s, deck, now, limit - d.new)
                out.needed.update(cid for cid, _, _ in out.new[deck])
            else:
                out.new[deck] = queries.pick_cards(s, deck, "new", limit - d.new, now, None, seen)
        return out

    @staticmethod
    def _exam_reviews(
        s: Reader,
        deck: str,
        plan: ExamPlan,
        limit: int,
        now: datetime,
        day_end: datetime,
        seen: set[str],
        needed: set[int],
    ) -> list[tuple[int, str, datetime | None]]:
        """Like :func:`queries.pick_cards` for reviews on the two days before the exam, with
        the cards the exam brings forward to today among them, by the due the exam gives them.
        On the day before, a card below the target on the exam day is taken whatever the review
        limit and its siblings (and added to ``needed``); the others within the limit, one of
        a note."""
        last_day = plan.last_day_before(now)
        due_today = [
            (due, cid, note, last_day and not plan.ready(stability, last))
            for cid, note, due, stability, last in exam_store.reviews_due_before(
                s, deck, now, day_end
            )
        ]
        for cid, note, due in _brought_forward(s, deck, plan, now, day_end):
            if due < day_end:
                due_today.append((due, cid, note, last_day))
        out: list[tuple[int, str, datetime | None]] = []
        within = 0
        for due, cid, note, below in sorted(due_today, key=lambda r: (r[0] or now, r[1])):
            if below:
                needed.add(cid)
            elif note in seen or within >= limit:
                continue
            else:
                within += 1
            seen.add(note)
            out.append((cid, note, due))
        return out

    def _new_limit(
        self, s: Reader, deck: str, plan: ExamPlan | None, done_new: int, now: datetime
    ) -> int:
        """Today's new-card limit of a deck: its own, or raised for its exam."""
        if plan is None or not plan.active(now):
            return self.config.for_deck(deck).new_cards_per_day
        return plan.new_limit(exam_store.new_left(s, deck) + done_new, now)

    # -- exam dates ---------------------------------------------------------------------------

    def _exam_plans(self, s: Reader, deck_ids: list[str]) -> dict[str, ExamPlan]:
        return {
            e.deck: ExamPlan(e, self.config.for_deck(e.deck), self.config.day_starts_at)
            for e in exam_store.exam_dates(s, deck_ids)
        }

    def _exam_statuses(
        self, s: Reader, deck_ids: list[str], now: datetime, queues: _Queues | None = None
    ) -> list[ExamStatus]:
        """The decks' exam dates with readiness and today's limits (``queues``: today's queues
        of these decks, when already built)."""
        plans = self._exam_plans(s, deck_ids)
        if not plans:
            return []  # no exam dates: today's answers are not read
        done = queries.done_today(s, self.day_bounds(now)[0])
        out = []
        for deck, plan in plans.items():
            done_new = done.get(deck, queries.DoneToday()).new
            days_left = plan.days_left(now)
            usual_reviews = plan.settings.maximum_reviews_per_day
            reviews = usual_reviews
            if plan.brings_forward_today(now):
                today = queues if queues is not None else self._build_queues(s, [deck], now)
                reviews = today.review_limits.get(deck, usual_reviews)
            out.append(
                ExamStatus(
                    deck=deck,
                    day=plan.day,
                    target=plan.target,
                    days_left=days_left,
                    ready=(
                        plan.ready_share(
                            exam_store.recall_inputs(s, deck), new=exam_store.new_left(s, deck)
                        )
                        if days_left >= 0
                        else None
                    ),
                    new_per_day=self._new_limit(s, deck, plan, done_new, now),
                    usual_new_per_day=plan.settings.new_cards_per_day,
                    reviews_per_day=reviews,
                    usual_reviews_per_day=usual_reviews,
                )
            )
        return out

    def today(self) -> date:
        """Today's study day (local time, starting at ``day_starts_at``)."""
        return scheduling.study_day(self.now(), self.config.day_starts_at)

    def exam_dates(self, decks: list[str] | None = None) -> list[ExamStatus]:
        """The exam dates of these decks (default: every deck), passed ones too, with each
        deck's readiness for its exam."""
        now = self.now()
        with self.db.plain_read() as s:
            known = [d.id for d in queries.active_decks(s)]
            return self._exam_statuses(s, self._chosen_decks(decks, known), now)

    def set_exam_date(
        self, day: date, decks: list[str] | None = None, target: float = 0.9
    ) -> list[ExamStatus]:
        """Set the exam date of these decks (default: every deck); their new status.

        Raises :class:`OptionError` for a date before today or a target out of range, and
        :class:`UnknownDeck` for a deck id that names no deck (nothing is changed then).
        """
        low, high = TARGET_RANGE
        if isinstance(target, bool) or not low <= target <= high:
            raise OptionError(f"the target must be a recall from {low:.2f} to {high:.2f}")
        today = self.today()
        if day < today:
            raise OptionError(f"{day.isoformat()} is in the past (today is {today.isoformat()})")
        now = self.now()
        with self.db.plain_write() as s:
            known = [d.id for d in queries.active_decks(s)]
            chosen = self._chosen_decks(decks, known)
            for deck in chosen:
                exam_store.set_exam_date(s, ExamDate(deck, day, target), now)
        with self.db.plain_read() as s:
            return self._exam_statuses(s, chosen, now)

    def clear_exam_dates(self, decks: list[str] | None = None) -> list[str]:
        """Remove the exam date of these decks (default: every deck); the decks that had one.
        The decks go back to their normal scheduling at once."""
        with self.db.plain_write() as s:
            known = [d.id for d in queries.active_decks(s)]
            return exam_store.clear_exam_dates(s, self._chosen_decks(decks, known))

    @staticmethod
    def _chosen_decks(decks: list[str] | None, known: list[str]) -> list[str]:
        if not decks:
            return known
        for deck in decks:
            if deck not in known:
                raise NoSuchDeck(deck, known)
        return list(dict.fromkeys(decks))

    def start(self, deck: str | None = None) -> ReviewSession:
        """A review session over one deck (its id) or, with None, every deck."""
        self.reload_settings()
        ids = self.deck_ids()
        if deck is not None:
            if deck not in ids:
                raise NoSuchDeck(deck, ids)
            ids = [deck]
        return ReviewSession(self, ids)

    # -- Keras facts ------------------------------------------------------------------------

    def verification(self, key: str) -> Verification | None:
        """How far Keras agrees with the card's facts, from the Keras cache alone (cheap; no
        TensorFlow); None for a card without Keras facts. The facts come from the card's row."""
        with self.db.plain_read() as s:
            row = queries.card_by_key(s, key)
            return None if row is None else self._verification(row)

    def _verification(self, row: CardRow) -> Verification | None:
        if row.compute is None and row.checks is None:  # most cards: nothing to import
            return None
        from quizapp.verify.service import card_verification

        return card_verification(self.db, row)

    def verify_with_keras(
        self, card: CardView, cancelled: Callable[[], bool] | None = None
    ) -> Verification:
        """Check the card's Keras facts with real Keras; the new result. Slow (seconds).

        Safe to call from a worker thread: the check runs in a child process with its own
        database connection (results go to the ``keras_cache`` table), and this process never
        imports TensorFlow. Keras missing or broken gives ``unavailable`` with the reason.
        """
        from quizapp.verify.child import check_in_child

        return check_in_child(self.db.path, card.key, cancelled=cancelled)

    def close(self) -> None:
        self.db.close()


class _Undo:
    """What undoing one answer, suspend or bury needs."""

    __slots__ = (
        "card_id",
        "duration_ms",
        "kind",
        "left",
        "log_id",
        "origin",
        "previous_buried_until",
        "rating",
        "siblings",
    )

    def __init__(
        self,
        kind: Literal["answer", "suspend", "bury"],
        card_id: int,
        origin: str,  # "new" | "review" | "learning": where the card came from in this session
        *,
        log_id: int | None = None,
        left: str = "",  # what this change left: the card's schedule stamp, or its buried_until
    ) -> None:
        self.kind = kind
        self.card_id = card_id
        self.origin = origin
        self.log_id = log_id
        self.left = left
        self.rating = 0
        self.duration_ms = 0
        self.previous_buried_until: datetime | None = None
        self.siblings: list[tuple[str, int]] = []  # (queue, card id) removed


class ReviewSession:
    """One sitting of reviews. Not thread-safe: call it from one thread at a time (the app
    calls it from one worker group, one call after the other).

    Every query picks the card to show afresh (a learning card that has come due goes first);
    the card picked last is the one :meth:`answer`, :meth:`suspend` and :meth:`bury` expect.
    """

    def __init__(self, service: ReviewService, deck_ids: list[str]) -> None:
        self.service = service
        self.db = service.db
        self.deck_ids = deck_ids
        self._started = service.now()
        self._reviewed = 0
        self._seconds = 0.0
        self._forgotten: list[int] = []
        self._undo: list[_Undo] = []
        self._current: int | None = None
        self._current_origin = "learning"
        self._load_queues(self._started)

    @property
    def config(self) -> Config:
        """The service's settings: after :meth:`ReviewService.reload_settings`, the next card
        is scheduled with the new ones."""
        return self.service.config

    # -- the queue ------------------------------------------------------------------------------

    def _load_queues(self, now: datetime) -> None:
        self._day_start, self._day_end = self.service.day_bounds(now)
        self._fill(now)
        self._mix_shown = 0
        self._new_shown = 0

    def _fill(self, now: datetime) -> None:
        """The review and new queues as the service counts today's cards (``deck_counts``, so
        the home screen, ``quizapp due`` and this session agree), less the card showing."""
        with self.db.plain_read() as s:
            q = self.service._build_queues(s, self.deck_ids, now)
            self._plans = self.service._exam_plans(s, self.deck_ids)
        reviews = sorted(
            (r for deck in self.deck_ids for r in q.reviews.get(deck, [])),
            key=lambda r: (r[2] or now, r[0]),
        )
        self._reviews: deque[int] = deque(r[0] for r in reviews)
        self._new: deque[int] = deque(r[0] for deck in self.deck_ids for r in q.new.get(deck, []))
        self._notes: dict[int, str] = {r[0]: r[1] for r in reviews}
        self._needed = q.needed  # the exam's, whatever their siblings: never dropped
        self._notes.update({r[0]: r[1] for deck in self.deck_ids for r in q.new.get(deck, [])})
        self._queued_per_note: dict[str, int] = {}
        for note in self._notes.values():
            self._queued_per_note[note] = self._queued_per_note.get(note, 0) + 1
        for q in (self._reviews, self._new):
            if self._current in q:
                q.remove(self._current)

    def _refill(self) -> None:
        """After a suspend or bury (or its undo) today's queues are counted afresh: the card
        hidden leaves them, and the next card within the day's limit (or the next card of its
        note) takes its place, as a session started now would have it."""
        self._fill(self.service.now())

    def _pick_mixed(self) -> tuple[int, str] | None:
        """The next review or new card, new cards spread evenly among the reviews."""
        r, n = len(self._reviews), len(self._new)
        if r == 0 and n == 0:
            return None
        total_new = n + self._new_shown
        total = r + n + self._mix_shown
        take_new = r == 0 or (
            n > 0 and (self._new_shown + 1) * total <= (self._mix_shown + 1) * total_new
        )
        self._mix_shown += 1
        if take_new:
            self._new_shown += 1
            return self._new.popleft(), "new"
        return self._reviews.popleft(), "review"

    def _still_eligible(self, row: CardRow, origin: str, now: datetime) -> bool:
        if row.retired or row.suspended or (row.buried_until and row.buried_until > now):
            return False
        if origin == "new":
            return row.state == "new"
        if origin == "review":
            due = self._due(row, now)
            return row.state == "review" and due is not None and due < self._day_end
        return row.state in queries.LEARNING_STATES

    def _plan(self, deck: str, now: datetime) -> ExamPlan | None:
        """The deck's exam plan while its exam is ahead."""
        plan = self._plans.get(deck)
        return plan if plan is not None and plan.active(now) else None

    def _due(self, row: CardRow, now: datetime) -> datetime | None:
        """When the card comes up: its due, brought forward by the deck's exam."""
        plan = self._plan(row.deck, now)
        return row.due if plan is None else plan.due(_sched_state(row), now)

    def _now(self) -> datetime:
        """Now; the queues are built afresh when the study day rolled over during the session."""
        now = self.service.now()
        if now >= self._day_end:
            self._put_back_current()
            self._load_queues(now)
        return now

    def _next_row(self, s: Reader, now: datetime) -> CardRow | None:
        """Pick the card to show now (it becomes the current card), or None."""
        self._put_back_current()  # picked afresh: same card, unless a learning card came due
        day = (self._day_start, self._day_end)
        cid = queries.next_learning(s, self.deck_ids, now, day)
        if cid is not None:
            return self._pick(s, cid, "learning")
        while (picked := self._pick_mixed()) is not None:
            cid, origin = picked
            row = queries.card_by_id(s, cid)  # afresh: another process may have changed it
            if row is not None and self._still_eligible(row, origin, now):
                return self._pick(s, cid, origin)
        cid = queries.next_learning(s, self.deck_ids, now + self.config.learn_ahead, day)
        if cid is not None:
            return self._pick(s, cid, "learning")
        return None

    def _pick(self, s: Reader, cid: int, origin: str) -> CardRow:
        self._current, self._current_origin = cid, origin
        return self._row(s, cid)

    def _put_back_current(self) -> None:
        if self._current is None:
            return
        if self._current_origin == "new":
            self._new.appendleft(self._current)
            self._new_shown -= 1
            self._mix_shown -= 1
        elif self._current_origin == "review":
            self._reviews.appendleft(self._current)
            self._mix_shown -= 1
        self._current = None

    def next_card(self) -> CardView | None:
        """The card to show now, or None when nothing is due (see :meth:`next_due_at`)."""
        now = self._now()
        with self.db.plain_read() as s:
            row = self._next_row(s, now)
            return None if row is None else self._view(s, row)

    def step(self) -> ReviewStep:
        """What to show now: the first step of a session, or the next one after a wait."""
        now = self._now()
        with self.db.plain_read() as s:
            return self._step(s, now, self._next_row(s, now))

    def _step(self, s: Reader, now: datetime, row: CardRow | None) -> ReviewStep:
        remaining = self._remaining(s, now)
        if row is not None:
            return ReviewStep(
                remaining=remaining, card=self._view(s, row), previews=self._previews(row, now)
            )
        due = self._next_due(s, now)
        if due is not None:
            return ReviewStep(remaining=remaining, wait_until=due)
        return ReviewStep(remaining=remaining, summary=self._summary(s, now))

    def _previews(self, row: CardRow, now: datetime) -> tuple[GradePreview, ...]:
        """What each grade will do: the interval actually used (the exam's, when it brings the
        card forward, with the reason)."""
        state = _sched_state(row)
        plan = self._plan(row.deck, now)
        if plan is not None:
            return tuple(
                GradePreview(p.rating, p.label, p.interval, p.reason)
                for p in plan.previews(row.id, state, now)
            )
        settings = self.config.for_deck(row.deck)
        return tuple(
            GradePreview(rating, label, interval)
            for rating, label, interval in scheduling.previews(settings, row.id, state, now)
        )

    def _view(self, s: Reader, row: CardRow) -> CardView:
        deck = queries.deck_of(s, row.deck)
        file_path: Path | None = None
        if row.file_id is not None:
            f = queries.deck_file_path(s, row.file_id)
            file_path = Path(f) if f else None
        if file_path is None and deck is not None and deck.file_path:
            file_path = Path(deck.file_path)
        section = tuple(json.loads(row.section))
        return CardView(
            card_id=row.id,
            key=row.key,
            deck=row.deck,
            deck_title=deck.title if deck else row.deck,
            section=section,
            context=SECTION_SEPARATOR.join(section),
            kind=row.kind,
            prompt=row.prompt,
            answer=row.answer,
            extra=row.extra,
            source=row.source,
            line=row.line,
            file_path=file_path,
            state=row.state,
            schedule=_stamp(row),
            verification=self.service._verification(row),
            revealed=_revealed(row),
        )

    @staticmethod
    def _row(s: Reader, card_id: int) -> CardRow:
        row = queries.card_by_id(s, card_id)
        if row is None:
            raise StoreError(f"card {card_id} no longer exists")
        return row

    # -- answering --------------------------------------------------------------------------------

    def answer(self, card: CardView, rating: int, duration_ms: int) -> ReviewStep:
        """Record an answer (card update and review-log row in one committed transaction);
        the next step."""
        if rating not in scheduling.RATING_LABELS:
            raise ValueError(f"rating must be 1, 2, 3 or 4, not {rating!r}")
        now = self.service.now()
        duration_ms = max(0, int(duration_ms))
        try:
            recorded = self._record(card, rating, duration_ms, now)
        except StoreError as err:  # e.g. locked by another program past the busy timeout
            raise StoreError(f"your answer was not recorded: {err}") from err
        if recorded is None:  # answered elsewhere since it was shown: shown afresh instead
            if self._current == card.card_id:
                self._current = None
            step = self.step()
            return step._replace(
                notice=f"Not recorded: {card.key} was answered elsewhere since it showed."
            )
        before, entry = recorded
        entry.rating, entry.duration_ms = rating, duration_ms
        if before.state in ("new", "review"):
            entry.siblings = self._drop_siblings(card.card_id)
        self._undo.append(entry)
        if self._current == card.card_id:
            self._current = None
        self._reviewed += 1
        self._seconds += duration_ms / 1000
        if rating == 1:
            self._forgotten.append(card.card_id)
        return self.step()

    def _record(
        self, card: CardView, rating: int, duration_ms: int, now: datetime
    ) -> tuple[SchedState, _Undo] | None:
        """The answer in one transaction, applied to the card as it is in the database; None
        (nothing written) when the card is no longer as it was shown."""
        with self.db.plain_write() as s:
            row = self._row(s, card.card_id)  # fresh: another process may have answered it
            if card.schedule and _stamp(row) != card.schedule:
                return None
            before = _sched_state(row)
            after = scheduling.review(self.config.for_deck(row.deck), row.id, before, rating, now)
            plan = self._plan(row.deck, now)
            if plan is not None:  # the day before the exam, a weak card is not let go
                after = plan.after_answer(after, now)
            assert after.due is not None
            logged = s.execute(
                _LOG_ANSWER,
                (
                    row.id,
                    rating,
                    stored_time(now),
                    duration_ms,
                    before.state,
                    after.state,
                    stored_time_or_none(before.due),
                    stored_time(after.due),
                    json.dumps(before.to_json()),
                    scheduling.interval_days(before),
                    scheduling.elapsed_days(before, now),
                ),
            )
            _apply(s, row.id, after, now)
            log_id = logged.lastrowid
            entry = _Undo("answer", card.card_id, self._origin_of(card.card_id), log_id=log_id)
            entry.left = _stamp_of(after)
        return before, entry

    def _drop_siblings(self, card_id: int) -> list[tuple[str, int]]:
        note = self._notes.get(card_id)
        if note is None:
            with self.db.plain_read() as s:
                note = queries.note_key_of(s, card_id)
        dropped: list[tuple[str, int]] = []
        if self._queued_per_note.get(note, 0) <= (1 if card_id in self._notes else 0):
            return dropped  # no other card of the note was queued (the common case)
        for name, q in (("review", self._reviews), ("new", self._new)):
            keep = deque()
            for cid in q:
                if cid != card_id and self._notes.get(cid) == note and cid not in self._needed:
                    dropped.append((name, cid))
                else:
                    keep.append(cid)
            q.clear()
            q.extend(keep)
        return dropped

    @property
    def can_undo(self) -> bool:
        """Whether there is an answer, suspend or bury to undo (no database work)."""
        return bool(self._undo)

    def undo(self) -> ReviewStep | None:
        """Undo the last answer, suspend or bury; the step showing that card again (None when
        there is nothing to undo)."""
        if not self._undo:
            return None
        entry = self._undo.pop()
        with self.db.plain_write() as s:
            row = self._row(s, entry.card_id)
            _check_unchanged(row, entry)
            if entry.kind == "answer":
                mine = (entry.log_id,)
                log = s.execute("SELECT card_before FROM review_log WHERE id = ?", mine).fetchone()
                if log is None:
                    raise StoreError("cannot undo: the answer is no longer in the review log")
                before = SchedState.from_json(json.loads(log[0]))
                assert row.updated_at is not None
                _apply(s, row.id, before, row.updated_at)
                s.execute("DELETE FROM review_log WHERE id = ?", mine)
            elif entry.kind == "suspend":
                _set(s, row.id, suspended=False)
            else:
                _set(s, row.id, buried_until=entry.previous_buried_until)
        self._put_back_current()
        for name, cid in reversed(entry.siblings):
            (self._reviews if name == "review" else self._new).appendleft(cid)
        if entry.kind != "answer":  # the card is back; whatever took its place leaves again
            self._current, self._current_origin = entry.card_id, entry.origin
            self._refill()
        if entry.kind == "answer":
            self._reviewed -= 1
            self._seconds -= entry.duration_ms / 1000
            if entry.rating == 1 and entry.card_id in self._forgotten:
                self._forgotten.remove(entry.card_id)
        now = self._now()
        with self.db.plain_read() as s:
            row = self._pick(s, entry.card_id, entry.origin)
            return self._step(s, now, row)

    def suspend(self, card: CardView) -> ReviewStep:
        """Hide the card until it is unsuspended; the next step."""
        with self.db.plain_write() as s:
            _set(s, self._row(s, card.card_id).id, suspended=True)
        self._undo.append(_Undo("suspend", card.card_id, self._origin_of(card.card_id)))
        self._forget(card.card_id)
        self._refill()
        return self.step()

    def bury(self, card: CardView) -> ReviewStep:
        """Hide the card until the next study day starts; the next step."""
        with self.db.plain_write() as s:
            row = self._row(s, card.card_id)
            previous = row.buried_until
            _set(s, row.id, buried_until=self._day_end)
            left = _stamp_time(self._day_end)
        entry = _Undo("bury", card.card_id, self._origin_of(card.card_id), left=left)
        entry.previous_buried_until = previous
        self._undo.append(entry)
        self._forget(card.card_id)
        self._refill()
        return self.step()

    def _origin_of(self, card_id: int) -> str:
        return self._current_origin if self._current == card_id else "learning"

    def _forget(self, card_id: int) -> None:
        if self._current == card_id:
            self._current = None
        for q in (self._reviews, self._new):
            if card_id in q:
                q.remove(card_id)

    # -- counts and summary ---------------------------------------------------------------

    def remaining(self) -> Remaining:
        """Cards left in this session, the one showing included."""
        now = self.service.now()
        with self.db.plain_read() as s:
            return self._remaining(s, now)

    def _remaining(self, s: Reader, now: datetime) -> Remaining:
        counts = queries.learning_count(
            s, self.deck_ids, now + self.config.learn_ahead, (self._day_start, self._day_end)
        )
        new, review = len(self._new), len(self._reviews)
        if self._current is not None:
            if self._current_origin == "new":
                new += 1
            elif self._current_origin == "review":
                review += 1
        return Remaining(new=new, learning=sum(counts.values()), review=review)

    def next_due_at(self) -> datetime | None:
        """When the next learning card of this session becomes due (today), if any."""
        now = self.service.now()
        with self.db.plain_read() as s:
            return self._next_due(s, now)

    def _next_due(self, s: Reader, now: datetime) -> datetime | None:
        due = queries.earliest_due(s, self.deck_ids, queries.LEARNING_STATES, now)
        return due if due is not None and due < self._day_end else None

    def summary(self) -> Summary:
        """Answers given, seconds spent answering, cards forgotten (Again), next card due."""
        now = self.service.now()
        with self.db.plain_read() as s:
            return self._summary(s, now)

    def _summary(self, s: Reader, now: datetime) -> Summary:
        learning = queries.earliest_due(s, self.deck_ids, queries.LEARNING_STATES, now)
        review = queries.earliest_due(s, self.deck_ids, ("review",), now)
        queued = queries.waiting_beyond_today(s, self.deck_ids, self._day_end)
        candidates = [d for d in (learning,) if d is not None]
        if review is not None:  # a review due later today but left out waits for tomorrow
            candidates.append(max(review, self._day_end))
        if queued:
            candidates.append(self._day_end)
        for deck in self.deck_ids:  # a review the exam brings forward comes sooner
            plan = self._plan(deck, now)
            if plan is not None:
                for _, _, due in _brought_forward(s, deck, plan, now, self._day_end):
                    candidates.append(max(due, self._day_end))
        next_due = min(candidates) if candidates else None
        return Summary(
            reviewed=self._reviewed,
            seconds=round(self._seconds, 3),
            forgotten=len(set(self._forgotten)),
            next_due=next_due,
        )


class ChangedElsewhere(QuizappError):
    """Undo refused: another app changed the card since this app's change."""


def _revealed(row: CardRow) -> tuple[tuple[int, int], ...]:
    """A cloze card's deletions in its answer (none when the row predates the passage)."""
    if row.kind != "cloze" or row.cloze_text is None or row.cloze_number is None:
        return ()
    answer, revealed = cloze_answer(row.cloze_text, row.cloze_number)
    return revealed if answer == row.answer else ()


def _stamp(row: CardRow) -> str:
    """The card's schedule as one comparable string: what an answer changes."""
    return _stamp_of(_sched_state(row))


def _stamp_of(state: SchedState) -> str:
    return json.dumps(state.to_json(), sort_keys=True)


def _stamp_time(value: datetime | None) -> str:
    if value is None:
        return ""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def _check_unchanged(row: CardRow, entry: _Undo) -> None:
    """Undo only what this app left: refuse (nothing changed) when the card is no longer as
    this app's change left it (answered, unsuspended or unburied by another app since)."""
    if entry.kind == "answer":
        same = _stamp(row) == entry.left
        what = "answered elsewhere since"
    elif entry.kind == "suspend":
        same = bool(row.suspended)
        what = "unsuspended elsewhere"
    else:
        same = _stamp_time(row.buried_until) == entry.left
        what = "changed elsewhere since it was buried"
    if not same:
        raise ChangedElsewhere(f"cannot undo: {row.key} was {what}; nothing was undone")


def _brought_forward(
    s: Reader, deck: str, plan: ExamPlan, now: datetime, day_end: datetime
) -> list[tuple[int, str, datetime]]:
    """The deck's review cards due after today that its exam brings forward: (id, note key,
    the due it gives them). Only cards below the target on the day are looked at closely."""
    below = [
        cid
        for cid, stability, last in exam_store.reviews_due_later(s, deck, now, day_end)
        if not plan.ready(stability, last)
    ]
    out = []
    for cid, note, state in exam_store.cards_of(s, below):
        due = plan.brought_forward(state)
        if due is not None:
            out.append((cid, note, due))
    return out


def _sched_state(row: CardRow) -> SchedState:
    return SchedState.of(row)


_LOGGED = (  # what an answer writes to the review log, in order
    "card_id",
    "rating",
    "reviewed_at",
    "duration_ms",
    "state_before",
    "state_after",
    "due_before",
    "due_after",
    "card_before",
    "interval_before",
    "elapsed_before",
)
_LOG_ANSWER = f"INSERT INTO review_log ({', '.join(_LOGGED)}) VALUES ({marks(_LOGGED)})"
_CARD_FIELDS = frozenset(CardRow._fields)


def _set(s: sqlite3.Connection, card_id: int, **values: object) -> None:
    """Set these columns of the card's row (times as the store keeps them)."""
    assert _CARD_FIELDS.issuperset(values), values
    stored = [stored_time(v) if isinstance(v, datetime) else v for v in values.values()]
    assigned = ", ".join(f"{name} = ?" for name in values)
    s.execute(f"UPDATE cards SET {assigned} WHERE id = ?", (*stored, card_id))


def _apply(s: sqlite3.Connection, card_id: int, st: SchedState, updated_at: datetime) -> None:
    """Store the scheduling state ``st`` in the card's row."""
    fields = {name: getattr(st, name) for name in scheduling.STATE_FIELDS}
    _set(s, card_id, **fields, updated_at=updated_at)


def schedules_after_sync(
    db_path: Path, result: LoadResult, read_only: bool = False
) -> dict[str, tuple[str, datetime | None]]:
    """Sync an already loaded library into the store; every card key → (state, due).

    With ``read_only`` the store is read as it is, not synced (a database quizapp cannot
    write): a card the store does not know yet is new.
    """
    db = open_database(Path(db_path), migrate=not read_only)
    try:
        if not read_only:
            sync_decks(db, result)
        with db.plain_read() as s:
            return queries.card_schedules(s)
    finally:
        db.close()
