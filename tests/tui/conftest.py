"""Fixtures for the review app tests: real deck files, a real SQLite file, a settable clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quizapp.tui.app import QuizApp, make_app
from tests.tui.helpers import CONFIG, DEMO_DECK, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "quizapp.sqlite3"


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def demo_decks(deck_dir: Path) -> Path:
    (deck_dir / "demo.md").write_text(DEMO_DECK, encoding="utf-8")
    return deck_dir


AppFactory = Callable[..., QuizApp]


@pytest.fixture
def new_app(db_path: Path, demo_decks: Path, config_path: Path, clock: Clock) -> AppFactory:
    """Build the app the way the command line does, on the test's own files."""

    def build(**kwargs: Any) -> QuizApp:
        kwargs.setdefault("learning_poll", 0.05)
        return make_app(
            db_path=db_path, deck_dirs=[demo_decks], config_path=config_path, clock=clock, **kwargs
        )

    return build
