"""How alike two table cells are, which decides whether a table's rows or its columns give a
cell's nearest wrong options: exactly rapidfuzz's ``fuzz.ratio``, without importing it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from quizapp.quiz.pool import similarity

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
