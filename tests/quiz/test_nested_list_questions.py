"""A list to learn with nested items: its questions ask for the top-level items (a nested item
is detail of the item above it), and grading a typed answer counts those."""

from __future__ import annotations

from quizapp.quiz.grading import grade_list
from quizapp.quiz.pool import Pool, list_items
from tests.quiz.util import cards_of, exam_of

DECK = """\
---
id: apis
---

# Model APIs

## Ways to build a model

<!-- learn -->
1. Sequential
   - a stack of layers
   - one input, one output
2. Functional
   - any graph of layers
     1. shared layers
3. Subclassing
4. Estimators
"""

TOP = ("Sequential", "Functional", "Subclassing", "Estimators")


def test_a_nested_list_s_items_are_its_top_level_ones() -> None:
    (card,) = cards_of(DECK)
    assert list_items(card) == TOP
    facts = Pool([card]).facts(card)
    assert facts is not None and facts.items == TOP


def test_questions_of_a_nested_list_ask_the_top_level_items() -> None:
    (card,) = cards_of(DECK)
    seen: set[str] = set()
    for seed in range(1, 40):
        for q in exam_of([card], seed).questions:
            seen.add(q.type)
            if q.type == "typed":
                assert q.items == TOP
                assert q.answer == "; ".join(TOP)
            elif q.type == "mcq":
                assert q.answer in TOP and set(q.options) <= set(TOP)
            elif q.type == "tf":
                assert q.prompt.splitlines()[0] == card.prompt
                assert "a stack of layers" not in q.prompt and "shared layers" not in q.prompt
    assert {"typed", "mcq", "tf"} <= seen
    # The four names are the whole answer: the nested detail need not be typed.
    assert grade_list("Sequential; Functional; Subclassing; Estimators", TOP).result == "right"
