"""List cards in exams: a numbered list is asked by place, a bulleted one (whose items have no
place) as "which of these is one of them", true or false, or typed in any order with credit per
item; taken through the service on a real SQLite file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.quiz import ExamOptions, QuizService
from quizapp.quiz.model import FALSE, TRUE, Question
from quizapp.quiz.options import option_kind
from tests.quiz.test_options import check_exam
from tests.quiz.util import cards_of, exam_of
from tests.store.util import write_deck

LISTS = """---
id: lists
---

# Lists

## Reducing overfitting

<!-- learn -->
- more training data
- fewer features
- weight penalties
- dropout layers

## Reducing underfitting

<!-- learn -->
- a bigger model
- more epochs
- fewer penalties
- better features

## Speeding up training

<!-- learn: the ways to train faster -->
* a larger batch
* mixed precision
+ a faster device

## Steps of training

<!-- learn -->
1. build the model
2. compile it
3. fit it
4. evaluate it
"""

ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")


def items_of(q: Question) -> set[str]:
    return {line.removeprefix("- ") for line in q.explanation.splitlines() if line[:2] == "- "}


def test_a_bulleted_list_keeps_its_bullets_and_a_numbered_one_its_numbers() -> None:
    cards = {c.section[-1]: c for c in cards_of(LISTS, "lists.md")}
    assert cards["Reducing overfitting"].answer.splitlines()[0] == "- more training data"
    assert cards["Speeding up training"].answer == (
        "- a larger batch\n- mixed precision\n- a faster device"
    )
    assert cards["Steps of training"].answer.splitlines()[2] == "3. fit it"


def test_only_a_numbered_list_is_asked_by_place() -> None:
    cards = cards_of(LISTS, "lists.md")
    by_section = {c.section[-1]: c for c in cards}
    all_items = {
        line.split(" ", 1)[1]: c.section[-1] for c in cards for line in c.answer.splitlines()
    }
    kinds: dict[str, set[str]] = {}
    for seed in range(1, 41):
        exam = exam_of(cards, seed, count=10, types=("mcq", "tf", "typed"))
        check_exam(exam)
        for q in exam.questions:
            section = q.section[-1]
            kinds.setdefault(section, set()).add(q.type)
            card = by_section[section]
            if section == "Steps of training":
                if q.type != "typed":
                    assert ORDINAL.search(q.prompt), q.prompt
                continue
            assert not ORDINAL.search(q.prompt + q.explanation), q.prompt  # no place asked
            n = len(card.answer.splitlines())
            own = {line[2:] for line in card.answer.splitlines()}
            if q.type == "mcq":
                assert q.prompt == f"{card.prompt}\nWhich of these is one of the {n}?"
                assert [o for o in q.options if o in own] == [q.answer]  # exactly one right
                others = [o for o in q.options if o != q.answer]
                assert all(all_items[o] != section for o in others)  # other lists' items
                assert {option_kind(o) for o in q.options} == {option_kind(q.answer)}
            elif q.type == "tf":
                shown = q.prompt.rsplit(": ", 1)[1]
                assert q.prompt.startswith(f"{card.prompt}\nOne of the {n} is: ")
                assert (shown in own) is (q.answer == TRUE)
                assert (q.swapped is not None) is (q.answer == FALSE)
                assert items_of(q) == own  # the explanation lists the items
            else:
                assert q.type == "typed" and set(q.items) == own
    assert kinds["Reducing overfitting"] == {"mcq", "tf", "typed"}
    assert kinds["Steps of training"] == {"mcq", "tf", "typed"}


def test_a_lone_bulleted_list_is_typed_only() -> None:
    """With no other list there is nothing to offer beside its items: no choice, no
    true/false (it would always be true)."""
    text = LISTS.split("## Reducing underfitting")[0]
    cards = cards_of(text, "lists.md")
    types = {
        q.type
        for seed in range(1, 11)
        for q in exam_of(cards, seed, types=("mcq", "tf", "typed")).questions
    }
    assert types == {"typed"}


@pytest.fixture
def service(tmp_path: Path, deck_dir: Path) -> QuizService:
    write_deck(deck_dir, "lists.md", LISTS)
    svc, report = QuizService.open(tmp_path / "q.sqlite3", [deck_dir])
    assert not report.errors, report.errors
    return svc


def test_taking_a_bulleted_list_s_questions_through_the_service(service: QuizService) -> None:
    """Right, wrong (remembered as a confusion, offered first next time) and typed in any
    order with credit per item."""
    exam = service.build(ExamOptions(seed=1, section="overfitting", types=("mcq",)))
    (q,) = exam.questions
    run = service.start(exam)
    wrong = next(i for i, o in enumerate(q.options) if o != q.answer)
    a = run.answer(wrong)
    assert a.grade.result == "wrong"
    assert a.grade.confused_with and a.grade.confused_with[0][1] == q.options[wrong]
    run.finish()
    for seed in range(100, 110):  # every later exam offers the confusion first
        later = service.build(ExamOptions(seed=seed, section="overfitting", types=("mcq",)))
        assert q.options[wrong] in later.questions[0].options
    exam = service.build(ExamOptions(seed=4, section="overfitting", types=("typed",)))
    (q,) = exam.questions
    run = service.start(exam)
    a = run.answer("dropout layers; more training data\nfewer features")
    assert (a.grade.result, a.grade.credit) == ("partial", 0.75)
    run.finish()
    exam = service.build(ExamOptions(seed=5, section="overfitting", types=("mcq",)))
    run = service.start(exam)
    (q,) = exam.questions
    assert run.answer(q.options.index(q.answer)).grade.result == "right"
    run.finish()
    service.close()
