"""A deck reviewed through the review service for 45 days: enough history to fit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.review import ReviewService
from tests.store.util import Clock, qa_deck, write_deck

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
END = T0 + timedelta(days=45)
CONFIG = "new_cards_per_day = 30\nfuzz = false\n"


def play(root: Path) -> tuple[Path, Path, Path]:
    """``(database, deck directory, config.toml)`` under ``root``: deck ``pets``, 30 cards,
    learnt on day 0 (Good through the steps), then reviewed when due with a mix of grades."""
    decks = root / "decks"
    decks.mkdir()
    write_deck(decks, "pets.md", qa_deck("pets", [(f"Pet {i}?", f"p{i}") for i in range(30)]))
    cfg = root / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    clock = Clock(T0)
    service = ReviewService(root / "q.sqlite3", [decks], config_path=cfg, clock=clock)
    assert service.sync().errors == []
    ratings, n = (3, 3, 3, 1, 3, 4, 3, 2, 3, 3, 1), 0
    for day in range(45):
        clock.now = T0 + timedelta(days=day)
        session = service.start()
        step = session.step()
        while step.card is not None:
            card = step.card
            rating = 3 if card.state in ("new", "learning") else ratings[n % len(ratings)]
            n += 1
            step = session.answer(card, rating, 3000)
            clock.advance(seconds=7)
    service.close()
    return root / "q.sqlite3", decks, cfg
