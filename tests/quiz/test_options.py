"""The option builder, over the bundled deck and over generated decks: options distinct after
normalization, exactly one right, all of the answer's kind, and no length tell."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.quiz.build import build_exam, select_cards
from quizapp.quiz.grading import alternatives, answer_kind, grade_typed, normalize
from quizapp.quiz.model import TRUE, TYPES, Exam, ExamOptions, Question
from quizapp.quiz.options import option_kind, shown_length
from quizapp.quiz.pool import Pool
from quizapp.store.exam_cards import ExamCard, WeightedConfusion
from tests.quiz.util import bundled_cards, cards_of, exam_of

BUNDLED = bundled_cards()


def check_question(q: Question) -> None:
    if q.format == "choice":
        assert len(q.options) == (2 if q.type == "tf" else 4), q
        assert q.options.count(q.answer) == 1, q
        assert len({normalize(o) for o in q.options}) == len(q.options), q.options
        if q.type == "tf":
            assert set(q.options) == {TRUE, "False"}
            assert (q.answer == TRUE) is (q.swapped is None)
            return
        # exactly one right: no other option is an accepted form of the answer
        rights = [o for o in q.options if grade_typed(o, q.answer, q.kind).result == "right"]
        assert rights == [q.answer], (q.answer, q.options)
        kinds = {answer_kind(o) for o in q.options}
        assert len(kinds) == 1, (kinds, q.options)
    elif q.format == "match":
        assert 4 <= len(q.pairs) <= 6
        assert sorted(q.options) == sorted(m for _, m in q.pairs)
        assert len({normalize(t) for t, _ in q.pairs}) == len(q.pairs)
        assert len({normalize(m) for m in q.options}) == len(q.options)
        assert len(q.cards) == len(q.pairs)
    else:
        assert q.answer.strip()
        if not q.items:
            assert grade_typed(q.answer, q.answer, q.kind).result == "right"
            forms = {normalize(a) for a in alternatives(q.answer)}
            assert not any(normalize(o) in forms for o in q.others), q


def check_exam(exam: Exam) -> None:
    assert [q.n for q in exam.questions] == list(range(1, len(exam.questions) + 1))
    notes: set[str] = set()
    for q in exam.questions:
        check_question(q)
        assert q.type in TYPES
        for key in q.card_keys:  # at most one question per card
            assert key not in notes, key
            notes.add(key)


def test_every_exam_of_the_bundled_deck_is_sound() -> None:
    seen_types: set[str] = set()
    for seed in range(1, 61):
        exam = exam_of(BUNDLED, seed, count=40)
        check_exam(exam)
        seen_types |= {q.type for q in exam.questions}
    assert seen_types == set(TYPES)


def test_the_right_option_is_the_longest_in_no_more_than_a_fair_share() -> None:
    """Measured over the bundled deck: 200 exams of up to 60 questions, every multiple-choice
    and computed-as-choice question (the README reports the figures)."""
    total = longest = shortest = 0
    fair = 0.0
    for seed in range(1, 201):
        for q in exam_of(BUNDLED, seed, count=60).questions:
            if q.format != "choice" or q.type == "tf":
                continue
            size = shown_length(q.answer)
            others = [shown_length(o) for o in q.options if o != q.answer]
            total += 1
            fair += 1 / len(q.options)
            longest += all(size > n for n in others)
            shortest += all(size < n for n in others)
    print(
        f"\nright option strictly longest in {longest / total:.1%}, strictly shortest in "
        f"{shortest / total:.1%} of {total} questions (fair share {fair / total:.0%})"
    )
    assert total > 1000
    assert longest / total <= fair / total
    assert shortest / total <= fair / total


def test_same_seed_same_exam_and_another_seed_another() -> None:
    a = exam_of(BUNDLED, 42, count=30)
    b = exam_of(BUNDLED, 42, count=30)
    c = exam_of(BUNDLED, 43, count=30)
    assert a == b
    assert a.questions != c.questions


def test_fewer_cards_than_asked_gives_what_there_is_and_says_so() -> None:
    exam = exam_of(BUNDLED, 1, count=500)
    assert 30 < len(exam.questions) < 500
    assert exam.note.startswith(f"{len(exam.questions)} questions: the chosen cards allow no more")


def test_types_and_section_and_tag_choose_the_questions() -> None:
    exam = exam_of(BUNDLED, 5, count=50, types=("tf", "match"))
    assert {q.type for q in exam.questions} == {"tf", "match"}
    half = sum(q.answer == TRUE for q in exam.questions if q.type == "tf")
    tf = sum(q.type == "tf" for q in exam.questions)
    assert abs(2 * half - tf) <= 1  # half of the statements are false
    lstm = exam_of(BUNDLED, 5, count=50, section="lstm")
    assert lstm.questions and all("LSTM" in q.section[-1] for q in lstm.questions)
    computed = exam_of(BUNDLED, 5, count=50, types=("computed",))
    assert all(q.type == "computed" for q in computed.questions)
    assert {q.format for q in computed.questions} == {"choice", "typed"}
    assert all(q.explanation.startswith("Input (") for q in computed.questions)
    # fresh questions of the cards' layer families, not the cards' own
    own = {c.prompt for c in BUNDLED if c.kind == "computed"}
    assert computed.questions and not {q.prompt for q in computed.questions} & own
    layer = re.compile(r"(?:does|of) ([A-Za-z0-9]+)\(")
    families = {m.group(1) for q in computed.questions if (m := layer.search(q.prompt))}
    assert families and families <= {"Conv2D", "Dense", "LSTM", "GRU", "MaxPooling2D", "Flatten"}


def test_computed_choices_are_labelled_misconceptions() -> None:
    exam = exam_of(BUNDLED, 9, count=50, types=("computed", "mcq"))
    choices = [q for q in exam.questions if q.type == "computed" and q.format == "choice"]
    assert choices
    for q in choices:
        labels = dict(zip(q.options, q.mistakes, strict=True))
        assert labels[q.answer] is None
        assert all(labels[o] for o in q.options if o != q.answer)


def test_a_property_table_offers_the_other_case() -> None:
    """sigmoid vs softmax: a row of the binary vs multiclass table is one property."""
    seen = False
    for seed in range(1, 200):
        for q in exam_of(BUNDLED, seed, count=60, types=("mcq",)).questions:
            if q.prompt == "activation — 이진 (binary)":
                assert "softmax" in q.options
                seen = True
    assert seen


# -- generated decks ---------------------------------------------------------------------------

WORDS = ["alpha", "beta", "gamma", "delta", "층", "모델", "데이터", "x", "y_train", "fit", "the"]
word = st.sampled_from(WORDS)
phrase = st.lists(word, min_size=1, max_size=9).map(" ".join)
cell = st.one_of(
    phrase,
    st.integers(0, 10**6).map(str),
    st.lists(st.integers(1, 64), min_size=1, max_size=3).map(
        lambda xs: "(None, " + ", ".join(map(str, xs)) + ")"
    ),
)


@st.composite
def decks(draw: st.DrawFn) -> str:
    lines = ["---", "id: gen", "---", "", "# Generated", ""]
    terms = draw(st.lists(st.text("abcdefghij_", min_size=2, max_size=8), max_size=9, unique=True))
    if terms:
        lines += ["## Definitions", ""]
        lines += [f"- `{t}`: {draw(phrase)}" for t in terms]
        lines.append("")
    rows = draw(st.integers(1, 7))
    cols = draw(st.integers(2, 4))
    blank_corner = draw(st.booleans())
    lines += ["## Table", ""]
    header = ["" if blank_corner else "name", *(f"case {c}" for c in range(1, cols))]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * cols]
    for r in range(rows):
        lines.append("| " + " | ".join([f"row {r}", *(draw(cell) for _ in range(1, cols))]) + " |")
    lines.append("")
    for n in range(draw(st.integers(1, 3))):  # numbered or bulleted
        items = draw(st.lists(phrase, min_size=2, max_size=7))
        marks = [f"{i}." for i in range(1, 8)] if draw(st.booleans()) else ["-"] * 7
        lines += [f"## List {n}", "", "<!-- learn -->"]
        lines += [f"{m} {x}" for m, x in zip(marks, items, strict=False)] + [""]
    questions = draw(st.lists(st.tuples(phrase, phrase), max_size=6, unique_by=lambda qa: qa[0]))
    if questions:
        lines += ["## Questions", ""]
        for q, a in questions:
            lines += [f"Q: {q}?", f"A: {a}", ""]
    clozes = draw(st.lists(st.lists(word, min_size=2, max_size=4), max_size=3))
    if clozes:
        lines += ["## Code", ""]
        for n, ws in enumerate(clozes):
            body = ", ".join(f"{{{{c{i}::{w}}}}}" for i, w in enumerate(ws, 1))
            lines += ["```python", f"f{n}({body})", "```", ""]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=decks(), seed=st.integers(0, 10**6))
def test_every_exam_of_a_generated_deck_is_sound(text: str, seed: int) -> None:
    try:
        cards = cards_of(text, "gen.md")
    except Exception as err:  # a generated deck the parser refuses is not this test's concern
        from quizapp.notes.model import DeckError

        assert isinstance(err, DeckError), err
        return
    exam = exam_of(cards, seed, count=25)
    check_exam(exam)
    assert exam == exam_of(cards, seed, count=25)


# -- questions: wrong answers of the answer's kind, the section's first ----------------------

# Two sections of questions of every kind; the answers of a kind have one length, so the draw
# of longer and shorter wrong options never needs the deck's.
KINDS_DECK = """---
id: kinds
---

# Kinds

## Part A

Q: How many units in A1?
A: 128

Q: How many units in A2?
A: 256

Q: How many units in A3?
A: 512

Q: How many units in A4?
A: 384

Q: Output shape of A1?
A: (None, 11)

Q: Output shape of A2?
A: (None, 12)

Q: Output shape of A3?
A: (None, 13)

Q: Output shape of A4?
A: (None, 14)

Q: Which call fits A1?
A: `fit(a1)`

Q: Which call fits A2?
A: `fit(a2)`

Q: Which call fits A3?
A: `fit(a3)`

Q: Which call fits A4?
A: `fit(a4)`

Q: Which activation does A1 use?
A: sigmoid

Q: Which activation does A2 use?
A: softmax

Q: Which activation does A3 use?
A: swish_1

Q: Which activation does A4 use?
A: hardtan

Q: What is the Korean term for A1?
A: 과적합

Q: What is the Korean term for A2?
A: 정규화

Q: What is the Korean term for A3?
A: 규제항

Q: What is the Korean term for A4?
A: 배치량

Q: Why does A1 train?
A: Because the model A1 of this part learns its weights.

Q: Why does A2 train?
A: Because the model A2 of this part learns its weights.

Q: Why does A3 train?
A: Because the model A3 of this part learns its weights.

Q: Why does A4 train?
A: Because the model A4 of this part learns its weights.

Q: What is the default?
A: alpha_x

## Part B

Q: How many units in B1?
A: 100

Q: How many units in B2?
A: 200

Q: How many units in B3?
A: 300

Q: How many units in B4?
A: 400

Q: Output shape of B1?
A: (None, 21)

Q: Output shape of B2?
A: (None, 22)

Q: Output shape of B3?
A: (None, 23)

Q: Output shape of B4?
A: (None, 24)

Q: Which call fits B1?
A: `fit(b1)`

Q: Which call fits B2?
A: `fit(b2)`

Q: Which call fits B3?
A: `fit(b3)`

Q: Which call fits B4?
A: `fit(b4)`

Q: Which activation does B1 use?
A: tanh_01

Q: Which activation does B2 use?
A: selu_02

Q: Which activation does B3 use?
A: gelu_03

Q: Which activation does B4 use?
A: elu_004

Q: What is the Korean term for B1?
A: 드롭아

Q: What is the Korean term for B2?
A: 학습률

Q: What is the Korean term for B3?
A: 손실값

Q: What is the Korean term for B4?
A: 정확도

Q: Why does B1 train?
A: Because the model B1 of this part learns its weights.

Q: Why does B2 train?
A: Because the model B2 of this part learns its weights.

Q: Why does B3 train?
A: Because the model B3 of this part learns its weights.

Q: Why does B4 train?
A: Because the model B4 of this part learns its weights.

Q: What is the default?
A: gamma_x

## Part C

Q: How many epochs in C?
A: 999

Q: What does C print?
A: omega_1
"""


def _mcqs_of(cards: list[ExamCard], seeds: range) -> list[Question]:
    return [
        q
        for seed in seeds
        for q in exam_of(cards, seed, count=60, types=("mcq",)).questions
        if q.type == "mcq"
    ]


def test_a_question_s_wrong_answers_are_of_its_kind_and_from_its_section() -> None:
    """A number among the section's numbers, a shape among its shapes, code among code, a short
    term among short terms, Korean among Korean, a sentence among sentences."""
    cards = cards_of(KINDS_DECK, "kinds.md")
    section_of = {c.answer: c.section[-1] for c in cards}
    asked: set[str] = set()
    for q in _mcqs_of(cards, range(1, 31)):
        kind = option_kind(q.answer)
        assert {option_kind(o) for o in q.options} == {kind}, q.options
        if q.section[-1] == "Part C":
            continue
        asked.add(q.answer)
        assert {section_of[o] for o in q.options} == {q.section[-1]}, (q.prompt, q.options)
    every = {c.answer for c in cards if c.section[-1] != "Part C" and "default" not in c.prompt}
    assert every <= asked  # every question of parts A and B was asked as a choice


def test_a_section_short_of_the_kind_takes_the_deck_s_of_that_kind() -> None:
    cards = cards_of(KINDS_DECK, "kinds.md")
    by_answer = {c.answer: c for c in cards}
    seen = set()
    for q in _mcqs_of(cards, range(1, 61)):
        if q.section[-1] != "Part C":
            continue
        seen.add(q.answer)
        wrong = [o for o in q.options if o != q.answer]
        if q.answer == "999":  # numbers of the other parts, never the part's own term
            assert all(answer_kind(o) == "number" for o in wrong), q.options
        else:  # a short Latin term: the other parts' such terms, never Korean or a sentence
            assert all(option_kind(o) == "term" for o in wrong), q.options
        assert all(by_answer[o].section[-1] != "Part C" for o in wrong)
    assert seen == {"999", "omega_1"}


def test_a_question_asked_elsewhere_never_offers_that_answer() -> None:
    """ "What is the default?" in part A is alpha_x; part B's gamma_x would be right there too."""
    cards = cards_of(KINDS_DECK, "kinds.md")
    offered = 0
    for q in _mcqs_of(cards, range(1, 61)):
        if q.prompt == "What is the default?":
            offered += 1
            assert {"alpha_x", "gamma_x"} & set(q.options) == {q.answer}, q.options
    assert offered


def test_past_confusions_come_first_if_they_are_of_the_kind() -> None:
    cards = cards_of(KINDS_DECK, "kinds.md")
    target = next(c for c in cards if c.answer == "sigmoid")
    past = [
        WeightedConfusion("과적합", None, 3.0, 2),  # Korean: never among Latin terms
        WeightedConfusion("tanh_01", None, 2.0, 1),  # part B's, of the kind: first
        WeightedConfusion("128", None, 1.0, 1),  # a number: never
    ]

    def confusions(keys: Sequence[str]) -> dict[str, list[WeightedConfusion]]:
        return {target.key: past} if target.key in keys else {}

    opts = ExamOptions(decks=("kinds",), count=60, types=("mcq",))
    pool = Pool(cards)
    for seed in range(1, 11):
        exam = build_exam(pool, select_cards(cards, opts), opts, seed, confusions)
        q = next(q for q in exam.questions if q.card == target.key)
        assert "tanh_01" in q.options
        assert not {"과적합", "128"} & set(q.options)
        part_a_terms = {"sigmoid", "softmax", "swish_1", "hardtan", "alpha_x"}
        assert set(q.options) - {"tanh_01"} <= part_a_terms  # then the section's
