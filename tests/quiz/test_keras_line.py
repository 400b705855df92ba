"""What Keras said about a computed exam question: from the `keras_cache` table alone."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from quizapp.quiz import QuizService
from quizapp.store.oracle_cache import DbOracleCache
from quizapp.verify.compare import calls_of
from quizapp.verify.keras_oracle import KerasOracle


@pytest.fixture
def service(tmp_path: Path, deck_dir: Path):
    svc, _ = QuizService.open(tmp_path / "q.sqlite3", [deck_dir])
    yield svc
    svc.close()


def test_not_verified_until_keras_has_answered(service: QuizService) -> None:
    assert service.keras_line("LSTM(10)", (5, 1), "params") == "not verified"


@pytest.mark.slow
def test_verified_once_keras_has_answered(service: QuizService) -> None:
    KerasOracle(DbOracleCache(service.db)).stack(calls_of("LSTM(10)"), (5, 1))
    keras = importlib.metadata.version("keras")
    assert service.keras_line("LSTM(10)", (5, 1), "params") == f"verified with Keras {keras}"
    assert service.keras_line("LSTM(10)", (5, 1), "output_shape") == f"verified with Keras {keras}"
    assert service.keras_line("GRU(10)", (5, 1), "params") == "not verified"
