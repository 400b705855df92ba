"""Checking one review card with Keras in a child process: what comes back when it cannot run.

(The full check with real Keras is driven through the review app in tests/tui/test_keras_label.py.)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quizapp.library import load_library
from quizapp.notes.model import CardSpec
from quizapp.review import ReviewService
from quizapp.verify.child import check_in_child
from quizapp.verify.model import NOT_VERIFIED, Verification
from tests.tui.helpers import CALC_DECK, DEMO_DECK

GONE = "the card is no longer in its deck file"
NO_FACTS = "the card has no Keras facts to check"


@pytest.fixture
def decks(deck_dir: Path) -> Path:
    (deck_dir / "calc.md").write_text(CALC_DECK, encoding="utf-8")
    (deck_dir / "demo.md").write_text(DEMO_DECK, encoding="utf-8")
    return deck_dir


def test_labels_from_the_cache_without_tensorflow(decks: Path, tmp_path: Path) -> None:
    service = ReviewService(tmp_path / "q.sqlite3", [decks])
    try:
        service.sync()
        calc, demo = decks / "calc.md", decks / "demo.md"
        computed = _cards(decks, calc)[0]
        assert computed.key == "calc:lstm-10" and computed.answer == "480"
        assert service.verification("calc:lstm-10") == NOT_VERIFIED
        lstm_default, plain = _cards(decks, calc)[1:]
        assert lstm_default.checks and service.verification(lstm_default.key) == NOT_VERIFIED
        assert service.verification(plain.key) is None
        assert all(service.verification(c.key) is None for c in _cards(decks, demo))
        assert service.verification("calc:no-such-card") is None
    finally:
        service.close()


def _cards(decks: Path, path: Path) -> list[CardSpec]:
    return [c for d in load_library([decks], files=[path]).decks for c in d.cards]


def _synced(decks: Path, db: Path) -> None:
    service = ReviewService(db, [decks])
    try:
        service.sync()
    finally:
        service.close()


def test_a_card_gone_from_its_file_or_without_keras_facts(decks: Path, tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    calc = decks / "calc.md"
    _synced(decks, db)
    assert check_in_child(db, "calc:nope") == Verification("unverified", None, GONE)
    plain = _cards(decks, calc)[-1]
    assert plain.prompt == "What is 2 + 2?"
    assert check_in_child(db, plain.key) == Verification("unverified", None, NO_FACTS)
    calc.write_text(CALC_DECK.replace("```compute {#lstm-10}", "```compute {#lstm-20}"))
    _synced(decks, db)  # the card is retired: its key is gone from the file
    assert check_in_child(db, "calc:lstm-10") == Verification("unverified", None, GONE)


def test_a_cancelled_check_stops_at_once(decks: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    label = check_in_child(tmp_path / "q.sqlite3", "calc:lstm-10", cancelled=lambda: True)
    assert label == Verification("unverified", None, "check cancelled")
    assert time.monotonic() - started < 5
    assert not (tmp_path / "q.sqlite3").exists()  # the child never got as far as the database
