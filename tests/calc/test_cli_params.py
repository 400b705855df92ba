"""`quizapp params` without Keras: the table, the JSON, one-line errors, and no TensorFlow."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from click.testing import CliRunner

from quizapp.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_params_json_matches_the_documented_shape() -> None:
    result = run("params", "LSTM(10)", "--input-shape", "5,1", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "input_shape": [5, 1],
        "layers": [
            {
                "layer": "LSTM(10)",
                "output_shape": [None, 10],
                "params": 480,
                "trainable": 480,
                "non_trainable": 0,
                "formula": "4 × (1 + 1 + 10) × 10 = 480",
            }
        ],
        "total": 480,
        "trainable": 480,
        "non_trainable": 0,
        "verified": None,
    }


def test_params_table_like_model_summary() -> None:
    result = run(
        "params", "LSTM(10, return_sequences=True)", "LSTM(10)", "Dense(1)", "-i", "(5, 1)"
    )
    assert result.exit_code == 0
    out = result.stdout
    rows = [ln.split() for ln in out.splitlines() if ln.startswith(("LSTM", "Dense"))]
    assert [r[-1] for r in rows] == ["480", "840", "11"]
    assert "    4 × (10 + 1 + 10) × 10 = 840" in out
    assert "Total params: 1331" in out
    assert "Trainable params: 1331" in out
    assert "Non-trainable params: 0" in out
    assert "Not verified against Keras" in out


def test_params_accepts_a_semicolon_stack_and_non_trainable() -> None:
    result = run("params", "Dense(8); BatchNormalization()", "--input-shape", "4", "--json")
    data = json.loads(result.stdout)
    assert [layer["params"] for layer in data["layers"]] == [40, 32]
    assert (data["total"], data["trainable"], data["non_trainable"]) == (72, 56, 16)


def test_params_errors_are_one_line() -> None:
    cases = [
        (["Conv2D(8, 3, padin='same')", "-i", "28,28,1"],
         "Error: Conv2D: unknown argument 'padin' (did you mean 'padding'?)"),
        (["LSTM(10)", "LSTM(10)", "-i", "5,1"], "add return_sequences=True to LSTM(10)"),
        (["LSTM(10)", "-i", "5,x"], "Error: input shape sizes must be whole numbers or None"),
        (["Dense(100000)", "-i", "100000", "--verify"],
         "Error: 10000100000 parameters is too large to build with Keras"),
    ]  # fmt: skip
    for args, message in cases:
        result = CliRunner().invoke(cli, ["params", *args])
        assert result.exit_code == 1, args
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output


def test_params_help() -> None:
    result = run("params", "--help")
    assert "--input-shape" in result.stdout and "--verify" in result.stdout


def test_params_without_verify_never_imports_tensorflow() -> None:
    script = textwrap.dedent(
        """
        import sys
        from quizapp.cli import cli
        try:
            cli.main(["params", "LSTM(10, return_sequences=True)", "Bidirectional(GRU(4))",
                      "-i", "5,1"],
                     standalone_mode=False)
            cli.main(["params", "Conv2D(8, 3)", "-i", "28,28,1", "--json"],
                     standalone_mode=False)
        finally:
            heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))
            print("HEAVY:", heavy)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "Total params: 864" in proc.stdout  # 480 + 2 × 3 × 4 × (4 + 10 + 2)
    assert "HEAVY: []" in proc.stdout
