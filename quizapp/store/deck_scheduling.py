"""What ``quizapp optimize --apply`` stored for each deck: fitted FSRS parameters and a desired
retention (the ``deck_scheduling`` table). The deck ``""`` holds the choice for every deck.

Plain data in and out; which of these are used, beside ``config.toml``, is
:meth:`quizapp.config.Config.with_stored`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update

from quizapp.store.db import Database
from quizapp.store.tables import deck_scheduling as table

#: The deck id of the choice for every deck.
EVERY_DECK = ""


@dataclass(frozen=True)
class StoredScheduling:
    deck: str  # "" for every deck
    parameters: tuple[float, ...] | None = None
    fitted_at: datetime | None = None
    reviews: int = 0  # the reviews the parameters were fitted on
    items: int = 0
    source: str = ""  # "review log", or the file they came from
    log_loss: float | None = None
    rmse_bins: float | None = None
    desired_retention: float | None = None
    retention_at: datetime | None = None


def load_all(db: Database) -> dict[str, StoredScheduling]:
    """Every deck's stored choice, by deck id (``""``: every deck)."""
    with db.read() as conn:
        return {row.deck: _plain(row) for row in conn.execute(select(table))}


def overrides(db: Database) -> tuple[dict[str, tuple[float, ...]], dict[str, float]]:
    """The stored parameters and retentions by deck id, for
    :meth:`quizapp.config.Config.with_stored`."""
    parameters: dict[str, tuple[float, ...]] = {}
    retention: dict[str, float] = {}
    for deck, x in load_all(db).items():
        if x.parameters is not None:
            parameters[deck] = x.parameters
        if x.desired_retention is not None:
            retention[deck] = x.desired_retention
    return parameters, retention


def save_parameters(
    db: Database,
    deck: str,
    parameters: tuple[float, ...],
    *,
    at: datetime,
    reviews: int,
    items: int,
    source: str,
    log_loss: float,
    rmse_bins: float,
) -> StoredScheduling:
    return _save(
        db,
        deck,
        parameters=json.dumps([float(x) for x in parameters]),
        fitted_at=at,
        reviews=reviews,
        items=items,
        source=source,
        log_loss=log_loss,
        rmse_bins=rmse_bins,
    )


def save_retention(db: Database, deck: str, retention: float, *, at: datetime) -> StoredScheduling:
    return _save(db, deck, desired_retention=retention, retention_at=at)


def _save(db: Database, deck: str, **values: Any) -> StoredScheduling:
    """Set these fields of the deck's choice (made first if the deck has none) in one
    transaction; the choice as stored."""
    mine = table.c.deck == deck
    with db.write() as s:
        if s.execute(select(table.c.deck).where(mine)).first() is None:
            s.execute(insert(table).values(deck=deck, reviews=0, items=0, source=""))
        s.execute(update(table).where(mine).values(**values))
        return _plain(s.execute(select(table).where(mine)).one())


def _plain(row: Row[Any]) -> StoredScheduling:
    return StoredScheduling(
        deck=row.deck,
        parameters=tuple(json.loads(row.parameters)) if row.parameters else None,
        fitted_at=row.fitted_at,
        reviews=row.reviews,
        items=row.items,
        source=row.source,
        log_loss=row.log_loss,
        rmse_bins=row.rmse_bins,
        desired_retention=row.desired_retention,
        retention_at=row.retention_at,
    )
