"""The types every layer family shares: a layer's spec (signature, checks, formula), a bound
layer, its weights and its result on one input."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from quizapp.calc.expr import ExprError, LayerCall, format_shape

Shape = tuple[int | None, ...]


class _Required:
    def __repr__(self) -> str:
        return "<required>"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Weight:
    name: str
    shape: tuple[int, ...]
    trainable: bool = True

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class LayerResult:
    """One layer on one input: its weights, output shape(s) and derivation."""

    layer: str  # the expression, e.g. "LSTM(10)"
    class_name: str
    input_shape: Shape  # with the batch axis (None)
    output_shapes: tuple[Shape, ...]  # one per output tensor (several with return_state)
    weights: tuple[Weight, ...]
    formula: str  # one line, e.g. "4 × (1 + 1 + 10) × 10 = 480"
    steps: tuple[str, ...] = ()  # the derivation, line by line

    @property
    def output_shape(self) -> Shape:
        if len(self.output_shapes) != 1:
            raise ExprError(f"{self.layer} returns {len(self.output_shapes)} tensors")
        return self.output_shapes[0]

    @property
    def params(self) -> int:
        return sum(w.size for w in self.weights)

    @property
    def trainable(self) -> int:
        return sum(w.size for w in self.weights if w.trainable)

    @property
    def non_trainable(self) -> int:
        return sum(w.size for w in self.weights if not w.trainable)

    def output_text(self) -> str:
        if len(self.output_shapes) == 1:
            return format_shape(self.output_shapes[0])
        return "[" + ", ".join(format_shape(s) for s in self.output_shapes) + "]"


@dataclass(frozen=True)
class Layer:
    """A layer call checked against its spec: ``config`` holds every argument, normalized."""

    spec: LayerSpec
    call: LayerCall
    config: dict[str, Any] = field(hash=False, compare=False)
    inner: Layer | None = None  # the wrapped layer of Bidirectional

    @property
    def name(self) -> str:
        return self.spec.name

    def __str__(self) -> str:
        return str(self.call)

    def compute(self, input_shape: Shape) -> LayerResult:
        result = self.spec.compute(self, input_shape)
        if self.config.get("trainable") is False:
            result = LayerResult(
                result.layer,
                result.class_name,
                result.input_shape,
                result.output_shapes,
                tuple(Weight(w.name, w.shape, False) for w in result.weights),
                result.formula,
                (*result.steps, "trainable=False: every weight is non-trainable"),
            )
        return result


Check = Callable[[str, str, Any], Any]


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    check: Check


@dataclass(frozen=True)
class LayerSpec:
    name: str
    params: tuple[Param, ...]
    compute: Callable[[Layer, Shape], LayerResult]
    example: str  # a minimal valid call, e.g. "LSTM(1)"
    validate: Callable[[str, dict[str, Any]], None] | None = None
    wraps: str | None = None  # the argument that holds a wrapped layer (Bidirectional's "layer")

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    @property
    def arg_names(self) -> list[str]:
        return [p.name for p in self.params]
