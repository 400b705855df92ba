"""The option builder, over the bundled deck and over generated decks: options distinct after
normalization, exactly one right, all of the answer's kind, and no length tell."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.quiz.grading import alternatives, answer_kind, grade_typed, normalize
from quizapp.quiz.model import TRUE, TYPES, Exam, Question
from quizapp.quiz.options import shown_length
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
    items = draw(st.lists(phrase, min_size=2, max_size=7))
    lines += ["## List", "", "<!-- learn -->", *(f"{i}. {x}" for i, x in enumerate(items, 1)), ""]
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
