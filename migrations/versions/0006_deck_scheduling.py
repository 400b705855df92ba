"""Personal scheduling: FSRS parameters fitted to the learner's reviews and a chosen desired
retention, per deck (or, with the deck "", for every deck), with when and on how many reviews.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deck_scheduling",
        sa.Column("deck", sa.String(), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=True),
        sa.Column("fitted_at", sa.DateTime(), nullable=True),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("log_loss", sa.Float(), nullable=True),
        sa.Column("rmse_bins", sa.Float(), nullable=True),
        sa.Column("desired_retention", sa.Float(), nullable=True),
        sa.Column("retention_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("deck", name=op.f("pk_deck_scheduling")),
    )


def downgrade() -> None:
    op.drop_table("deck_scheduling")
