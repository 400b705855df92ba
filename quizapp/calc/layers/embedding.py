"""Embedding: one learned vector per token id."""

from __future__ import annotations

from quizapp.calc.expr import format_shape
from quizapp.calc.layers.args import (
    BASE,
    LORA_AND_QUANTIZATION,
    boolean,
    pos_int,
    regs,
    unsupported,
)
from quizapp.calc.layers.base import REQUIRED, Layer, LayerResult, LayerSpec, Param, Shape, Weight


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
    LayerSpec(
        "Embedding",
        (
            Param("input_dim", REQUIRED, pos_int),
            Param("output_dim", REQUIRED, pos_int),
            *regs("embeddings_initializer", "embeddings_regularizer", "embeddings_constraint"),
            Param("mask_zero", False, boolean),
            Param("weights", None, unsupported("initial weights")),
            *LORA_AND_QUANTIZATION,
            *BASE,
        ),
        embedding,
        "Embedding(1, 1)",
    ),
)
