"""What the layer formulas share: checking an input's rank and sizes, the spatial axes and the
channel axis (``data_format``), a kernel with its bias, and wording."""

from __future__ import annotations

from quizapp.calc.expr import ExprError, format_shape
from quizapp.calc.layers.base import Layer, Shape, Weight

AXES = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def need_rank(layer: Layer, shape: Shape, rank: int, what: str) -> None:
    if len(shape) != rank:
        raise ExprError(
            f"{layer}: expects {rank}D input {what}, got {format_shape(shape)} "
            f"(input shape {format_shape(shape[1:])} plus the batch axis)"
        )


def known(layer: Layer, value: int | None, what: str) -> int:
    if value is None:
        raise ExprError(f"{layer}: the {what} must be known, not None")
    return value


def need_spatial_rank(layer: Layer, shape: Shape, rank: int) -> None:
    """An input with ``rank`` spatial axes between the batch axis and the channel axis."""
    need_rank(layer, shape, rank + 2, "(batch, " + ", ".join(AXES[rank]) + ", channels)")


def split_channels(layer: Layer, shape: Shape) -> tuple[tuple[int | None, ...], int | None]:
    """Spatial sizes and channel count, according to data_format."""
    if layer.config.get("data_format") == "channels_first":
        return tuple(shape[2:]), shape[1]
    return tuple(shape[1:-1]), shape[-1]


def assemble(layer: Layer, spatial: tuple[int | None, ...], channels: int | None) -> Shape:
    if layer.config.get("data_format") == "channels_first":
        return (None, channels, *spatial)
    return (None, *spatial, channels)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def kernel_and_bias(
    kernel: tuple[int, ...], units: int, use_bias: bool, fan_in: str
) -> tuple[list[Weight], str]:
    """A kernel and, with use_bias, one bias per unit: the weights and the one-line formula
    ``(fan_in + 1) × units = total``."""
    weights = [Weight("kernel", kernel)]
    if use_bias:
        weights.append(Weight("bias", (units,)))
    p = sum(w.size for w in weights)
    formula = f"({fan_in} + 1) × {units} = {p}" if use_bias else f"{fan_in} × {units} = {p}"
    return weights, formula


def bias_step(use_bias: bool, per: str, n: int) -> str:
    return f"bias: one per {per} = {n}" if use_bias else "no bias (use_bias=False)"
