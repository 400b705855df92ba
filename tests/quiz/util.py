"""Helpers for the quiz tests: cards straight from deck text (no database), exams from them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizapp import paths
from quizapp.library import complete_deck
from quizapp.notes.parse import parse_deck
from quizapp.quiz.build import build_exam, select_cards
from quizapp.quiz.model import TYPES, Exam, ExamOptions
from quizapp.quiz.pool import Pool
from quizapp.store.exam_cards import ExamCard

BUNDLED = paths.bundled_decks_dir() / "keras-basics.md"


def cards_of(text: str, name: str = "deck.md") -> list[ExamCard]:
    """The cards of one deck's Markdown, as the store hands them to exams."""
    deck = complete_deck(parse_deck(text, Path(name), name))
    return [
        ExamCard(
            c.key,
            c.note_key,
            c.deck,
            c.section,
            c.kind,
            c.prompt,
            c.answer,
            c.extra,
            c.tags,
            c.source,
            c.line,
            i,
            c.compute if c.kind == "computed" else None,
        )
        for i, c in enumerate(deck.cards)
    ]


def bundled_cards() -> list[ExamCard]:
    return cards_of(BUNDLED.read_text(encoding="utf-8"), "decks/keras-basics.md")


def exam_of(cards: Sequence[ExamCard], seed: int, **options: object) -> Exam:
    opts = ExamOptions(**{"types": TYPES, "count": 20, **options})  # type: ignore[arg-type]
    opts = opts._replace(decks=tuple(dict.fromkeys(c.deck for c in cards)), seed=seed)
    return build_exam(Pool(cards), select_cards(cards, opts), opts, seed)
