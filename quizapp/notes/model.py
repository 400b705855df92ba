"""The plain data the notes room hands on: card specs, decks, and deck errors.

The records are named tuples, not dataclasses: every command imports this module, and a
dataclass compiles its generated methods when it is defined (about 14 million instructions for
these four, some 4 % of ``quizapp due``), where a named tuple compiles one small function.
Change one with ``_replace``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NamedTuple

CardKind = Literal["definition", "reverse", "table", "list", "cloze", "qa", "computed"]

SECTION_SEPARATOR = " › "


class DeckError(Exception):
    """A problem in a deck file, located at ``path:line``."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = Path(path)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CardSpec(NamedTuple):
    """One card, as the notes describe it.

    ``prompt``, ``answer`` and ``extra`` are Markdown-flavoured plain text: fenced code blocks
    (```` ``` ````) are code, everything else is literal text that must never be interpreted as
    markup. ``note_key`` groups siblings (the clozes of one passage, a term and its reverse).
    """

    key: str
    note_key: str
    deck: str
    deck_title: str
    section: tuple[str, ...]
    kind: CardKind
    prompt: str
    answer: str
    source: str  # "decks/keras-basics.md" (relative to the deck directory's parent)
    line: int
    tags: tuple[str, ...] = ()
    extra: str = ""  # explanation, correction of the notes, derivation
    # Cloze cards: the passage with its {{cN::...}} markers, and which number this card asks.
    cloze_text: str | None = None
    cloze_number: int | None = None
    # Computed cards: the block's fields (layers, input, ask, notes, ...), filled in by calc.
    compute: tuple[tuple[str, str], ...] = ()
    # Keras-checked facts attached to this card (the check language belongs to calc), and the
    # line each one is on.
    checks: tuple[str, ...] = ()
    check_lines: tuple[int, ...] = ()
    # Lint rules silenced on this card's construct by <!-- ok: RULE -->.
    lint_ok: tuple[str, ...] = ()

    def check_line(self, index: int) -> int:
        return self.check_lines[index] if index < len(self.check_lines) else self.line

    def check_location(self, index: int) -> str:
        return f"{self.source}:{self.check_line(index)}"

    @property
    def context(self) -> str:
        return SECTION_SEPARATOR.join(self.section)

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


class Deck(NamedTuple):
    """A parsed deck file."""

    id: str
    title: str
    path: Path
    source: str
    cards: tuple[CardSpec, ...]
    options: tuple[tuple[str, str], ...] = ()
    content_hash: str = ""


class Segment(NamedTuple):
    """A piece of card text: ``text`` (literal) or ``code`` (with its language)."""

    kind: Literal["text", "code"]
    text: str
    lang: str = ""


class LoadResult(NamedTuple):
    decks: tuple[Deck, ...] = ()
    errors: tuple[DeckError, ...] = ()

    @property
    def cards(self) -> tuple[CardSpec, ...]:
        return tuple(c for d in self.decks for c in d.cards)
