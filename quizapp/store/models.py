"""SQLAlchemy 2 typed models. The schema itself is created and changed only by the migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime, stored as naive UTC text (which sorts correctly)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DeckRow(Base):
    """A deck as last seen in the notes."""

    __tablename__ = "decks"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(String, default="")
    source: Mapped[str] = mapped_column(String, default="")
    file_path: Mapped[str] = mapped_column(String, default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class ExamDateRow(Base):
    """A deck's exam: the study day it falls on (a local calendar date) and the recall wanted."""

    __tablename__ = "exam_dates"

    deck: Mapped[str] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    target: Mapped[float] = mapped_column(Float)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeckFile(Base):
    """The fingerprint of a deck file at its last successful sync."""

    __tablename__ = "deck_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String, unique=True)
    deck_id: Mapped[str | None] = mapped_column(String, nullable=True)
    size: Mapped[int] = mapped_column(Integer)
    mtime_ns: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CardRow(Base):
    """A card: its text as the notes give it, and its FSRS scheduling state."""

    __tablename__ = "cards"
    __table_args__ = (
        # The queue's reads, and the statistics' (every card's schedule from the index alone).
        Index(
            "ix_cards_queue",
            "deck",
            "state",
            "retired",
            "suspended",
            "due",
            "last_review",
            "stability",
            "difficulty",
            "buried_until",
        ),
        Index("ix_cards_new", "deck", "state", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String, unique=True)
    note_key: Mapped[str] = mapped_column(String, index=True)
    deck: Mapped[str] = mapped_column(ForeignKey("decks.id"))
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("deck_files.id", ondelete="SET NULL"), nullable=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    section: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    kind: Mapped[str] = mapped_column(String)
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    extra: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    source: Mapped[str] = mapped_column(String, default="")
    line: Mapped[int] = mapped_column(Integer, default=0)
    # The card's Keras facts, as the notes state them (JSON; NULL when it has none): a computed
    # card's compute-block fields, [[field, value], ...], and its checks, [[check, line], ...].
    compute: Mapped[str | None] = mapped_column(Text, nullable=True)
    checks: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Cloze cards: the passage with its {{cN::...}} markers and the number this card asks (the
    # answer's revealed text); NULL for other cards.
    cloze_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    cloze_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_hash: Mapped[str] = mapped_column(String, default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Scheduling: "new" | "learning" | "review" | "relearning"
    state: Mapped[str] = mapped_column(String, default="new")
    step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[float | None] = mapped_column(Float, nullable=True)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewLogRow(Base):
    """One answer. ``card_before`` (JSON) holds the scheduling state the answer replaced.

    ``interval_before`` and ``elapsed_before`` are two numbers of that state, kept in columns
    for the statistics: the card's interval in days (its due time minus its last review; 21 or
    more is a mature card) and the days since its last review (its previous answer). Both are
    NULL for a new card's first answer.
    """

    __tablename__ = "review_log"
    __table_args__ = (
        # Each read of the statistics from one index alone: the answers of a time range with
        # what they are counted by (this one also serves today's counts of the review queue);
        # the answers that count for true retention (a card with an interval of a day or
        # more), young and mature apart, by grade; the few of those given less than 1.1 days
        # after the card's previous answer (the ones that may repeat a study day).
        Index(
            "ix_review_log_recent",
            "reviewed_at",
            "card_id",
            "state_before",
            "rating",
            "duration_ms",
            "interval_before",
        ),
        Index(
            "ix_review_log_young",
            "rating",
            "reviewed_at",
            "card_id",
            "interval_before",
            sqlite_where=text("interval_before >= 1 AND interval_before < 21"),
        ),
        Index(
            "ix_review_log_mature",
            "rating",
            "reviewed_at",
            "card_id",
            "interval_before",
            sqlite_where=text("interval_before >= 21"),
        ),
        Index(
            "ix_review_log_same_day",
            "reviewed_at",
            "elapsed_before",
            "interval_before",
            "rating",
            "card_id",
            sqlite_where=text("elapsed_before < 1.1 AND interval_before >= 1"),
        ),
        # Every card's answers in time order (the id breaks ties) with what the optimizer reads
        # of them, for the fit to read without a sort; it also finds a card's answers.
        Index(
            "ix_review_log_history",
            "card_id",
            "reviewed_at",
            "id",
            "rating",
            "state_before",
            "duration_ms",
        ),
        # The answers by state before, grade and maturity, each a range of time: the answer
        # buttons of any period as 32 counts of ranges. And the times alone, the narrowest
        # index for counting the answers of each day of the calendar.
        Index(
            "ix_review_log_grades",
            "state_before",
            "rating",
            text("coalesce(interval_before >= 21, 0)"),
            "reviewed_at",
            "card_id",
            "interval_before",
        ),
        Index("ix_review_log_time", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    state_before: Mapped[str] = mapped_column(String)
    state_after: Mapped[str] = mapped_column(String)
    due_before: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    due_after: Mapped[datetime] = mapped_column(UTCDateTime)
    card_before: Mapped[str] = mapped_column(Text, default="{}")
    interval_before: Mapped[float | None] = mapped_column(Float, nullable=True)  # days
    elapsed_before: Mapped[float | None] = mapped_column(Float, nullable=True)  # days


class KerasCacheRow(Base):
    """Results of real Keras checks, keyed by expression, input shape and Keras version."""

    __tablename__ = "keras_cache"

    expression: Mapped[str] = mapped_column(String, primary_key=True)
    input_shape: Mapped[str] = mapped_column(String, primary_key=True)
    keras_version: Mapped[str] = mapped_column(String, primary_key=True)
    result: Mapped[str] = mapped_column(Text)  # JSON
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeckSchedulingRow(Base):
    """What ``quizapp optimize --apply`` chose for a deck (``deck == ""``: for every deck):
    FSRS parameters fitted to the learner's reviews, and a desired retention.

    ``config.toml`` still wins: its explicit ``parameters`` or ``desired_retention`` for a deck
    are used over these.
    """

    __tablename__ = "deck_scheduling"

    deck: Mapped[str] = mapped_column(String, primary_key=True)
    parameters: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON: 21 numbers
    fitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)  # the reviews fitted on
    items: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String, default="")  # "review log", a file's name
    log_loss: Mapped[float | None] = mapped_column(Float, nullable=True)
    rmse_bins: Mapped[float | None] = mapped_column(Float, nullable=True)
    desired_retention: Mapped[float | None] = mapped_column(Float, nullable=True)
    retention_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ExamRow(Base):
    """One exam: when, over which decks, with which options and seed; its score once done."""

    __tablename__ = "quiz_exams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)  # time taken
    decks: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of deck ids
    options: Mapped[str] = mapped_column(Text, default="{}")  # JSON: section, tag, count, ...
    seed: Mapped[int] = mapped_column(Integer)
    questions: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)  # 0..1, once finished
    retake_of: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_exams.id", ondelete="SET NULL"), nullable=True
    )


class ExamAnswerRow(Base):
    """One question of an exam as it was shown, and what the learner answered."""

    __tablename__ = "quiz_answers"
    __table_args__ = (Index("ix_quiz_answers_exam_n", "exam_id", "n", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("quiz_exams.id", ondelete="CASCADE"))
    n: Mapped[int] = mapped_column(Integer)  # question number, from 1
    qtype: Mapped[str] = mapped_column(String)  # mcq | typed | tf | match | computed
    card_key: Mapped[str] = mapped_column(String, index=True)
    deck: Mapped[str] = mapped_column(String, default="")
    section: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    prompt: Mapped[str] = mapped_column(Text)
    options: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, as shown
    answer: Mapped[str] = mapped_column(Text)  # the right answer
    given: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[str] = mapped_column(String)  # right | almost | partial | wrong | skipped
    credit: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    override: Mapped[bool] = mapped_column(Boolean, default=False)  # "I was right"
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    missed: Mapped[str] = mapped_column(Text, default="[]")  # JSON: card keys not answered right
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConfusionRow(Base):
    """The learner took ``confused_with`` for the answer of card ``card_key``."""

    __tablename__ = "quiz_confusions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_answers.id", ondelete="CASCADE"), index=True
    )
    card_key: Mapped[str] = mapped_column(String, index=True)
    confused_with: Mapped[str] = mapped_column(Text)
    mistake: Mapped[str | None] = mapped_column(String, nullable=True)  # computed: its label
    at: Mapped[datetime] = mapped_column(UTCDateTime)
