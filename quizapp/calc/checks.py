"""The check language: declarative facts about Keras, read as data and tested against Keras.

One check per line (in a deck: ``<!-- check: TEXT -->`` after a construct)::

    default LSTM activation = "tanh"
    default Conv2D strides = (1, 1)
    rejects Conv2D(8, 3, strides=2, dilation_rate=2) on (28, 28, 3)
    accepts Conv2D(8, 3, groups=2) on (28, 28, 4)
    rejects LSTM(10); LSTM(10) on (5, 1)
    params LSTM(10) on (5, 1) = 480
    trainable BatchNormalization() on (8,) = 16
    non_trainable BatchNormalization() on (8,) = 16
    output_shape Conv2D(8, 3, padding="same") on (28, 28, 1) = (None, 28, 28, 8)
    weight kernel of LSTM(10) on (5, 1) = (1, 40)

Layers are separated by ``;``; shapes have no batch axis. ``default`` compares with the value a
layer gets when the argument is not given (``None`` for an activation means ``"linear"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizapp.calc.expr import (
    ExprError,
    LayerCall,
    did_you_mean,
    format_shape,
    format_value,
    parse_literal,
    parse_shape,
    split_top,
)
from quizapp.calc.layers import REQUIRED, SPECS, Layer
from quizapp.calc.stack import MAX_ORACLE_PARAMS, StackResult, compute_stack, parse_stack

KINDS = (
    "default",
    "rejects",
    "accepts",
    "params",
    "trainable",
    "non_trainable",
    "output_shape",
    "weight",
)
VALUE_KINDS = ("params", "trainable", "non_trainable", "output_shape")


@dataclass(frozen=True)
class Check:
    """A parsed check."""

    text: str
    kind: str
    layer_name: str = ""  # default
    arg: str = ""  # default
    value: Any = None  # default / params / output_shape / weight: the claimed value
    layers: tuple[Layer, ...] = ()  # stack checks (empty when the stack itself is invalid)
    layers_text: str = ""
    input_shape: tuple[int | None, ...] = ()
    weight: str = ""
    parse_error: str = ""  # rejects: why the formulas reject it (parse/argument level)

    @property
    def calls(self) -> list[LayerCall]:
        return [layer.call for layer in self.layers]


def parse_check(text: str) -> Check:
    """Parse one check; a malformed check raises ExprError (one line)."""
    text = " ".join(text.split())
    head, _, rest = text.partition(" ")
    if head not in KINDS:
        raise ExprError(
            f"unknown check {head!r}{did_you_mean(head, KINDS)}; a check starts with one of "
            f"{', '.join(KINDS)}"
        )
    if head == "default":
        return _parse_default(text, rest)
    weight = ""
    if head == "weight":
        name, sep, rest = rest.partition(" of ")
        if not sep or not name.strip():
            raise ExprError("write: weight NAME of LAYER on SHAPE = SHAPE")
        weight = name.strip()
    value: Any = None
    body = rest
    if head in (*VALUE_KINDS, "weight"):
        parts = split_top(rest, " = ")
        if len(parts) != 2:
            raise ExprError(f"write: {head} LAYER on SHAPE = VALUE")
        body, value_text = parts
        value = _claimed_value(head, value_text.strip())
    pieces = split_top(body, " on ")
    if len(pieces) < 2:
        raise ExprError(f"the check needs an input shape: {head} LAYER on SHAPE")
    layers_text = " on ".join(pieces[:-1]).strip()
    shape = parse_shape(pieces[-1].strip())
    parse_error = ""
    layers: tuple[Layer, ...] = ()
    try:
        layers = tuple(parse_stack(layers_text))
    except ExprError as err:
        if head not in ("rejects", "accepts"):
            raise
        parse_error = str(err)
    if head == "weight" and len(layers) != 1:
        raise ExprError("a weight check names one layer")
    return Check(
        text,
        head,
        value=value,
        layers=layers,
        layers_text=layers_text,
        input_shape=shape,
        weight=weight,
        parse_error=parse_error,
    )


def _claimed_value(kind: str, text: str) -> Any:
    if kind in ("params", "trainable", "non_trainable"):
        v = parse_literal(text)
        if type(v) is not int or v < 0:
            raise ExprError(f"{kind} must be a whole number, got {text}")
        return v
    v = parse_literal(text)
    if kind == "weight":
        if type(v) is int:
            v = (v,)
        if not isinstance(v, tuple) or not all(type(x) is int for x in v):
            raise ExprError(f"a weight shape is a tuple of sizes, got {text}")
        return v
    if isinstance(v, tuple) and v and all(isinstance(s, tuple) for s in v):
        return v  # several outputs
    if not isinstance(v, tuple) or not all(x is None or type(x) is int for x in v):
        raise ExprError(f"an output shape is a tuple such as (None, 10), got {text}")
    return v


def _parse_default(text: str, rest: str) -> Check:
    parts = split_top(rest, " = ")
    if len(parts) != 2:
        raise ExprError(
            'write: default LAYER ARGUMENT = VALUE, e.g. default LSTM activation = "tanh"'
        )
    left, value_text = parts
    words = left.split()
    if len(words) != 2:
        raise ExprError(
            'write: default LAYER ARGUMENT = VALUE, e.g. default LSTM activation = "tanh"'
        )
    layer_name, arg = words
    if layer_name not in SPECS:
        raise ExprError(f"unknown layer {layer_name!r}{did_you_mean(layer_name, SPECS)}")
    spec = SPECS[layer_name]
    param = spec.param(arg)
    if param is None:
        raise ExprError(
            f"{layer_name}: unknown argument {arg!r}{did_you_mean(arg, spec.arg_names)}"
        )
    if param.default is REQUIRED:
        raise ExprError(f"{layer_name}: {arg} is required, it has no default")
    value = param.check(layer_name, arg, parse_literal(value_text.strip()))
    return Check(text, "default", layer_name=layer_name, arg=arg, value=value)


@dataclass(frozen=True)
class Outcome:
    """What one side (formulas or Keras) says about a check."""

    ok: bool
    said: str  # what was found, e.g. '"tanh"', "480", "rejected: ValueError: ..."


def _compare_value(check: Check, found: Any) -> Outcome:
    if check.kind == "output_shape":
        return Outcome(found == check.value, _shape_text(found))
    if check.kind == "weight":
        return Outcome(found == check.value, "missing" if found is None else format_shape(found))
    return Outcome(found == check.value, str(found))


def _shape_text(shapes: Any) -> str:
    if isinstance(shapes, tuple) and shapes and all(isinstance(s, tuple) for s in shapes):
        if len(shapes) == 1:
            return format_shape(shapes[0])
        return "[" + ", ".join(format_shape(s) for s in shapes) + "]"
    return format_shape(shapes) if isinstance(shapes, tuple) else str(shapes)


def _claimed_shapes(check: Check) -> Any:
    v = check.value
    return v if v and all(isinstance(s, tuple) for s in v) else (v,)


def evaluate_formula(check: Check) -> Outcome:
    """What the formulas (no TensorFlow) say about a check."""
    if check.kind == "default":
        spec = SPECS[check.layer_name]
        param = spec.param(check.arg)
        assert param is not None
        default = param.check(check.layer_name, check.arg, param.default)
        return Outcome(default == check.value, format_value(default))
    if check.parse_error:  # only for rejects / accepts
        return Outcome(check.kind == "rejects", f"rejected: {check.parse_error}")
    try:
        result = compute_stack(list(check.layers), check.input_shape)
    except ExprError as err:
        return Outcome(check.kind == "rejects", f"rejected: {err}")
    return _judge_stack(check, _stack_values(result))


def _stack_values(result: StackResult) -> dict[str, Any]:
    last = result.layers[-1]
    return {
        "params": result.total,
        "trainable": result.trainable,
        "non_trainable": result.non_trainable,
        "output_shapes": last.output_shapes,
        "weights": {w.name: w.shape for w in last.weights},
    }


def _judge_stack(check: Check, values: dict[str, Any]) -> Outcome:
    if check.kind == "rejects":
        return Outcome(False, f"accepted, output {_shape_text(values['output_shapes'])}")
    if check.kind == "accepts":
        return Outcome(True, f"accepted, output {_shape_text(values['output_shapes'])}")
    if check.kind == "output_shape":
        found = values["output_shapes"]
        claimed = _claimed_shapes(check)
        return Outcome(found == claimed, _shape_text(found))
    if check.kind == "weight":
        found = values["weights"].get(check.weight)
        said = "no weight named " + repr(check.weight) if found is None else format_shape(found)
        if found is None and values["weights"]:
            said += f" (weights: {', '.join(values['weights'])})"
        return Outcome(found == check.value, said)
    return _compare_value(check, values[check.kind])


def keras_values(keras_result: dict) -> dict[str, Any]:
    layers = keras_result["layers"]
    last = layers[-1]
    return {
        "params": sum(layer["params"] for layer in layers),
        "trainable": sum(layer["trainable"] for layer in layers),
        "non_trainable": sum(layer["non_trainable"] for layer in layers),
        "output_shapes": tuple(tuple(s) for s in last["output_shapes"]),
        "weights": {name: tuple(shape) for name, shape, _ in last["weights"]},
    }


def evaluate_keras(check: Check, oracle: Any) -> Outcome:
    """What real Keras says (``oracle`` is a :class:`~quizapp.verify.keras_oracle.KerasOracle`)."""
    if check.kind == "default":
        result = oracle.default_config(check.layer_name)
        if not result.get("ok"):
            return Outcome(
                False,
                f"Keras could not build {SPECS[check.layer_name].example}: {result.get('error')}",
            )
        config = result["config"]
        if check.arg not in config:
            return Outcome(False, f"{check.layer_name}.get_config() has no {check.arg!r}")
        raw = _tuples(config[check.arg])
        spec = SPECS[check.layer_name]
        param = spec.param(check.arg)
        assert param is not None
        try:
            found = param.check(check.layer_name, check.arg, raw)
        except ExprError:
            found = raw
        return Outcome(found == check.value, format_value(found))
    if check.parse_error:
        # The formulas refuse the expression itself; Keras may still be asked when it parses
        # as literal calls, but an unknown layer or argument cannot be built by name anyway.
        return _keras_on_unparsed(check, oracle)
    result = oracle.stack(check.calls, check.input_shape)
    if not result["ok"]:
        return Outcome(check.kind == "rejects", f"rejected: {result['error']}")
    return _judge_stack(check, keras_values(result))


def _keras_on_unparsed(check: Check, oracle: Any) -> Outcome:
    from quizapp.calc.expr import parse_call, split_layers
    from quizapp.calc.layers import LAYER_NAMES

    try:
        calls = [parse_call(p, LAYER_NAMES) for p in split_layers(check.layers_text)]
    except ExprError as err:
        return Outcome(False, f"cannot be built: {err}")
    if _rough_size(calls, check.input_shape) > MAX_ORACLE_PARAMS:
        return Outcome(False, "too large to build with Keras")
    result = oracle.stack(calls, check.input_shape)
    if not result["ok"]:
        return Outcome(check.kind == "rejects", f"rejected: {result['error']}")
    return _judge_stack(check, keras_values(result))


def _rough_size(calls: list[LayerCall], shape: tuple[int | None, ...]) -> int:
    """An upper bound on what building calls the formulas refuse could allocate: the largest
    number in them times the largest input size, squared over the two."""

    def ints(value: Any) -> list[int]:
        if isinstance(value, LayerCall):
            return [i for v in (*value.args, *(v for _, v in value.kwargs)) for i in ints(v)]
        if isinstance(value, tuple):
            return [i for v in value for i in ints(v)]
        return [abs(value)] if type(value) is int else []

    biggest = max([1, *(i for c in calls for i in ints(c))])
    widest = max([1, *(d for d in shape if d is not None)])
    return biggest * widest * max(biggest, widest)


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value
