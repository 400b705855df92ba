"""A stack of layers on an input shape, computed by formula (no TensorFlow)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizapp.calc.expr import ExprError, format_shape, parse_call, parse_shape, split_layers
from quizapp.calc.layers import LAYER_NAMES, RECURRENT, Layer, LayerResult, Shape, bind

MAX_ORACLE_PARAMS = 50_000_000


def parse_layer(text: str) -> Layer:
    """One layer expression, parsed and checked against its Keras signature."""
    return bind(parse_call(text, LAYER_NAMES))


#: The most layers a stack may have: deeper than any real model (ResNet-152 has under 600 Keras
#: layers), small enough that a mistyped or hostile command line cannot make megabytes of output.
MAX_LAYERS = 1000


def parse_stack(text: str | list[str] | tuple[str, ...]) -> list[Layer]:
    """``"LSTM(10, return_sequences=True); LSTM(5)"`` or a list of expressions."""
    parts: list[str] = []
    for item in [text] if isinstance(text, str) else list(text):
        parts.extend(split_layers(item))
    if not parts:
        raise ExprError("no layers given")
    if len(parts) > MAX_LAYERS:
        raise ExprError(
            f"a stack of {len(parts)} layers is more than any real model needs "
            f"(at most {MAX_LAYERS})"
        )
    return [parse_layer(p) for p in parts]


@dataclass(frozen=True)
class StackResult:
    input_shape: tuple[int | None, ...]  # without the batch axis
    layers: tuple[LayerResult, ...]

    @property
    def total(self) -> int:
        return sum(r.params for r in self.layers)

    @property
    def trainable(self) -> int:
        return sum(r.trainable for r in self.layers)

    @property
    def non_trainable(self) -> int:
        return sum(r.non_trainable for r in self.layers)

    @property
    def output_shapes(self) -> tuple[Shape, ...]:
        return self.layers[-1].output_shapes

    @property
    def expression(self) -> str:
        """The canonical stack text, the oracle cache key."""
        return "; ".join(r.layer for r in self.layers)

    @property
    def shape_text(self) -> str:
        return format_shape(self.input_shape)

    def value(self, ask: str) -> Any:
        if ask == "params":
            return self.total
        if ask == "trainable":
            return self.trainable
        if ask == "non_trainable":
            return self.non_trainable
        if ask == "output_shape":
            return self.layers[-1].output_text()
        raise ExprError(f"unknown question {ask!r}")

    def to_json(self) -> dict[str, Any]:
        return {
            "input_shape": list(self.input_shape),
            "layers": [
                {
                    "layer": r.layer,
                    "output_shape": (
                        list(r.output_shapes[0])
                        if len(r.output_shapes) == 1
                        else [list(s) for s in r.output_shapes]
                    ),
                    "params": r.params,
                    "trainable": r.trainable,
                    "non_trainable": r.non_trainable,
                    "formula": r.formula,
                }
                for r in self.layers
            ],
            "total": self.total,
            "trainable": self.trainable,
            "non_trainable": self.non_trainable,
        }


def compute_stack(layers: list[Layer], input_shape: tuple[int | None, ...]) -> StackResult:
    shape: Shape = (None, *input_shape)
    results: list[LayerResult] = []
    prev: Layer | None = None
    for layer in layers:
        if results and len(results[-1].output_shapes) != 1:
            raise ExprError(
                f"{prev} returns {len(results[-1].output_shapes)} tensors "
                "(return_state=True or merge_mode=None), so it must be the last layer"
            )
        try:
            res = layer.compute(shape)
        except ExprError as err:
            if (
                prev is not None
                and _base_name(prev) in RECURRENT
                and _is_recurrent(layer)
                and not _returns_sequences(prev)
            ):
                raise ExprError(
                    f"{layer} needs a sequence (batch, timesteps, features) but {prev} returns "
                    f"only its last output {format_shape(shape)}; add return_sequences=True "
                    f"to {prev}"
                ) from None
            raise err
        results.append(res)
        shape = res.output_shapes[0]
        prev = layer
    return StackResult(tuple(input_shape), tuple(results))


def _base_name(layer: Layer) -> str:
    return layer.inner.name if layer.inner is not None else layer.name


def _is_recurrent(layer: Layer) -> bool:
    return _base_name(layer) in RECURRENT


def _returns_sequences(layer: Layer) -> bool:
    cfg = layer.inner.config if layer.inner is not None else layer.config
    return bool(cfg.get("return_sequences"))


def analyze(layers: str | list[str] | tuple[str, ...], input_shape: Any) -> StackResult:
    """Parse and compute: ``analyze("LSTM(10)", "5,1").total == 480``."""
    return compute_stack(parse_stack(layers), parse_shape(input_shape))
