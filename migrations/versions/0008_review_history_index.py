"""The optimizer reads every card's answers in time order from one index, without a sort: the
index holds each answer's card, time and id (the order) and what the fit and the simulation use
of it (grade, state before, answer time). Its first column, the card, leads it, so it serves
every lookup of a card's answers the old card index served.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HISTORY = ["card_id", "reviewed_at", "id", "rating", "state_before", "duration_ms"]


def upgrade() -> None:
    op.create_index("ix_review_log_history", "review_log", _HISTORY)
    op.drop_index("ix_review_log_card_id", table_name="review_log")


def downgrade() -> None:
    op.create_index("ix_review_log_card_id", "review_log", ["card_id"])
    op.drop_index("ix_review_log_history", table_name="review_log")
