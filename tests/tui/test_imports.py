"""Reviewing, taking exams and the statistics in the app never load TensorFlow or Keras (a fresh
interpreter, the real app), not even when `v` checks a card with Keras (that runs in a child
process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.tui.helpers import CALC_DECK, CONFIG, DEMO_DECK, requires_keras

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from quizapp.tui.app import make_app

    tmp = Path(sys.argv[1])

    async def main():
        # A computed card shows its verification line (from the cache) with the answer.
        app = make_app(
            db_path=tmp / "q.sqlite3", deck_dirs=[tmp / "decks"], config_path=tmp / "c.toml",
            review=True, deck="calc",
        )
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.screen.card.kind == "computed", app.screen.card
            await pilot.press("space")
            await pilot.pause()
            line = str(app.screen.query_one("#verification").render())
            assert line.startswith("not verified"), line
            if "--check" in sys.argv:  # press v: the check itself runs in a child process
                await pilot.press("v")
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                line = str(app.screen.query_one("#verification").render())
                assert line.startswith("✓ verified with Keras"), line

        app = make_app(
            db_path=tmp / "q.sqlite3", deck_dirs=[tmp / "decks"], config_path=tmp / "c.toml"
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("a", "space", "3", "space", "4", "u", "q")
            for _ in range(3):  # the answers are saved by the screen's worker
                await pilot.pause()
                await app.workers.wait_for_complete()
            assert type(app.screen).__name__ == "HomeScreen", app.screen
            await pilot.press("s")  # the statistics, counted and drawn, then every deck's
            screen = app.screen
            for presses in (0, 2):
                await pilot.press(*["d"] * presses)
                while not (screen.stats and screen.stats.deck == screen.deck):
                    await pilot.pause(0.05)
            await pilot.pause()
            assert screen.deck is None and screen.query("#chart-future"), screen

        # An exam in the app: computed questions (their Keras line from the cache), answering,
        # ending, the end screen, sending the missed cards to review.
        from quizapp.quiz import ExamOptions, QuizService

        quiz, _ = QuizService.open(tmp / "q.sqlite3", [tmp / "decks"])
        exam = quiz.build(ExamOptions(seed=1, count=8))
        quiz.close()
        assert any(q.type == "computed" for q in exam.questions), exam
        app = make_app(
            db_path=tmp / "q.sqlite3", deck_dirs=[tmp / "decks"], config_path=tmp / "c.toml",
            exam=exam, exam_tick=0.05,
        )
        async with app.run_test(size=(80, 24)) as pilot:
            for keys in (("1",), ("escape", "escape"), ("s",)):
                for _ in range(3):
                    await pilot.pause()
                    await app.workers.wait_for_complete()
                await pilot.press(*keys)
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            assert type(app.screen).__name__ == "ExamEndScreen", app.screen

    asyncio.run(main())
    print(sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")))
    """
)


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "demo.md").write_text(DEMO_DECK, encoding="utf-8")
    (tmp_path / "decks" / "calc.md").write_text(CALC_DECK, encoding="utf-8")
    (tmp_path / "c.toml").write_text(CONFIG, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_review_and_exam_app_do_not_import_tensorflow(tmp_path: Path) -> None:
    out = _run(tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
@requires_keras
def test_checking_a_card_with_keras_keeps_tensorflow_out_of_the_app(tmp_path: Path) -> None:
    out = _run(tmp_path, "--check")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
