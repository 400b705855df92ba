"""The review screen's bottom line: an answer another app gave first, the word undo leaves."""

from __future__ import annotations

from pathlib import Path

from quizapp.review import ReviewService
from quizapp.tui.widgets.status_line import StatusLine
from tests.tui.conftest import AppFactory
from tests.tui.helpers import Clock, log_rows, press, running, showing


async def test_a_card_answered_in_another_app_is_shown_afresh_not_answered_twice(
    new_app: AppFactory, db_path: Path, demo_decks: Path, config_path: Path, clock: Clock
) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, card = showing(app)
        other = ReviewService(db_path, [demo_decks], config_path=config_path, clock=clock)
        try:
            elsewhere = other.start("demo")
            shown = elsewhere.next_card()
            assert shown is not None and shown.key == card.key
            elsewhere.answer(shown, 4, 1000)  # the other app answers it first
        finally:
            other.close()
        await press(pilot, "space", "3")
        assert log_rows(db_path) == [(card.key, 4)]  # this app's stale answer is not recorded
        message = screen.query_one(StatusLine).message
        assert message == f"Not recorded: {card.key} was answered elsewhere since it showed."
        assert screen.card is not None and screen.card.key != card.key  # Easy: not due today
        assert not screen.revealed


async def test_undone_leaves_the_bottom_line_at_the_next_key(new_app: AppFactory) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, _ = showing(app)
        await press(pilot, "space", "3", "u")
        status = screen.query_one(StatusLine)
        assert status.message == "Undone."
        await press(pilot, "space")
        assert status.message == ""


async def test_a_long_answer_says_it_scrolls_and_pagedown_scrolls_it(
    new_app: AppFactory, demo_decks: Path
) -> None:
    from textual.containers import VerticalScroll

    from quizapp.tui.screens.review import MORE_BELOW

    long_answer = " ".join(f"line{i}" for i in range(400))
    (demo_decks / "long.md").write_text(
        f"---\nid: long\ntitle: Long\n---\n\n# Long\n\nQ: What is long?\nA: {long_answer}\n",
        encoding="utf-8",
    )
    app = new_app(review=True, deck="long")
    async with running(app) as pilot:
        screen, _ = showing(app)
        status = screen.query_one(StatusLine)
        assert status.message == ""  # the question fits
        await press(pilot, "space")
        await pilot.pause()
        assert status.message == MORE_BELOW
        scroll = screen.query_one("#card", VerticalScroll)
        assert scroll.scroll_y == 0
        await press(pilot, "end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 0
