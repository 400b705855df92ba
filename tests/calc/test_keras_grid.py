"""A seeded grid of random layer configurations, each compared with real Keras: acceptance,
parameters (total, trainable, non-trainable), output shapes and weight shapes."""

from __future__ import annotations

import random
import time

import pytest

from quizapp.calc.expr import ExprError
from quizapp.calc.families import GENERATORS, Config, random_config
from quizapp.calc.stack import analyze
from quizapp.verify.compare import calls_of, compare_stack
from quizapp.verify.keras_oracle import KerasOracle

pytestmark = pytest.mark.slow

PER_LAYER = 40
SEED = 20260

STACKS = [
    Config("LSTM(10, return_sequences=True); LSTM(10)", (5, 1)),
    Config("LSTM(10); LSTM(10)", (5, 1)),
    Config("GRU(16, return_sequences=True); GRU(8, reset_after=False); Dense(1)", (30, 4)),
    Config('Conv2D(32, 3, activation="relu"); MaxPooling2D(); Flatten(); Dense(10)', (28, 28, 1)),
    Config(
        'Conv2D(32, 3, padding="same"); Conv2D(64, 3, strides=2); GlobalAveragePooling2D()',
        (28, 28, 1),
    ),
    Config("Embedding(1000, 16); Bidirectional(LSTM(8)); Dense(1)", (20,)),
    Config("Embedding(50, 8); MultiHeadAttention(2, 4); LayerNormalization()", (12,)),
    Config('Dense(64); Dropout(0.5); BatchNormalization(); Dense(3, activation="softmax")', (20,)),
    Config("Reshape((28, 28)); SimpleRNN(4)", (784,)),
    Config("LSTM(4, return_state=True); Dense(2)", (5, 3)),
    # unknown sizes stay None
    Config("LSTM(8, return_sequences=True); GRU(4)", (None, 3)),
    Config(
        'Conv2D(8, 3, padding="same"); MaxPooling2D(); GlobalAveragePooling2D()', (None, None, 3)
    ),
    Config("Conv1D(4, 3, strides=2); Flatten()", (None, 2)),
    Config("Dense(4); Reshape((-1, 2))", (None, 6)),
    Config("Embedding(100, 8); Bidirectional(LSTM(4, return_sequences=True))", (None,)),
    Config("MultiHeadAttention(2, 4)", (None, 8)),
]


def grid() -> list[Config]:
    rng = random.Random(SEED)
    configs = [random_config(rng, name) for name in GENERATORS for _ in range(PER_LAYER)]
    return configs + STACKS


@pytest.fixture(scope="module")
def oracle() -> KerasOracle:
    o = KerasOracle()
    o.load()
    return o


def test_grid_matches_keras(oracle: KerasOracle) -> None:
    configs = grid()
    assert len(configs) >= 500
    mismatches: list[str] = []
    accepted = rejected = 0
    start = time.perf_counter()
    for cfg in configs:
        keras = oracle.build_stack(calls_of(cfg.layers), cfg.input_shape)
        try:
            mine = analyze(cfg.layers, cfg.input_shape)
        except ExprError as err:
            rejected += 1
            if keras["ok"]:
                mismatches.append(f"{cfg.layers} on {cfg.input_shape}: formulas reject ({err}), "
                                  "Keras accepts")  # fmt: skip
            continue
        accepted += 1
        for diff in compare_stack(mine, keras):
            mismatches.append(f"{cfg.layers} on {cfg.input_shape}: {diff}")
    elapsed = time.perf_counter() - start
    print(f"\n{len(configs)} configurations ({accepted} accepted, {rejected} rejected by both) "
          f"compared with Keras {oracle.version} in {elapsed:.1f} s")  # fmt: skip
    assert not mismatches, "\n".join(mismatches[:40])
    # The grid is mostly valid layers, with some that both sides must reject.
    assert accepted > 0.8 * len(configs)
    assert rejected > 0
