"""The plain data of the verify room: what a card states about Keras."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizapp.notes.model import CardSpec

if TYPE_CHECKING:
    from quizapp.store.models import CardRow


@dataclass(frozen=True)
class KerasFacts:
    """What one card states about Keras: a computed card's compute block, and its checks.

    Made from a card spec (``quizapp decks verify``) or read from the card's row, where the
    sync keeps them, so no one parses a deck file again to find them.
    """

    source: str  # "decks/keras-basics.md"
    line: int
    compute: tuple[tuple[str, str], ...] | None = None  # the block's fields; None: not computed
    checks: tuple[tuple[str, int], ...] = ()  # each check's text and the line it is on

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"

    def check_location(self, index: int) -> str:
        return f"{self.source}:{self.checks[index][1]}"

    @classmethod
    def of_card(cls, card: CardSpec) -> KerasFacts | None:
        """The card's facts; None for a card with none (not computed, no checks)."""
        if card.kind != "computed" and not card.checks:
            return None
        return cls(
            source=card.source,
            line=card.line,
            compute=card.compute if card.kind == "computed" else None,
            checks=tuple((text, card.check_line(i)) for i, text in enumerate(card.checks)),
        )

    @classmethod
    def from_row(cls, row: CardRow) -> KerasFacts | None:
        """The facts the sync kept on a card row (its JSON ``compute`` and ``checks`` columns)."""
        if row.compute is None and row.checks is None:
            return None
        compute = None if row.compute is None else json.loads(row.compute)
        checks = [] if row.checks is None else json.loads(row.checks)
        return cls(
            source=row.source,
            line=row.line,
            compute=None if compute is None else tuple((k, v) for k, v in compute),
            checks=tuple((text, int(line)) for text, line in checks),
        )
