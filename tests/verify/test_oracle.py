"""The Keras oracle against real Keras: signatures and defaults, rejections, checks that disagree,
the cache, and `quizapp params --verify`."""

from __future__ import annotations

import dataclasses
import inspect
import json

import pytest
from click.testing import CliRunner

from quizapp.calc.layers import REQUIRED, SPECS, Weight
from quizapp.calc.stack import analyze, parse_stack
from quizapp.cli import cli, render_verify_line
from quizapp.verify.cache import JsonOracleCache, MemoryOracleCache
from quizapp.verify.compare import calls_of, verify_check
from quizapp.verify.keras_oracle import KerasOracle

pytestmark = pytest.mark.slow  # imports TensorFlow (about 3 s)


@pytest.fixture(scope="module")
def oracle() -> KerasOracle:
    o = KerasOracle()
    o.load()
    return o


@pytest.mark.parametrize("name", sorted(SPECS))
def test_argument_names_and_defaults_follow_the_keras_signature(
    oracle: KerasOracle, name: str
) -> None:
    keras = oracle.load()
    sig = inspect.signature(getattr(keras.layers, name).__init__)
    keras_params = {
        p.name: p.default
        for p in list(sig.parameters.values())[1:]
        if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    }
    spec = SPECS[name]
    mine = {p.name: p for p in spec.params}
    missing = set(keras_params) - set(mine)
    assert not missing, f"{name}: Keras arguments the parser does not know: {missing}"
    positional = [p.name for p in spec.params if p.name not in ("name", "trainable")]
    assert positional == [a for a in keras_params if a != "name"], "positional order differs"
    for arg, default in keras_params.items():
        p = mine[arg]
        if default is inspect.Parameter.empty:
            assert p.default is REQUIRED, arg
            continue
        try:
            keras_default = p.check(name, arg, default)
        except Exception:  # arguments refused as unsupported keep Keras's default anyway
            keras_default = default
        assert p.check(name, arg, p.default) == keras_default, (name, arg)


REJECTED = [
    ("Conv2D(8, 3, strides=2, dilation_rate=2)", (28, 28, 1)),
    ("Conv1D(8, 3, strides=2, dilation_rate=2)", (28, 1)),
    ("Conv2D(8, 3, groups=2)", (28, 28, 3)),
    ("Conv2D(6, 3, groups=4)", (28, 28, 8)),
    ("Conv2D(8, 30)", (28, 28, 1)),
    ('Conv2D(8, 3, padding="causal")', (28, 28, 1)),
    ('Conv2D(8, 3, padding="full")', (28, 28, 1)),
    ("Conv2D(8, 3)", (28, 28)),
    ("Conv2DTranspose(4, 3, strides=2, output_padding=2)", (7, 7, 1)),
    ("Conv2DTranspose(4, 3, strides=2, dilation_rate=2)", (7, 7, 1)),
    ("LSTM(10)", (5,)),
    ("LSTM(10); LSTM(10)", (5, 1)),
    ("GRU(0)", (5, 1)),
    ("Dense(0)", (4,)),
    ('Dense(3, activation="rellu")', (4,)),
    ("Dropout(1.5)", (4,)),
    ("Reshape((3, 3))", (10,)),
    ("MaxPooling2D(3)", (2, 2, 1)),
    ('Bidirectional(LSTM(3), merge_mode="max")', (5, 2)),
    ("LSTM(10, input_shape=(5, 1), batch_input_shape=(2, 5, 1))", (5, 1)),
    ("LSTM(10, stateful=True)", (5, 1)),
    ("Dense(3, foo=1)", (4,)),
]


@pytest.mark.parametrize(("layers", "shape"), REJECTED)
def test_both_reject(oracle: KerasOracle, layers: str, shape: tuple) -> None:
    keras = oracle.build_stack(calls_of(layers), shape)
    assert keras["ok"] is False and keras["error"]
    assert "\n" not in keras["error"]
    with pytest.raises(ValueError):
        analyze(layers, shape)


def test_disagreeing_checks_are_reported_with_what_keras_said(oracle: KerasOracle) -> None:
    v = oracle.version
    bad = verify_check('default LSTM activation = "relu"', "deck.md:3", oracle)
    assert not bad.ok
    assert render_verify_line(bad, v) == (
        f'✗ deck.md:3  default LSTM activation = "relu"  (Keras {v}) — Keras: "tanh"'
    )
    wrong_count = verify_check("params GRU(10) on (5, 1) = 360", "deck.md:4", oracle)
    assert not wrong_count.ok and wrong_count.detail == "Keras: 390"
    not_rejected = verify_check(
        "rejects LSTM(10, return_sequences=True); LSTM(10) on (5, 1)", "d:1", oracle
    )
    assert not not_rejected.ok and "accepted, output (None, 10)" in not_rejected.detail
    rejected = verify_check("accepts Conv2D(8, 3, groups=2) on (28, 28, 3)", "d:2", oracle)
    assert not rejected.ok
    assert "Keras: rejected: ValueError: The number of input channels must be evenly divisible" in (
        rejected.detail
    )
    good = verify_check("rejects Conv2D(8, 3, strides=2, dilation_rate=2) on (28, 28, 1)", "d:3",
                        oracle)  # fmt: skip
    assert good.ok and render_verify_line(good, v).startswith("✓ d:3  rejects Conv2D")


def test_cache_means_keras_builds_once(tmp_path) -> None:
    cache = JsonOracleCache(tmp_path / "oracle.json")
    first = KerasOracle(cache)
    calls = calls_of("LSTM(10)")
    a = first.stack(calls, (5, 1))
    assert first.builds == 1
    again = KerasOracle(JsonOracleCache(tmp_path / "oracle.json"))
    b = again.stack(calls, (5, 1))
    assert again.builds == 0 and a == b and b["layers"][0]["params"] == 480
    key = ("LSTM(10)", "(5, 1)", first.version)
    assert MemoryOracleCache.get(again.cache, *key) == a  # type: ignore[arg-type]


def test_default_config_is_read_from_keras(oracle: KerasOracle) -> None:
    result = oracle.defaults("Conv2D")
    assert result["ok"]
    config = result["config"]
    assert config["padding"] == "valid"
    assert config["strides"] == [1, 1]
    assert config["activation"] == "linear"
    assert config["kernel_initializer"] == "glorot_uniform"


def test_params_verify_agrees_with_keras() -> None:
    result = CliRunner().invoke(
        cli, ["params", "Conv2D(32, 3)", "MaxPooling2D()", "Flatten()", "Dense(10)",
              "-i", "28,28,1", "--verify", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 54410
    assert data["verified"]["ok"] is True and data["verified"]["keras"].startswith("3.")
    text = CliRunner().invoke(cli, ["params", "GRU(10)", "-i", "5,1", "--verify"])
    assert "✓ Verified with Keras" in text.stdout
    assert "Loading TensorFlow and Keras" in text.stderr or text.exit_code == 0


def test_stack_parse_and_oracle_agree_on_canonical_text() -> None:
    layers = parse_stack('Conv2D(8, 3, padding="same");MaxPooling2D()')
    assert (
        "; ".join(str(layer) for layer in layers) == 'Conv2D(8, 3, padding="same"); MaxPooling2D()'
    )


def test_params_verify_names_a_difference(monkeypatch: pytest.MonkeyPatch) -> None:
    """If a formula were wrong, --verify would say so: exit 1, naming layer, number and Keras."""
    real = SPECS["Dense"]

    def off_by_one_bias(layer, shape):  # a classic mistake: a bias per input, not per unit
        result = real.compute(layer, shape)
        weights = (*result.weights[:1], Weight("bias", (shape[-1],)))
        return dataclasses.replace(result, weights=weights)

    monkeypatch.setitem(SPECS, "Dense", dataclasses.replace(real, compute=off_by_one_bias))
    result = CliRunner().invoke(cli, ["params", "Dense(10)", "-i", "784", "--verify"])
    assert result.exit_code == 1
    assert "✗ Keras 3." in result.stdout
    assert "Dense(10): params formula 8624, Keras 7850" in result.stdout
    data = json.loads(
        CliRunner().invoke(cli, ["params", "Dense(10)", "-i", "784", "--verify", "--json"]).stdout
    )
    assert data["verified"]["ok"] is False
    assert "Dense(10): params formula 8624, Keras 7850" in data["differences"]


def test_huge_layers_are_not_built(oracle: KerasOracle) -> None:
    line = verify_check("rejects Dense(1000000, lora_rank=4) on (100000,)", "d:1", oracle)
    assert not line.ok and line.detail == "Keras: too large to build with Keras"
    line = verify_check("params Dense(100000) on (100000,) = 1", "d:2", oracle)
    assert not line.ok and line.detail == "too large to build with Keras"
