"""A deck's stored personal scheduling: fitted parameters and a chosen retention."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from quizapp.store import deck_scheduling as ds
from quizapp.store.db import open_database

AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PARAMS = tuple(round(0.1 * i + 0.05, 4) for i in range(21))


def test_parameters_and_retention_are_kept_per_deck_and_survive_reopening(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.sqlite3")
    assert ds.load_all(db) == {}
    ds.save_parameters(
        db, "a", PARAMS, at=AT, reviews=1200, items=600, source="review log",
        log_loss=0.41, rmse_bins=0.05,
    )  # fmt: skip
    ds.save_retention(db, "a", 0.85, at=AT)
    ds.save_retention(db, ds.EVERY_DECK, 0.8, at=AT)
    db.close()

    db = open_database(tmp_path / "q.sqlite3")
    stored = ds.load_all(db)
    assert set(stored) == {"a", ""}
    a = stored["a"]
    assert a.parameters == PARAMS and a.fitted_at == AT
    assert (a.reviews, a.items, a.source) == (1200, 600, "review log")
    assert (a.log_loss, a.rmse_bins, a.desired_retention) == (0.41, 0.05, 0.85)
    assert stored[""].parameters is None and stored[""].desired_retention == 0.8
    # Fitting again replaces the parameters and keeps the chosen retention.
    again = ds.save_parameters(
        db, "a", PARAMS[::-1], at=AT, reviews=1300, items=650, source="log.csv",
        log_loss=0.4, rmse_bins=0.04,
    )  # fmt: skip
    assert again.parameters == PARAMS[::-1] and again.desired_retention == 0.85
    db.close()
