"""A card's Keras facts on its row: the compute block's fields and the checks.

Every deck file is parsed again at the next sync (its fingerprint is cleared), so the cards of
an existing database get their facts without waiting for their files to change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cards") as batch_op:
        batch_op.add_column(sa.Column("compute", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("checks", sa.Text(), nullable=True))
    op.execute("UPDATE deck_files SET size = -1, mtime_ns = -1, content_hash = ''")


def downgrade() -> None:
    # Their hashes covered the facts: without this, upgrading again would never rewrite them.
    op.execute("UPDATE cards SET content_hash = '' WHERE compute IS NOT NULL OR checks IS NOT NULL")
    with op.batch_alter_table("cards") as batch_op:
        batch_op.drop_column("checks")
        batch_op.drop_column("compute")
