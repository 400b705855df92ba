"""Computed questions: fresh, seeded parameter-count and output-shape questions from the layer
families of a deck's computed cards (``quizapp.calc.families``), with wrong options that stand
for real misconceptions. The answer comes with its derivation; what Keras said comes from the
cache only (no TensorFlow here).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from quizapp.calc.expr import ExprError, format_shape
from quizapp.calc.families import GENERATORS, make_question
from quizapp.store.exam_cards import ExamCard
from quizapp.verify.model import Verification

# A layer call at the start of a stack's layer: "LSTM(10)", "Bidirectional(GRU(8))".
_LAYER_CALL = re.compile(r"(?:^|;)\s*([A-Za-z][A-Za-z0-9]*)\s*\(")
_WEIGHTLESS = {
    "Flatten",
    "Dropout",
    "Reshape",
    "MaxPooling1D",
    "MaxPooling2D",
    "AveragePooling1D",
    "AveragePooling2D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
}

#: (layers, input shape, ask) -> what Keras said, from the cache
KerasCheck = Callable[[str, tuple[int | None, ...], str], Verification]


@dataclass(frozen=True)
class ComputedQuestion:
    prompt: str
    answer: str
    derivation: str
    options: tuple[tuple[str, str | None], ...]  # (text, misconception), right one's is None
    layers: str
    input_shape: tuple[int | None, ...]
    ask: str
    keras: Verification | None


def card_families(card: ExamCard) -> tuple[tuple[str, ...], str]:
    """The layer families of a computed card (from its compute block, kept on the card's
    row) and what it asks: ``params`` (trainable and non-trainable counts too) or
    ``output_shape``."""
    fields = dict(card.compute or ())
    ask = "output_shape" if fields.get("ask") == "output_shape" else "params"
    names = _LAYER_CALL.findall(fields.get("layers", ""))
    return tuple(dict.fromkeys(n for n in names if n in GENERATORS)), ask


def computed_question(
    card: ExamCard, seed: str, keras: KerasCheck | None = None
) -> ComputedQuestion | None:
    """A fresh question of one of the card's layer families (the card's own question when its
    layers have no family)."""
    families, ask = card_families(card)
    rng = random.Random(seed)
    if ask == "params":
        with_weights = [f for f in families if f not in _WEIGHTLESS]
        families = tuple(with_weights) or families
    if not families:
        return None
    family = rng.choice(sorted(families))
    q = None
    for _ in range(5):  # a configuration with at least three misconceptions, for 4 options
        try:
            q = make_question(family, ask, seed=rng.randrange(2**31), n_wrong=6)
        except (ExprError, RuntimeError):
            continue
        if sum(1 for o in q.options if o.mistake) >= 3:
            break
    if q is None:
        return None
    options = ((q.answer, None), *((o.text, o.mistake) for o in q.options if o.mistake))
    said = keras(q.config.layers, q.config.input_shape, ask) if keras else None
    return ComputedQuestion(
        prompt=q.prompt,
        answer=q.answer,
        derivation=f"Input {format_shape(q.config.input_shape)}\n{q.derivation}",
        options=options,
        layers=q.config.layers,
        input_shape=q.config.input_shape,
        ask=ask,
        keras=said,
    )
