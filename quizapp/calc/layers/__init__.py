"""Keras layers by formula: argument checking, parameter counts and output shapes, each with a
derivation a student can follow.

Every supported layer has a :class:`LayerSpec`: its arguments (names, defaults and value checks,
mirroring the Keras 3 signature), the argument combinations Keras rejects, and a formula that
turns an input shape (batch axis first, ``None``) into weights and an output shape.
"""

from __future__ import annotations

import math
from typing import Any

from quizapp.calc.expr import ExprError, LayerCall, did_you_mean, format_shape
from quizapp.calc.layers import (
    conv,
    dense,
    embedding,
    norm,
    pool,
    recurrent,
    reshaping,
    wrappers,
)
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
from quizapp.calc.layers.base import (
    REQUIRED,
    Check,
    Layer,
    LayerResult,
    LayerSpec,
    Param,
    Shape,
    Weight,
)
from quizapp.calc.layers.formulas import (
    known,
)
from quizapp.calc.layers.recurrent import RECURRENT


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


def _p(name: str, default: Any, check: Check) -> Param:
    return Param(name, default, check)


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


def _specs() -> dict[str, LayerSpec]:
    s: list[LayerSpec] = [
        *dense.SPECS,
        *conv.SPECS,
        *recurrent.SPECS,
        *wrappers.SPECS,
        *embedding.SPECS,
        *norm.SPECS,
        *pool.SPECS,
        *reshaping.SPECS,
        LayerSpec(
            "MultiHeadAttention",
            (
                _p("num_heads", REQUIRED, pos_int),
                _p("key_dim", REQUIRED, pos_int),
                _p("value_dim", None, opt_pos_int),
                _p("dropout", 0.0, rate),
                _p("use_bias", True, boolean),
                _p("output_shape", None, output_shape_arg),
                _p("attention_axes", None, unsupported("attention over other axes")),
                _p("sliding_window", None, opt_pos_int),
                _p("flash_attention", None, unsupported("flash attention")),
                *weight_params("kernel"),
                _p("use_gate", False, boolean),
                _p("seed", None, any_int),
                *BASE,
            ),
            attention,
            "MultiHeadAttention(1, 1)",
        ),
    ]
    return {spec.name: spec for spec in s}


SPECS: dict[str, LayerSpec] = _specs()


LAYER_NAMES: frozenset[str] = frozenset(SPECS)


_MISPLACED = {
    "input_shape": "give the input shape separately (input: / --input-shape), not as an argument",
    "input_dim": "give the input shape separately (input: / --input-shape), not as an argument",
    "batch_input_shape": "give the input shape separately, without the batch axis",
}


def bind(call: LayerCall) -> Layer:
    """Check a parsed call against its layer's signature; fill in defaults."""
    spec = SPECS[call.name]
    params = spec.params
    positional = [p for p in params if p not in BASE]
    if len(call.args) > len(positional):
        raise ExprError(
            f"{call.name} takes at most {len(positional)} positional arguments "
            f"({', '.join(p.name for p in positional[:4])}, ...), got {len(call.args)}"
        )
    raw: dict[str, Any] = {}
    for p, v in zip(positional, call.args, strict=False):
        raw[p.name] = v
    names = spec.arg_names
    for k, v in call.kwargs:
        if k not in names:
            if k in _MISPLACED and not (call.name == "Embedding" and k == "input_dim"):
                raise ExprError(f"{call.name}: {k} is not a layer argument here; {_MISPLACED[k]}")
            raise ExprError(f"{call.name}: unknown argument {k!r}{did_you_mean(k, names)}")
        if k in raw:
            raise ExprError(f"{call.name}: argument {k!r} given twice (by position and by name)")
        raw[k] = v
    config: dict[str, Any] = {}
    for p in params:
        if p.name in raw:
            config[p.name] = p.check(call.name, p.name, raw[p.name])
        elif p.default is REQUIRED:
            raise ExprError(
                f"{call.name}: missing required argument {p.name!r} (e.g. {spec.example})"
            )
        else:
            config[p.name] = p.default
    if spec.validate:
        spec.validate(call.name, config)
    inner = bind(config[spec.wraps]) if spec.wraps else None
    return Layer(spec, call, config, inner)


__all__ = [
    "LAYER_NAMES",
    "RECURRENT",
    "REQUIRED",
    "SPECS",
    "Layer",
    "LayerResult",
    "LayerSpec",
    "Param",
    "Shape",
    "Weight",
    "bind",
]
