"""`o` on the home screen: fit FSRS to the selected deck's reviews, see the figures, confirm."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from quizapp.store.db import open_database
from quizapp.store.deck_scheduling import load_all
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.optimize import OptimizeScreen
from quizapp.tui.widgets.status_line import StatusLine
from tests.optimize.played import END, play
from tests.store.util import Clock
from tests.tui.helpers import running, screen_text, wait_until


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return play(tmp_path_factory.mktemp("played"))


@pytest.fixture
def app(tmp_path: Path, played: tuple[Path, Path, Path]) -> QuizApp:
    src, decks, config = played
    db = tmp_path / "q.sqlite3"
    with closing(sqlite3.connect(src)) as a, closing(sqlite3.connect(db)) as b:
        a.backup(b)
    return make_app(db_path=db, deck_dirs=[decks], config_path=config, clock=Clock(END))


def _stored(app: QuizApp) -> dict[str, object]:
    db = open_database(app.service.db.path)
    try:
        return dict(load_all(db))
    finally:
        db.close()


async def test_o_fits_the_deck_and_y_applies_it(app: QuizApp) -> None:
    async with running(app, size=(110, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen) and app.screen.selected_deck() == "pets"
        before = app.service.config.for_deck("pets").parameters
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptimizeScreen))
        text = screen_text(app)
        assert "Fitted FSRS-6 to the review log of pets" in text
        assert "in force (FSRS-6 defaults)" in text and "time-series split" in text
        assert "Apply them to pets?  y yes · n no" in text
        assert "--apply" not in text
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        stored = _stored(app)["pets"]
        after = app.service.config.for_deck("pets")
        assert after.parameters == pytest.approx(stored.parameters)  # type: ignore[attr-defined]
        assert after.parameters != before and after.parameters_from == "stored"
        status = app.screen.query_one(StatusLine).message
        assert status == "Applied: pets is scheduled with the fitted parameters."


async def test_n_closes_without_applying(app: QuizApp) -> None:
    async with running(app, size=(110, 30)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptimizeScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert _stored(app) == {}


async def test_too_little_history_is_a_line_on_the_home_screen(
    tmp_path: Path, deck_dir: Path
) -> None:
    (deck_dir / "few.md").write_text("---\nid: few\n---\n\nQ: One?\nA: 1\n", encoding="utf-8")
    config = tmp_path / "c.toml"
    config.write_text("", encoding="utf-8")
    app = make_app(db_path=tmp_path / "q.sqlite3", deck_dirs=[deck_dir], config_path=config)
    async with running(app) as pilot:
        await pilot.press("o")
        await wait_until(
            pilot, lambda: "too little history" in app.screen.query_one(StatusLine).message
        )
        assert isinstance(app.screen, HomeScreen)
    assert _stored(app) == {}
