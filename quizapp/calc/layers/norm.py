"""Normalization: BatchNormalization and LayerNormalization, a learned scale (γ) and offset (β)
per normalized value, and for BatchNormalization the moving statistics."""

from __future__ import annotations

import math
from typing import Any

from quizapp.calc.expr import ExprError, format_shape
from quizapp.calc.layers.args import BASE, bad, boolean, rate, regs, unsupported, unsupported_true
from quizapp.calc.layers.base import Layer, LayerResult, LayerSpec, Param, Shape, Weight
from quizapp.calc.layers.formulas import known

# ---------------------------------------------------------------------------------------------
# Arguments


def positive_number(layer: str, arg: str, v: Any) -> float:
    if type(v) not in (int, float) or v <= 0:
        raise bad(layer, arg, "a positive number", v)
    return v


def axis_int(layer: str, arg: str, v: Any) -> int:
    if type(v) is not int:
        raise bad(layer, arg, "a whole number (an axis)", v)
    return v


def axis_int_or_tuple(layer: str, arg: str, v: Any) -> int | tuple[int, ...]:
    if type(v) is int:
        return v
    if isinstance(v, tuple) and v and all(type(x) is int for x in v):
        return v
    raise bad(layer, arg, "an axis or a tuple of axes", v)


def _scale_params(moving: bool) -> tuple[Param, ...]:
    """epsilon, center, scale and the weights' initializers, regularizers and constraints."""
    moving_init = ("moving_mean_initializer", "moving_variance_initializer") if moving else ()
    return (
        Param("epsilon", 0.001, positive_number),
        Param("center", True, boolean),
        Param("scale", True, boolean),
        *regs(
            "beta_initializer",
            "gamma_initializer",
            *moving_init,
            "beta_regularizer",
            "gamma_regularizer",
            "beta_constraint",
            "gamma_constraint",
        ),
    )


BATCH_NORMALIZATION_ARGS = (
    Param("axis", -1, axis_int),
    Param("momentum", 0.99, rate),
    *_scale_params(moving=True),
    Param("renorm", False, unsupported_true("batch renormalization")),
    Param("renorm_clipping", None, unsupported("batch renormalization")),
    Param("renorm_momentum", 0.99, rate),
    Param("synchronized", False, boolean),
    *BASE,
)
LAYER_NORMALIZATION_ARGS = (
    Param("axis", -1, axis_int_or_tuple),
    *_scale_params(moving=False),
    *BASE,
)


# ---------------------------------------------------------------------------------------------
# Formulas


def _axis(layer: Layer, shape: Shape, axis: int) -> int:
    rank = len(shape)
    if not -rank <= axis < rank or axis % rank == 0:
        raise ExprError(f"{layer}: axis {axis} is out of range for input {format_shape(shape)}")
    return axis % rank


def _gamma_beta(c: dict[str, Any], dims: tuple[int, ...]) -> list[Weight]:
    """γ (with scale) and β (with center), each of shape ``dims``."""
    weights = []
    if c["scale"]:
        weights.append(Weight("gamma", dims))
    if c["center"]:
        weights.append(Weight("beta", dims))
    return weights


def _greek(w: Weight) -> str:
    return w.name.replace("gamma", "γ").replace("beta", "β")


def batchnorm(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    ax = _axis(layer, shape, c["axis"])
    ch = known(layer, shape[ax], f"axis {c['axis']}")
    weights = _gamma_beta(c, (ch,))
    weights += [Weight("moving_mean", (ch,), False), Weight("moving_variance", (ch,), False)]
    k = len(weights)
    learned = [_greek(w) for w in weights[:-2]]
    formula = f"{k} × {ch} = {k * ch}"
    steps = (
        f"{k} vectors of {ch} (one value per channel on axis {c['axis']})",
        (
            f"trainable: {' and '.join(learned)} = {(k - 2) * ch}"
            if learned
            else "no trainable scale or offset (center=False, scale=False)"
        ),
        f"non-trainable: moving mean and moving variance = {2 * ch} (updated by averaging, "
        "not by gradients)",
    )
    return LayerResult(
        str(layer), "BatchNormalization", shape, (shape,), tuple(weights), formula, steps
    )


def layernorm(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    axes = c["axis"] if isinstance(c["axis"], tuple) else (c["axis"],)
    norm = sorted(_axis(layer, shape, a) for a in axes)
    if len(set(norm)) != len(norm):
        raise ExprError(f"{layer}: axis lists the same axis twice")
    dims = tuple(known(layer, shape[a], f"axis {a}") for a in norm)
    weights = _gamma_beta(c, dims)
    size = math.prod(dims)
    k = len(weights)
    formula = f"{k} × {size} = {k * size}"
    names = " and ".join(_greek(w) for w in weights)
    steps = (
        f"{names or 'nothing'}, each of shape {format_shape(dims)}; all trainable, "
        "no moving statistics",
    )
    return LayerResult(
        str(layer), "LayerNormalization", shape, (shape,), tuple(weights), formula, steps
    )


# ---------------------------------------------------------------------------------------------
# The layers


SPECS = (
    LayerSpec("BatchNormalization", BATCH_NORMALIZATION_ARGS, batchnorm, "BatchNormalization()"),
    LayerSpec("LayerNormalization", LAYER_NORMALIZATION_ARGS, layernorm, "LayerNormalization()"),
)
