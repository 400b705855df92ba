"""SQLAlchemy 2 typed ORM models, mapped onto the Core tables of :mod:`quizapp.store.tables`.

The one place the store imports the ORM's classes: the code that changes rows one object at a
time (a review session's answers, a sync that parsed a deck, exams) imports this module, and the
read-only paths (counting, listing, the statistics) read the same tables with Core and never
import it. The schema itself is created and changed only by the migrations.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import DeclarativeBase, Mapped

from quizapp.store import tables
from quizapp.store.tables import NAMING_CONVENTION, UTCDateTime

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "CardRow",
    "ConfusionRow",
    "DeckFile",
    "DeckRow",
    "DeckSchedulingRow",
    "ExamAnswerRow",
    "ExamDateRow",
    "ExamRow",
    "KerasCacheRow",
    "ReviewLogRow",
    "UTCDateTime",
]


class Base(DeclarativeBase):
    metadata = tables.metadata


class DeckRow(Base):
    """A deck as last seen in the notes."""

    __table__ = tables.decks

    id: Mapped[str]
    title: Mapped[str]
    source: Mapped[str]
    file_path: Mapped[str]
    retired: Mapped[bool]


class ExamDateRow(Base):
    """A deck's exam: the study day it falls on (a local calendar date) and the recall wanted."""

    __table__ = tables.exam_dates

    deck: Mapped[str]
    day: Mapped[date]
    target: Mapped[float]
    set_at: Mapped[datetime]


class DeckFile(Base):
    """The fingerprint of a deck file at its last successful sync."""

    __table__ = tables.deck_files

    id: Mapped[int]
    path: Mapped[str]
    deck_id: Mapped[str | None]
    size: Mapped[int]
    mtime_ns: Mapped[int]
    content_hash: Mapped[str]
    synced_at: Mapped[datetime]


class CardRow(Base):
    """A card: its text as the notes give it, and its FSRS scheduling state."""

    __table__ = tables.cards

    id: Mapped[int]
    key: Mapped[str]
    note_key: Mapped[str]
    deck: Mapped[str]
    file_id: Mapped[int | None]
    position: Mapped[int]
    section: Mapped[str]  # JSON list
    kind: Mapped[str]
    prompt: Mapped[str]
    answer: Mapped[str]
    extra: Mapped[str]
    tags: Mapped[str]  # JSON list
    source: Mapped[str]
    line: Mapped[int]
    # The card's Keras facts, as the notes state them (JSON; NULL when it has none): a computed
    # card's compute-block fields, [[field, value], ...], and its checks, [[check, line], ...].
    compute: Mapped[str | None]
    checks: Mapped[str | None]
    # Cloze cards: the passage with its {{cN::...}} markers and the number this card asks (the
    # answer's revealed text); NULL for other cards.
    cloze_text: Mapped[str | None]
    cloze_number: Mapped[int | None]
    content_hash: Mapped[str]
    retired: Mapped[bool]
    suspended: Mapped[bool]
    buried_until: Mapped[datetime | None]
    # Scheduling: "new" | "learning" | "review" | "relearning"
    state: Mapped[str]
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime | None]
    last_review: Mapped[datetime | None]
    reps: Mapped[int]
    lapses: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReviewLogRow(Base):
    """One answer. ``card_before`` (JSON) holds the scheduling state the answer replaced.

    ``interval_before`` and ``elapsed_before`` are two numbers of that state, kept in columns
    for the statistics: the card's interval in days (its due time minus its last review; 21 or
    more is a mature card) and the days since its last review (its previous answer). Both are
    NULL for a new card's first answer.
    """

    __table__ = tables.review_log

    id: Mapped[int]
    card_id: Mapped[int]
    rating: Mapped[int]
    reviewed_at: Mapped[datetime]
    duration_ms: Mapped[int]
    state_before: Mapped[str]
    state_after: Mapped[str]
    due_before: Mapped[datetime | None]
    due_after: Mapped[datetime]
    card_before: Mapped[str]
    interval_before: Mapped[float | None]  # days
    elapsed_before: Mapped[float | None]  # days


class KerasCacheRow(Base):
    """Results of real Keras checks, keyed by expression, input shape and Keras version."""

    __table__ = tables.keras_cache

    expression: Mapped[str]
    input_shape: Mapped[str]
    keras_version: Mapped[str]
    result: Mapped[str]  # JSON
    checked_at: Mapped[datetime]


class DeckSchedulingRow(Base):
    """What ``quizapp optimize --apply`` chose for a deck (``deck == ""``: for every deck):
    FSRS parameters fitted to the learner's reviews, and a desired retention.

    ``config.toml`` still wins: its explicit ``parameters`` or ``desired_retention`` for a deck
    are used over these.
    """

    __table__ = tables.deck_scheduling

    deck: Mapped[str]
    parameters: Mapped[str | None]  # JSON: 21 numbers
    fitted_at: Mapped[datetime | None]
    reviews: Mapped[int]  # the reviews fitted on
    items: Mapped[int]
    source: Mapped[str]  # "review log", a file's name
    log_loss: Mapped[float | None]
    rmse_bins: Mapped[float | None]
    desired_retention: Mapped[float | None]
    retention_at: Mapped[datetime | None]


class ExamRow(Base):
    """One exam: when, over which decks, with which options and seed; its score once done."""

    __table__ = tables.quiz_exams

    id: Mapped[int]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    seconds: Mapped[float]  # time taken
    decks: Mapped[str]  # JSON list of deck ids
    options: Mapped[str]  # JSON: section, tag, count, ...
    seed: Mapped[int]
    questions: Mapped[int]
    score: Mapped[float | None]  # 0..1, once finished
    retake_of: Mapped[int | None]


class ExamAnswerRow(Base):
    """One question of an exam as it was shown, and what the learner answered."""

    __table__ = tables.quiz_answers

    id: Mapped[int]
    exam_id: Mapped[int]
    n: Mapped[int]  # question number, from 1
    qtype: Mapped[str]  # mcq | typed | tf | match | computed
    card_key: Mapped[str]
    deck: Mapped[str]
    section: Mapped[str]  # JSON list
    prompt: Mapped[str]
    options: Mapped[str]  # JSON list, as shown
    answer: Mapped[str]  # the right answer
    given: Mapped[str | None]
    result: Mapped[str]  # right | almost | partial | wrong | skipped
    credit: Mapped[float]  # 0..1
    override: Mapped[bool]  # "I was right"
    seconds: Mapped[float]
    missed: Mapped[str]  # JSON: card keys not answered right
    answered_at: Mapped[datetime]


class ConfusionRow(Base):
    """The learner took ``confused_with`` for the answer of card ``card_key``."""

    __table__ = tables.quiz_confusions

    id: Mapped[int]
    answer_id: Mapped[int]
    card_key: Mapped[str]
    confused_with: Mapped[str]
    mistake: Mapped[str | None]  # computed: its label
    at: Mapped[datetime]
