"""What Keras said about a computed exam question: from the `keras_cache` table alone."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from quizapp.quiz import QuizService
from quizapp.quiz.paper import keras_words
from quizapp.store.oracle_cache import DbOracleCache
from quizapp.verify.compare import calls_of
from quizapp.verify.keras_oracle import KerasOracle


@pytest.fixture
def service(tmp_path: Path, deck_dir: Path):
    svc, _ = QuizService.open(tmp_path / "q.sqlite3", [deck_dir])
    yield svc
    svc.close()


def test_not_verified_until_keras_has_answered(service: QuizService) -> None:
    said = service.keras_check("LSTM(10)", (5, 1), "params")
    assert said.status == "unverified"
    assert keras_words(said).startswith("Keras: not verified")


@pytest.mark.slow
def test_verified_once_keras_has_answered(service: QuizService) -> None:
    KerasOracle(DbOracleCache(service.db)).stack(calls_of("LSTM(10)"), (5, 1))
    keras = importlib.metadata.version("keras")
    for ask in ("params", "output_shape"):
        said = service.keras_check("LSTM(10)", (5, 1), ask)
        assert (said.status, said.keras_version) == ("verified", keras)
        assert keras_words(said) == f"Keras: ✓ verified with Keras {keras}"
    assert service.keras_check("GRU(10)", (5, 1), "params").status == "unverified"
