"""Keras layers by formula: argument checking, parameter counts and output shapes, each with a
derivation a student can follow.

Every supported layer has a :class:`LayerSpec`: its arguments (names, defaults and value checks,
mirroring the Keras 3 signature), the argument combinations Keras rejects, and a formula that
turns an input shape (batch axis first, ``None``) into weights and an output shape.

One module per layer family holds its layers' specs (``SPECS``): :mod:`.core` (Dense and
Embedding), :mod:`.conv`, :mod:`.recurrent`, :mod:`.wrappers` (Bidirectional), :mod:`.norm`,
:mod:`.pool`, :mod:`.reshaping` (Flatten, Dropout, Reshape) and :mod:`.attention`. They share the
types (:mod:`.base`), the common argument checks (:mod:`.args`) and the formula helpers
(:mod:`.formulas`). This registry gathers the families and binds a parsed call to its spec. A new
layer is a new ``LayerSpec`` in its family's ``SPECS`` (a new family: one more module in
``FAMILIES``).
"""

from __future__ import annotations

from typing import Any

from quizapp.calc.expr import ExprError, LayerCall, did_you_mean
from quizapp.calc.layers import (
    attention,
    conv,
    core,
    norm,
    pool,
    recurrent,
    reshaping,
    wrappers,
)
from quizapp.calc.layers.args import BASE
from quizapp.calc.layers.base import REQUIRED, Layer, LayerResult, LayerSpec, Param, Shape, Weight
from quizapp.calc.layers.recurrent import RECURRENT

FAMILIES = (core, conv, recurrent, wrappers, norm, pool, reshaping, attention)

SPECS: dict[str, LayerSpec] = {spec.name: spec for family in FAMILIES for spec in family.SPECS}
LAYER_NAMES: frozenset[str] = frozenset(SPECS)

_MISPLACED = {
    "input_shape": "give the input shape separately (input: / --input-shape), not as an argument",
    "input_dim": "give the input shape separately (input: / --input-shape), not as an argument",
    "batch_input_shape": "give the input shape separately, without the batch axis",
}


def bind(call: LayerCall) -> Layer:
    """Check a parsed call against its layer's signature; fill in defaults."""
    spec = SPECS[call.name]
    params = spec.params
    positional = [p for p in params if p not in BASE]
    if len(call.args) > len(positional):
        raise ExprError(
            f"{call.name} takes at most {len(positional)} positional arguments "
            f"({', '.join(p.name for p in positional[:4])}, ...), got {len(call.args)}"
        )
    raw: dict[str, Any] = {}
    for p, v in zip(positional, call.args, strict=False):
        raw[p.name] = v
    names = spec.arg_names
    for k, v in call.kwargs:
        if k not in names:
            if k in _MISPLACED:
                raise ExprError(f"{call.name}: {k} is not a layer argument here; {_MISPLACED[k]}")
            raise ExprError(f"{call.name}: unknown argument {k!r}{did_you_mean(k, names)}")
        if k in raw:
            raise ExprError(f"{call.name}: argument {k!r} given twice (by position and by name)")
        raw[k] = v
    config: dict[str, Any] = {}
    for p in params:
        if p.name in raw:
            config[p.name] = p.check(call.name, p.name, raw[p.name])
        elif p.default is REQUIRED:
            raise ExprError(
                f"{call.name}: missing required argument {p.name!r} (e.g. {spec.example})"
            )
        else:
            config[p.name] = p.default
    if spec.validate:
        spec.validate(call.name, config)
    inner = bind(config[spec.wraps]) if spec.wraps else None
    return Layer(spec, call, config, inner)


__all__ = [
    "FAMILIES",
    "LAYER_NAMES",
    "RECURRENT",
    "REQUIRED",
    "SPECS",
    "Layer",
    "LayerResult",
    "LayerSpec",
    "Param",
    "Shape",
    "Weight",
    "bind",
]
