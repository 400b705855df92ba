"""The deck library service: deck directories → parsed decks with their cards.

Computed cards get their answers (and derivations) from ``quizapp.calc`` here, so the notes
room stays pure text-in, specs-out.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from quizapp.notes import load_decks
from quizapp.notes.model import Deck, DeckError, LoadResult


def load_library(deck_dirs: list[Path], files: list[Path] | None = None) -> LoadResult:
    """Parse every deck (or just ``files``) and fill in computed answers."""
    result = load_decks(deck_dirs, files=files)
    decks: list[Deck] = []
    errors: list[DeckError] = list(result.errors)
    for deck in result.decks:
        try:
            decks.append(complete_deck(deck))
        except DeckError as err:
            errors.append(err)
    return LoadResult(decks=tuple(decks), errors=tuple(errors))


def complete_deck(deck: Deck) -> Deck:
    """Computed answers filled in and Keras checks validated (analytic only, never TensorFlow).

    A malformed check or layer expression is a deck error like any other: the deck is skipped.
    """
    if not any(c.kind == "computed" or c.checks for c in deck.cards):
        return deck
    from quizapp.calc.computed import check_errors, fill_computed

    for card in deck.cards:
        if card.checks:
            problems = check_errors(card, deck.path)
            if problems:
                raise problems[0]
    cards = tuple(fill_computed(c, deck.path) if c.kind == "computed" else c for c in deck.cards)
    return replace(deck, cards=cards)
