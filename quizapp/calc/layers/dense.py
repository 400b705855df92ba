"""Dense: a kernel from the last input axis to the units, and one bias per unit."""

from __future__ import annotations

from quizapp.calc.expr import ExprError, format_shape
from quizapp.calc.layers.args import (
    BASE,
    LORA_AND_QUANTIZATION,
    activation_default_linear,
    boolean,
    pos_int,
    weight_params,
)
from quizapp.calc.layers.base import REQUIRED, Layer, LayerResult, LayerSpec, Param, Shape
from quizapp.calc.layers.formulas import bias_step, kernel_and_bias, known, plural


def dense(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    if len(shape) < 2:
        raise ExprError(f"{layer}: expects input with at least one axis")
    n_in = known(layer, shape[-1], "last input axis")
    u = c["units"]
    weights, formula = kernel_and_bias((n_in, u), u, c["use_bias"], str(n_in))
    steps = [f"kernel: {plural(n_in, 'input')} × {u} units = {n_in * u}"]
    steps.append(bias_step(c["use_bias"], "unit", u))
    out = (*shape[:-1], u)
    if len(shape) > 2:
        steps.append(
            f"Dense acts on the last axis only: {format_shape(shape)} → {format_shape(out)}"
        )
    return LayerResult(str(layer), "Dense", shape, (out,), tuple(weights), formula, tuple(steps))


SPECS = (
    LayerSpec(
        "Dense",
        (
            Param("units", REQUIRED, pos_int),
            Param("activation", "linear", activation_default_linear),
            Param("use_bias", True, boolean),
            *weight_params("kernel"),
            *LORA_AND_QUANTIZATION,
            *BASE,
        ),
        dense,
        "Dense(1)",
    ),
)
