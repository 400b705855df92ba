"""Taking exams through the service on a real SQLite file: grading, skipping, the clock, the
score per section and type, and the memory of exams across restarts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp import paths
from quizapp.quiz import ExamOptions, QuizOptionError, QuizService
from quizapp.quiz.model import TRUE, Question
from tests.store.util import Clock, write_deck

DECK = """---
id: ml
title: ML
---

# ML

## Activations

| | binary | multiclass |
|---|---|---|
| activation | sigmoid | softmax |
| loss | binary_crossentropy | categorical_crossentropy |
| predict | np.where | np.argmax |
| output units | 1 | number of classes |

## Terms

- `epoch`: one pass over the whole training set
- `batch`: the samples used for one weight update
- `overfitting`: the model learns the training data, noise included, and generalises badly
- `dropout`: randomly silences units while training
- `learning_rate`: the size of each optimiser step

## Splitting

```python
x_train, x_test = {{c1::train_test_split}}(x, test_size={{c2::0.2}})
```

<!-- learn -->
1. get more training data
2. fewer features
3. regularization
4. dropout

## Sizes

```compute
layers: LSTM(10)
input: (5, 1)
ask: params
```
"""


@pytest.fixture
def deck_dirs(deck_dir: Path) -> list[Path]:
    write_deck(deck_dir, "ml.md", DECK)
    return [deck_dir]


def open_service(tmp_path: Path, deck_dirs: list[Path], clock: Clock | None = None) -> QuizService:
    service, report = QuizService.open(tmp_path / "q.sqlite3", deck_dirs, clock)
    assert not report.errors, report.errors
    return service


def right_answer(q: Question) -> object:
    if q.format == "choice":
        return q.options.index(q.answer)
    if q.format == "match":
        return [q.options.index(m) for _, m in q.pairs]
    return q.answer if not q.items else "; ".join(q.items)


def wrong_answer(q: Question) -> object:
    if q.format == "choice":
        return next(i for i, o in enumerate(q.options) if o != q.answer)
    if q.format == "match":
        picks = [q.options.index(m) for _, m in q.pairs]
        return picks[1:] + picks[:1]  # every pair wrong
    return "no idea"


def cards_table(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute(
            "SELECT key, state, step, stability, difficulty, due, last_review, reps, lapses,"
            " suspended, buried_until FROM cards ORDER BY key"
        ).fetchall()


def test_a_whole_exam_right_wrong_almost_skipped_scored_per_section_and_type(
    tmp_path: Path, deck_dirs: list[Path]
) -> None:
    clock = Clock()
    service = open_service(tmp_path, deck_dirs, clock)
    before = cards_table(tmp_path / "q.sqlite3")
    exam = service.build(ExamOptions(seed=3, count=50))
    types = {q.type for q in exam.questions}
    assert types == {"mcq", "typed", "tf", "match", "computed"}, types
    run = service.start(exam)
    outcome: dict[int, str] = {}
    first_skipped = None
    while (q := run.current()) is not None:
        clock.advance(seconds=5)
        if q.n == 1 and first_skipped is None:
            first_skipped = q.n
            run.skip()  # comes back at the end
            continue
        a = run.answer(wrong_answer(q) if q.n % 3 == 0 else right_answer(q))
        outcome[q.n] = a.grade.result
        assert a.seconds == 5.0
    assert list(outcome)[-1] == 1  # the skipped question came back last
    result = run.finish()
    assert result.questions == len(exam.questions)
    expected = sum(1 for n, r in outcome.items() if r == "right")
    assert result.right == expected
    assert 0 < result.score < 1
    assert abs(sum(s.credit for s in result.by_type) - result.score * result.questions) < 1e-9
    assert sum(s.questions for s in result.by_section) == result.questions
    assert {s.name for s in result.by_type} == types
    assert all(a.grade.result != "right" for a in result.missed)
    assert result.seconds == pytest.approx(5.0 * (len(exam.questions) + 1))
    # An exam never changes a review schedule.
    assert cards_table(tmp_path / "q.sqlite3") == before
    service.close()
    with sqlite3.connect(tmp_path / "q.sqlite3") as con:
        rows = con.execute("SELECT n, result, credit FROM quiz_answers ORDER BY n").fetchall()
        score = con.execute("SELECT score, seconds FROM quiz_exams").fetchone()
    assert [r[1] for r in rows] == [outcome[n] for n in sorted(outcome)]
    assert score == (pytest.approx(result.score), pytest.approx(result.seconds))


def test_almost_with_override_is_recorded(tmp_path: Path, deck_dirs: list[Path]) -> None:
    service = open_service(tmp_path, deck_dirs)
    exam = service.build(ExamOptions(seed=1, count=50, types=("typed",)))
    q = next(q for q in exam.questions if q.answer == "categorical_crossentropy")
    run = service.start(exam)
    while run.current() is not None and run.current() != q:
        run.skip()
    a = run.answer("categorical_crossentrpy")
    assert a.grade.result == "almost" and a.grade.credit == 0.0
    assert "".join(p.text for p in a.grade.diff if p.op == "missing") == "o"
    accepted = run.override(q.n)
    assert accepted.grade.override and accepted.grade.credit == 1.0
    result = run.finish()
    assert result.right == 1 and result.missed_cards == tuple(
        k for x in exam.questions if x != q for k in x.card_keys
    )
    service.close()
    with sqlite3.connect(tmp_path / "q.sqlite3") as con:
        row = con.execute(
            "SELECT result, override, credit, given FROM quiz_answers WHERE n = ?", (q.n,)
        ).fetchone()
    assert row == ("almost", 1, 1.0, "categorical_crossentrpy")


def test_time_up_ends_the_exam_and_the_rest_is_skipped(
    tmp_path: Path, deck_dirs: list[Path]
) -> None:
    clock = Clock()
    service = open_service(tmp_path, deck_dirs, clock)
    run = service.start(service.build(ExamOptions(seed=2, count=6, minutes=1)))
    assert run.time_left() == 60.0
    q = run.current()
    assert q is not None
    clock.advance(seconds=20)
    run.answer(right_answer(q))
    assert run.time_left() == 40.0
    clock.advance(seconds=45)
    assert run.time_up() and run.current() is None
    result = run.finish()
    assert result.time_up and result.seconds == 60.0
    assert [a.grade.result for a in result.answers].count("skipped") == 5
    assert result.score == pytest.approx(1 / 6)


def test_retake_asks_the_missed_questions_again(tmp_path: Path, deck_dirs: list[Path]) -> None:
    service = open_service(tmp_path, deck_dirs)
    exam = service.build(ExamOptions(seed=4, count=8))
    run = service.start(exam)
    while (q := run.current()) is not None:
        run.answer(wrong_answer(q) if q.n in (2, 5) else right_answer(q))
    result = run.finish()
    retake = service.retake(result)
    assert [q.prompt for q in retake.questions] == [
        exam.questions[1].prompt,
        exam.questions[4].prompt,
    ]
    assert [q.n for q in retake.questions] == [1, 2]
    assert retake.retake_of == result.exam_id
    run2 = service.start(retake)
    while (q := run2.current()) is not None:
        run2.answer(right_answer(q))
    assert run2.finish().score == 1.0
    with sqlite3.connect(tmp_path / "q.sqlite3") as con:
        assert con.execute("SELECT retake_of FROM quiz_exams ORDER BY id").fetchall() == [
            (None,),
            (result.exam_id,),
        ]


def test_confusions_and_history_are_remembered_across_restarts(
    tmp_path: Path, deck_dirs: list[Path]
) -> None:
    clock = Clock()
    service = open_service(tmp_path, deck_dirs, clock)
    exam = service.build(ExamOptions(seed=5, count=50, types=("mcq",)))
    target = next(q for q in exam.questions if q.prompt == "`epoch`")
    run = service.start(exam)
    took = None
    while (q := run.current()) is not None:
        if q == target:
            took = q.options[wrong_answer(q)]  # type: ignore[index]
            run.answer(wrong_answer(q))
        else:
            run.answer(right_answer(q))
    run.finish()
    service.close()

    for seed in range(10, 20):  # a new process: every later exam offers the confusion first
        clock.advance(days=1)
        service = open_service(tmp_path, deck_dirs, clock)
        later = service.build(ExamOptions(seed=seed, count=50, types=("mcq",)))
        q = next(q for q in later.questions if q.prompt == "`epoch`")
        assert took in q.options
        history = service.history()
        service.close()
    assert len(history.exams) == 1 and history.exams[0].score == pytest.approx(
        (len(exam.questions) - 1) / len(exam.questions)
    )
    top = history.confusions[0]
    assert (top.card_key, top.confused_with, top.times) == (target.card, took, 1)
    terms = next(t for t in history.sections if t.section == ("ML", "Terms"))
    assert len(terms.scores) == 1 and terms.scores[0] < 1


def test_missed_exam_and_send_to_review_change_only_those_cards(
    tmp_path: Path, deck_dirs: list[Path]
) -> None:
    clock = Clock()
    db = tmp_path / "q.sqlite3"
    service = open_service(tmp_path, deck_dirs, clock)
    exam = service.build(ExamOptions(seed=6, count=12))
    run = service.start(exam)
    while (q := run.current()) is not None:
        if q.n <= 3:
            run.skip() if q.n == 3 and run.unanswered > 10 else run.answer(wrong_answer(q))
        else:
            run.answer(right_answer(q))
    result = run.finish()
    missed = result.missed_cards
    assert missed
    service.close()

    service = open_service(tmp_path, deck_dirs, clock)
    again = service.build(ExamOptions(missed=True, seed=1))
    asked = {k for q in again.questions for k in q.card_keys}
    assert asked and asked <= set(missed)
    before = {r[0]: r for r in cards_table(db)}
    clock.advance(hours=1)
    assert service.send_to_review(missed) == len(missed)
    service.close()
    after = {r[0]: r for r in cards_table(db)}
    changed = {k for k in after if after[k] != before[k]}
    assert changed == set(missed)
    for key in missed:
        state, due = after[key][1], after[key][5]
        assert state == "learning" and due is not None  # new cards start their steps now
    from quizapp.review import ReviewService

    review = ReviewService(db, deck_dirs, clock=clock)
    session = review.start("ml")
    shown = []
    while (card := session.next_card()) is not None and len(shown) < 40:
        shown.append(card.key)
        session.answer(card, 3, 1000)
    review.close()
    assert set(missed) <= set(shown[: len(missed)])  # due now: first in today's review


def test_bad_options_name_the_known_ones(tmp_path: Path, deck_dirs: list[Path]) -> None:
    service = open_service(tmp_path, deck_dirs)
    with pytest.raises(QuizOptionError, match=r"unknown deck 'mll' \(known: ml\)"):
        service.build(ExamOptions(decks=("mll",)))
    with pytest.raises(QuizOptionError, match=r"unknown section 'rnn' \(known: Activations, "):
        service.build(ExamOptions(section="rnn"))
    with pytest.raises(QuizOptionError, match=r"unknown tag 'rnn' \(known: .*Terms"):
        service.build(ExamOptions(tag="rnn"))
    with pytest.raises(QuizOptionError, match="--count must be at least 1"):
        service.build(ExamOptions(count=0))
    with pytest.raises(QuizOptionError, match="unknown question type 'essay'"):
        service.build(ExamOptions(types=("essay",)))  # type: ignore[arg-type]
    exam = service.build(ExamOptions(missed=True))
    assert exam.questions == () and exam.note == "no card was missed in the last 5 exams"
    service.close()


def test_the_bundled_deck_gives_a_full_exam(tmp_path: Path) -> None:
    service = open_service(tmp_path, paths.deck_dirs([]))
    exam = service.build(ExamOptions(decks=("keras-basics",), seed=11))
    assert len(exam.questions) == 20 and exam.note == ""
    tf = [q for q in exam.questions if q.type == "tf"]
    assert all(q.options == (TRUE, "False") for q in tf)
    service.close()
