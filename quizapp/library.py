"""The deck library service: deck directories → parsed decks with their cards.

Computed cards get their answers (and derivations) from ``quizapp.calc`` here, so the notes
room stays pure text-in, specs-out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from quizapp.notes import load_decks
from quizapp.notes.model import CardSpec, Deck, DeckError, LoadResult


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


def card_dict(
    card: CardSpec, schedule: tuple[str, datetime | None] | None = None
) -> dict[str, Any]:
    """The JSON shape of a card for ``quizapp cards --json``.

    ``schedule`` is the card's (state, due) from the store; ``due`` is ISO 8601 or null (new).
    """
    state, due = schedule or ("new", None)
    return {
        "key": card.key,
        "note_key": card.note_key,
        "deck": card.deck,
        "section": list(card.section),
        "kind": card.kind,
        "prompt": card.prompt,
        "answer": card.answer,
        "extra": card.extra,
        "tags": list(card.tags),
        "source": card.location,
        "state": state,
        "due": due.isoformat() if due is not None else None,
    }
