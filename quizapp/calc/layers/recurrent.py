"""Recurrent layers: SimpleRNN (one weight block), LSTM and GRU (gates and a candidate); every
block sees the input and the layer's own previous output."""

from __future__ import annotations

from quizapp.calc.expr import format_shape
from quizapp.calc.layers.args import (
    BASE,
    activation_default_linear,
    any_int,
    boolean,
    choice,
    pos_int,
    rate,
    regs,
    unsupported_true,
)
from quizapp.calc.layers.base import REQUIRED, Layer, LayerResult, LayerSpec, Param, Shape, Weight
from quizapp.calc.layers.formulas import known, need_rank, plural


def _rnn_params(kind: str) -> tuple[Param, ...]:
    params = [
        Param("units", REQUIRED, pos_int),
        Param("activation", "tanh", activation_default_linear),
    ]
    if kind != "SimpleRNN":
        params.append(Param("recurrent_activation", "sigmoid", activation_default_linear))
    params.append(Param("use_bias", True, boolean))
    params += regs("kernel_initializer", "recurrent_initializer", "bias_initializer")
    if kind == "LSTM":
        params.append(Param("unit_forget_bias", True, boolean))
    params += regs(
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
    )
    params += [Param("dropout", 0.0, rate), Param("recurrent_dropout", 0.0, rate)]
    if kind != "SimpleRNN":
        params.append(Param("seed", None, any_int))
    params += [
        Param("return_sequences", False, boolean),
        Param("return_state", False, boolean),
        Param("go_backwards", False, boolean),
        Param("stateful", False, unsupported_true("a stateful RNN needs a fixed batch size")),
        Param("unroll", False, boolean),
    ]
    if kind == "SimpleRNN":
        params.append(Param("seed", None, any_int))
    if kind == "GRU":
        params.append(Param("reset_after", True, boolean))
    if kind != "SimpleRNN":
        params.append(Param("use_cudnn", "auto", choice(("auto", True, False))))
    return (*params, *BASE)


RECURRENT = ("SimpleRNN", "LSTM", "GRU")
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def _rnn_outputs(layer: Layer, shape: Shape, units: int) -> tuple[Shape, ...]:
    c = layer.config
    out: Shape = (None, shape[1], units) if c["return_sequences"] else (None, units)
    if not c["return_state"]:
        return (out,)
    states = 2 if layer.name == "LSTM" else 1
    return (out, *[(None, units)] * states)


def recurrent(layer: Layer, shape: Shape) -> LayerResult:
    c = layer.config
    need_rank(layer, shape, 3, "(batch, timesteps, features)")
    m = known(layer, shape[2], "feature axis (input_dim)")
    n = c["units"]
    g = GATES[layer.name]
    bias = c["use_bias"]
    reset_after = layer.name == "GRU" and c["reset_after"]
    weights = [Weight("kernel", (m, g * n)), Weight("recurrent_kernel", (n, g * n))]
    if bias:
        weights.append(Weight("bias", (2, g * n) if reset_after else (g * n,)))
    p = sum(w.size for w in weights)
    outs = _rnn_outputs(layer, shape, n)
    steps: list[str] = []
    if layer.name == "LSTM":
        inner = f"{m} + 1 + {n}" if bias else f"{m} + {n}"
        formula = f"4 × ({inner}) × {n} = {p}"
        steps = [
            "4 weight blocks (3 gates and the candidate), each a small Dense layer",
            f"each block: ({plural(m, 'input')}"
            + (" + 1 bias" if bias else "")
            + f" + {n} fed-back outputs) × {n} units = {p // 4}",
            f"kernel {format_shape((m, 4 * n))}, recurrent_kernel {format_shape((n, 4 * n))}"
            + (f", bias {format_shape((4 * n,))}" if bias else ""),
        ]
    elif layer.name == "GRU":
        if reset_after and bias:
            formula = f"3 × {n} × ({n} + {m} + 1 + 1) = {p}"
            steps = [
                "3 weight blocks (2 gates and the candidate)",
                f"each block: {n} units × ({n} fed-back + {plural(m, 'input')} + 1 input bias + 1 "
                f"recurrent bias) = {p // 3}",
                "reset_after=True (the Keras default) keeps two bias vectors, so bias has shape "
                f"{format_shape((2, 3 * n))}; the second +1 is that recurrent bias, not a cell "
                "state (GRU has none)",
            ]
        elif bias:
            formula = f"3 × {n} × ({n} + {m} + 1) = {p}"
            steps = [
                "3 weight blocks (2 gates and the candidate)",
                f"each block: {n} units × ({n} fed-back + {plural(m, 'input')} + 1 bias) = "
                f"{p // 3}",
                f"reset_after=False keeps one bias vector of {3 * n}",
            ]
        else:
            formula = f"3 × {n} × ({n} + {m}) = {p}"
            steps = ["3 weight blocks (2 gates and the candidate), no bias (use_bias=False)"]
    else:
        inner = f"{m} + 1 + {n}" if bias else f"{m} + {n}"
        formula = f"({inner}) × {n} = {p}"
        steps = [
            f"one block: ({plural(m, 'input')}"
            + (" + 1 bias" if bias else "")
            + f" + {n} fed-back outputs) × {n} units = {p}",
        ]
    seq = c["return_sequences"]
    steps.append(
        f"output: {format_shape(outs[0])} "
        + (
            "(return_sequences=True: one output per timestep)"
            if seq
            else "(the last timestep only; return_sequences=True would keep all of them)"
        )
    )
    if c["return_state"]:
        states = "h and c" if layer.name == "LSTM" else "h"
        steps.append(
            f"return_state=True: also the final state{'s' if layer.name == 'LSTM' else ''} "
            f"({states}), each (None, {n})"
        )
    return LayerResult(str(layer), layer.name, shape, outs, tuple(weights), formula, tuple(steps))


SPECS = tuple(LayerSpec(name, _rnn_params(name), recurrent, f"{name}(1)") for name in RECURRENT)
