"""Exam memory: each exam (when, decks, options, seed, duration, score), each answer, and the
learner's confusions (the wrong answer taken for a card's answer).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quiz_exams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("decks", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("questions", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("retake_of", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["retake_of"],
            ["quiz_exams.id"],
            name=op.f("fk_quiz_exams_retake_of_quiz_exams"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_exams")),
    )
    op.create_index(op.f("ix_quiz_exams_started_at"), "quiz_exams", ["started_at"])
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("qtype", sa.String(), nullable=False),
        sa.Column("card_key", sa.String(), nullable=False),
        sa.Column("deck", sa.String(), nullable=False),
        sa.Column("section", sa.Text(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("given", sa.Text(), nullable=True),
        sa.Column("result", sa.String(), nullable=False),
        sa.Column("credit", sa.Float(), nullable=False),
        sa.Column("override", sa.Boolean(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("missed", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exam_id"],
            ["quiz_exams.id"],
            name=op.f("fk_quiz_answers_exam_id_quiz_exams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_answers")),
    )
    op.create_index(op.f("ix_quiz_answers_card_key"), "quiz_answers", ["card_key"])
    op.create_index("ix_quiz_answers_exam_n", "quiz_answers", ["exam_id", "n"], unique=True)
    op.create_table(
        "quiz_confusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("card_key", sa.String(), nullable=False),
        sa.Column("confused_with", sa.Text(), nullable=False),
        sa.Column("mistake", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["quiz_answers.id"],
            name=op.f("fk_quiz_confusions_answer_id_quiz_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_confusions")),
    )
    op.create_index(op.f("ix_quiz_confusions_answer_id"), "quiz_confusions", ["answer_id"])
    op.create_index(op.f("ix_quiz_confusions_card_key"), "quiz_confusions", ["card_key"])


def downgrade() -> None:
    op.drop_table("quiz_confusions")
    op.drop_table("quiz_answers")
    op.drop_table("quiz_exams")
