"""An exam date in the app: the home screen's Exam column and raised new-card limit, and the
grade buttons showing the interval the exam gives, with the reason on the card."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.review import ReviewService
from quizapp.scheduling import SchedState
from quizapp.store.models import CardRow
from quizapp.tui.screens.home import ALL_DECKS, HomeScreen
from tests.store.util import utc_local_time
from tests.tui.conftest import AppFactory
from tests.tui.helpers import START, Clock, press, running, screen_lines, showing

pytestmark = pytest.mark.usefixtures("utc_local_time")
__all__ = ["utc_local_time"]

WHY = "before your exam on 12 Mar"


def _prepare(
    db_path: Path, decks: Path, config_path: Path, clock: Clock, target: float = 0.9
) -> None:
    """The demo deck in the database with an exam on 12 Mar (START is 2 Mar, noon)."""
    service = ReviewService(db_path, [decks], config_path=config_path, clock=clock)
    assert service.sync().errors == []
    service.set_exam_date(date(2026, 3, 12), ["demo"], target)
    service.close()


def _set_state(db_path: Path, decks: Path, config_path: Path, prompt: str, st: SchedState) -> None:
    service = ReviewService(db_path, [decks], config_path=config_path)
    with service.db.session(write=True) as s:
        row = s.scalar(select(CardRow).where(CardRow.prompt.startswith(prompt)))
        assert row is not None
        st.copy_to(row)
    service.close()


async def test_home_shows_the_exam_column_and_the_raised_limit(
    new_app: AppFactory, db_path: Path, demo_decks: Path, config_path: Path, clock: Clock
) -> None:
    """Three new cards and 10 days left: over the first 5 days, one a day, which the deck's
    own limit (here 1) already allows. With 2 days left all three must come today: raised."""
    with config_path.open("a", encoding="utf-8") as f:
        f.write("new_cards_per_day = 1\n")
    _prepare(db_path, demo_decks, config_path, clock)
    app = new_app()
    async with running(app):
        home = app.screen
        assert isinstance(home, HomeScreen)
        cells = [str(c) for c in home.table.get_row("demo")]
        assert cells == ["Demo deck  demo", "1", "0", "0", "12 Mar · 10d · 0%"]
        assert [str(c) for c in home.table.get_row(ALL_DECKS)][-1] == ""
        lines = screen_lines(app)
        assert any("Exam · left · ready" in line for line in lines)
        assert not any("New cards raised" in line for line in lines)

    clock.now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    app = new_app()
    async with running(app):
        home = app.screen
        assert isinstance(home, HomeScreen)
        cells = [str(c) for c in home.table.get_row("demo")]
        assert cells == ["Demo deck  demo", "3", "0", "0", "12 Mar · 2d · 0%"]
        text = " ".join(" ".join(screen_lines(app)).split())
        assert "New cards raised for the exam: Demo deck 3 a day (from 1)." in text


async def test_the_exam_column_goes_with_the_date(
    new_app: AppFactory, db_path: Path, demo_decks: Path, config_path: Path, clock: Clock
) -> None:
    _prepare(db_path, demo_decks, config_path, clock)
    clock.now = datetime(2026, 3, 13, 12, tzinfo=UTC)  # the day after the exam
    app = new_app()
    async with running(app):
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert [str(c) for c in home.table.get_row("demo")] == ["Demo deck  demo", "3", "0", "0"]
        assert not any("Exam" in line for line in screen_lines(app))


async def test_grade_buttons_show_the_capped_interval_and_the_card_says_why(
    new_app: AppFactory, db_path: Path, demo_decks: Path, config_path: Path, clock: Clock
) -> None:
    """A review card of stability 5 last seen on 24 Feb, answered on 2 Mar: FSRS would give
    Hard 13d and Good 19d, past a 12 Mar exam, where it would be below 0.95; the exam gives 8d
    (10 Mar, two days before the exam). Again and Easy are FSRS's."""
    _prepare(db_path, demo_decks, config_path, clock, target=0.95)
    last = datetime(2026, 2, 24, 12, tzinfo=UTC)
    state = SchedState("review", None, 5.0, 5.0, datetime(2026, 3, 1, 12, tzinfo=UTC), last, 3)
    _set_state(db_path, demo_decks, config_path, "What is the output shape", state)
    assert clock.now == START
    app = new_app()
    async with running(app) as pilot:
        await press(pilot, "a")
        screen, card = showing(app)
        assert card.prompt.startswith("What is the output shape")
        assert not screen.query_one("#exam-reason").display
        await press(pilot, "space")
        bottom = screen_lines(app)[-3]
        for label in ("1  Again 10m", "2  Hard 8d", "3  Good 8d", "4  Easy 1mo"):
            assert label in bottom
        reason = screen.query_one("#exam-reason")
        assert reason.display
        assert any(f"Hard 8d, Good 8d: {WHY}" in line for line in screen_lines(app))
        styles = {
            cell: str(app.screen.get_style_at(x, len(screen_lines(app)) - 3))
            for cell, x in (("good", bottom.index("Good 8d") + 5), ("again", bottom.index("10m")))
        }
        assert "underline" in styles["good"] and "underline" not in styles["again"]

        await press(pilot, "3")  # Good: the next card is new, nothing capped
        screen, card = showing(app)
        assert not card.prompt.startswith("What is the output shape")
        assert not screen.query_one("#exam-reason").display
        await press(pilot, "space")
        assert not screen.query_one("#exam-reason").display
        assert not any("before your exam" in line for line in screen_lines(app))


async def test_home_says_when_the_exam_raised_the_review_limit(
    new_app: AppFactory, db_path: Path, demo_decks: Path, config_path: Path, clock: Clock
) -> None:
    """A review limit of 1 and, on the day before a 12 Mar exam, two cards below the target
    on the day (stability 12, last seen 24 Feb: R(15.667, 12) = 0.881): both come, and the home
    screen says the limit was raised for them."""
    with config_path.open("a", encoding="utf-8") as f:
        f.write("maximum_reviews_per_day = 1\n")
    _prepare(db_path, demo_decks, config_path, clock)
    last = datetime(2026, 2, 24, 12, tzinfo=UTC)
    weak = SchedState("review", None, 12.0, 5.0, datetime(2026, 3, 14, 12, tzinfo=UTC), last, 3)
    for prompt in ("What is the output shape", "How many parameters"):
        _set_state(db_path, demo_decks, config_path, prompt, weak)
    app = new_app()
    async with running(app):  # 2 Mar: nothing raised
        assert not any("raised" in line for line in screen_lines(app))

    clock.now = datetime(2026, 3, 11, 12, tzinfo=UTC)
    app = new_app()
    async with running(app):
        home = app.screen
        assert isinstance(home, HomeScreen)
        cells = [str(c) for c in home.table.get_row("demo")]
        assert cells == ["Demo deck  demo", "1", "0", "2", "12 Mar · 1d · 0%"]
        text = " ".join(" ".join(screen_lines(app)).split())
        assert "Reviews raised for the exam: Demo deck 2 today (from 1)." in text
