"""A ``[decks.ID]`` section of config.toml naming no deck: the app says so at start, in the
command line's words, on whatever screen it opens on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from tests.tui.conftest import AppFactory
from tests.tui.helpers import CONFIG, SIZE, screen_text, settle

NOTICE = "[decks.nope] names no deck (known: demo)"


@asynccontextmanager
async def running_with_notices(app: QuizApp) -> AsyncIterator[Pilot[Any]]:
    """The app running headless with its notices shown (``run_test`` hides them by default)."""
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        yield pilot


def _flat(text: str) -> str:
    """The screen's words in one line (a notice wraps over several rows)."""
    return " ".join(text.replace("▌", " ").split())


async def test_a_settings_section_for_no_deck_is_shown_at_start(
    new_app: AppFactory, config_path: Path
) -> None:
    config_path.write_text(CONFIG + "\n[decks.nope]\nnew_cards_per_day = 5\n", encoding="utf-8")
    app = new_app()
    async with running_with_notices(app):
        assert isinstance(app.screen, HomeScreen)
        shown = _flat(screen_text(app))
        assert f"Warning config.toml: {NOTICE}" in shown, shown


async def test_the_warning_shows_when_the_app_opens_straight_into_review(
    new_app: AppFactory, config_path: Path
) -> None:
    config_path.write_text(CONFIG + "\n[decks.nope]\nfuzz = true\n", encoding="utf-8")
    app = new_app(review=True)
    async with running_with_notices(app):
        assert isinstance(app.screen, ReviewScreen)
        shown = _flat(screen_text(app))  # the notice lies over the card: read it in pieces
        assert "config.toml: [decks.nope] names no" in shown, shown
        assert "deck (known: demo)" in shown, shown


async def test_settings_for_a_known_deck_say_nothing(
    new_app: AppFactory, config_path: Path
) -> None:
    config_path.write_text(CONFIG + "\n[decks.demo]\nnew_cards_per_day = 5\n", encoding="utf-8")
    app = new_app()
    async with running_with_notices(app):
        assert "names no deck" not in _flat(screen_text(app))
        assert "Demo deck" in screen_text(app)
