"""Exam dates: per deck, the study day of an exam and the recall wanted on it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exam_dates",
        sa.Column("deck", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deck"],
            ["decks.id"],
            name=op.f("fk_exam_dates_deck_decks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deck", name=op.f("pk_exam_dates")),
    )


def downgrade() -> None:
    op.drop_table("exam_dates")
