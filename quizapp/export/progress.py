"""A learner's progress as the export needs it: each card's FSRS state and its review log.

Read from the quizapp database through the store's models and handed on as plain frozen
dataclasses, keyed by card key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from quizapp.export.model import ExportError


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

    state: str  # "new" | "learning" | "review" | "relearning"
    due: datetime | None
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    reviews: tuple[ReviewEntry, ...] = ()


def read_progress(db_path: Path, keys: Iterable[str]) -> dict[str, CardProgress]:
    """Each card's progress (for the given card keys) from the quizapp database.

    Cards the database has never seen are left out (they export as new cards). Raises
    :class:`ExportError` with a one-line message when the database is missing or unreadable.
    """
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from quizapp.store import StoreError
    from quizapp.store.db import open_database
    from quizapp.store.models import CardRow, ReviewLogRow

    db_path = Path(db_path).expanduser()
    if not db_path.is_file():
        raise ExportError(f"no quizapp database at {db_path} (nothing to take progress from)")
    wanted = set(keys)
    try:
        db = open_database(db_path)
    except StoreError as err:
        raise ExportError(str(err)) from None
    try:
        with db.session() as s:
            rows = s.execute(
                select(
                    CardRow.id,
                    CardRow.key,
                    CardRow.state,
                    CardRow.due,
                    CardRow.stability,
                    CardRow.difficulty,
                    CardRow.last_review,
                    CardRow.reps,
                    CardRow.lapses,
                    CardRow.suspended,
                )
            ).all()
            by_id = {r.id: r for r in rows if r.key in wanted}
            reviews: dict[int, list[ReviewEntry]] = {cid: [] for cid in by_id}
            log = s.execute(
                select(
                    ReviewLogRow.card_id,
                    ReviewLogRow.reviewed_at,
                    ReviewLogRow.rating,
                    ReviewLogRow.duration_ms,
                    ReviewLogRow.state_before,
                    ReviewLogRow.state_after,
                    ReviewLogRow.due_after,
                ).order_by(ReviewLogRow.reviewed_at, ReviewLogRow.id)
            )
            for cid, at, rating, ms, before, after, due_after in log:
                entries = reviews.get(cid)
                if entries is not None:
                    entries.append(ReviewEntry(at, rating, ms or 0, before, after, due_after))
    except SQLAlchemyError as err:
        raise ExportError(f"cannot read {db_path}: {err.__class__.__name__}") from None
    finally:
        db.close()
    return {
        r.key: CardProgress(
            state=r.state,
            due=r.due,
            stability=r.stability,
            difficulty=r.difficulty,
            last_review=r.last_review,
            reps=r.reps,
            lapses=r.lapses,
            suspended=bool(r.suspended),
            reviews=tuple(reviews[cid]),
        )
        for cid, r in by_id.items()
    }
