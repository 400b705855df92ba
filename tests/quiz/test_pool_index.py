"""The exam's sibling index, where it takes short cuts for speed: how alike two table cells are
(which decides whether a table's rows or its columns give a cell's nearest wrong options) is
exactly rapidfuzz's ``fuzz.ratio``, without importing it; the prompts that several cards ask are
found exactly, with a quick rough form first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from quizapp.quiz.grading import normalize
from quizapp.quiz.pool import Pool, similarity
from quizapp.store.exams import CardHead

TEXT = st.text(alphabet="abcde fg.,()0123과적합줄이기", max_size=90)


@settings(max_examples=600, deadline=None)
@given(TEXT, TEXT)
def test_similarity_is_rapidfuzz_ratio_to_the_last_bit(a: str, b: str) -> None:
    assert similarity(a, b) == fuzz.ratio(a, b)


def test_similarity_of_known_pairs() -> None:
    assert similarity("", "") == 100.0
    assert similarity("", "sigmoid") == 0.0
    assert similarity("sigmoid", "sigmoid") == 100.0
    assert similarity("binary crossentropy", "categorical crossentropy") == fuzz.ratio(
        "binary crossentropy", "categorical crossentropy"
    )
    long_a, long_b = "weight bias " * 20, "bias weight " * 20  # past one machine word
    assert similarity(long_a, long_b) == fuzz.ratio(long_a, long_b)


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
