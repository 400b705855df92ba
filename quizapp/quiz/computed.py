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
from quizapp.quiz.grading import answer_kind
from quizapp.store.exams import ExamCard

# The layers of a computed card, read from its derivation ("LSTM(10): 4 × ... → (None, 10)").
_LAYER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9]*)\(.*\): ", re.M)
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

#: (layers, input shape, ask) -> the Keras line from the cache, or None
KerasLine = Callable[[str, tuple[int | None, ...], str], str | None]


@dataclass(frozen=True)
class ComputedQuestion:
    prompt: str
    answer: str
    derivation: str
    options: tuple[tuple[str, str | None], ...]  # (text, misconception), right one's is None
    layers: str
    input_shape: tuple[int | None, ...]
    ask: str
    keras: str | None


def card_families(card: ExamCard) -> tuple[tuple[str, ...], str]:
    """The layer families of a computed card and what it asks (``params`` or
    ``output_shape``)."""
    ask = "output_shape" if answer_kind(card.answer) == "shape" else "params"
    names = [m.group(1) for m in _LAYER_LINE.finditer(card.extra) if m.group(1) in GENERATORS]
    return tuple(dict.fromkeys(names)), ask


def computed_question(
    card: ExamCard, seed: str, keras_line: KerasLine | None = None
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
    keras = keras_line(q.config.layers, q.config.input_shape, ask) if keras_line else None
    return ComputedQuestion(
        prompt=q.prompt,
        answer=q.answer,
        derivation=f"Input {format_shape(q.config.input_shape)}\n{q.derivation}",
        options=options,
        layers=q.config.layers,
        input_shape=q.config.input_shape,
        ask=ask,
        keras=keras,
    )
