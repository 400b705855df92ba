"""The formulas on the textbook cases, with derivations a student can follow. (The seeded grid
in test_keras_grid.py compares hundreds of random cases with real Keras.)"""

from __future__ import annotations

import pytest

from quizapp.calc.stack import analyze

CASES = [
    # layers, input, params, trainable, non-trainable, output shape, formula
    ("LSTM(10)", "(5, 1)", 480, 480, 0, "(None, 10)", "4 × (1 + 1 + 10) × 10 = 480"),
    ("LSTM(10, return_sequences=True)", "(5, 1)", 480, 480, 0, "(None, 5, 10)", None),
    ("LSTM(10, use_bias=False)", "(5, 1)", 440, 440, 0, "(None, 10)", "4 × (1 + 10) × 10 = 440"),
    ("GRU(10)", "(5, 1)", 390, 390, 0, "(None, 10)", "3 × 10 × (10 + 1 + 1 + 1) = 390"),
    (
        "GRU(10, reset_after=False)",
        "(5, 1)",
        360,
        360,
        0,
        "(None, 10)",
        "3 × 10 × (10 + 1 + 1) = 360",
    ),
    ("SimpleRNN(8)", "(10, 4)", 104, 104, 0, "(None, 8)", "(4 + 1 + 8) × 8 = 104"),
    ("Dense(10)", "(784,)", 7850, 7850, 0, "(None, 10)", "(784 + 1) × 10 = 7850"),
    ("Dense(10)", "(5, 8)", 90, 90, 0, "(None, 5, 10)", "(8 + 1) × 10 = 90"),
    ("Dense(10, use_bias=False)", "(784,)", 7840, 7840, 0, "(None, 10)", "784 × 10 = 7840"),
    (
        "Conv2D(32, 3)",
        "(28, 28, 1)",
        320,
        320,
        0,
        "(None, 26, 26, 32)",
        "(3 × 3 × 1 + 1) × 32 = 320",
    ),
    ('Conv2D(32, 3, padding="same")', "(28, 28, 1)", 320, 320, 0, "(None, 28, 28, 32)", None),
    ("Conv2D(32, 3, strides=2)", "(28, 28, 1)", 320, 320, 0, "(None, 13, 13, 32)", None),
    (
        'Conv2D(32, 3, strides=2, padding="same")',
        "(28, 28, 1)",
        320,
        320,
        0,
        "(None, 14, 14, 32)",
        None,
    ),
    ("Conv2D(8, 3, dilation_rate=2)", "(28, 28, 1)", 80, 80, 0, "(None, 24, 24, 8)", None),
    (
        "Conv2D(8, 3, groups=2)",
        "(28, 28, 4)",
        152,
        152,
        0,
        "(None, 26, 26, 8)",
        "(3 × 3 × 4/2 + 1) × 8 = 152",
    ),
    (
        'Conv2D(8, 3, data_format="channels_first")',
        "(3, 28, 28)",
        224,
        224,
        0,
        "(None, 8, 26, 26)",
        None,
    ),
    ('Conv1D(16, 3, padding="causal")', "(100, 4)", 208, 208, 0, "(None, 100, 16)", None),
    ("Conv3D(8, 3)", "(10, 10, 10, 1)", 224, 224, 0, "(None, 8, 8, 8, 8)", None),
    (
        'Conv2DTranspose(16, 3, strides=2, padding="same")',
        "(7, 7, 8)",
        1168,
        1168,
        0,
        "(None, 14, 14, 16)",
        None,
    ),
    ("Conv2DTranspose(16, 3, strides=2)", "(7, 7, 8)", 1168, 1168, 0, "(None, 15, 15, 16)", None),
    (
        "DepthwiseConv2D(3, depth_multiplier=2)",
        "(28, 28, 3)",
        60,
        60,
        0,
        "(None, 26, 26, 6)",
        "3 × 3 × 3 × 2 + 3 × 2 = 60",
    ),
    (
        "SeparableConv2D(16, 3)",
        "(28, 28, 3)",
        91,
        91,
        0,
        "(None, 26, 26, 16)",
        "3 × 3 × 3 × 1 + 3 × 1 × 16 + 16 = 91",
    ),
    ("Bidirectional(LSTM(8))", "(10, 4)", 832, 832, 0, "(None, 16)", "2 × 416 = 832"),
    ('Bidirectional(LSTM(8), merge_mode="sum")', "(10, 4)", 832, 832, 0, "(None, 8)", None),
    ('Bidirectional(LSTM(8), merge_mode="mul")', "(10, 4)", 832, 832, 0, "(None, 8)", None),
    ('Bidirectional(LSTM(8), merge_mode="ave")', "(10, 4)", 832, 832, 0, "(None, 8)", None),
    (
        "Bidirectional(LSTM(8), merge_mode=None)",
        "(10, 4)",
        832,
        832,
        0,
        "[(None, 8), (None, 8)]",
        None,
    ),
    (
        'Bidirectional(GRU(8, reset_after=False, return_sequences=True), merge_mode="sum")',
        "(10, 3)",
        576,
        576,
        0,
        "(None, 10, 8)",
        None,
    ),
    ("Embedding(1000, 64)", "(10,)", 64000, 64000, 0, "(None, 10, 64)", "1000 × 64 = 64000"),
    ("BatchNormalization()", "(64,)", 256, 128, 128, "(None, 64)", "4 × 64 = 256"),
    ("BatchNormalization(trainable=False)", "(64,)", 256, 0, 256, "(None, 64)", None),
    ("BatchNormalization(center=False)", "(8, 8, 16)", 48, 16, 32, "(None, 8, 8, 16)", None),
    ("LayerNormalization()", "(10, 32)", 64, 64, 0, "(None, 10, 32)", "2 × 32 = 64"),
    ("LayerNormalization(axis=(1, 2))", "(10, 32)", 640, 640, 0, "(None, 10, 32)", None),
    ("MaxPooling2D()", "(28, 28, 32)", 0, 0, 0, "(None, 14, 14, 32)", None),
    (
        'MaxPooling2D(3, strides=2, padding="same")',
        "(28, 28, 32)",
        0,
        0,
        0,
        "(None, 14, 14, 32)",
        None,
    ),
    ("AveragePooling1D(2)", "(9, 4)", 0, 0, 0, "(None, 4, 4)", None),
    ("MaxPooling1D(3, strides=1)", "(9, 4)", 0, 0, 0, "(None, 7, 4)", None),
    ("AveragePooling2D((2, 3))", "(8, 9, 3)", 0, 0, 0, "(None, 4, 3, 3)", None),
    ("GlobalAveragePooling2D()", "(7, 7, 64)", 0, 0, 0, "(None, 64)", None),
    ("GlobalMaxPooling1D(keepdims=True)", "(10, 8)", 0, 0, 0, "(None, 1, 8)", None),
    ("GlobalMaxPooling2D()", "(7, 7, 64)", 0, 0, 0, "(None, 64)", None),
    ("GlobalAveragePooling1D()", "(10, 8)", 0, 0, 0, "(None, 8)", None),
    ("Flatten()", "(13, 13, 32)", 0, 0, 0, "(None, 5408)", None),
    ("Dropout(0.5)", "(10,)", 0, 0, 0, "(None, 10)", None),
    ("Reshape((-1, 4))", "(8, 2)", 0, 0, 0, "(None, 4, 4)", None),
    (
        "MultiHeadAttention(2, 4)",
        "(6, 8)",
        288,
        288,
        0,
        "(None, 6, 8)",
        "2 × (8 + 1) × 2 × 4 + (8 + 1) × 2 × 4 + (2 × 4 + 1) × 8 = 288",
    ),
    (
        "MultiHeadAttention(4, 16, output_shape=32)",
        "(10, 64)",
        14560,
        14560,
        0,
        "(None, 10, 32)",
        None,
    ),
]


@pytest.mark.parametrize(("layers", "shape", "params", "tr", "ntr", "out", "formula"), CASES)
def test_textbook_cases(
    layers: str, shape: str, params: int, tr: int, ntr: int, out: str, formula: str | None
) -> None:
    result = analyze(layers, shape)
    layer = result.layers[0]
    assert (layer.params, layer.trainable, layer.non_trainable) == (params, tr, ntr)
    assert layer.output_text() == out
    if formula is not None:
        assert layer.formula == formula


def test_lstm_derivation_follows_the_notes() -> None:
    layer = analyze("LSTM(10)", "5,1").layers[0]
    text = "\n".join(layer.steps)
    assert "4 weight blocks (3 gates and the candidate)" in text
    assert "(1 input + 1 bias + 10 fed-back outputs) × 10 units = 120" in text
    assert "kernel (1, 40), recurrent_kernel (10, 40), bias (40,)" in text


def test_gru_derivation_corrects_the_notes_cell_state() -> None:
    text = "\n".join(analyze("GRU(10)", "5,1").layers[0].steps)
    assert "the second +1 is that recurrent bias, not a cell state" in text
    assert "3 weight blocks (2 gates and the candidate)" in text


def test_conv_derivation_shows_each_axis() -> None:
    steps = analyze("Conv2D(32, 3, strides=2)", "(28, 28, 1)").layers[0].steps
    assert "height: valid, ⌊(28 − 3) / 2⌋ + 1 = 13" in steps
    assert "width: valid, ⌊(28 − 3) / 2⌋ + 1 = 13" in steps
    same = analyze('Conv2D(8, 3, strides=2, padding="same")', "(27, 27, 1)").layers[0].steps
    assert "height: same, ⌈27 / 2⌉ = 14" in same


def test_stack_totals_and_shapes_flow_through() -> None:
    result = analyze(
        ['Conv2D(32, 3, activation="relu")', "MaxPooling2D()", "Flatten()", "Dense(10)"],
        "(28, 28, 1)",
    )
    assert [r.output_text() for r in result.layers] == [
        "(None, 26, 26, 32)", "(None, 13, 13, 32)", "(None, 5408)", "(None, 10)",
    ]  # fmt: skip
    assert result.total == 320 + 5408 * 10 + 10
    assert result.expression.startswith('Conv2D(32, 3, activation="relu"); MaxPooling2D()')


def test_stacked_lstms_use_the_previous_units_as_input_dim() -> None:
    result = analyze("LSTM(10, return_sequences=True); LSTM(10)", "5,1")
    assert [r.params for r in result.layers] == [480, 840]
    assert result.layers[1].formula == "4 × (10 + 1 + 10) × 10 = 840"


def test_return_state_gives_several_outputs() -> None:
    lstm = analyze("LSTM(4, return_state=True)", "(5, 3)").layers[0]
    assert lstm.output_text() == "[(None, 4), (None, 4), (None, 4)]"
    gru = analyze("GRU(4, return_state=True, return_sequences=True)", "(5, 3)").layers[0]
    assert gru.output_text() == "[(None, 5, 4), (None, 4)]"


def test_unknown_timesteps_stay_none() -> None:
    assert analyze("LSTM(4, return_sequences=True)", "(None, 3)").layers[0].output_text() == (
        "(None, None, 4)"
    )


def test_each_layer_belongs_to_one_family() -> None:
    from quizapp.calc.layers import FAMILIES, SPECS

    names = [spec.name for family in FAMILIES for spec in family.SPECS]
    assert len(names) == len(set(names)) == len(SPECS) == 26
