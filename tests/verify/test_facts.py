"""A card's Keras facts (compute fields and checks) live on its row from the sync on: the review
service and the child process read them there, never from the deck file."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.library import load_library
from quizapp.notes.model import CardSpec
from quizapp.review import ReviewService
from quizapp.store.db import downgrade, open_database
from quizapp.store.models import CardRow
from quizapp.verify.child import check_in_child
from quizapp.verify.model import NOT_VERIFIED, KerasFacts, Verification
from tests.store.util import write_deck
from tests.tui.helpers import CALC_DECK, DEMO_DECK

BROKEN_TF = "raise ImportError('libtensorflow_framework.so.2: cannot open shared object file')\n"


@pytest.fixture
def decks(deck_dir: Path) -> Path:
    (deck_dir / "calc.md").write_text(CALC_DECK, encoding="utf-8")
    (deck_dir / "demo.md").write_text(DEMO_DECK, encoding="utf-8")
    return deck_dir


@pytest.fixture
def service(decks: Path, tmp_path: Path):
    svc = ReviewService(tmp_path / "q.sqlite3", [decks])
    svc.sync()
    yield svc
    svc.close()


@pytest.fixture
def broken_tensorflow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TensorFlow's import fails in the check's child process."""
    shim = tmp_path / "shim" / "tensorflow"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(BROKEN_TF)
    monkeypatch.setenv("PYTHONPATH", str(shim.parent))


def _row_facts(service: ReviewService) -> dict[str, KerasFacts | None]:
    """Every current card's facts, as its row keeps them."""
    with service.db.session() as s:
        rows = s.scalars(select(CardRow).where(CardRow.retired.is_(False)))
        return {r.key: KerasFacts.from_row(r) for r in rows}


def _specs(service: ReviewService) -> tuple[CardSpec, ...]:
    return load_library(service.deck_dirs).cards


def test_the_sync_keeps_each_cards_facts_on_its_row(service: ReviewService) -> None:
    stored = _row_facts(service)
    assert stored["calc:lstm-10"] == KerasFacts(
        source="mydecks/calc.md",
        line=10,
        compute=(("layers", "LSTM(10)"), ("input", "(5, 1)")),
    )
    checked = next(c for c in _specs(service) if c.checks)
    assert stored[checked.key] == KerasFacts(
        source="mydecks/calc.md", line=15, checks=(('default LSTM activation = "tanh"', 17),)
    )
    assert stored[checked.key] == KerasFacts.of_card(checked)
    with_facts = {k for k, f in stored.items() if f is not None}
    assert with_facts == {"calc:lstm-10", checked.key}


def test_facts_come_from_the_row_after_the_deck_file_is_gone(
    service: ReviewService, decks: Path, broken_tensorflow: None
) -> None:
    (decks / "calc.md").unlink()  # not synced since: the row still holds the card
    assert service.verification("calc:lstm-10") == NOT_VERIFIED
    session = service.start("calc")
    card = session.next_card()
    assert card is not None and card.key == "calc:lstm-10"
    assert card.verification == NOT_VERIFIED
    # The child process finds the facts on the row too: it gets as far as loading Keras.
    assert service.verify_with_keras(card) == Verification(
        "unavailable",
        None,
        "Keras/TensorFlow cannot be imported "
        "(ImportError: libtensorflow_framework.so.2: cannot open shared object file)",
    )


def test_facts_change_only_with_a_sync(service: ReviewService, decks: Path) -> None:
    text = CALC_DECK.replace('activation = "tanh"', 'activation = "relu"')
    text = text.replace("layers: LSTM(10)", "layers: LSTM(20)")
    write_deck(decks, "calc.md", text)
    before = _row_facts(service)
    assert before["calc:lstm-10"] is not None
    assert before["calc:lstm-10"].compute == (("layers", "LSTM(10)"), ("input", "(5, 1)"))
    report = service.sync()
    assert report.updated == 2  # the computed card and the checked card, nothing else
    after = _row_facts(service)
    fact = after["calc:lstm-10"]
    assert fact is not None and fact.compute == (("layers", "LSTM(20)"), ("input", "(5, 1)"))
    checked = next(f for f in after.values() if f is not None and f.checks)
    assert checked.checks == (('default LSTM activation = "relu"', 17),)

    write_deck(
        decks, "calc.md", text.replace('<!-- check: default LSTM activation = "relu" -->', "")
    )
    service.sync()
    assert [k for k, f in _row_facts(service).items() if f is not None] == ["calc:lstm-10"]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("# Notes\n\nQ: What is 2 + 2?\nA: 4\n", False),
        ("# Notes\n\nQ: What is ```compute```?\nA: See check: this.\n", False),
        ("# N\n\n````compute {#x}\nlayers: Dense(3)\ninput: (5,)\n````\n", True),
        ("# N\n\n  ~~~ compute\nlayers: Dense(3)\ninput: (5,)\n~~~\n", True),
        ('# N\n\nQ: a?\nA: b\n<!--\n  check: default LSTM activation = "tanh" -->\n', True),
    ],
)
def test_only_compute_blocks_and_check_comments_are_facts(
    deck_dir: Path, tmp_path: Path, text: str, facts: bool
) -> None:
    (deck_dir / "deck.md").write_text(text, encoding="utf-8")
    svc = ReviewService(tmp_path / "q.sqlite3", [deck_dir])
    try:
        assert svc.sync().added >= 1
        stored = _row_facts(svc)
        assert any(f is not None for f in stored.values()) is facts
        assert any(svc.verification(k) is not None for k in stored) is facts
    finally:
        svc.close()


def test_an_upgraded_database_gets_its_facts_at_the_next_sync(decks: Path, tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    svc = ReviewService(db, [decks])
    svc.sync()
    svc.close()
    downgrade(db, "0003")  # a database from before the facts were kept on the rows
    open_database(db).close()  # migrated again: every row without facts, files to parse again
    svc = ReviewService(db, [decks])
    try:
        assert all(f is None for f in _row_facts(svc).values())
        report = svc.sync()
        assert (report.parsed_files, report.updated, report.added) == (2, 2, 0)
        assert svc.verification("calc:lstm-10") == NOT_VERIFIED
    finally:
        svc.close()


@pytest.mark.slow
def test_the_child_checks_with_keras_from_the_row_alone(
    service: ReviewService, decks: Path, tmp_path: Path
) -> None:
    keras = importlib.metadata.version("keras")
    (decks / "calc.md").write_text("# Emptied\n\nQ: What is 2 + 2?\nA: 4\n", encoding="utf-8")
    assert check_in_child(service.db.path, "calc:lstm-10") == Verification("verified", keras)
    assert service.verification("calc:lstm-10") == Verification("verified", keras)
