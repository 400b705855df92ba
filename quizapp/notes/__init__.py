"""Deck Markdown → card specs. Pure: stdlib only, no database, no UI, no Keras."""

from quizapp.notes.model import CardSpec, Deck, DeckError, LoadResult, Segment
from quizapp.notes.parse import cloze_answer, load_decks, parse_deck, segments

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
