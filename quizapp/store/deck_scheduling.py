"""What ``quizapp optimize --apply`` stored for each deck: fitted FSRS parameters and a desired
retention (the ``deck_scheduling`` table). The deck ``""`` holds the choice for every deck.

Plain data in and out, plain SQL (:mod:`quizapp.store.plain`); which of these are used, beside
``config.toml``, is :meth:`quizapp.config.Config.with_stored`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from quizapp.store.db import Database
from quizapp.store.plain import read_time, stored_time

#: The deck id of the choice for every deck.
EVERY_DECK = ""


class StoredScheduling(NamedTuple):
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
    with db.plain_read() as conn:
        return {row[0]: _plain(row) for row in conn.execute(_SELECT)}


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
    for name, value in values.items():
        if name not in _FIELDS:
            raise ValueError(f"no stored scheduling field {name!r}")
        if isinstance(value, datetime):
            values[name] = stored_time(value)
    with db.plain_write() as con:
        con.execute(
            "INSERT INTO deck_scheduling (deck, reviews, items, source) VALUES (?, 0, 0, '')"
            " ON CONFLICT (deck) DO NOTHING",
            (deck,),
        )
        assigned = ", ".join(f"{name} = ?" for name in values)
        con.execute(
            f"UPDATE deck_scheduling SET {assigned} WHERE deck = ?", (*values.values(), deck)
        )
        return _plain(con.execute(f"{_SELECT} WHERE deck = ?", (deck,)).fetchone())


_FIELDS = StoredScheduling._fields
_SELECT = f"SELECT {', '.join(_FIELDS)} FROM deck_scheduling"


def _plain(row: tuple[Any, ...]) -> StoredScheduling:
    deck, parameters, fitted_at, reviews, items, source, loss, rmse, retention, retention_at = row
    return StoredScheduling(
        deck=deck,
        parameters=tuple(json.loads(parameters)) if parameters else None,
        fitted_at=read_time(fitted_at),
        reviews=reviews,
        items=items,
        source=source,
        log_loss=loss,
        rmse_bins=rmse,
        desired_retention=retention,
        retention_at=read_time(retention_at),
    )
