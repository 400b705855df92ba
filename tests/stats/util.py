"""Helpers for the statistics tests: real deck files synced into a real SQLite file, then
cards put in known states and review logs written with known answers."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from quizapp.config import Config
from quizapp.library import load_library
from quizapp.stats import Stats, StatsReader, stats_json
from quizapp.store.db import Database, open_database
from quizapp.store.models import CardRow, ReviewLogRow
from quizapp.store.sync import sync_library
from tests.store.util import qa_deck, write_deck

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(y: int, mo: int, d: int, h: int, mi: int = 0, *, fold: int = 0) -> datetime:
    """A local time in Berlin (``fold=1``: the second of a repeated hour), as aware UTC."""
    return datetime(y, mo, d, h, mi, tzinfo=BERLIN, fold=fold).astimezone(UTC)


@pytest.fixture
def berlin_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with the process's local time zone set to Europe/Berlin (daylight saving time from
    the last Sunday of March to the last Sunday of October)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@dataclass
class Store:
    """A database with decks synced from real files, and helpers to set up known histories."""

    db: Database
    ids: dict[str, int]  # card name (the question's first word) → id

    def card(self, name: str, **state: object) -> None:
        """Put a card in a known state (columns of the cards table)."""
        with self.db.session(write=True) as s:
            s.execute(update(CardRow).where(CardRow.id == self.ids[name]).values(**state))

    def answer(
        self,
        name: str,
        at: datetime,
        rating: int,
        state: str = "review",
        interval: float | None = None,
        elapsed: float | None = None,
        seconds: float = 10.0,
    ) -> None:
        """One answer in the review log, as the review service writes it."""
        if state != "new":
            assert interval is not None and elapsed is not None, "a studied card has both"
        with self.db.session(write=True) as s:
            s.add(
                ReviewLogRow(
                    card_id=self.ids[name],
                    rating=rating,
                    reviewed_at=at,
                    duration_ms=round(seconds * 1000),
                    state_before=state,
                    state_after="review" if rating > 1 else "relearning",
                    due_before=None if interval is None else at,
                    due_after=at + timedelta(days=1),
                    card_before=json.dumps({}),
                    interval_before=interval,
                    elapsed_before=elapsed,
                )
            )

    def stats(
        self, now: datetime, deck: str | None = None, config: Config | None = None, **kw: object
    ) -> Stats:
        reader = StatsReader(self.db, config or Config(), now=now, deck=deck, **kw)  # type: ignore[arg-type]
        return reader.collect()

    def json(self, now: datetime, deck: str | None = None, **kw: object) -> dict[str, object]:
        return stats_json(self.stats(now, deck, **kw))  # type: ignore[arg-type]


def make_store(tmp_path: Path, decks: dict[str, list[str]]) -> Store:
    """Decks of Q/A cards named by the first word of their question (unique across decks)."""
    deck_dir = tmp_path / "decks"
    deck_dir.mkdir(exist_ok=True)
    for deck_id, names in decks.items():
        questions = [(f"{name} is what?", f"{name} is this.") for name in names]
        write_deck(deck_dir, f"{deck_id}.md", qa_deck(deck_id, questions, f"Deck {deck_id}"))
    db = open_database(tmp_path / "q.sqlite3")
    report = sync_library(db, [deck_dir], load_library)
    assert report.errors == []
    with db.session() as s:
        rows = s.execute(select(CardRow.id, CardRow.prompt)).all()
    return Store(db, {prompt.split()[0]: cid for cid, prompt in rows})
