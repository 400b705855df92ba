"""MultiHeadAttention (self-attention): query, key and value projections per head, and an
output projection."""

from __future__ import annotations

import math
from typing import Any

from quizapp.calc.expr import ExprError, format_shape
from quizapp.calc.layers.args import (
    BASE,
    any_int,
    bad,
    boolean,
    pos_int,
    rate,
    unsupported,
    weight_params,
)
from quizapp.calc.layers.base import REQUIRED, Layer, LayerResult, LayerSpec, Param, Shape, Weight
from quizapp.calc.layers.formulas import known


def opt_pos_int(layer: str, arg: str, v: Any) -> int | None:
    return None if v is None else pos_int(layer, arg, v)


def output_shape_arg(layer: str, arg: str, v: Any) -> tuple[int, ...] | None:
    if v is None:
        return None
    if type(v) is int and v > 0:
        return (v,)
    if isinstance(v, tuple) and v and all(type(x) is int and x > 0 for x in v):
        return v
    raise bad(layer, arg, "None, a positive whole number or a tuple of them", v)


MULTI_HEAD_ATTENTION_ARGS = (
    Param("num_heads", REQUIRED, pos_int),
    Param("key_dim", REQUIRED, pos_int),
    Param("value_dim", None, opt_pos_int),
    Param("dropout", 0.0, rate),
    Param("use_bias", True, boolean),
    Param("output_shape", None, output_shape_arg),
    Param("attention_axes", None, unsupported("attention over other axes")),
    Param("sliding_window", None, opt_pos_int),
    Param("flash_attention", None, unsupported("flash attention")),
    *weight_params("kernel"),
    Param("use_gate", False, boolean),
    Param("seed", None, any_int),
    *BASE,
)


def attention(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    if len(shape) < 3:
        raise ExprError(
            f"{layer}: expects input (batch, sequence, features) or higher, "
            f"got {format_shape(shape)}"
        )
    d = known(layer, shape[-1], "feature axis")
    h, kd = c["num_heads"], c["key_dim"]
    vd = c["value_dim"] or kd
    out_dims = c["output_shape"] or (d,)
    out_size = math.prod(out_dims)
    b = c["use_bias"]
    weights = [Weight("query/kernel", (d, h, kd))]
    if b:
        weights.append(Weight("query/bias", (h, kd)))
    weights.append(Weight("key/kernel", (d, h, kd)))
    if b:
        weights.append(Weight("key/bias", (h, kd)))
    if c["use_gate"]:
        weights.append(Weight("gate/kernel", (d, h, vd)))
        if b:
            weights.append(Weight("gate/bias", (h, vd)))
    weights.append(Weight("value/kernel", (d, h, vd)))
    if b:
        weights.append(Weight("value/bias", (h, vd)))
    weights.append(Weight("attention_output/kernel", (h, vd, *out_dims)))
    if b:
        weights.append(Weight("attention_output/bias", out_dims))
    p = sum(w.size for w in weights)
    inp = f"({d} + 1)" if b else str(d)
    n_v = 2 if c["use_gate"] else 1
    parts = [
        f"2 × {inp} × {h} × {kd}",
        f"{n_v} × {inp} × {h} × {vd}" if n_v > 1 else f"{inp} × {h} × {vd}",
        f"({h} × {vd} + 1) × {out_size}" if b else f"{h} × {vd} × {out_size}",
    ]
    formula = " + ".join(parts) + f" = {p}"
    out = (*shape[:-1], *out_dims)
    steps = [
        f"query and key projections: {d} features → {h} heads × key_dim {kd}"
        + (" (+ bias)" if b else "")
        + " each",
        f"value projection: {d} → {h} heads × value_dim {vd}" + (" (+ bias)" if b else ""),
    ]
    if c["use_gate"]:
        steps.append(f"gate projection (use_gate=True): {d} → {h} × {vd}")
    steps.append(
        f"output projection: {h} × {vd} → {out_size}"
        + (" (+ bias)" if b else "")
        + f"; self-attention output {format_shape(out)}"
    )
    return LayerResult(
        str(layer), "MultiHeadAttention", shape, (out,), tuple(weights), formula, tuple(steps)
    )


SPECS = (
    LayerSpec(
        "MultiHeadAttention", MULTI_HEAD_ATTENTION_ARGS, attention, "MultiHeadAttention(1, 1)"
    ),
)
