"""Typed answers: lenient where a person would be, strict where it matters, in Korean and
English, both ways (accepted and refused)."""

from __future__ import annotations

import pytest

from quizapp.quiz.grading import (
    accept_override,
    answer_kind,
    char_diff,
    grade_list,
    grade_typed,
)

# (right answer, typed, accepted?) — accepted means graded "right".
CASES = [
    # case, surrounding and repeated spaces, trailing punctuation
    ("softmax", "Softmax", True),
    ("softmax", "  softmax  ", True),
    ("mean squared error", "mean   squared error.", True),
    ("Dropout layers", "dropout layers!", True),
    # quote style and inline code
    ("`'gray'`", '"gray"', True),
    ("'val_loss'", "‘val_loss’", True),
    ("`filters`", "filters", True),
    # full-/half-width forms (NFKC)
    ("480", "４８０", True),
    ("softmax", "ｓｏｆｔｍａｘ", True),
    # Korean spacing
    ("과적합 줄이기", "과적합줄이기", True),
    ("과적합줄이기", "과적합 줄이기", True),
    ("훈련 데이터를 늘린다", "훈련데이터를 늘린다", True),
    # thousands separators
    ("1234", "1,234", True),
    ("18816", "18 816", True),
    ("7850", "7_850", True),
    # shapes with or without spaces, None in any case, a 1-tuple's comma
    ("(None, 26, 26, 32)", "(None,26,26,32)", True),
    ("(None, 26, 26, 32)", "(none, 26,26, 32)", True),
    ("(40,)", "(40)", True),
    # code whitespace and quote style
    ("test_size=0.2", "test_size = 0.2", True),
    ("y.reshape(-1, 1)", "y.reshape(-1,1)", True),
    ("stratify=y", "stratify = y", True),
    ("EarlyStopping(monitor='val_loss')", 'EarlyStopping( monitor = "val_loss" )', True),
    # a gloss: either the text or, for a translation, either language
    ("sigmoid (sig)", "sigmoid", True),
    ("훈련 데이터를 늘린다 (get more training data)", "get more training data", True),
    ("훈련 데이터를 늘린다 (get more training data)", "훈련 데이터를 늘린다", True),
    ("이진 (binary)", "binary", True),
    # strict: a number is that number
    ("480", "48", False),
    ("480", "4800", False),
    ("0.2", "0.25", False),
    ("(None, 26, 26, 32)", "(26, 26, 32)", False),
    ("(None, 26, 26, 32)", "(None, 26, 26, 23)", False),
    ("test_size=0.2", "test_size=0.3", False),
    # strict: another word is another answer
    ("sigmoid", "softmax", False),
    ("x_train", "x_test", False),
    ("y_test", "y_train", False),
    ("fit", "transform", False),
    ("'gray'", "gray", False),  # quotes are kept: gray alone is a name, not a string
    ("정규화", "규제", False),
    ("과적합 줄이기", "과소적합 줄이기", False),
    ("sigmoid (sig)", "sig", False),  # the notes' shorthand is not a translation
    ("binary_crossentropy", "categorical_crossentropy", False),
]


@pytest.mark.parametrize(("right", "typed", "accepted"), CASES)
def test_typed_answer_table(right: str, typed: str, accepted: bool) -> None:
    grade = grade_typed(typed, right, answer_kind(right))
    assert (grade.result == "right") is accepted, grade
    assert grade.credit == (1.0 if accepted else 0.0)


# Near misses: one or two characters off a long answer are "almost", shown as a diff.
NEAR = [
    ("categorical_crossentropy", "categorical_crossentrpy", True),
    ("categorical_crossentropy", "catergorical_crossentropi", True),  # two off, long
    ("train_test_split", "train_test_spilt", True),  # a swap of two letters is one typo
    ("hyperbolic tangent", "hyperbolic tangnet", True),
    ("훈련 데이터를 늘린다", "훈련 데이타를 늘린다", True),
    ("regularization", "regularisation", True),
    # never for short answers, numbers, shapes, or a changed digit
    ("sigmoid", "sigmoud", False),
    ("x_train", "x_trian", False),
    ("18816", "18815", False),
    ("(None, 13, 13, 32)", "(None, 13, 13, 3)", False),
    ("test_size=0.2", "test_size=0.3", False),
    ("hyperbolic tangent", "hyperbolic tan", False),  # more than two off
]


@pytest.mark.parametrize(("right", "typed", "almost"), NEAR)
def test_near_misses_are_almost(right: str, typed: str, almost: bool) -> None:
    grade = grade_typed(typed, right, answer_kind(right))
    assert (grade.result == "almost") is almost, grade
    assert grade.credit == 0.0
    if almost:
        parts = grade.diff
        assert "".join(p.text for p in parts if p.op != "missing") == typed.strip()
        assert "".join(p.text for p in parts if p.op != "extra") == right
        assert any(p.op != "equal" for p in parts)
        accepted = accept_override(grade)
        assert accepted.override and accepted.credit == 1.0 and accepted.result == "almost"


def test_typing_a_siblings_answer_is_a_confusion_not_almost() -> None:
    # categorical_crossentropy is one character from ... nothing; but a sibling's answer
    # typed for this card is the classic confusion, recorded as such.
    grade = grade_typed("softmax", "sigmoid (sig)", "text", others=["softmax"], card_key="k")
    assert grade.result == "wrong"
    assert grade.confused_with == (("k", "softmax", None),)
    grade = grade_typed(
        "sparse_categorical_crossentropy",
        "categorical_crossentropy",
        "text",
        others=["sparse_categorical_crossentropy"],
    )
    assert grade.result == "wrong" and grade.confused_with


def test_blank_answer_is_skipped() -> None:
    assert grade_typed("   ", "480", "number").result == "skipped"


def test_answer_kinds() -> None:
    assert answer_kind("1,234") == "number"
    assert answer_kind("(None, 26, 26, 32)") == "shape"
    assert answer_kind("`filters`") == "code"
    assert answer_kind("```python\nx = 1\n```") == "code"
    assert answer_kind("sigmoid (sig)") == "text"


def test_list_items_in_any_order_with_credit_per_item() -> None:
    items = [
        "훈련 데이터를 늘린다 (get more training data)",
        "규제 피처를 줄인다 (reduce the features)",
        "정규화 (regularization)",
        "DropOut (Dropout layers)",
    ]
    full = grade_list("dropout; 정규화\nget more training data; 규제 피처를 줄인다", items)
    assert full.result == "right" and full.credit == 1.0
    half = grade_list("regularization; DropOut", items)
    assert half.result == "partial" and half.credit == 0.5 and half.note == "2 of 4 items"
    assert grade_list("batch norm; early stopping", items).result == "wrong"
    almost = grade_list("dropout; 정규화; get more training data; 규제 피처를 줄인디", items)
    assert almost.result == "almost" and almost.credit == 0.75
    assert accept_override(almost).credit == 1.0
    assert grade_list("", items).result == "skipped"


def test_char_diff_marks_what_is_missing_and_extra() -> None:
    parts = char_diff("categorical_crossentrpy", "categorical_crossentropy")
    assert [(p.op, p.text) for p in parts] == [
        ("equal", "categorical_crossentr"),
        ("missing", "o"),
        ("equal", "py"),
    ]
