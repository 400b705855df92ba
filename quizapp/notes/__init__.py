"""Deck Markdown → card specs. Pure: stdlib only, no database, no UI, no Keras.

The parser (:mod:`quizapp.notes.parse`) is imported here only when ``load_decks`` or
``parse_deck`` is first asked for: listing deck files (:mod:`quizapp.notes.files`) and showing a
card's text (:mod:`quizapp.notes.cardtext`) do without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.notes.cardtext import cloze_answer, segments
from quizapp.notes.model import CardSpec, Deck, DeckError, LoadResult, Segment

if TYPE_CHECKING:
    from quizapp.notes.parse import load_decks, parse_deck

__all__ = [
    "CardSpec",
    "Deck",
    "DeckError",
    "LoadResult",
    "Segment",
    "cloze_answer",
    "load_decks",
    "parse_deck",
    "segments",
]

_PARSER_NAMES = ("load_decks", "parse_deck")


def __getattr__(name: str) -> Any:
    """The parser's entry points, imported on first use (the one place notes loads it)."""
    if name in _PARSER_NAMES:
        from quizapp.notes import parse

        return getattr(parse, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
