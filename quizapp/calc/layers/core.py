"""Core layers: Dense (a kernel from the last input axis to the units, and one bias per unit)
and Embedding (one learned vector per token id)."""

from __future__ import annotations

from quizapp.calc.expr import ExprError, format_shape
from quizapp.calc.layers.args import (
    BASE,
    activation_default_linear,
    boolean,
    pos_int,
    regs,
    unsupported,
    weight_params,
)
from quizapp.calc.layers.base import REQUIRED, Layer, LayerResult, LayerSpec, Param, Shape, Weight
from quizapp.calc.layers.formulas import bias_step, kernel_and_bias, known, plural

# Arguments that change the weights in ways the formulas do not follow.
LORA_AND_QUANTIZATION = (
    Param("lora_rank", None, unsupported("LoRA adapters")),
    Param("lora_alpha", None, unsupported("LoRA adapters")),
    Param("quantization_config", None, unsupported("quantization")),
)

# Keras 3 signatures, in order (positional arguments bind in this order).
DENSE_ARGS = (
    Param("units", REQUIRED, pos_int),
    Param("activation", "linear", activation_default_linear),
    Param("use_bias", True, boolean),
    *weight_params("kernel"),
    *LORA_AND_QUANTIZATION,
    *BASE,
)
EMBEDDING_ARGS = (
    Param("input_dim", REQUIRED, pos_int),
    Param("output_dim", REQUIRED, pos_int),
    *regs("embeddings_initializer", "embeddings_regularizer", "embeddings_constraint"),
    Param("mask_zero", False, boolean),
    Param("weights", None, unsupported("initial weights")),
    *LORA_AND_QUANTIZATION,
    *BASE,
)


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


def embedding(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    v, d = c["input_dim"], c["output_dim"]
    w = Weight("embeddings", (v, d))
    out = (*shape, d)
    return LayerResult(
        str(layer),
        "Embedding",
        shape,
        (out,),
        (w,),
        f"{v} × {d} = {v * d}",
        (
            f"one vector of {d} numbers per token id: {v} ids × {d} = {v * d} (no bias)",
            f"output: every integer in {format_shape(shape)} becomes {d} numbers → "
            f"{format_shape(out)}",
        ),
    )


SPECS = (
    LayerSpec("Dense", DENSE_ARGS, dense, "Dense(1)"),
    LayerSpec("Embedding", EMBEDDING_ARGS, embedding, "Embedding(1, 1)"),
)
