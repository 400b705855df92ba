"""The statistics read the review log from indexes: each answer keeps the card's interval and
the days since its last review in columns (filled in for the answers already there), and the
card index holds every card's schedule.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_QUEUE = ["deck", "state", "retired", "suspended", "due"]
_SCHEDULE = [*_QUEUE, "last_review", "stability", "difficulty", "buried_until"]

# Days between two times, to the millisecond (SQLite's date functions keep milliseconds).
_DAYS = "round((julianday({end}) - julianday({start})) * 86400000.0) / 86400000.0"
_LAST = "json_extract(card_before, '$.last_review')"


def upgrade() -> None:
    with op.batch_alter_table("review_log") as batch_op:
        batch_op.add_column(sa.Column("interval_before", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("elapsed_before", sa.Float(), nullable=True))
    # card_before holds the state each answer replaced (ISO times, or null for a new card).
    interval = _DAYS.format(end="json_extract(card_before, '$.due')", start=_LAST)
    elapsed = _DAYS.format(end="reviewed_at", start=_LAST)
    op.execute(
        f"UPDATE review_log SET interval_before = {interval}, elapsed_before = max({elapsed}, 0)"
        f" WHERE state_before != 'new' AND json_valid(card_before) AND {_LAST} IS NOT NULL"
    )
    op.create_index(
        "ix_review_log_recent",
        "review_log",
        ["reviewed_at", "card_id", "state_before", "rating", "duration_ms", "interval_before"],
    )
    op.create_index(
        "ix_review_log_young",
        "review_log",
        ["rating", "reviewed_at", "card_id", "interval_before"],
        sqlite_where=sa.text("interval_before >= 1 AND interval_before < 21"),
    )
    op.create_index(
        "ix_review_log_mature",
        "review_log",
        ["rating", "reviewed_at", "card_id", "interval_before"],
        sqlite_where=sa.text("interval_before >= 21"),
    )
    op.create_index(
        "ix_review_log_same_day",
        "review_log",
        ["reviewed_at", "elapsed_before", "interval_before", "rating", "card_id"],
        sqlite_where=sa.text("elapsed_before < 1.1 AND interval_before >= 1"),
    )
    # Its first column, the time, leads the new one, which holds everything else it served.
    op.drop_index("ix_review_log_reviewed_at", table_name="review_log")
    op.drop_index("ix_cards_queue", table_name="cards")
    op.create_index("ix_cards_queue", "cards", _SCHEDULE)


def downgrade() -> None:
    op.drop_index("ix_cards_queue", table_name="cards")
    op.create_index("ix_cards_queue", "cards", _QUEUE)
    op.drop_index("ix_review_log_same_day", table_name="review_log")
    op.drop_index("ix_review_log_mature", table_name="review_log")
    op.drop_index("ix_review_log_young", table_name="review_log")
    op.drop_index("ix_review_log_recent", table_name="review_log")
    op.create_index("ix_review_log_reviewed_at", "review_log", ["reviewed_at"])
    with op.batch_alter_table("review_log") as batch_op:
        batch_op.drop_column("elapsed_before")
        batch_op.drop_column("interval_before")
