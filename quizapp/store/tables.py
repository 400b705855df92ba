"""The schema as SQLAlchemy Core tables: what the Core statements read and write.

The statistics, the exam history and the sync of changed decks run Core statements over these
tables without the ORM; the ORM classes of :mod:`quizapp.store.models` are mapped onto the same
tables for the code that changes rows one object at a time. The review queue, its answers and
the counts of ``quizapp due`` are plain SQL on the same columns (:mod:`quizapp.store.plain`), so
they never import these. The schema itself is created and changed only by the migrations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect

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


metadata = MetaData(naming_convention=NAMING_CONVENTION)


decks = Table(
    "decks",
    metadata,
    Column("id", String, primary_key=True),
    Column("title", String, default="", nullable=False),
    Column("source", String, default="", nullable=False),
    Column("file_path", String, default="", nullable=False),
    Column("retired", Boolean, default=False, nullable=False),
)


exam_dates = Table(
    "exam_dates",
    metadata,
    Column("deck", String, ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, nullable=False),
    Column("target", Float, nullable=False),
    Column("set_at", UTCDateTime, nullable=False),
)


deck_files = Table(
    "deck_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", String, unique=True, nullable=False),
    Column("deck_id", String, nullable=True),
    Column("size", Integer, nullable=False),
    Column("mtime_ns", Integer, nullable=False),
    Column("content_hash", String, nullable=False),
    Column("synced_at", UTCDateTime, nullable=False),
)


cards = Table(
    "cards",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String, unique=True, nullable=False),
    Column("note_key", String, index=True, nullable=False),
    Column("deck", String, ForeignKey("decks.id"), nullable=False),
    Column(
        "file_id",
        Integer,
        ForeignKey("deck_files.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("position", Integer, default=0, nullable=False),
    Column("section", Text, default="[]", nullable=False),
    Column("kind", String, nullable=False),
    Column("prompt", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("extra", Text, default="", nullable=False),
    Column("tags", Text, default="[]", nullable=False),
    Column("source", String, default="", nullable=False),
    Column("line", Integer, default=0, nullable=False),
    Column("compute", Text, nullable=True),
    Column("checks", Text, nullable=True),
    Column("cloze_text", Text, nullable=True),
    Column("cloze_number", Integer, nullable=True),
    Column("content_hash", String, default="", nullable=False),
    Column("retired", Boolean, default=False, nullable=False),
    Column("suspended", Boolean, default=False, nullable=False),
    Column("buried_until", UTCDateTime, nullable=True),
    Column("state", String, default="new", nullable=False),
    Column("step", Integer, nullable=True),
    Column("stability", Float, nullable=True),
    Column("difficulty", Float, nullable=True),
    Column("due", UTCDateTime, nullable=True),
    Column("last_review", UTCDateTime, nullable=True),
    Column("reps", Integer, default=0, nullable=False),
    Column("lapses", Integer, default=0, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
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
    # An exam's reads of the cards it may ask (in the notes, not suspended): a deck's cards in
    # deck order (the draw reads only their ids, from the index alone), and a card's siblings
    # (one construct kind in one section; a deck's cards of one kind).
    Index("ix_cards_exam_order", "deck", "retired", "suspended", "position", "key"),
    Index("ix_cards_exam_siblings", "deck", "kind", "retired", "suspended", "section", "position"),
)


review_log = Table(
    "review_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("card_id", Integer, ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Column("duration_ms", Integer, default=0, nullable=False),
    Column("state_before", String, nullable=False),
    Column("state_after", String, nullable=False),
    Column("due_before", UTCDateTime, nullable=True),
    Column("due_after", UTCDateTime, nullable=False),
    Column("card_before", Text, default="{}", nullable=False),
    Column("interval_before", Float, nullable=True),
    Column("elapsed_before", Float, nullable=True),
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


keras_cache = Table(
    "keras_cache",
    metadata,
    Column("expression", String, primary_key=True),
    Column("input_shape", String, primary_key=True),
    Column("keras_version", String, primary_key=True),
    Column("result", Text, nullable=False),
    Column("checked_at", UTCDateTime, nullable=False),
)


deck_scheduling = Table(
    "deck_scheduling",
    metadata,
    Column("deck", String, primary_key=True),
    Column("parameters", Text, nullable=True),
    Column("fitted_at", UTCDateTime, nullable=True),
    Column("reviews", Integer, default=0, nullable=False),
    Column("items", Integer, default=0, nullable=False),
    Column("source", String, default="", nullable=False),
    Column("log_loss", Float, nullable=True),
    Column("rmse_bins", Float, nullable=True),
    Column("desired_retention", Float, nullable=True),
    Column("retention_at", UTCDateTime, nullable=True),
)


quiz_exams = Table(
    "quiz_exams",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", UTCDateTime, index=True, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("seconds", Float, default=0.0, nullable=False),
    Column("decks", Text, default="[]", nullable=False),
    Column("options", Text, default="{}", nullable=False),
    Column("seed", Integer, nullable=False),
    Column("questions", Integer, default=0, nullable=False),
    Column("score", Float, nullable=True),
    Column(
        "retake_of",
        Integer,
        ForeignKey("quiz_exams.id", ondelete="SET NULL"),
        nullable=True,
    ),
)


quiz_answers = Table(
    "quiz_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "exam_id",
        Integer,
        ForeignKey("quiz_exams.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("n", Integer, nullable=False),
    Column("qtype", String, nullable=False),
    Column("card_key", String, index=True, nullable=False),
    Column("deck", String, default="", nullable=False),
    Column("section", Text, default="[]", nullable=False),
    Column("prompt", Text, nullable=False),
    Column("options", Text, default="[]", nullable=False),
    Column("answer", Text, nullable=False),
    Column("given", Text, nullable=True),
    Column("result", String, nullable=False),
    Column("credit", Float, default=0.0, nullable=False),
    Column("override", Boolean, default=False, nullable=False),
    Column("seconds", Float, default=0.0, nullable=False),
    Column("missed", Text, default="[]", nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    Index("ix_quiz_answers_exam_n", "exam_id", "n", unique=True),
)


quiz_confusions = Table(
    "quiz_confusions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "answer_id",
        Integer,
        ForeignKey("quiz_answers.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    ),
    Column("card_key", String, index=True, nullable=False),
    Column("confused_with", Text, nullable=False),
    Column("mistake", String, nullable=True),
    Column("at", UTCDateTime, nullable=False),
)
