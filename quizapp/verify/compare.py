"""Comparing the formulas with real Keras: stacks, computed cards, checks, whole decks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from quizapp.calc.checks import Check, evaluate_formula, evaluate_keras, parse_check
from quizapp.calc.computed import compute_fields, notes_value
from quizapp.calc.expr import ExprError, LayerCall, format_shape, parse_call, split_layers
from quizapp.calc.layers import LAYER_NAMES
from quizapp.calc.stack import MAX_ORACLE_PARAMS, StackResult
from quizapp.verify.cache import OracleCache
from quizapp.verify.model import NOT_VERIFIED, KerasFacts, Verification


class Oracle(Protocol):
    """What the comparisons ask of Keras: :class:`~quizapp.verify.keras_oracle.KerasOracle`
    (real Keras, through the cache), or the cache alone (:func:`cached_verification`)."""

    @property
    def version(self) -> str | None: ...

    @property
    def builds(self) -> int:  # how many stacks or layers Keras really built
        ...

    def stack(self, calls: list[LayerCall], input_shape: tuple[int | None, ...]) -> dict: ...

    def default_config(self, layer_name: str) -> dict: ...


def calls_of(layers_text: str) -> list[LayerCall]:
    """Layer calls by syntax alone (for building in Keras even what the formulas refuse)."""
    return [parse_call(p, LAYER_NAMES) for p in split_layers(layers_text)]


def _shapes(value: Any) -> list[tuple]:
    return [tuple(s) for s in value]


def compare_stack(analytic: StackResult, keras: dict) -> list[str]:
    """Every difference between the formulas and what Keras reported, one line each."""
    if not keras.get("ok"):
        return [f"Keras rejects it: {keras.get('error')}"]
    diffs: list[str] = []
    k_layers = keras["layers"]
    if len(k_layers) != len(analytic.layers):
        return [f"Keras built {len(k_layers)} layers, the formulas {len(analytic.layers)}"]
    for r, k in zip(analytic.layers, k_layers, strict=True):
        for key, mine in (
            ("params", r.params),
            ("trainable", r.trainable),
            ("non_trainable", r.non_trainable),
        ):
            if k[key] != mine:
                diffs.append(f"{r.layer}: {key} formula {mine}, Keras {k[key]}")
        k_out = _shapes(k["output_shapes"])
        if k_out != list(r.output_shapes):
            diffs.append(
                f"{r.layer}: output shape formula {r.output_text()}, Keras "
                + ", ".join(format_shape(s) for s in k_out)
            )
        mine_w = sorted((w.name, tuple(w.shape), w.trainable) for w in r.weights)
        k_w = sorted((n, tuple(s), t) for n, s, t in k["weights"])
        if mine_w != k_w:
            diffs.append(f"{r.layer}: weights formula {mine_w}, Keras {k_w}")
    return diffs


@dataclass(frozen=True)
class VerifyLine:
    ok: bool
    location: str  # "decks/keras-basics.md:12"
    what: str  # "LSTM(10) on (5, 1): params 480" or the check text
    detail: str = ""  # for ✗: what Keras said


def verify_computed(facts: KerasFacts, oracle: Oracle) -> VerifyLine:
    """A computed card's answer, by formula, against the stack Keras builds."""
    location = facts.location
    try:
        spec, result = compute_fields(facts.compute or ())
    except ExprError as err:
        return VerifyLine(False, location, "compute block", str(err))
    what = f"{result.expression} on {result.shape_text}: {spec.ask} {result.value(spec.ask)}"
    if result.total > MAX_ORACLE_PARAMS:
        return VerifyLine(False, location, what, "too large to build with Keras")
    keras = oracle.stack(calls_of(result.expression), result.input_shape)
    diffs = compare_stack(result, keras)
    if diffs:
        return VerifyLine(False, location, what, "; ".join(diffs))
    detail = ""
    if spec.notes:
        claimed = notes_value(spec.notes, spec.ask)
        if claimed != result.value(spec.ask):
            detail = f"the notes say {claimed}; the card teaches the Keras value"
    return VerifyLine(True, location, what, detail)


def verify_check(text: str, location: str, oracle: Oracle) -> VerifyLine:
    try:
        check = parse_check(text)
    except ExprError as err:
        return VerifyLine(False, location, text, f"malformed check: {err}")
    if check.layers and _params_or_zero(check) > MAX_ORACLE_PARAMS:
        return VerifyLine(False, location, text, "too large to build with Keras")
    keras = evaluate_keras(check, oracle)
    formula = evaluate_formula(check)
    if not keras.ok:
        return VerifyLine(False, location, text, f"Keras: {keras.said}")
    if formula.ok != keras.ok:
        return VerifyLine(False, location, text, f"the formulas disagree: {formula.said}")
    return VerifyLine(True, location, text)


def _params_or_zero(check: Check) -> int:
    from quizapp.calc.stack import compute_stack

    try:
        return compute_stack(list(check.layers), check.input_shape).total
    except ExprError:
        return 0


@dataclass
class VerifyReport:
    keras: str
    lines: list[VerifyLine]
    builds: int  # how many stacks/layers Keras actually built (0 when all was cached)
    errors: list[str]  # deck errors

    @property
    def failed(self) -> int:
        return sum(1 for line in self.lines if not line.ok)


def verify_facts(cards: Iterable[KerasFacts], oracle: Oracle) -> list[VerifyLine]:
    """One line per computed card and per check, in order."""
    lines: list[VerifyLine] = []
    for facts in cards:
        if facts.compute is not None:
            lines.append(verify_computed(facts, oracle))
        for i, (text, _) in enumerate(facts.checks):
            lines.append(verify_check(text, facts.check_location(i), oracle))
    return lines


def verdict(lines: list[VerifyLine], keras_version: str | None) -> Verification:
    """The card's result from its lines: verified, or the first line Keras disagrees with."""
    bad = [line for line in lines if not line.ok]
    if bad:
        return Verification("disagrees", keras_version, bad[0].detail)
    return Verification("verified", keras_version)


def cached_verification(facts: KerasFacts, cache: OracleCache) -> Verification:
    """How far a card's Keras facts are verified, from the cache alone (never imports Keras):
    verified or disagrees when Keras's answers are all cached, unverified otherwise.

    For the review screens; run ``quizapp decks verify`` (or check the card in a child process,
    :mod:`quizapp.verify.child`) to fill the cache.
    """
    from quizapp.verify.keras_oracle import KerasOracle, NotCached

    oracle = KerasOracle(cache, cache_only=True)
    if oracle.version is None:
        return NOT_VERIFIED
    try:
        lines = verify_facts([facts], oracle)
    except NotCached:
        return NOT_VERIFIED
    return verdict(lines, oracle.version)
