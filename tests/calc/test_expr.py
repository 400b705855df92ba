"""Layer expressions are read as data: what is accepted, and every kind of refusal with its
one-line message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.calc.expr import ExprError, LayerCall, parse_shape
from quizapp.calc.stack import analyze, parse_layer, parse_stack


def test_keras_spelling_is_read_as_data() -> None:
    layer = parse_layer('Conv2D(32, 3, strides=2, padding="same")')
    assert layer.name == "Conv2D"
    assert layer.config["filters"] == 32
    assert layer.config["kernel_size"] == (3, 3)
    assert layer.config["strides"] == (2, 2)
    assert layer.config["padding"] == "same"
    assert layer.config["data_format"] == "channels_last"  # default filled in
    assert str(layer) == 'Conv2D(32, 3, strides=2, padding="same")'


def test_nested_wrapper_layer() -> None:
    layer = parse_layer('Bidirectional(GRU(8, reset_after=False), merge_mode="sum")')
    assert isinstance(layer.config["layer"], LayerCall)
    assert layer.inner is not None and layer.inner.config["reset_after"] is False
    assert layer.config["merge_mode"] == "sum"


def test_stack_split_at_semicolons_and_lists_read_as_tuples() -> None:
    layers = parse_stack("LSTM(10, return_sequences=True); LSTM(5); Reshape([5, 1])")
    assert [layer.name for layer in layers] == ["LSTM", "LSTM", "Reshape"]
    assert layers[2].config["target_shape"] == (5, 1)


@pytest.mark.parametrize(
    ("text", "shape"),
    [("5,1", (5, 1)), ("(28, 28, 1)", (28, 28, 1)), ("784", (784,)), ("(None, 8)", (None, 8))],
)
def test_input_shapes(text: str, shape: tuple) -> None:
    assert parse_shape(text) == shape


REFUSALS = [
    # unknown layer, with the closest name
    ("LTSM(10)", "unknown layer 'LTSM' (did you mean 'LSTM'?)"),
    ("Conv2d(8, 3)", "unknown layer 'Conv2d' (did you mean 'Conv2D'?)"),
    # unknown or misspelled argument, with the closest name
    ('Conv2D(8, 3, padin="same")', "Conv2D: unknown argument 'padin' (did you mean 'padding'?)"),
    (
        "LSTM(10, return_sequence=True)",
        "LSTM: unknown argument 'return_sequence' (did you mean 'return_sequences'?)",
    ),
    (
        "GRU(4, reset_afterr=False)",
        "GRU: unknown argument 'reset_afterr' (did you mean 'reset_after'?)",
    ),
    ("LSTM(10, input_shape=(5, 1))", "LSTM: input_shape is not a layer argument here"),
    # wrong types
    ('Dense("ten")', 'Dense: units must be a positive whole number, got "ten"'),
    ("Dense(10.5)", "Dense: units must be a positive whole number, got 10.5"),
    ("Dense(0)", "Dense: units must be a positive whole number, got 0"),
    ("LSTM(10, return_sequences=1)", "LSTM: return_sequences must be True or False, got 1"),
    ('Conv2D(8, 3, padding="full")', 'Conv2D: padding must be one of "valid", "same"'),
    (
        'Dense(3, activation="rellu")',
        "Dense: unknown activation 'rellu' for activation (did you mean 'relu'?)",
    ),
    ("Dense(3, use_bias=true)", "unknown name 'true' (did you mean True?)"),
    ("Conv2D(8, (3, 3, 3))", "Conv2D: kernel_size must be a positive whole number or a tuple of 2"),
    ("Dense()", "Dense: missing required argument 'units' (e.g. Dense(1))"),
    ("Dense(3, units=4)", "Dense: argument 'units' given twice"),
    ("Dense(" + ", ".join(["1"] * 14) + ")", "Dense takes at most 13 positional arguments"),
    ("Bidirectional(Dense(3))", "Bidirectional: layer must be a recurrent layer"),
    # combinations Keras rejects
    (
        "Conv2D(8, 3, strides=2, dilation_rate=2)",
        "Conv2D: strides > 1 cannot be combined with dilation_rate > 1",
    ),
    ("Conv2D(6, 3, groups=4)", "Conv2D: filters (6) must be divisible by groups (4)"),
    (
        "Conv2DTranspose(4, 3, strides=2, output_padding=2)",
        "Conv2DTranspose: output_padding (2) must be smaller than strides (2)",
    ),
    # anything that is not a literal or a layer call
    (
        "keras.layers.Dense(3)",
        "attribute access is not allowed: write Dense(...) instead of keras.layers.Dense(...)",
    ),
    ("Dense(units.real)", "attribute access is not allowed: units.real"),
    ("Dense(int('3'))", "unknown layer 'int'"),
    ("__import__('os').system('touch pwned')", "attribute access is not allowed"),
    ("Dense(n)", "names are not allowed: 'n'"),
    ("Dense(3 * 4)", "operators are not allowed (write the number itself): 3 * 4"),
    ("Dense([i for i in range(3)])", "comprehensions are not allowed"),
    ("Dense(lambda: 3)", "lambdas are not allowed"),
    ("Dense(3)[0]", "indexing is not allowed"),
    ("Dense(*args)", "* and ** arguments are not allowed in Dense(...)"),
    ("Dense(**kw)", "* and ** arguments are not allowed in Dense(...)"),
    ("Dense({'a': 1})", "dictionaries are not allowed"),
    ('Dense(f"{3}")', "f-strings are not allowed"),
    ("Dense(99999999999999999999)", "number too large: 99999999999999999999 (at most 1000000)"),
    ("Dense(1e308)", "number out of range: 1e308"),
    ("Dense(" * 40 + "1" + ")" * 40, "nested too deeply (at most 6 levels)"),
    ("Dense(" + "1, " * 900 + "1)", "layer list too long"),
    ("Dense(3", "cannot read layer expression 'Dense(3': '(' was never closed"),
    ("Dense", "Dense must be called, e.g. Dense(...)"),
    ("3", "not a layer call: '3'"),
    ("", "empty layer list"),
    ("Dense(3);; Dense(2)", "empty layer in"),
]


@pytest.mark.parametrize(("text", "message"), REFUSALS)
def test_refusals_name_the_problem_in_one_line(text: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        parse_stack(text)
    msg = str(info.value)
    assert message in msg
    assert "\n" not in msg and len(msg) < 300


def test_refusal_never_runs_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for text in [
        "__import__('os').system('touch pwned')",
        "Dense(__import__('os').system('touch pwned'))",
        'Dense(exec(\'open("pwned", "w")\'))',
        "Dense(eval('1'))",
    ]:
        with pytest.raises(ExprError):
            parse_stack(text)
    assert not (tmp_path / "pwned").exists()


def test_hostile_input_is_refused_quickly() -> None:
    hostile = [
        "Dense(" + "9" * 1990 + ")",
        "(" * 1999,
        "Dense(" + "[" * 500 + "]" * 500 + ")",
        "Dense(" + ", ".join(["1"] * 600) + ")",
        "x" * 100_000,
    ]
    for text in hostile:
        start = time.perf_counter()
        with pytest.raises(ExprError):
            parse_stack(text)
        assert time.perf_counter() - start < 0.5, text[:30]


@pytest.mark.parametrize(
    ("layers", "shape", "message"),
    [
        (
            "Conv2D(8, 3, groups=2)",
            "(28, 28, 3)",
            "Conv2D(8, 3, groups=2): input channels (3) must be divisible by groups (2)",
        ),
        (
            "LSTM(10); LSTM(10)",
            "(5, 1)",
            "LSTM(10) needs a sequence (batch, timesteps, features) but LSTM(10) returns only its "
            "last output (None, 10); add return_sequences=True to LSTM(10)",
        ),
        (
            "LSTM(10)",
            "(5,)",
            "LSTM(10): expects 3D input (batch, timesteps, features), got (None, 5)",
        ),
        ("Conv2D(8, 5)", "(3, 3, 1)", "output size would be -1 along height"),
        ("Reshape((3, 3))", "(10,)", "cannot reshape (10,) (10 values) into (3, 3) (9 values)"),
        ("LSTM(4, return_state=True); Dense(2)", "(5, 3)", "returns 3 tensors"),
        ("MaxPooling2D(3)", "(2, 2, 1)", "pool_size 3 is larger than the input (2) along height"),
    ],
)
def test_input_dependent_refusals(layers: str, shape: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        analyze(layers, shape)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5, 0", "input shape sizes must be positive"),
        ("(5, 'a')", "input shape sizes must be whole numbers or None"),
        ("(1, 2, 3, 4, 5, 6, 7)", "input shape has 7 axes; at most 6"),
        ("(1000000,)", "input size 1000000 too large"),
        ("5 1", "cannot read input shape"),
    ],
)
def test_bad_input_shapes(text: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        parse_shape(text)
    assert message in str(info.value)


TOKENS = [
    "Dense", "LSTM", "Conv2D", "Bidirectional", "Reshape", "(", ")", "[", "]", ",", "=", ";",
    "1", "0", "-1", "3", "2.5", "None", "True", '"same"', "'valid'", "units", "strides",
    "padding", "groups", "x", ".", "*", "**", "lambda", ":", "for", "in", " ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30), st.sampled_from(["5,1", "(28, 28, 3)", "8"]))
def test_any_token_soup_gives_a_result_or_a_one_line_error(tokens: list[str], shape: str) -> None:
    text = "".join(tokens)
    try:
        analyze(text, shape)
    except ExprError as err:
        assert "\n" not in str(err)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_result_or_a_one_line_error(text: str) -> None:
    try:
        parse_stack(text)
    except ExprError as err:
        assert "\n" not in str(err)
