"""The statistics count more of the review log from indexes: the answers by the card's state
before, the grade and the card's maturity (interval of 21 days or more), each combination a
range of time (the answer buttons of any period, counted rather than sorted); and the answers'
times alone (the calendar's per-day counts, from the narrowest index).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MATURE = "coalesce(interval_before >= 21, 0)"


def upgrade() -> None:
    op.create_index(
        "ix_review_log_grades",
        "review_log",
        ["state_before", "rating", sa.text(MATURE), "reviewed_at", "card_id", "interval_before"],
    )
    op.create_index("ix_review_log_time", "review_log", ["reviewed_at"])


def downgrade() -> None:
    op.drop_index("ix_review_log_time", table_name="review_log")
    op.drop_index("ix_review_log_grades", table_name="review_log")
