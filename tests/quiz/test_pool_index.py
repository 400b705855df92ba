"""The exam's sibling index: how alike two table cells are (which decides whether a table's rows
or its columns give a cell's nearest wrong options), and the prompts that several cards ask,
found exactly, with a quick rough form first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.quiz.grading import normalize
from quizapp.quiz.pool import Pool, similarity
from quizapp.store.exam_cards import CardHead


def test_similarity_of_known_pairs() -> None:
    assert similarity("", "") == 100.0
    assert similarity("", "sigmoid") == 0.0
    assert similarity("sigmoid", "sigmoid") == 100.0
    assert similarity("sigmoid", "tanh") == 0.0
    near = similarity("binary crossentropy", "categorical crossentropy")
    assert 50 < near < 100
    assert similarity("(None, 26, 26, 32)", "(None, 13, 13, 32)") > similarity(
        "(None, 26, 26, 32)", "softmax"
    )


PROMPT = st.text(alphabet="aAbB zZ_0 1,.;-()`'\"9é과ｔ", max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(PROMPT, max_size=30))
def test_the_prompts_asked_twice_are_exactly_those_that_normalize_alike(
    prompts: list[str],
) -> None:
    cards = [
        CardHead(f"d:{i}", f"d:{i}", "d", ("D", f"S{i % 3}"), "qa", p, f"answer {i}")
        for i, p in enumerate(prompts)
    ]
    forms = [normalize(p) for p in prompts]
    expected = {f for f in forms if forms.count(f) > 1}
    assert Pool(cards).asked_twice("d", "qa") == expected
