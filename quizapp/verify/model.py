"""The plain data of the verify room: what a card states about Keras, and what Keras said."""

from __future__ import annotations

import json
from typing import Any, Literal, NamedTuple, Protocol, get_args

from quizapp.notes.model import CardSpec

Status = Literal["verified", "disagrees", "unverified", "unavailable"]
STATUSES: tuple[Status, ...] = get_args(Status)


class Verification(NamedTuple):
    """How far Keras agrees with a card's facts (or a stack's numbers). Only the UI and the CLI
    turn it into words.

    - ``verified``: Keras ``keras_version`` agrees with every fact;
    - ``disagrees``: Keras ``keras_version`` says otherwise; ``detail`` is the first difference;
    - ``unverified``: not checked yet (nothing in the cache), or the check did not finish;
      ``detail`` says why when there is a reason (``"check cancelled"``);
    - ``unavailable``: Keras cannot be loaded; ``detail`` says why.
    """

    status: Status
    keras_version: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "keras_version": self.keras_version, "detail": self.detail}

    @classmethod
    def from_json(cls, data: Any) -> Verification | None:
        """The result as :meth:`to_json` wrote it; None for anything else."""
        if not isinstance(data, dict) or data.get("status") not in STATUSES:
            return None
        version = data.get("keras_version")
        return cls(
            data["status"], None if version is None else str(version), str(data.get("detail", ""))
        )


NOT_VERIFIED = Verification("unverified")


class KerasFacts(NamedTuple):
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
    def from_row(cls, row: StoredFacts) -> KerasFacts | None:
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


class StoredFacts(Protocol):
    """The columns of a card row that hold its facts (``quizapp.store.models.CardRow``)."""

    source: str
    line: int
    compute: str | None  # JSON [[field, value], ...]
    checks: str | None  # JSON [[check, line], ...]
