"""Computed and Keras-checked cards in the review app: the verification line and the `v` key.

The real app on a real SQLite file. `v` checks the card with real Keras in the background (a
thread worker waiting on a child process, so TensorFlow never loads into the app).
"""

from __future__ import annotations

import importlib.metadata
import time
from pathlib import Path

import pytest
from textual.worker import WorkerState

from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.help import HelpScreen
from quizapp.verify.model import NOT_VERIFIED, Verification
from tests.tui.helpers import (
    CALC_DECK,
    Clock,
    log_rows,
    press,
    query_db,
    requires_keras,
    review_screen,
    running,
    screen_text,
)

SIZE = (100, 30)


@pytest.fixture
def calc_app(db_path: Path, deck_dir: Path, config_path: Path, clock: Clock):
    (deck_dir / "calc.md").write_text(CALC_DECK, encoding="utf-8")

    def build() -> QuizApp:
        return make_app(
            db_path=db_path,
            deck_dirs=[deck_dir],
            config_path=config_path,
            clock=clock,
            review=True,
            deck="calc",
        )

    return build


def _keras_rows(db_path: Path) -> list[tuple[str, str, str]]:
    return query_db(db_path, "SELECT expression, input_shape, keras_version FROM keras_cache")


async def test_cards_without_keras_facts_have_no_line_and_no_v(calc_app, db_path: Path) -> None:
    app = calc_app()
    async with running(app, SIZE) as pilot:
        screen = review_screen(app)
        await press(pilot, "space", "3", "space", "3")  # past the computed and the checked card
        assert screen.card is not None and screen.card.prompt == "What is 2 + 2?"
        assert screen.card.verification is None
        await press(pilot, "space")
        assert not screen.query_one("#verification").display
        assert "Keras" not in screen_text(app)
        await press(pilot, "v")
        assert screen.checking is None and not list(app.workers)
        assert _keras_rows(db_path) == []


async def test_label_is_shown_with_the_answer_only(calc_app) -> None:
    app = calc_app()
    async with running(app, SIZE) as pilot:
        screen = review_screen(app)
        card = screen.card
        assert card is not None and card.kind == "computed"
        assert card.verification == NOT_VERIFIED
        assert "not verified" not in screen_text(app)
        await press(pilot, "v")  # before the answer: nothing to check yet
        assert screen.checking is None
        await press(pilot, "space")
        text = screen_text(app)
        assert "480" in text
        assert "not verified — press v to check with Keras" in text
        assert "Check with Keras" in text  # the footer offers the key


@pytest.mark.slow
@requires_keras
async def test_v_checks_with_keras_in_the_background(calc_app, db_path: Path) -> None:
    keras = importlib.metadata.version("keras")
    app = calc_app()
    async with running(app, SIZE) as pilot:
        screen = review_screen(app)
        await press(pilot, "space")
        card = screen.card
        assert card is not None and card.kind == "computed"

        await press(pilot, "v")
        assert "Loading TensorFlow…" in screen_text(app)
        (worker,) = app.workers
        # The screen keeps working while TensorFlow loads: the help opens and closes.
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert worker.state == WorkerState.RUNNING
        await press(pilot, "escape")
        assert app.screen is screen and worker.state == WorkerState.RUNNING

        started = time.monotonic()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert worker.state == WorkerState.SUCCESS
        assert time.monotonic() - started < 300
        text = screen_text(app)
        assert f"✓ verified with Keras {keras}" in text
        assert "Loading TensorFlow" not in text
        assert ("LSTM(10)", "(5, 1)", keras) in _keras_rows(db_path)

        # The checked card's label is not carried over to the next one.
        await press(pilot, "3", "space")
        assert screen.card is not None and screen.card.prompt.startswith("What is the default")
        assert "not verified — press v to check with Keras" in screen_text(app)

        # Back to the computed card: its label now comes from the database cache.
        await press(pilot, "u", "space")
        assert screen.card is not None and screen.card.card_id == card.card_id
        assert screen.card.verification == Verification("verified", keras)
        assert f"✓ verified with Keras {keras}" in screen_text(app)
        await press(pilot, "3")
    assert [rating for _, rating in log_rows(db_path)] == [3]


async def test_without_a_working_tensorflow_the_card_still_works(
    calc_app, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TensorFlow broken (its import fails): the label says why; answering goes on."""
    shim = tmp_path / "shim" / "tensorflow"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(
        "raise ImportError('libtensorflow_framework.so.2: cannot open shared object file')\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(shim.parent))  # seen by the check's child process
    app = calc_app()
    async with running(app, SIZE) as pilot:
        screen = review_screen(app)
        card = screen.card
        assert card is not None and card.kind == "computed"
        await pilot.press("space", "v")
        await pilot.wait_for_scheduled_animations()
        await app.workers.wait_for_complete()
        await pilot.pause()
        label = screen.query_one("#verification").render()
        assert str(label) == (
            "not verified (Keras unavailable: Keras/TensorFlow cannot be imported "
            "(ImportError: libtensorflow_framework.so.2: cannot open shared object file))"
        )
        assert "Traceback" not in screen_text(app)
        assert screen.card is not None and screen.card.answer == "480"
        await press(pilot, "3")
        assert screen.card is not None and screen.card.card_id != card.card_id
    assert [rating for _, rating in log_rows(db_path)] == [3]
    assert _keras_rows(db_path) == []


WRONG_DECK = """\
---
id: wrong
title: Wrong deck
---

# Wrong deck

Q: What is the default activation of LSTM?
A: relu
<!-- check: default LSTM activation = "relu" -->

Q: What is 2 + 2?
A: 4
"""


@pytest.mark.slow
@requires_keras
async def test_a_fact_keras_disagrees_with_is_marked_even_when_answered_meanwhile(
    db_path: Path, deck_dir: Path, config_path: Path, clock: Clock
) -> None:
    (deck_dir / "wrong.md").write_text(WRONG_DECK, encoding="utf-8")
    app = make_app(
        db_path=db_path, deck_dirs=[deck_dir], config_path=config_path, clock=clock, review=True
    )
    async with running(app, SIZE) as pilot:
        screen = review_screen(app)
        card = screen.card
        assert card is not None and card.verification == NOT_VERIFIED
        await press(pilot, "space", "v")
        (worker,) = app.workers
        await press(pilot, "3")  # answered while Keras is still loading
        assert worker.state == WorkerState.RUNNING
        assert screen.card is not None and screen.card.prompt == "What is 2 + 2?"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.card is not None and screen.card.prompt == "What is 2 + 2?"
        assert "Keras" not in screen_text(app)  # the result is not put on another card
        await press(pilot, "u", "space")
        assert screen.card is not None and screen.card.card_id == card.card_id
        assert '✗ Keras disagrees: Keras: "tanh"' in screen_text(app)
    assert [row[0] for row in _keras_rows(db_path)] == ["defaults LSTM"]


@requires_keras
async def test_leaving_the_screen_stops_the_check(calc_app, db_path: Path) -> None:
    app = calc_app()
    async with running(app, SIZE) as pilot:
        await press(pilot, "space", "v")
        (worker,) = app.workers
        await press(pilot, "q")
        assert type(app.screen).__name__ == "HomeScreen"
        started = time.monotonic()
        await app.workers.wait_for_complete()
        assert worker.state == WorkerState.CANCELLED
        assert time.monotonic() - started < 2  # the child process was stopped, not awaited
    assert _keras_rows(db_path) == []
