"""A cloze card's passage and number on its row, so the app can highlight what it reveals.

Every deck file is parsed again at the next sync (its fingerprint is cleared), so the cloze
cards of an existing database get their passage without waiting for their files to change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cards") as batch_op:
        batch_op.add_column(sa.Column("cloze_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cloze_number", sa.Integer(), nullable=True))
    op.execute("UPDATE deck_files SET size = -1, mtime_ns = -1, content_hash = ''")


def downgrade() -> None:
    # Their hashes covered the passage: without this, upgrading again would never rewrite it.
    op.execute("UPDATE cards SET content_hash = '' WHERE cloze_text IS NOT NULL")
    with op.batch_alter_table("cards") as batch_op:
        batch_op.drop_column("cloze_number")
        batch_op.drop_column("cloze_text")
