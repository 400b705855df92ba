"""Computed cards in real deck files, loaded through the library (notes parser + calc)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.calc.computed import fill_computed, notes_value
from quizapp.calc.expr import ExprError
from quizapp.library import load_library
from quizapp.notes.model import CardSpec, DeckError

DECK = """\
---
id: calc-test
---

# Calc test

## LSTM

```compute {#lstm}
layers: LSTM(10)
input: (5, 1)
ask: params
notes: 4x(1+1+10)x10
```

> Each gate block is a small Dense layer.

```compute {#gru}
layers: GRU(10)
input: 5,1
notes: 3 × 10 × (10 + 1 + 1)
```

```compute {#stack}
layers: LSTM(10, return_sequences=True); LSTM(5)
input: (5, 1)
ask: output_shape
explain: Only the last LSTM drops the time axis.
```

```compute {#bn}
layers: BatchNormalization()
input: (64,)
ask: non_trainable
question: 배치 정규화의 학습되지 않는 파라미터 수는? (How many non-trainable parameters?)
```
"""


def _cards(deck_dir: Path, text: str) -> tuple[dict[str, CardSpec], list[str]]:
    (deck_dir / "calc.md").write_text(text, encoding="utf-8")
    result = load_library([deck_dir])
    return {c.key.split(":")[-1]: c for c in result.cards}, [str(e) for e in result.errors]


def test_computed_answers_and_derivations(deck_dir: Path) -> None:
    cards, errors = _cards(deck_dir, DECK)
    assert errors == []
    lstm = cards["lstm"]
    assert lstm.prompt == "How many parameters does LSTM(10) have on input (5, 1)?"
    assert lstm.answer == "480"
    assert "LSTM(10): 4 × (1 + 1 + 10) × 10 = 480 → (None, 10)" in lstm.extra
    assert "The notes say 4x(1+1+10)x10 = 480 — correct." in lstm.extra
    assert lstm.extra.rstrip().endswith("Each gate block is a small Dense layer.")

    gru = cards["gru"]
    assert gru.answer == "390"
    assert "The notes say 3 × 10 × (10 + 1 + 1) = 360, but Keras gives 390." in gru.extra

    stack = cards["stack"]
    assert stack.answer == "(None, 5)"
    assert "Only the last LSTM drops the time axis." in stack.extra

    bn = cards["bn"]
    assert bn.answer == "128"
    assert bn.prompt.startswith("배치 정규화의")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "layers: LSTM(10, return_sequence=True)\ninput: (5, 1)",
            "LSTM: unknown argument 'return_sequence' (did you mean 'return_sequences'?)",
        ),
        ("layers: LSTM(10); LSTM(10)\ninput: (5, 1)", "add return_sequences=True to LSTM(10)"),
        (
            "layers: Conv2D(8, 3, groups=2)\ninput: (28, 28, 3)",
            "input channels (3) must be divisible by groups (2)",
        ),
        ("layers: LSTM(10)\ninput: (5, 0)", "input shape sizes must be positive"),
        ("layers: LSTM(10)\ninput: (5, 1)\nnotes: 4 ** 100", "notes: only numbers"),
        (
            "layers: LSTM(10)\ninput: (5, 1)\nask: output_shape\nnotes: 10",
            "notes: an output shape is written like (None, 10)",
        ),
    ],
)
def test_bad_compute_blocks_are_deck_errors_at_their_line(
    deck_dir: Path, block: str, message: str
) -> None:
    text = f"# T\n\nSome notes.\n\n```compute\n{block}\n```\n"
    (deck_dir / "good.md").write_text("# Good\n\nQ: 1 + 1?\nA: 2\n", encoding="utf-8")
    cards, errors = _cards(deck_dir, text)
    assert len(errors) == 1
    assert errors[0].endswith(message) or message in errors[0]
    assert ":5: " in errors[0]  # the line of the compute block
    assert "\n" not in errors[0]
    assert "good" not in errors[0] and cards  # the other deck still loads


def test_fill_computed_raises_deck_error_with_path_and_line() -> None:
    card = CardSpec(
        key="k", note_key="k", deck="d", deck_title="D", section=(), kind="computed",
        prompt="", answer="", source="decks/x.md", line=7,
        compute=(("layers", "Dens(3)"), ("input", "(4,)")),
    )  # fmt: skip
    with pytest.raises(DeckError) as info:
        fill_computed(card, Path("x.md"))
    assert str(info.value) == "x.md:7: unknown layer 'Dens' (did you mean 'Dense'?)"


def test_fields_follow_the_deck_format_rules_without_a_deck() -> None:
    card = CardSpec(
        key="k", note_key="k", deck="d", deck_title="D", section=(), kind="computed",
        prompt="", answer="", source="decks/x.md", line=7,
        compute=(("layers", "Dense(3)"), ("input", "(4,)"), ("ask", "flops")),
    )  # fmt: skip
    with pytest.raises(DeckError) as info:
        fill_computed(card, Path("x.md"))
    assert str(info.value) == (
        "x.md:7: compute ask 'flops' is not one of "
        "['non_trainable', 'output_shape', 'params', 'trainable']"
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("480", 480), ("4x(1+1+10)x10", 480), ("4 × (1 + 1 + 10) × 10", 480),
     ("3 * 10 * (10 + 1 + 1 + 1)", 390), ("4 × (1 + 1 + 10) × 10 = 480", 480)],
)  # fmt: skip
def test_notes_formulas(text: str, value: int) -> None:
    assert notes_value(text, "params") == value


def test_notes_formulas_are_data_too() -> None:
    for bad in ["__import__('os')", "10 ** 100", "9" * 300, "4 / 3"]:
        with pytest.raises(ExprError):
            notes_value(bad, "params")


def test_malformed_checks_are_reported_as_deck_errors(deck_dir: Path) -> None:
    text = (
        "# T\n\nQ: Default LSTM activation?\nA: tanh\n"
        '<!-- check: default LSTM activaton = "tanh" -->\n'
        '<!-- check: default LSTM activation = "tanh" -->\n'
    )
    cards, errors = _cards(deck_dir, text)
    assert cards == {}
    assert errors == [
        f"{deck_dir / 'calc.md'}:5: check 'default LSTM activaton = \"tanh\"': LSTM: unknown "
        "argument 'activaton' (did you mean 'activation'?)"
    ]
