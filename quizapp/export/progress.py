"""A learner's progress as the export needs it: each card's FSRS state and its review log.

Read from the quizapp database through the store's queries and handed on as plain frozen
dataclasses, keyed by card key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from quizapp.export.model import ExportError
from quizapp.scheduling import SchedState


@dataclass(frozen=True)
class ReviewEntry:
    """One answer from the review log."""

    reviewed_at: datetime  # aware UTC
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    duration_ms: int
    state_before: str  # "new" | "learning" | "review" | "relearning"
    state_after: str
    due_after: datetime


@dataclass(frozen=True)
class CardProgress:
    """A card's scheduling state in quizapp, and every answer given to it, oldest first."""

    schedule: SchedState
    suspended: bool
    reviews: tuple[ReviewEntry, ...] = ()


def read_progress(db_path: Path, keys: Iterable[str]) -> dict[str, CardProgress]:
    """Each card's progress (for the given card keys) from the quizapp database.

    The database is opened read-only, as it is: never created, migrated or backed up. Cards
    the database has never seen are left out (they export as new cards). Raises
    :class:`ExportError` with a one-line message when the database is missing, unreadable or
    needs upgrading by quizapp first.
    """
    from quizapp.store import StoreError, queries
    from quizapp.store.db import open_database

    db_path = Path(db_path).expanduser()
    if not db_path.is_file():
        raise ExportError(f"no quizapp database at {db_path} (nothing to take progress from)")
    try:
        db = open_database(db_path, migrate=False)
    except StoreError as err:
        raise ExportError(str(err)) from None
    wanted = list(keys)
    try:
        with db.plain_read() as s:
            cards = queries.cards_with_keys(s, wanted)
            reviews: dict[int, list[ReviewEntry]] = {card.id: [] for card in cards}
            for card_id, at, rating, ms, before, after, due_after in queries.review_log_of(
                s, wanted
            ):
                reviews[card_id].append(ReviewEntry(at, rating, ms or 0, before, after, due_after))
    except StoreError as err:
        raise ExportError(str(err)) from None
    finally:
        db.close()
    return {
        card.key: CardProgress(
            schedule=SchedState.of(card),
            suspended=bool(card.suspended),
            reviews=tuple(reviews[card.id]),
        )
        for card in cards
    }
