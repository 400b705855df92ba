"""`e` on a card of a bundled deck: the installed package's file is never opened; the status line
says how to get a copy of one's own, and once it is made, `e` opens the copy."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from quizapp import paths
from quizapp.library import copy_bundled_deck
from quizapp.tui.app import make_app
from quizapp.tui.widgets.status_line import StatusLine
from tests.tui.helpers import Clock, press, review_screen, running, screen_text

RECORDER = """\
import os, pathlib, sys
pathlib.Path(os.environ["EDITOR_CALLS"]).write_text(" ".join(sys.argv[1:]))
"""


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An editor that only notes what it was asked to open (in the file it returns)."""
    script = tmp_path / "editor.py"
    script.write_text(RECORDER, encoding="utf-8")
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setenv("EDITOR_CALLS", str(calls))
    return calls


async def test_e_on_a_bundled_card_offers_decks_copy(
    tmp_path: Path, editor: Path, config_path: Path
) -> None:
    bundled = paths.bundled_decks_dir() / "keras-basics.md"
    before = bundled.read_bytes()
    db = tmp_path / "q.sqlite3"
    app = make_app(db, paths.deck_dirs(), config_path, Clock(), review=True, deck="keras-basics")
    async with running(app) as pilot:
        screen = review_screen(app)
        card = screen.card
        assert card is not None and card.file_path is not None
        assert card.file_path.resolve() == bundled.resolve()
        await press(pilot, "space", "e")
        message = screen.query_one(StatusLine).message
        assert message == (
            "Bundled deck (read-only): run `quizapp decks copy keras-basics` to edit it"
        )
        assert message in screen_text(app)
        assert not editor.exists()  # no editor was started on the package's file
        assert screen.card is not None and screen.card.card_id == card.card_id
        assert screen.revealed  # reviewing goes on where it was
    assert bundled.read_bytes() == before

    # With a copy of one's own, `e` opens the copy, at the card's line.
    copied = copy_bundled_deck("keras-basics", paths.deck_dirs())
    app = make_app(db, paths.deck_dirs(), config_path, Clock(), review=True, deck="keras-basics")
    async with running(app) as pilot:
        screen = review_screen(app)
        shown = screen.card
        assert shown is not None and shown.file_path is not None
        assert shown.file_path.resolve() == copied.target.resolve()
        await press(pilot, "e")
        assert editor.read_text() == f"+{shown.line} {shown.file_path}"
        assert screen.query_one(StatusLine).message == ""
