"""Pooling: Max/AveragePooling1D/2D (a window over the spatial axes) and the global poolings (one
value per channel). No weights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from quizapp.calc.expr import ExprError, format_shape
from quizapp.calc.layers.args import BASE, boolean, data_format, int_or_tuple, padding
from quizapp.calc.layers.base import REQUIRED, Check, Layer, LayerResult, LayerSpec, Param, Shape
from quizapp.calc.layers.formulas import AXES, assemble, need_spatial_rank, split_channels


def opt_int_or_tuple(n: int) -> Check:
    inner = int_or_tuple(n)

    def check(layer: str, arg: str, v: Any) -> tuple[int, ...] | None:
        return None if v is None else inner(layer, arg, v)

    return check


def _pool_params(rank: int, pool_required: bool) -> tuple[Param, ...]:
    return (
        Param("pool_size", REQUIRED if pool_required else (2,) * rank, int_or_tuple(rank)),
        Param("strides", None, opt_int_or_tuple(rank)),
        Param("padding", "valid", padding(allow_causal=False)),
        Param("data_format", "channels_last", data_format),
        *BASE,
    )


def _global_pool_params() -> tuple[Param, ...]:
    return (
        Param("data_format", "channels_last", data_format),
        Param("keepdims", False, boolean),
        *BASE,
    )


def pooling(rank: int) -> Callable[[Layer, Shape], LayerResult]:
    def compute(layer: Layer, shape: Shape) -> LayerResult:
        c = layer.config
        need_spatial_rank(layer, shape, rank)
        spatial, ch = split_channels(layer, shape)
        pool = c["pool_size"]
        strides = c["strides"] or pool
        out: list[int | None] = []
        steps = []
        for i, n in enumerate(spatial):
            p, s = pool[i], strides[i]
            if n is None:
                out.append(None)
                steps.append(f"{AXES[rank][i]}: None stays None")
                continue
            if c["padding"] == "valid":
                o = (n - p) // s + 1
                if o <= 0:
                    raise ExprError(
                        f"{layer}: pool_size {p} is larger than the input ({n}) along "
                        f"{AXES[rank][i]}"
                    )
                steps.append(f"{AXES[rank][i]}: valid, ⌊({n} − {p}) / {s}⌋ + 1 = {o}")
            else:
                o = (n - 1) // s + 1
                steps.append(f"{AXES[rank][i]}: same, ⌈{n} / {s}⌉ = {o}")
            out.append(o)
        res = assemble(layer, tuple(out), ch)
        steps.append(
            "no weights: pooling only takes the "
            + ("maximum" if "Max" in layer.name else "average")
        )
        return LayerResult(str(layer), layer.name, shape, (res,), (), "0", tuple(steps))

    return compute


def global_pooling(rank: int) -> Callable[[Layer, Shape], LayerResult]:
    def compute(layer: Layer, shape: Shape) -> LayerResult:
        c = layer.config
        need_spatial_rank(layer, shape, rank)
        _, ch = split_channels(layer, shape)
        out = assemble(layer, (1,) * rank, ch) if c["keepdims"] else (None, ch)
        what = "maximum" if "Max" in layer.name else "average"
        steps = (
            f"one {what} per channel over all of {', '.join(AXES[rank])} → {format_shape(out)}"
            + (" (keepdims=True keeps the axes as 1)" if c["keepdims"] else ""),
            "no weights",
        )
        return LayerResult(str(layer), layer.name, shape, (out,), (), "0", steps)

    return compute


SPECS = (
    *(
        LayerSpec(f"MaxPooling{r}D", _pool_params(r, False), pooling(r), f"MaxPooling{r}D()")
        for r in (1, 2)
    ),
    *(
        LayerSpec(
            f"AveragePooling{r}D", _pool_params(r, True), pooling(r), f"AveragePooling{r}D(2)"
        )
        for r in (1, 2)
    ),
    *(
        LayerSpec(
            f"Global{kind}Pooling{r}D",
            _global_pool_params(),
            global_pooling(r),
            f"Global{kind}Pooling{r}D()",
        )
        for kind in ("Average", "Max")
        for r in (1, 2)
    ),
)
