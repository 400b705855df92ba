"""One typed result per card: verified, disagrees, unverified or unavailable, from the review
service (the cache) and from the check in a child process (real Keras)."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from quizapp.review import CardView, ReviewService
from quizapp.verify.model import NOT_VERIFIED, Verification

DECK = """\
---
id: facts
title: Facts
---

# Facts

Q: What is the default activation of LSTM?
A: tanh
<!-- check: default LSTM activation = "tanh" -->

Q: What is the default activation of GRU?
A: relu
<!-- check: default GRU activation = "relu" -->
"""


@pytest.fixture
def service(deck_dir: Path, tmp_path: Path):
    (deck_dir / "facts.md").write_text(DECK, encoding="utf-8")
    svc = ReviewService(tmp_path / "q.sqlite3", [deck_dir])
    svc.sync()
    yield svc
    svc.close()


def _cards(service: ReviewService) -> tuple[CardView, CardView]:
    """The right fact's card and the wrong one's, as the review screen gets them."""
    session = service.start("facts")
    right = session.next_card()
    assert right is not None and right.answer == "tanh"
    session.bury(right)
    wrong = session.next_card()
    assert wrong is not None and wrong.answer == "relu"
    session.undo()
    return right, wrong


def test_unverified_until_checked(service: ReviewService) -> None:
    right, wrong = _cards(service)
    assert right.verification == wrong.verification == NOT_VERIFIED
    assert service.verification(right.key) == Verification("unverified", None, "")


def test_unavailable_when_tensorflow_cannot_load(
    service: ReviewService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shim = tmp_path / "shim" / "keras"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('broken install')\n")
    monkeypatch.setenv("PYTHONPATH", str(shim.parent))  # seen by the child process
    right, _ = _cards(service)
    assert service.verify_with_keras(right) == Verification(
        "unavailable", None, "Keras/TensorFlow cannot be imported (ImportError: broken install)"
    )
    assert service.verification(right.key) == NOT_VERIFIED  # nothing was cached


@pytest.mark.slow
def test_verified_and_disagrees_with_real_keras(service: ReviewService) -> None:
    keras = importlib.metadata.version("keras")
    right, wrong = _cards(service)
    assert service.verify_with_keras(right) == Verification("verified", keras)
    disagrees = Verification("disagrees", keras, 'Keras: "tanh"')
    assert service.verify_with_keras(wrong) == disagrees
    # From now on both come from the cache, without TensorFlow.
    assert service.verification(right.key) == Verification("verified", keras)
    assert service.verification(wrong.key) == disagrees
    again = _cards(service)
    assert [c.verification for c in again] == [Verification("verified", keras), disagrees]
