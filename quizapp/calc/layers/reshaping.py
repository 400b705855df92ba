"""Layers without weights that pass the values on: Flatten and Reshape rearrange them, Dropout
zeroes some while training."""

from __future__ import annotations

import math
from typing import Any

from quizapp.calc.expr import ExprError, format_shape, format_value
from quizapp.calc.layers.args import BASE, any_int, bad, data_format, rate
from quizapp.calc.layers.base import REQUIRED, Layer, LayerResult, LayerSpec, Param, Shape


def target_shape(layer: str, arg: str, v: Any) -> tuple[int, ...]:
    if type(v) is int:
        v = (v,)
    if not isinstance(v, tuple) or not v or not all(type(x) is int for x in v):
        raise bad(layer, arg, "a tuple of whole numbers", v)
    if any(x == 0 or x < -1 for x in v) or v.count(-1) > 1:
        raise bad(layer, arg, "positive sizes, with at most one -1", v)
    return v


def noise_shape(layer: str, arg: str, v: Any) -> tuple[int | None, ...] | None:
    if v is None:
        return None
    if isinstance(v, tuple) and all(x is None or (type(x) is int and x > 0) for x in v):
        return v
    raise bad(layer, arg, "None or a tuple of sizes", v)


FLATTEN_ARGS = (Param("data_format", "channels_last", data_format), *BASE)
DROPOUT_ARGS = (
    Param("rate", REQUIRED, rate),
    Param("noise_shape", None, noise_shape),
    Param("seed", None, any_int),
    *BASE,
)
RESHAPE_ARGS = (Param("target_shape", REQUIRED, target_shape), *BASE)


def _n(x: int | None) -> str:
    return "None" if x is None else str(x)


def flatten(layer: Layer, shape: Shape) -> LayerResult:
    rest = shape[1:]
    size = None if any(d is None for d in rest) else math.prod(rest)  # type: ignore[arg-type]
    out = (None, size)
    formula = "0"
    step = (
        f"{' × '.join(_n(d) for d in rest)} = {_n(size)} values per example → {format_shape(out)}"
    )
    return LayerResult(str(layer), "Flatten", shape, (out,), (), formula, (step, "no weights"))


def dropout(layer: Layer, shape: Shape) -> LayerResult:
    return LayerResult(
        str(layer),
        "Dropout",
        shape,
        (shape,),
        (),
        "0",
        (
            f"shape unchanged {format_shape(shape)}; zeroes a fraction {layer.config['rate']} "
            "of the values while training only",
            "no weights",
        ),
    )


def reshape(layer: Layer, shape: Shape) -> LayerResult:
    target = layer.config["target_shape"]
    rest = shape[1:]
    if any(d is None for d in rest):
        out = (None, *[None if t == -1 else t for t in target])
        step = "unknown input sizes: -1 stays None"
    else:
        total = math.prod(rest)  # type: ignore[arg-type]
        known = math.prod(t for t in target if t != -1)
        if -1 in target:
            if total % known:
                raise ExprError(
                    f"{layer}: cannot reshape {format_shape(rest)} ({total} values) into "
                    f"{format_value(target)}"
                )
            fill = total // known
            out = (None, *[fill if t == -1 else t for t in target])
            step = f"-1 becomes {total} / {known} = {fill}"
        else:
            if known != total:
                raise ExprError(
                    f"{layer}: cannot reshape {format_shape(rest)} ({total} values) into "
                    f"{format_value(target)} ({known} values)"
                )
            out = (None, *target)
            step = f"{total} values rearranged"
    return LayerResult(
        str(layer),
        "Reshape",
        shape,
        (out,),
        (),
        "0",
        (f"{step} → {format_shape(out)}", "no weights"),
    )


SPECS = (
    LayerSpec("Flatten", FLATTEN_ARGS, flatten, "Flatten()"),
    LayerSpec("Dropout", DROPOUT_ARGS, dropout, "Dropout(0.5)"),
    LayerSpec("Reshape", RESHAPE_ARGS, reshape, "Reshape((1,))"),
)
