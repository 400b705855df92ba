"""The check language: parsing, and what the formulas say (Keras's side is in test_oracle.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.calc.checks import evaluate_formula, parse_check
from quizapp.calc.expr import ExprError


@pytest.mark.parametrize(
    ("text", "ok", "said"),
    [
        ('default LSTM activation = "tanh"', True, '"tanh"'),
        ('default LSTM activation = "relu"', False, '"tanh"'),
        ('default LSTM recurrent_activation = "sigmoid"', True, '"sigmoid"'),
        ('default Conv2D padding = "valid"', True, '"valid"'),
        ("default Conv2D strides = 1", True, "(1, 1)"),
        ("default Conv2D strides = (1, 1)", True, "(1, 1)"),
        ('default Conv2D data_format = "channels_last"', True, '"channels_last"'),
        ("default Conv2D activation = None", True, '"linear"'),
        ("default Conv2D use_bias = False", False, "True"),
        ("default GRU reset_after = True", True, "True"),
        ("rejects Conv2D(8, 3, strides=2, dilation_rate=2) on (28, 28, 3)", True, "rejected"),
        ("rejects Conv2D(8, 3, groups=2) on (28, 28, 3)", True, "rejected"),
        ("rejects Conv2D(8, 3) on (28, 28, 3)", False, "accepted, output (None, 26, 26, 8)"),
        ("accepts Conv2D(8, 3, groups=2) on (28, 28, 4)", True, "accepted"),
        ("accepts Conv2D(8, 3, groups=3) on (28, 28, 4)", False, "rejected"),
        ("accepts LSTM(10, foo=1) on (5, 1)", False, "LSTM: unknown argument 'foo'"),
        ("rejects LSTM(10); LSTM(10) on (5, 1)", True, "add return_sequences=True"),
        ("accepts LSTM(10, return_sequences=True); LSTM(10) on (5, 1)", True, "accepted"),
        ("params LSTM(10) on (5, 1) = 480", True, "480"),
        ("params LSTM(10) on (5, 1) = 440", False, "480"),
        ("trainable BatchNormalization() on (8,) = 16", True, "16"),
        ("non_trainable BatchNormalization() on (8,) = 16", True, "16"),
        (
            'output_shape Conv2D(8, 3, padding="same") on (28, 28, 1) = (None, 28, 28, 8)',
            True,
            "(None, 28, 28, 8)",
        ),
        (
            "output_shape LSTM(4, return_state=True) on (5, 3) = ((None, 4), (None, 4), (None, 4))",
            True,
            "[(None, 4), (None, 4), (None, 4)]",
        ),
        ("weight kernel of LSTM(10) on (5, 1) = (1, 40)", True, "(1, 40)"),
        ("weight bias of GRU(10) on (5, 1) = (30,)", False, "(2, 30)"),
        ("weight gates of LSTM(10) on (5, 1) = (1, 40)", False, "no weight named 'gates'"),
    ],
)
def test_formula_side_of_checks(text: str, ok: bool, said: str) -> None:
    outcome = evaluate_formula(parse_check(text))
    assert outcome.ok is ok
    assert said in outcome.said


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('defualt LSTM activation = "tanh"', "unknown check 'defualt' (did you mean 'default'?)"),
        ('default LSMT activation = "tanh"', "unknown layer 'LSMT' (did you mean 'LSTM'?)"),
        (
            'default LSTM activaton = "tanh"',
            "unknown argument 'activaton' (did you mean 'activation'?)",
        ),
        ("default LSTM units = 3", "LSTM: units is required, it has no default"),
        ('default LSTM activation "tanh"', "write: default LAYER ARGUMENT = VALUE"),
        ("default LSTM activation = tanh", "names are not allowed: 'tanh'"),
        ("params LSTM(10) = 480", "the check needs an input shape"),
        ("params LSTM(10) on (5, 1)", "write: params LAYER on SHAPE = VALUE"),
        ("params LSTM(10) on (5, 1) = lots", "names are not allowed"),
        ("output_shape LSTM(10) on (5, 1) = 10", "an output shape is a tuple such as (None, 10)"),
        ("weight kernel LSTM(10) on (5, 1) = (1, 40)", "write: weight NAME of LAYER on SHAPE"),
        ("rejects os.system('x') on (5, 1)", None),
    ],
)
def test_malformed_checks(text: str, message: str | None) -> None:
    if message is None:  # a rejects check of something unparsable is rejected by the formulas
        outcome = evaluate_formula(parse_check(text))
        assert outcome.ok and "attribute access is not allowed" in outcome.said
        return
    with pytest.raises(ExprError) as info:
        parse_check(text)
    assert message in str(info.value)


WORDS = [
    "default", "rejects", "accepts", "params", "weight", "output_shape", "of", "on", "=",
    "LSTM(10)", "Conv2D(8, 3)", "LSTM", "activation", '"tanh"', "(5, 1)", "(None, 10)", "480",
    "kernel", ";", "x", "(", ")",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_any_check_text_parses_or_gives_a_one_line_error(words: list[str]) -> None:
    text = " ".join(words)
    try:
        check = parse_check(text)
    except ExprError as err:
        assert "\n" not in str(err)
        return
    outcome = evaluate_formula(check)
    assert isinstance(outcome.ok, bool) and "\n" not in outcome.said
