"""Argument checks shared by the layer families: (layer name, argument name, value) → the
normalized value, or an ExprError that names the layer, the argument and what it must be.

A check that only one family needs lives with that family."""

from __future__ import annotations

from typing import Any

from quizapp.calc.expr import ExprError, did_you_mean, format_value
from quizapp.calc.layers.base import Check, Param


def bad(layer: str, arg: str, expected: str, v: Any) -> ExprError:
    return ExprError(f"{layer}: {arg} must be {expected}, got {format_value(v)}")


def pos_int(layer: str, arg: str, v: Any) -> int:
    if type(v) is not int:
        raise bad(layer, arg, "a positive whole number", v)
    if v <= 0:
        raise bad(layer, arg, "a positive whole number", v)
    return v


def int_or_tuple(n: int) -> Check:
    def check(layer: str, arg: str, v: Any) -> tuple[int, ...]:
        expected = "a positive whole number" + (f" or a tuple of {n}" if n > 1 else "")
        if type(v) is int:
            if v <= 0:
                raise bad(layer, arg, expected, v)
            return (v,) * n
        if isinstance(v, tuple) and len(v) == n and all(type(x) is int and x > 0 for x in v):
            return v
        raise bad(layer, arg, expected, v)

    return check


def boolean(layer: str, arg: str, v: Any) -> bool:
    if type(v) is not bool:
        raise bad(layer, arg, "True or False", v)
    return v


def choice(options: tuple[Any, ...], lower: bool = False) -> Check:
    def check(layer: str, arg: str, v: Any) -> Any:
        key = v.lower() if lower and isinstance(v, str) else v
        if key in options:
            return key
        names = ", ".join(format_value(o) for o in options)
        hint = (
            did_you_mean(v, [o for o in options if isinstance(o, str)])
            if isinstance(v, str)
            else ""
        )
        raise ExprError(f"{layer}: {arg} must be one of {names}, got {format_value(v)}{hint}")

    return check


def data_format(layer: str, arg: str, v: Any) -> str:
    if v is None:
        return "channels_last"  # Keras's image_data_format() unless the user's keras.json says so
    return choice(("channels_last", "channels_first"), lower=True)(layer, arg, v)


def padding(allow_causal: bool) -> Check:
    opts = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    return choice(opts, lower=True)


def rate(layer: str, arg: str, v: Any) -> float:
    if type(v) not in (int, float) or not 0 <= v <= 1:
        raise bad(layer, arg, "a number between 0 and 1", v)
    return v


def any_int(layer: str, arg: str, v: Any) -> int | None:
    if v is not None and type(v) is not int:
        raise bad(layer, arg, "None or a whole number", v)
    return v


def text(layer: str, arg: str, v: Any) -> str | None:
    if v is not None and not isinstance(v, str):
        raise bad(layer, arg, "a string", v)
    return v


ACTIVATIONS = (
    "celu",
    "elu",
    "exponential",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
)


INITIALIZERS = (
    "constant",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "truncated_normal",
    "uniform",
    "normal",
    "variance_scaling",
    "zeros",
)


REGULARIZERS = ("l1", "l2", "l1_l2", "orthogonal_regularizer")


CONSTRAINTS = ("max_norm", "min_max_norm", "non_neg", "unit_norm")


def named(kind: str, names: tuple[str, ...]) -> Check:
    def check(layer: str, arg: str, v: Any) -> str | None:
        if v is None:
            return None
        if not isinstance(v, str):
            raise bad(layer, arg, f"None or the name of a Keras {kind}", v)
        if v not in names:
            raise ExprError(f"{layer}: unknown {kind} {v!r} for {arg}{did_you_mean(v, names)}")
        return v

    return check


activation = named("activation", ACTIVATIONS)


def activation_default_linear(layer: str, arg: str, v: Any) -> str:
    return activation(layer, arg, v) or "linear"


initializer = named("initializer", INITIALIZERS)


regularizer = named("regularizer", REGULARIZERS)


constraint = named("constraint", CONSTRAINTS)


def unsupported(why: str) -> Check:
    def check(layer: str, arg: str, v: Any) -> Any:
        if v is None:
            return None
        raise ExprError(f"{layer}: {arg} is not supported here ({why})")

    return check


def unsupported_true(why: str) -> Check:
    def check(layer: str, arg: str, v: Any) -> bool:
        v = boolean(layer, arg, v)
        if v:
            raise ExprError(f"{layer}: {arg}=True is not supported here ({why})")
        return v

    return check


# ---------------------------------------------------------------------------------------------
# Parameters many layers share: the two every layer takes (by keyword only), and the weights'
# initializers, regularizers and constraints.

BASE = (Param("name", None, text), Param("trainable", True, boolean))


DEFAULT_INIT = {
    "bias_initializer": "zeros",
    "recurrent_initializer": "orthogonal",
    "beta_initializer": "zeros",
    "gamma_initializer": "ones",
    "moving_mean_initializer": "zeros",
    "moving_variance_initializer": "ones",
    "embeddings_initializer": "uniform",
}


def regs(*names: str) -> tuple[Param, ...]:
    """Initializer, regularizer and constraint arguments by name, with Keras's defaults."""
    out = []
    for n in names:
        if n.endswith("_initializer"):
            out.append(Param(n, DEFAULT_INIT.get(n, "glorot_uniform"), initializer))
        elif n.endswith("_regularizer"):
            out.append(Param(n, None, regularizer))
        else:
            out.append(Param(n, None, constraint))
    return tuple(out)


def weight_params(*kernels: str) -> tuple[Param, ...]:
    """The initializers, regularizers and constraints of some kernels and a bias, in Keras's
    order: ``weight_params("kernel")`` gives kernel_initializer, bias_initializer, ...,
    activity_regularizer, ..., bias_constraint."""
    return regs(
        *(f"{k}_initializer" for k in kernels),
        "bias_initializer",
        *(f"{k}_regularizer" for k in kernels),
        "bias_regularizer",
        "activity_regularizer",
        *(f"{k}_constraint" for k in kernels),
        "bias_constraint",
    )
