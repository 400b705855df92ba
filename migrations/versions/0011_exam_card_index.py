"""Exams read only the cards they ask and those cards' siblings, from two indexes of the cards
by deck, in the notes or not (retired) and suspended or not: one lists a deck's cards in deck
order (the draw reads only their ids, from the index alone); the other finds the cards of one
construct kind in one section (a card's siblings) and a deck's cards of one kind, without
reading the others.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ORDER = ["deck", "retired", "suspended", "position", "key"]
_SIBLINGS = ["deck", "kind", "retired", "suspended", "section", "position"]


def upgrade() -> None:
    op.create_index("ix_cards_exam_order", "cards", _ORDER)
    op.create_index("ix_cards_exam_siblings", "cards", _SIBLINGS)


def downgrade() -> None:
    op.drop_index("ix_cards_exam_siblings", table_name="cards")
    op.drop_index("ix_cards_exam_order", table_name="cards")
