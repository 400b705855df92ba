"""A deck imported from plain notes is in the review app at once: its card is shown, and
answering it is stored in the real database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quizapp import paths
from quizapp.cli import cli
from quizapp.tui.app import make_app
from tests.tui.helpers import Clock, log_rows, press, review_screen, running, screen_text

NOTES = "<train_test_split>\nfrom sklearn.model_selection import train_test_split\n"
NOTES += "train_test_split(x, y, test_size=0.2)\n"


async def test_the_review_app_shows_a_card_of_an_imported_draft(
    tmp_path: Path, config_path: Path
) -> None:
    notes = tmp_path / "split.txt"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "q.sqlite3"
    done = CliRunner().invoke(cli, ["--db", str(db), "decks", "import", str(notes)])
    assert done.exit_code == 0, done.output
    assert (paths.user_decks_dir() / "split.md").is_file()

    app = make_app(db, paths.deck_dirs(), config_path, Clock(), review=True, deck="split")
    async with running(app) as pilot:
        screen = review_screen(app)
        assert screen.card is not None
        assert screen.card.deck == "split" and screen.card.kind == "cloze"
        text = screen_text(app)
        assert "x, y, [...]=0.2)" in text
        await press(pilot, "space")
        assert "test_size=0.2" in screen_text(app)
        await press(pilot, "3")
    ((key, rating),) = log_rows(db)
    assert key.startswith("split:") and key.endswith("-c1") and rating == 3
