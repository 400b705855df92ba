"""Exams in the app: whole exams of every question type (right, wrong, almost with "I was
right", skipped, time up on an injected clock), the end screen's numbers, retaking the missed
questions, and sending the missed cards to review (read back from SQLite)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from quizapp.quiz import Exam, ExamOptions, Question, QuizService
from quizapp.quiz.model import TRUE
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.exam import ExamScreen
from quizapp.tui.screens.exam_end import ExamEndScreen
from quizapp.tui.screens.exam_setup import ExamSetupScreen
from quizapp.tui.screens.home import HomeScreen
from tests.quiz.test_exams import DECK
from tests.tui.helpers import SIZE, Clock, query_db, screen_lines, screen_text

LETTERS = "abcdef"
ExamApp = Callable[..., QuizApp]


@pytest.fixture
def exam_decks(demo_decks: Path) -> Path:
    (demo_decks / "demo.md").unlink()
    (demo_decks / "ml.md").write_text(DECK, encoding="utf-8")
    return demo_decks


@pytest.fixture
def exam_app(db_path: Path, exam_decks: Path, config_path: Path, clock: Clock) -> ExamApp:
    """The app opened straight on an exam built for ``options`` (as `quizapp quiz` does)."""

    def build(**options: Any) -> QuizApp:
        exam = build_exam(db_path, exam_decks, clock, **options)
        return make_app(
            db_path=db_path,
            deck_dirs=[exam_decks],
            config_path=config_path,
            clock=clock,
            exam=exam,
            exam_tick=0.05,
        )

    return build


def build_exam(db_path: Path, decks: Path, clock: Clock, **options: Any) -> Exam:
    service, _ = QuizService.open(db_path, [decks], clock)
    try:
        return service.build(ExamOptions(**{"seed": 3, **options}))
    finally:
        service.close()


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the exam worker is done and the screen it leads to is showing."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        busy = [w for w in app.workers if w.group == "exam" and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
            continue
        if getattr(app.screen, "busy", None) is None and not getattr(app.screen, "finishing", 0):
            await pilot.pause()
            return
    raise AssertionError("the exam screens did not settle")


def exam_screen(app: QuizApp) -> ExamScreen:
    assert isinstance(app.screen, ExamScreen), app.screen
    return app.screen


def current(app: QuizApp) -> Question:
    q = exam_screen(app).question
    assert q is not None, "no question on screen"
    return q


async def type_answer(pilot: Pilot[Any], text: str) -> None:
    pilot.app.screen.query_one("#q-typed", Input).value = text
    await pilot.press("enter")
    await settle(pilot)


async def answer_right(pilot: Pilot[Any]) -> Question:
    q = current(pilot.app)  # type: ignore[arg-type]
    if q.type == "tf":
        await pilot.press("t" if q.answer == TRUE else "f")
    elif q.format == "choice":
        await pilot.press(str(q.options.index(q.answer) + 1))
    elif q.format == "match":
        for _, meaning in q.pairs:
            await pilot.press(LETTERS[q.options.index(meaning)])
        await pilot.press("enter")
    else:
        await type_answer(pilot, "; ".join(q.items) if q.items else q.answer)
        return q
    await settle(pilot)
    return q


async def answer_wrong(pilot: Pilot[Any]) -> Question:
    q = current(pilot.app)  # type: ignore[arg-type]
    if q.type == "tf":
        await pilot.press("f" if q.answer == TRUE else "t")
    elif q.format == "choice":
        wrong = next(i for i, o in enumerate(q.options) if o != q.answer)
        await pilot.press(str(wrong + 1))
    elif q.format == "match":
        order = [q.options.index(m) for _, m in q.pairs]
        for i in order[1:] + order[:1]:  # every pair wrong
            await pilot.press(LETTERS[i])
        await pilot.press("enter")
    else:
        await type_answer(pilot, "certainly not this")
        return q
    await settle(pilot)
    return q


async def test_a_whole_exam_of_every_type_answered_right(exam_app: ExamApp, db_path: Path) -> None:
    app = exam_app(count=50)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        n = exam_screen(app).run.total  # type: ignore[union-attr]
        asked = []
        for k in range(1, n + 1):
            assert f"Question {k} of {n}" in screen_lines(app)[0]
            asked.append(await answer_right(pilot))
        assert {q.type for q in asked} == {"mcq", "typed", "tf", "match", "computed"}
        end = app.screen
        assert isinstance(end, ExamEndScreen)
        assert end.result.score == 1.0 and end.result.right == n
        text = screen_text(app)
        assert f"Exam done · {n} of {n} right · 100%" in text
        assert "Everything right." in text
        for name in ("multiple choice", "typed answer", "true / false", "matching", "computed"):
            assert name in text
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    rows = query_db(db_path, "SELECT result, credit FROM quiz_answers ORDER BY n")
    assert rows == [("right", 1.0)] * n
    assert query_db(db_path, "SELECT score, questions FROM quiz_exams") == [(1.0, n)]


@pytest.mark.parametrize("qtype", ["mcq", "typed", "tf", "match", "computed"])
async def test_a_whole_exam_of_one_type_right_and_wrong(
    exam_app: ExamApp, db_path: Path, qtype: str
) -> None:
    """Every other question wrong: the end screen's score, per type and per section."""
    app = exam_app(count=6, types=(qtype,), seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        total = exam_screen(app).run.total  # type: ignore[union-attr]
        assert total >= (1 if qtype in ("match", "computed") else 2)
        while isinstance(app.screen, ExamScreen):
            q = current(app)
            assert q.type == qtype
            await (answer_wrong(pilot) if q.n % 2 else answer_right(pilot))
        end = app.screen
        assert isinstance(end, ExamEndScreen)
        right = total // 2
        assert end.result.right == right and end.result.questions == total
        assert [(s.name, s.questions) for s in end.result.by_type] == [(qtype, total)]
        assert sum(s.questions for s in end.result.by_section) == total
        assert (
            f"Exam done · {right} of {total} right · {100 * right / total:.0f}%"
            in (screen_lines(app)[0])
        )
        assert f"{total - right} to go over" in screen_text(app)
        if qtype == "computed":  # what Keras said, from the cache (no TensorFlow here)
            from rich.console import Console

            from quizapp.tui.screens.exam_end import mistake_renderable

            console = Console(width=78, record=True, file=io.StringIO())
            console.print(mistake_renderable(end.result.missed[0]))
            shown = console.export_text()
            assert "Input (" in shown and "not verified with Keras (computed by formula)" in shown
    rows = query_db(db_path, "SELECT qtype, result FROM quiz_answers ORDER BY n")
    assert [r[0] for r in rows] == [qtype] * total
    assert [r[1] == "right" for r in rows] == [n % 2 == 0 for n in range(1, total + 1)]


async def test_wrong_and_skipped_questions_are_explained_on_the_end_screen(
    exam_app: ExamApp, db_path: Path
) -> None:
    app = exam_app(count=8)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        run = exam_screen(app).run
        assert run is not None
        first = current(app)
        await pilot.press("s") if first.format != "typed" else await type_answer(pilot, "")
        await settle(pilot)
        assert current(app).n == 2  # skipped: it comes back at the end
        wrong = await answer_wrong(pilot)
        while current(app).n != first.n:
            await answer_right(pilot)
        assert "(skipped before)" in screen_text(app)
        await pilot.press("escape")  # end now: the skipped one counts as skipped
        await pilot.pause()
        assert "Press Escape again to end the exam" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        end = app.screen
        assert isinstance(end, ExamEndScreen)
        r = end.result
        assert r.questions == run.total and r.right == run.total - 2
        missed = {a.question.n: a for a in r.missed}
        assert set(missed) == {first.n, wrong.n}
        assert missed[first.n].grade.result == "skipped"
        text = screen_text(app)
        assert f"{run.total - 2} of {run.total} right" in text
        assert "2 to go over" in text
        assert "Your answer: (skipped)" in text or "skipped" in text
        assert "Right answer" in text or "Right pairs" in text
        assert first.source in text or wrong.source in text
    results = dict(query_db(db_path, "SELECT n, result FROM quiz_answers"))
    assert results[first.n] == "skipped" and results[wrong.n] in ("wrong", "partial")


async def test_almost_then_i_was_right_on_the_end_screen(exam_app: ExamApp, db_path: Path) -> None:
    app = exam_app(count=50, types=("typed",), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        run = exam_screen(app).run
        assert run is not None
        target = None
        while isinstance(app.screen, ExamScreen):
            q = current(app)
            if q.answer == "categorical_crossentropy":
                target = q
                await type_answer(pilot, "categorical_crossentrpy")
            else:
                await answer_right(pilot)
        assert target is not None
        end = app.screen
        assert isinstance(end, ExamEndScreen)
        assert end.result.right == run.total - 1
        text = screen_text(app)
        assert "almost — y: I was right" in text and "categorical_crossentrpy" in text
        assert "y I was right" in screen_lines(app)[-1]
        await pilot.press("y")
        await settle(pilot)
        assert end.result.right == run.total and end.result.score == 1.0
        assert "accepted (I was right)" in screen_text(app)
        assert f"{run.total} of {run.total} right · 100%" in screen_lines(app)[0]
    assert query_db(
        db_path, "SELECT result, override, credit FROM quiz_answers WHERE n = ?", target.n
    ) == [("almost", 1, 1.0)]
    assert query_db(db_path, "SELECT score FROM quiz_exams") == [(1.0,)]


async def test_time_up_ends_the_exam_on_the_injected_clock(
    exam_app: ExamApp, clock: Clock, db_path: Path
) -> None:
    app = exam_app(count=6, minutes=2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Question 1 of 6 · 2:00 left" in screen_lines(app)[0]
        clock.advance(seconds=30)
        await answer_right(pilot)
        await pilot.pause(0.1)
        assert "Question 2 of 6 · 1:30 left" in screen_lines(app)[0]
        clock.advance(seconds=95)
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        end = app.screen
        assert isinstance(end, ExamEndScreen), end
        assert end.result.time_up and end.result.seconds == 120.0
        assert [a.grade.result for a in end.result.answers].count("skipped") == 5
        assert "time up" in screen_lines(app)[0] and "2m 00s" in screen_lines(app)[0]
    assert query_db(db_path, "SELECT count(*) FROM quiz_answers WHERE result = 'skipped'") == [(5,)]


async def test_retake_asks_only_the_missed_questions(exam_app: ExamApp) -> None:
    app = exam_app(count=6)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        missed = [(await answer_wrong(pilot)).prompt, (await answer_wrong(pilot)).prompt]
        while isinstance(app.screen, ExamScreen):
            await answer_right(pilot)
        await pilot.press("r")
        await settle(pilot)
        retake = exam_screen(app)
        assert [q.prompt for q in retake.exam.questions] == missed
        assert retake.exam.retake_of is not None
        assert "Question 1 of 2" in screen_lines(app)[0]
        await answer_right(pilot)
        await answer_right(pilot)
        end = app.screen
        assert isinstance(end, ExamEndScreen) and end.result.score == 1.0


CARD_COLUMNS = "key, state, step, stability, difficulty, due, reps, lapses, suspended, buried_until"


async def test_send_missed_cards_to_review_changes_only_those_cards(
    exam_app: ExamApp, db_path: Path
) -> None:
    app = exam_app(count=6, types=("mcq", "tf", "typed"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = {r[0]: r for r in query_db(db_path, f"SELECT {CARD_COLUMNS} FROM cards")}
        wrong = [await answer_wrong(pilot), await answer_wrong(pilot)]
        while isinstance(app.screen, ExamScreen):
            await answer_right(pilot)
        # Taking the exam changed no schedule.
        assert {r[0]: r for r in query_db(db_path, f"SELECT {CARD_COLUMNS} FROM cards")} == before
        await pilot.press("s")
        await settle(pilot)
        assert "2 cards due now in today's review." in screen_text(app)
    after = {r[0]: r for r in query_db(db_path, f"SELECT {CARD_COLUMNS} FROM cards")}
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {q.card for q in wrong}
    for q in wrong:
        assert after[q.card][1] == "learning" and after[q.card][5] is not None


async def test_options_answer_with_the_mouse(exam_app: ExamApp, db_path: Path) -> None:
    app = exam_app(count=10, types=("mcq",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        q = current(app)
        label = f"{LETTERS[q.options.index(q.answer)].upper()}. {q.answer[:20]}"
        row = next(y for y, line in enumerate(screen_lines(app)) if label in line)
        await pilot.click(offset=(screen_lines(app)[row].index(label) + 1, row))
        await settle(pilot)
        assert current(app).n == 2
        assert query_db(db_path, "SELECT n, result, given FROM quiz_answers") == [
            (1, "right", q.answer)
        ]


async def test_home_x_opens_the_setup_with_the_last_exams_choices(
    new_app: Callable[..., QuizApp], exam_decks: Path, db_path: Path, clock: Clock
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        setup = app.screen
        assert isinstance(setup, ExamSetupScreen)
        assert "x Quiz" not in screen_lines(app)[-1] and "Ctrl+S Start" in screen_lines(app)[-1]
        setup.query_one("#setup-count", Input).value = "3"
        setup.query_one("#setup-minutes", Input).value = "7"
        await pilot.press("ctrl+s")
        await settle(pilot)
        exam = exam_screen(app)
        assert exam.run is not None and exam.run.total == 3
        assert "Question 1 of 3 · 7:00 left" in screen_lines(app)[0]
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "x Quiz" in screen_lines(app)[-1]
        await pilot.press("x")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, ExamSetupScreen)
        assert again.query_one("#setup-count", Input).value == "3"
        assert again.query_one("#setup-minutes", Input).value == "7"
        again.query_one("#setup-count", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "--count must be at least 1, not 0" in screen_text(app)
        again.query_one("#setup-count", Input).value = "5"
        again.query_one("#setup-section", Input).value = "rnn"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "unknown section 'rnn'" in screen_text(app)
        assert isinstance(app.screen, ExamSetupScreen)


async def test_help_lists_the_exam_keys(exam_app: ExamApp) -> None:
    app = exam_app(count=3, types=("mcq",))
    async with app.run_test(size=(80, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for words in ("Exam", "skip: the question comes back at the end", "I was right",
                      "send the missed cards to today's review", "start the exam",
                      "on the decks: take an exam"):  # fmt: skip
            assert words in text, words


async def test_a_bulleted_list_is_asked_which_is_one_of_them_in_the_app(
    demo_decks: Path, db_path: Path, config_path: Path, clock: Clock
) -> None:
    """No place is asked of a bulleted list: the screen asks which option is one of its items;
    the right one is right, another list's item is wrong."""
    from tests.quiz.test_lists import LISTS

    (demo_decks / "demo.md").unlink()
    (demo_decks / "lists.md").write_text(LISTS, encoding="utf-8")
    exam = build_exam(db_path, demo_decks, clock, section="underfitting", types=("mcq", "tf"))
    app = make_app(
        db_path=db_path, deck_dirs=[demo_decks], config_path=config_path, clock=clock, exam=exam
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        q = current(app)
        assert q.type == "mcq"
        text = screen_text(app)
        assert "Which of these is one of the 4?" in text
        assert not re.search(r"\b\d(?:st|nd|rd|th)\b", text)
        for option in q.options:
            assert option in text
        await answer_right(pilot)
        assert isinstance(app.screen, ExamEndScreen)
        assert app.screen.result.right == 1
    exam = build_exam(db_path, demo_decks, clock, section="underfitting", types=("mcq",), seed=8)
    app = make_app(
        db_path=db_path, deck_dirs=[demo_decks], config_path=config_path, clock=clock, exam=exam
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        q = await answer_wrong(pilot)
        end = app.screen
        assert isinstance(end, ExamEndScreen) and end.result.right == 0
        assert "- a bigger model" in screen_text(app)  # the explanation lists the items
    rows = query_db(db_path, "SELECT result FROM quiz_answers ORDER BY exam_id")
    assert rows == [("right",), ("wrong",)]
