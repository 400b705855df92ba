"""Card specs → export notes: which note type, GUID, deck, tags and field HTML each note gets.

Both the Anki package and the Anki text file are built from these plain records, so the two
exports always agree on identity (GUIDs), deck names and tags.

- A cloze passage is one ``quizapp Cloze`` note; each of its numbers is one card of that note.
  Its GUID comes from the passage's ``note_key``.
- Every other card (definition, reverse, table, list, question, computed) is one
  ``quizapp Basic`` note whose GUID comes from the card's own ``key``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from quizapp.errors import QuizappError, UnknownDeck
from quizapp.export.render import field_html, plain_html
from quizapp.notes.model import CardSpec, LoadResult

NoteKind = Literal["basic", "cloze"]

BASIC_NAME = "quizapp Basic"
CLOZE_NAME = "quizapp Cloze"
BASIC_FIELDS = ("Front", "Back", "Context", "Source", "Explanation")
CLOZE_FIELDS = ("Text", "Extra", "Context", "Source")


class ExportError(QuizappError):
    """An export that cannot be done; the message is one line for the user."""


@dataclass(frozen=True)
class ExportCard:
    """One card of an export note: the quizapp card key and the Anki template ordinal."""

    key: str
    ord: int


@dataclass(frozen=True)
class ExportNote:
    guid: str
    kind: NoteKind
    deck_name: str
    fields: tuple[str, ...]  # HTML, in the order of BASIC_FIELDS / CLOZE_FIELDS
    tags: tuple[str, ...]
    cards: tuple[ExportCard, ...]

    @property
    def field_map(self) -> dict[str, str]:
        names = BASIC_FIELDS if self.kind == "basic" else CLOZE_FIELDS
        return dict(zip(names, self.fields, strict=True))


def guid_for(identity: str) -> str:
    """A stable Anki note GUID from a card key (or a cloze passage's note key)."""
    return "qz" + hashlib.sha256(f"quizapp\x1f{identity}".encode()).hexdigest()[:20]


def _deck_part(text: str) -> str:
    return " ".join(text.replace("::", ":").split())


def deck_name(card: CardSpec) -> str:
    """The Anki deck of a card: the deck title, then its section path (``A::B::C``)."""
    parts = [_deck_part(p) for p in card.section]
    title = _deck_part(card.deck_title) or card.deck
    if not parts or parts[0] != title:
        parts.insert(0, title)
    return "::".join(p for p in parts if p)


def anki_tags(card: CardSpec) -> tuple[str, ...]:
    """The card's tags (deck id, deck tags, section tags) in Anki's form: no spaces."""
    out: dict[str, None] = {}
    for tag in (card.deck, *card.tags):
        clean = re.sub(r"\s+", "_", tag.strip())
        if clean:
            out.setdefault(clean, None)
    return tuple(out)


def basic_fields(card: CardSpec) -> tuple[str, ...]:
    return (
        field_html(card.prompt),
        field_html(card.answer),
        plain_html(card.context),
        plain_html(card.location),
        field_html(card.extra),
    )


def cloze_fields(card: CardSpec) -> tuple[str, ...]:
    return (
        field_html(card.cloze_text or card.answer),
        field_html(card.extra),
        plain_html(card.context),
        plain_html(card.location),
    )


def build_notes(cards: Iterable[CardSpec]) -> list[ExportNote]:
    """Group card specs into export notes, in the order the cards come."""
    notes: list[ExportNote] = []
    clozes: dict[str, tuple[CardSpec, list[CardSpec]]] = {}
    order: list[tuple[str, str | CardSpec]] = []
    for card in cards:
        if card.kind == "cloze" and card.cloze_number:
            if card.note_key not in clozes:
                clozes[card.note_key] = (card, [])
                order.append(("cloze", card.note_key))
            clozes[card.note_key][1].append(card)
        else:
            order.append(("basic", card))
    for kind, item in order:
        if kind == "basic":
            assert isinstance(item, CardSpec)
            notes.append(
                ExportNote(
                    guid=guid_for(item.key),
                    kind="basic",
                    deck_name=deck_name(item),
                    fields=basic_fields(item),
                    tags=anki_tags(item),
                    cards=(ExportCard(item.key, 0),),
                )
            )
        else:
            assert isinstance(item, str)
            first, members = clozes[item]
            numbered = sorted(members, key=lambda c: c.cloze_number or 0)
            notes.append(
                ExportNote(
                    guid=guid_for(item),
                    kind="cloze",
                    deck_name=deck_name(first),
                    fields=cloze_fields(first),
                    tags=anki_tags(first),
                    cards=tuple(ExportCard(c.key, (c.cloze_number or 1) - 1) for c in numbered),
                )
            )
    return notes


def select_cards(result: LoadResult, deck_ids: Sequence[str] = ()) -> list[CardSpec]:
    """The cards of the chosen decks (all decks when none are named), in deck order.

    Raises :class:`UnknownDeck` for an unknown deck id, :class:`ExportError` when there is
    nothing to export.
    """
    known = {d.id: d for d in result.decks}
    unknown = [d for d in deck_ids if d not in known]
    if unknown:
        raise UnknownDeck(unknown[0], sorted(known))
    chosen = [known[d] for d in dict.fromkeys(deck_ids)] if deck_ids else list(result.decks)
    cards = [c for d in chosen for c in d.cards]
    if not cards:
        raise ExportError("no cards to export")
    return cards
