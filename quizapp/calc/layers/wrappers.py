"""Wrappers: Bidirectional, two copies of a recurrent layer, one reading the sequence backwards."""

from __future__ import annotations

from typing import Any

from quizapp.calc.expr import ExprError, LayerCall, format_shape
from quizapp.calc.layers.args import BASE, bad, choice, unsupported
from quizapp.calc.layers.base import REQUIRED, Layer, LayerResult, LayerSpec, Param, Shape, Weight
from quizapp.calc.layers.recurrent import RECURRENT


def rnn_layer(layer: str, arg: str, v: Any) -> LayerCall:
    if not isinstance(v, LayerCall):
        raise bad(layer, arg, "a recurrent layer such as LSTM(8)", v)
    if v.name not in RECURRENT:
        raise ExprError(
            f"{layer}: {arg} must be a recurrent layer ({', '.join(RECURRENT)}), got {v.name}"
        )
    return v


BIDIRECTIONAL_ARGS = (
    Param("layer", REQUIRED, rnn_layer),
    Param("merge_mode", "concat", choice(("concat", "sum", "mul", "ave", None))),
    Param("weights", None, unsupported("initial weights")),
    Param("backward_layer", None, unsupported("a separate backward layer")),
    *BASE,
)


def bidirectional(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    assert layer.inner is not None
    inner = layer.inner.compute(shape)
    mode = c["merge_mode"]
    weights = tuple(Weight("forward_" + w.name, w.shape, w.trainable) for w in inner.weights)
    weights += tuple(Weight("backward_" + w.name, w.shape, w.trainable) for w in inner.weights)
    out = inner.output_shapes[0]
    states = inner.output_shapes[1:]
    if mode == "concat":
        merged: tuple[Shape, ...] = ((*out[:-1], 2 * out[-1]),)  # type: ignore[operator]
        how = f"concat joins both directions: last axis 2 × {out[-1]}"
    elif mode is None:
        merged = (out, out)
        how = "merge_mode=None returns the two directions separately"
    else:
        merged = (out,)
        how = f"merge_mode={mode!r} combines both directions element-wise, size unchanged"
    outs = merged + states + states
    p = sum(w.size for w in weights)
    formula = f"2 × {inner.params} = {p}"
    steps = (
        f"two copies of {layer.inner} (forward and backward): 2 × {inner.params} = {p}",
        f"each copy: {inner.formula}",
        f"{how} → " + ", ".join(format_shape(s) for s in merged),
    )
    return LayerResult(str(layer), "Bidirectional", shape, outs, weights, formula, steps)


SPECS = (
    LayerSpec(
        "Bidirectional", BIDIRECTIONAL_ARGS, bidirectional, "Bidirectional(LSTM(1))", wraps="layer"
    ),
)
