"""The Keras line's words for each verification result (the words the review screen shows)."""

from __future__ import annotations

import pytest

from quizapp.tui.widgets.keras_line import keras_line
from quizapp.verify.model import NOT_VERIFIED, STATUSES, Verification

CASES = [
    (Verification("verified", "3.15.1"), "✓ verified with Keras 3.15.1", "verified"),
    (
        Verification("disagrees", "3.15.1", 'Keras: "tanh"'),
        '✗ Keras disagrees: Keras: "tanh"',
        "disagrees",
    ),
    (NOT_VERIFIED, "not verified — press v to check with Keras", "unverified"),
    (
        Verification("unverified", None, "check cancelled"),
        "not verified (check cancelled)",
        "unverified",
    ),
    (
        Verification("unavailable", None, "Keras is not installed"),
        "not verified (Keras unavailable: Keras is not installed)",
        "unverified",
    ),
]


@pytest.mark.parametrize(("result", "words", "style"), CASES)
def test_each_result_in_words(result: Verification, words: str, style: str) -> None:
    assert keras_line(result) == (words, style)


def test_every_status_has_its_words() -> None:
    assert {result.status for result, _, _ in CASES} == set(STATUSES)


def test_a_result_survives_the_child_process_answer() -> None:
    for result, _, _ in CASES:
        assert Verification.from_json(result.to_json()) == result
    assert Verification.from_json({"status": "maybe", "detail": ""}) is None
    assert Verification.from_json(["verified"]) is None
