"""Convolutions: Conv1D/2D/3D, Conv2DTranspose, DepthwiseConv2D and SeparableConv2D.

A kernel slides over the spatial axes; each output size follows from the input size, the kernel,
the strides, the dilation and the padding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from quizapp.calc.expr import ExprError, format_shape, format_value
from quizapp.calc.layers.args import (
    BASE,
    activation_default_linear,
    bad,
    boolean,
    data_format,
    int_or_tuple,
    padding,
    pos_int,
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
    AXES,
    assemble,
    bias_step,
    kernel_and_bias,
    known,
    need_spatial_rank,
    plural,
    split_channels,
)

# ---------------------------------------------------------------------------------------------
# Arguments


def nonneg_int_or_tuple(n: int) -> Check:
    def check(layer: str, arg: str, v: Any) -> tuple[int, ...] | None:
        if v is None:
            return None
        if type(v) is int and v >= 0:
            return (v,) * n
        if isinstance(v, tuple) and len(v) == n and all(type(x) is int and x >= 0 for x in v):
            return v
        raise bad(layer, arg, f"None, a whole number ≥ 0 or a tuple of {n}", v)

    return check


def _conv_params(
    rank: int,
    kernels: tuple[str, ...] = ("kernel",),
    filters: bool = True,
    causal: bool = False,
    after_padding: tuple[Param, ...] = (),
    after_dilation: tuple[Param, ...] = (),
) -> tuple[Param, ...]:
    """The Keras 3 signature of a convolution, in order (positional arguments bind in order)."""
    return (
        *((Param("filters", REQUIRED, pos_int),) if filters else ()),
        Param("kernel_size", REQUIRED, int_or_tuple(rank)),
        Param("strides", (1,) * rank, int_or_tuple(rank)),
        Param("padding", "valid", padding(allow_causal=causal)),
        *after_padding,
        Param("data_format", "channels_last", data_format),
        Param("dilation_rate", (1,) * rank, int_or_tuple(rank)),
        *after_dilation,
        Param("activation", "linear", activation_default_linear),
        Param("use_bias", True, boolean),
        *weight_params(*kernels),
        *BASE,
    )


def _conv_validate(layer_name: str, c: dict[str, Any]) -> None:
    if max(c["strides"]) > 1 and max(c.get("dilation_rate", (1,))) > 1:
        raise ExprError(
            f"{layer_name}: strides > 1 cannot be combined with dilation_rate > 1 "
            f"(strides={format_value(c['strides'])}, "
            f"dilation_rate={format_value(c['dilation_rate'])})"
        )
    groups = c.get("groups", 1)
    if "filters" in c and c["filters"] % groups:
        raise ExprError(
            f"{layer_name}: filters ({c['filters']}) must be divisible by groups ({groups})"
        )


def _transpose_validate(layer_name: str, c: dict[str, Any]) -> None:
    _conv_validate(layer_name, c)
    op = c.get("output_padding")
    if op is not None:
        for o, s in zip(op, c["strides"], strict=True):
            if o >= s:
                raise ExprError(
                    f"{layer_name}: output_padding ({o}) must be smaller than strides ({s})"
                )


# ---------------------------------------------------------------------------------------------
# Formulas


def _out_len(n: int | None, k: int, s: int, d: int, pad: str) -> int | None:
    if n is None:
        return None
    if pad == "valid":
        return (n - d * (k - 1) - 1) // s + 1
    return (n - 1) // s + 1  # same / causal: ceil(n / s)


def _out_len_step(axis: str, n: int | None, k: int, s: int, d: int, pad: str) -> str:
    out = _out_len(n, k, s, d, pad)
    if n is None:
        return f"{axis}: None stays None"
    if pad == "valid":
        span = k if d == 1 else d * (k - 1) + 1
        dil = "" if d == 1 else f" (dilated kernel {d} × ({k} − 1) + 1 = {span})"
        if s == 1:
            return f"{axis}: valid, {n} − {span} + 1 = {out}{dil}"
        return f"{axis}: valid, ⌊({n} − {span}) / {s}⌋ + 1 = {out}{dil}"
    if s == 1:
        return f"{axis}: {pad} padding keeps the size, {out}"
    return f"{axis}: {pad}, ⌈{n} / {s}⌉ = {out}"


def _conv_input(layer: Layer, shape: Shape, rank: int) -> tuple[tuple[int | None, ...], int]:
    """The spatial sizes and the (known) channel count of a convolution's input."""
    need_spatial_rank(layer, shape, rank)
    spatial, ch = split_channels(layer, shape)
    return spatial, known(layer, ch, "channel axis")


def _conv_spatial(
    layer: Layer, spatial: tuple[int | None, ...], rank: int, ksize: tuple[int, ...]
) -> tuple[tuple[int | None, ...], list[str]]:
    c = layer.config
    out: list[int | None] = []
    steps: list[str] = []
    for i, n in enumerate(spatial):
        k, s, d = ksize[i], c["strides"][i], c.get("dilation_rate", (1,) * rank)[i]
        o = _out_len(n, k, s, d, c["padding"])
        if o is not None and o <= 0:
            raise ExprError(
                f"{layer}: output size would be {o} along {AXES[rank][i]} "
                f'(input {n}, kernel {k}, padding valid); use padding="same" or a smaller kernel'
            )
        out.append(o)
        steps.append(_out_len_step(AXES[rank][i], n, k, s, d, c["padding"]))
    return tuple(out), steps


def _x(values: list[int | str]) -> str:
    return " × ".join(str(v) for v in values)


def conv(rank: int) -> Callable[[Layer, Shape], LayerResult]:
    def compute(layer: Layer, shape: Shape) -> LayerResult:
        c = layer.config
        spatial, ch = _conv_input(layer, shape, rank)
        g, f, k = c["groups"], c["filters"], c["kernel_size"]
        if ch % g:
            raise ExprError(f"{layer}: input channels ({ch}) must be divisible by groups ({g})")
        out_sp, steps = _conv_spatial(layer, spatial, rank, k)
        per = ch // g
        ch_txt = str(ch) if g == 1 else f"{ch}/{g}"
        weights, formula = kernel_and_bias((*k, per, f), f, c["use_bias"], _x([*k, ch_txt]))
        first = [f"kernel: {_x(list(k))} window × {plural(ch, 'input channel')}"]
        if g > 1:
            first = [
                f"kernel: {_x(list(k))} window × {ch}/{g} = {per} input channels per group "
                f"(groups={g})"
            ]
        first[0] += f" × {f} filters = {weights[0].size}"
        first.append(bias_step(c["use_bias"], "filter", f))
        out = assemble(layer, out_sp, f)
        steps = [*first, *steps, f"output: {format_shape(out)} ({f} filters → {f} channels)"]
        return LayerResult(
            str(layer), layer.name, shape, (out,), tuple(weights), formula, tuple(steps)
        )

    return compute


def conv_transpose(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    spatial, ch = _conv_input(layer, shape, 2)
    f, k = c["filters"], c["kernel_size"]
    out_sp: list[int | None] = []
    steps: list[str] = []
    for i, n in enumerate(spatial):
        s, d = c["strides"][i], c["dilation_rate"][i]
        kd = (k[i] - 1) * d + 1
        op = None if c["output_padding"] is None else c["output_padding"][i]
        axis = AXES[2][i]
        if n is None:
            out_sp.append(None)
            steps.append(f"{axis}: None stays None")
            continue
        if c["padding"] == "valid":
            extra = max(kd, s) - kd if op is None else op
            o = (n - 1) * s + kd + extra
            steps.append(
                f"{axis}: valid, ({n} − 1) × {s} + {kd}"
                + (f" + {extra}" if extra else "")
                + f" = {o}"
            )
        elif op is None:
            o = n * s
            steps.append(f"{axis}: same, {n} × {s} = {o}")
        else:
            o = (n - 1) * s + kd % 2 + op
            steps.append(
                f"{axis}: same with output_padding, ({n} − 1) × {s} + {kd % 2} + {op} = {o}"
            )
        out_sp.append(o)
    weights, formula = kernel_and_bias((*k, f, ch), f, c["use_bias"], _x([*k, ch]))
    out = assemble(layer, tuple(out_sp), f)
    steps = [
        f"kernel: {_x(list(k))} window × {plural(ch, 'input channel')} × {f} filters = "
        f"{weights[0].size} (stored as {format_shape(weights[0].shape)})",
        bias_step(c["use_bias"], "filter", f),
        *steps,
        f"output: {format_shape(out)}",
    ]
    return LayerResult(str(layer), layer.name, shape, (out,), tuple(weights), formula, tuple(steps))


def depthwise(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    spatial, ch = _conv_input(layer, shape, 2)
    k, m = c["kernel_size"], c["depth_multiplier"]
    out_sp, steps = _conv_spatial(layer, spatial, 2, k)
    weights = [Weight("kernel", (*k, ch, m))]
    if c["use_bias"]:
        weights.append(Weight("bias", (ch * m,)))
    p = sum(w.size for w in weights)
    kern = _x([*k, ch, m])
    formula = f"{kern} + {ch} × {m} = {p}" if c["use_bias"] else f"{kern} = {p}"
    out = assemble(layer, out_sp, ch * m)
    steps = [
        f"kernel: one {_x(list(k))} window per input channel ({ch}) × depth_multiplier {m} = "
        f"{weights[0].size}",
        f"bias: one per output channel = {ch} × {m} = {ch * m}"
        if c["use_bias"]
        else "no bias (use_bias=False)",
        *steps,
        f"output: {format_shape(out)} ({ch} × {m} channels)",
    ]
    return LayerResult(str(layer), layer.name, shape, (out,), tuple(weights), formula, tuple(steps))


def separable(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    spatial, ch = _conv_input(layer, shape, 2)
    k, m, f = c["kernel_size"], c["depth_multiplier"], c["filters"]
    out_sp, steps = _conv_spatial(layer, spatial, 2, k)
    weights = [
        Weight("depthwise_kernel", (*k, ch, m)),
        Weight("pointwise_kernel", (1, 1, ch * m, f)),
    ]
    if c["use_bias"]:
        weights.append(Weight("bias", (f,)))
    p = sum(w.size for w in weights)
    formula = f"{_x([*k, ch, m])} + {ch} × {m} × {f}" + (f" + {f}" if c["use_bias"] else "")
    formula += f" = {p}"
    out = assemble(layer, out_sp, f)
    steps = [
        f"depthwise: {_x(list(k))} window per input channel ({ch}) × depth_multiplier {m} = "
        f"{weights[0].size}",
        f"pointwise: 1 × 1 × {ch * m} channels × {f} filters = {weights[1].size}",
        bias_step(c["use_bias"], "filter", f),
        *steps,
        f"output: {format_shape(out)}",
    ]
    return LayerResult(str(layer), layer.name, shape, (out,), tuple(weights), formula, tuple(steps))


# ---------------------------------------------------------------------------------------------
# The layers

_GROUPS = (Param("groups", 1, pos_int),)
_DEPTH_MULTIPLIER = (Param("depth_multiplier", 1, pos_int),)

SPECS = (
    *(
        LayerSpec(
            f"Conv{rank}D",
            _conv_params(rank, causal=rank == 1, after_dilation=_GROUPS),
            conv(rank),
            f"Conv{rank}D(1, 1)",
            _conv_validate,
        )
        for rank in (1, 2, 3)
    ),
    LayerSpec(
        "Conv2DTranspose",
        _conv_params(2, after_padding=(Param("output_padding", None, nonneg_int_or_tuple(2)),)),
        conv_transpose,
        "Conv2DTranspose(1, 1)",
        _transpose_validate,
    ),
    LayerSpec(
        "DepthwiseConv2D",
        _conv_params(2, ("depthwise",), filters=False, after_padding=_DEPTH_MULTIPLIER),
        depthwise,
        "DepthwiseConv2D(1)",
    ),
    LayerSpec(
        "SeparableConv2D",
        _conv_params(2, ("depthwise", "pointwise"), after_dilation=_DEPTH_MULTIPLIER),
        separable,
        "SeparableConv2D(1, 1)",
    ),
)
