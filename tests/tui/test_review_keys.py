"""Every key of the review screen, driven through the real app on a real database."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from textual.binding import Binding

from quizapp.tui.screens.help import HelpScreen, key_rows
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import WAITING, ReviewScreen
from quizapp.tui.screens.summary import SummaryScreen
from quizapp.tui.widgets.grade_bar import GradeBar
from quizapp.tui.widgets.remaining import RemainingBar
from quizapp.tui.widgets.status_line import StatusLine
from tests.tui.conftest import AppFactory
from tests.tui.helpers import (
    Clock,
    grade,
    log_rows,
    press,
    query_db,
    review_screen,
    running,
    screen_text,
    settle,
    showing,
    wait_until,
    write_lock,
)


async def test_space_reveals_answer_and_grade_intervals(new_app: AppFactory, db_path: Path) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, card = showing(app)
        text = screen_text(app)
        assert card.prompt.splitlines()[0] in text
        assert "Demo deck › Shapes" in text
        assert not screen.query_one("#answer").display
        assert card.answer not in text.replace(card.prompt, "")

        await press(pilot, "space")
        assert screen.revealed
        text = screen_text(app)
        assert card.answer in text
        bar = screen.query_one(GradeBar)
        # Each grade shows the interval the scheduler would give (learning steps 1m 10m).
        assert [p.rating for p in screen.previews] == [1, 2, 3, 4]
        for preview in screen.previews:
            label = bar.labels[preview.rating]
            assert label.startswith(f"{preview.rating} ")
            assert preview.label in label and preview.interval in label
            assert label in text
        assert bar.labels[1].endswith("Again 1m")
        assert bar.labels[3].endswith("Good 10m")
        assert log_rows(db_path) == []


async def test_enter_reveals_answer(new_app: AppFactory) -> None:
    app = new_app(review=True)
    async with running(app) as pilot:
        screen = review_screen(app)
        assert not screen.revealed
        await press(pilot, "enter")
        assert screen.revealed
        assert screen.card is not None and screen.card.answer in screen_text(app)


@pytest.mark.parametrize("key", ["1", "2", "3", "4"])
async def test_grade_key_records_one_answer(new_app: AppFactory, db_path: Path, key: str) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, first = showing(app)
        await press(pilot, "space", key)
        assert log_rows(db_path) == [(first.key, int(key))]
        state = query_db(db_path, "SELECT state FROM cards WHERE key = ?", first.key)[0][0]
        assert state == ("review" if key == "4" else "learning")
        # The next card is shown, with its answer hidden again.
        assert screen.card is not None and screen.card.key != first.key
        assert not screen.revealed


async def test_grade_before_reveal_records_nothing(new_app: AppFactory, db_path: Path) -> None:
    app = new_app(review=True)
    async with running(app) as pilot:
        screen = review_screen(app)
        card = screen.card
        await press(pilot, "3")
        assert log_rows(db_path) == []
        assert screen.card == card
        assert "Show the answer first" in screen.query_one(StatusLine).message
        # Once the answer shows, the hint goes; the grade keys work.
        await press(pilot, "space")
        assert screen.query_one(StatusLine).message == ""
        assert "Show the answer first" not in screen_text(app)
        await press(pilot, "3")
        assert [key for key, _ in log_rows(db_path)] == [card.key]


async def test_remaining_counts_follow_answers(new_app: AppFactory, clock: Clock) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        bar = review_screen(app).query_one(RemainingBar)
        assert bar.counts == (3, 0, 0)
        assert "New 3  Learning 0  Due 0" in screen_text(app)
        await grade(pilot, 1)  # Again: learning, due in 1m
        assert bar.counts == (2, 0, 0)
        assert "New 2  Learning 0  Due 0" in screen_text(app)
        clock.advance(minutes=2)
        await grade(pilot, 3)  # the learning card is due now and shows next
        assert bar.counts == (1, 1, 0)
        assert "New 1  Learning 1  Due 0" in screen_text(app)


async def test_undo_is_repeatable(new_app: AppFactory, db_path: Path) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, first = showing(app)
        await grade(pilot, 3)
        second = screen.card
        assert second is not None
        await grade(pilot, 1)
        assert log_rows(db_path) == [(first.key, 3), (second.key, 1)]

        await press(pilot, "u")
        assert screen.card is not None and screen.card.key == second.key
        assert not screen.revealed
        assert log_rows(db_path) == [(first.key, 3)]

        await press(pilot, "u")
        assert screen.card is not None and screen.card.key == first.key
        assert log_rows(db_path) == []
        assert query_db(db_path, "SELECT state FROM cards WHERE key = ?", first.key) == [("new",)]
        assert screen.query_one(RemainingBar).counts == (3, 0, 0)

        await press(pilot, "u")
        assert "Nothing to undo" in screen.query_one(StatusLine).message


async def test_suspend_hides_card(new_app: AppFactory, db_path: Path) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, first = showing(app)
        await press(pilot, "exclamation_mark")
        assert query_db(db_path, "SELECT suspended FROM cards WHERE key = ?", first.key) == [(1,)]
        assert screen.card is not None and screen.card.key != first.key
        assert screen.query_one(RemainingBar).counts == (2, 0, 0)
        assert log_rows(db_path) == []


async def test_bury_hides_card_until_tomorrow(
    new_app: AppFactory, db_path: Path, clock: Clock
) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, first = showing(app)
        await press(pilot, "minus")
        (buried,) = query_db(db_path, "SELECT buried_until FROM cards WHERE key = ?", first.key)[0]
        assert buried is not None and buried > clock().isoformat()[:10]
        assert screen.card is not None and screen.card.key != first.key
        assert screen.query_one(RemainingBar).counts == (2, 0, 0)


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_leave_returns_home_with_fresh_counts(
    new_app: AppFactory, clock: Clock, key: str
) -> None:
    app = new_app()
    async with running(app) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert [str(c) for c in app.screen.table.get_row("demo")[1:]] == ["3", "0", "0"]
        await press(pilot, "enter")
        assert isinstance(app.screen, ReviewScreen)
        await grade(pilot, 1)
        clock.advance(minutes=2)
        await press(pilot, key)
        home = app.screen
        assert isinstance(home, HomeScreen)
        (demo,) = [c for c in app.service.deck_counts() if c.deck == "demo"]
        assert (demo.new, demo.learning, demo.review) == (2, 1, 0)
        assert [str(c) for c in home.table.get_row("demo")[1:]] == ["2", "1", "0"]


async def test_learning_card_comes_back_when_due(
    new_app: AppFactory, db_path: Path, clock: Clock, deck_dir: Path
) -> None:
    (deck_dir / "demo.md").write_text(
        "---\nid: demo\ntitle: Demo deck\n---\n\nQ: Only card?\nA: Yes\n", encoding="utf-8"
    )
    app = new_app(review=True)
    async with running(app) as pilot:
        screen, card = showing(app)
        await grade(pilot, 1)  # Again: back in 1 minute
        assert screen.card is None and screen.waiting_until is not None
        assert "comes back in 1m 00s" in screen_text(app)
        assert "Waiting" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "u Undo" in footer and "Suspend" not in footer and "Edit" not in footer
        await press(pilot, "exclamation_mark", "minus", "e", "3")  # nothing to act on
        assert screen.card is None and len(log_rows(db_path)) == 1

        clock.advance(seconds=30)
        await pilot.pause(0.2)
        assert screen.card is None
        assert "comes back in 30s" in screen_text(app)

        clock.advance(seconds=31)
        await pilot.pause(0.2)
        await settle(pilot)
        assert screen.card is not None and screen.card.key == card.key
        assert not screen.revealed
        await grade(pilot, 3)
        assert log_rows(db_path) == [(card.key, 1), (card.key, 3)]


EDITOR = """\
import os, pathlib, sys
line, path = int(sys.argv[1].lstrip("+")), pathlib.Path(sys.argv[2])
pathlib.Path(os.environ["EDITOR_CALLS"]).write_text(f"{line} {path.name}")
text = path.read_text(encoding="utf-8")
path.write_text(text.replace("A: (None, 3)", "A: (None, 3), the batch axis first"))
"""


async def test_edit_opens_source_at_line_and_resyncs(
    new_app: AppFactory,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    calls = tmp_path / "calls.txt"
    # The editor gets "+LINE PATH"; the script notes them in EDITOR_CALLS and edits the file.
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setenv("EDITOR_CALLS", str(calls))
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen = review_screen(app)
        card = screen.card
        assert card is not None and card.answer == "(None, 3)"
        assert card.file_path is not None
        await press(pilot, "space", "e")
        assert calls.read_text() == f"{card.line} demo.md"
        # Back from the editor: re-synced, the same card shown with its new text.
        assert screen.card is not None and screen.card.card_id == card.card_id
        assert screen.card.answer == "(None, 3), the batch axis first"
        assert "the batch axis first" in screen_text(app)
        assert query_db(db_path, "SELECT answer FROM cards WHERE key = ?", card.key) == [
            ("(None, 3), the batch axis first",)
        ]
        assert screen.query_one(StatusLine).message == ""


async def test_edit_that_breaks_the_deck_shows_one_line_error(
    new_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "breaker.py"
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[2])\n"
        "p.write_text(p.read_text().replace('A: 18', 'Answer: 18'))\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen = review_screen(app)
        card = screen.card
        await press(pilot, "e")
        message = screen.query_one(StatusLine).message
        assert "demo.md:" in message and "\n" not in message
        assert "Traceback" not in screen_text(app)
        # The deck's cards are left as they were; reviewing goes on.
        assert screen.card is not None and screen.card.card_id == card.card_id
        await grade(pilot, 3)
        assert screen.card is not None


async def test_summary_when_nothing_is_left(
    new_app: AppFactory, db_path: Path, clock: Clock
) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen = review_screen(app)
        await grade(pilot, 1, 4, 4)  # the first forgotten: back in 1m
        assert screen.waiting_until is not None
        clock.advance(minutes=2)
        await pilot.pause(0.2)
        await settle(pilot)
        await grade(pilot, 4)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        rows = log_rows(db_path)
        assert len(rows) == 4
        assert summary.summary.reviewed == 4
        assert summary.summary.forgotten == sum(1 for _, rating in rows if rating == 1) == 1
        next_due = query_db(db_path, "SELECT MIN(due) FROM cards WHERE state != 'new'")[0][0]
        assert summary.summary.next_due is not None
        assert summary.summary.next_due.isoformat()[:16] == next_due.replace(" ", "T")[:16]
        text = screen_text(app)
        assert "Done for now." in text
        assert "Reviewed   4 cards" in text
        assert "Forgotten  1" in text
        assert "Next due   in " in text

        # u on the summary undoes the last answer and goes back to that card.
        await press(pilot, "u")
        back = review_screen(app)
        assert back.card is not None and back.card.key == rows[-1][0]
        assert len(log_rows(db_path)) == 3
        await grade(pilot, 4)
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)


async def test_nothing_due_shows_summary_right_away(new_app: AppFactory, deck_dir: Path) -> None:
    (deck_dir / "demo.md").write_text("---\nid: demo\ntitle: Demo\n---\n\nJust notes.\n")
    app = new_app(review=True)
    async with running(app):
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Nothing to review right now." in text
        assert "Reviewed   0 cards" in text
        assert "no cards scheduled" in text


async def test_help_key_shows_keys(new_app: AppFactory) -> None:
    app = new_app(review=True)
    async with running(app) as pilot:
        await press(pilot, "question_mark")
        text = screen_text(app)
        for key_help in ("show the answer", "undo the last answer", "suspend the card", "bury"):
            assert key_help in text
        await press(pilot, "escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_footer_shows_review_keys(new_app: AppFactory) -> None:
    app = new_app(review=True)
    async with running(app):
        footer = screen_text(app).splitlines()[-1]
        for item in ("Space Show", "u Undo", "! Suspend", "- Bury", "e Edit", "q Leave", "? Help"):
            assert item in footer


async def test_undo_brings_back_a_suspended_card(new_app: AppFactory, db_path: Path) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, first = showing(app)
        await press(pilot, "exclamation_mark")
        assert screen.card is not None and screen.card.key != first.key
        await press(pilot, "u")
        assert screen.card is not None and screen.card.key == first.key
        assert query_db(db_path, "SELECT suspended FROM cards WHERE key = ?", first.key) == [(0,)]
        assert screen.query_one(RemainingBar).counts == (3, 0, 0)


@pytest.mark.slow
async def test_locked_database_is_one_line_error_and_answer_can_be_retried(
    new_app: AppFactory, db_path: Path
) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, card = showing(app)
        await press(pilot, "space")
        other = sqlite3.connect(db_path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # another process writing, for too long
            await press(pilot, "3")
            message = screen.query_one(StatusLine).message
            # One line, from the store (StoreError) or straight from SQLite.
            assert "database is locked" in message and "\n" not in message
            assert "your answer was not recorded" in message  # said, not silently lost
            assert "Traceback" not in screen_text(app)
            assert screen.card == card and screen.revealed
        finally:
            other.rollback()
            other.close()
        await press(pilot, "3")
        assert log_rows(db_path) == [(card.key, 3)]
        assert screen.card is not None and screen.card.key != card.key


@pytest.mark.parametrize(
    ("editor", "message"),
    [
        (
            "/nonexistent/editor",
            "cannot run editor '/nonexistent/editor': No such file or directory",
        ),
        ("false", "editor 'false' exited with status 1"),
        ('vim "unclosed', "cannot read $EDITOR / $VISUAL: No closing quotation"),
    ],
)
async def test_editor_problems_are_one_line(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch, editor: str, message: str
) -> None:
    monkeypatch.setenv("EDITOR", editor)
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen = review_screen(app)
        card = screen.card
        await press(pilot, "e")
        assert screen.query_one(StatusLine).message == message
        assert screen.card is not None and card is not None
        assert screen.card.card_id == card.card_id


async def test_help_on_the_summary_lists_its_keys(new_app: AppFactory) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        await grade(pilot, 4, 4, 4)
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "question_mark")
        text = screen_text(app)
        assert "Summary" in text and "undo the last answer and review that card again" in text
        assert "undo the last answer, suspend or bury" in text


async def test_a_locked_database_never_freezes_the_screen(
    new_app: AppFactory, db_path: Path
) -> None:
    """Another program writes to the database: the screen says it waits, keeps working (help
    opens and closes), ignores the keys that would change a card it has not shown yet but keeps
    Space, and the answer lands once the lock is released."""
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen, card = showing(app)
        await press(pilot, "space")
        with write_lock(db_path):
            await pilot.press("3")
            await wait_until(pilot, lambda: screen.query_one(StatusLine).message == WAITING)
            assert "Waiting for the database" in screen_text(app)
            assert log_rows(db_path) == [] and screen.card == card
            await pilot.press("1", "minus")  # the next card is not there yet: ignored
            assert "next card must show before" in screen.query_one(StatusLine).message
            await pilot.press("space")  # kept: it shows the next card's answer
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen and log_rows(db_path) == []
        await settle(pilot)
        assert log_rows(db_path) == [(card.key, 3)]
        assert query_db(db_path, "SELECT count(*) FROM cards WHERE buried_until IS NOT NULL") == [
            (0,)
        ]
        assert screen.card is not None and screen.card.key != card.key and screen.revealed
        assert screen.query_one(StatusLine).message == ""
        assert "Waiting" not in screen_text(app)


async def test_keys_pressed_while_an_answer_is_saved_keep_their_order(
    new_app: AppFactory, db_path: Path
) -> None:
    """Keys typed before the screen says it waits are not lost: they act, in order, on the
    steps as they come."""
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen = review_screen(app)
        screen.wait_notice = 60  # the lock is released long before the screen would say so
        first = screen.card
        assert first is not None
        with write_lock(db_path):
            await pilot.press("space", "3", "space", "4", "exclamation_mark")
            assert log_rows(db_path) == [] and screen.asking is not None
        await settle(pilot)
        rows = log_rows(db_path)
        assert [rating for _, rating in rows] == [3, 4] and rows[0][0] == first.key
        (suspended,) = query_db(db_path, "SELECT key FROM cards WHERE suspended = 1")[0]
        assert len({first.key, rows[1][0], suspended}) == 3
        assert screen.card is None or screen.card.key not in {first.key, rows[1][0], suspended}


def test_help_rows_come_from_the_screens_bindings() -> None:
    """The help reads each screen's bindings: keys of one action share a row."""
    rows = dict((what, keys) for keys, what in key_rows(ReviewScreen.BINDINGS))
    assert rows["show the answer"] == "Space / Enter"
    assert rows["Again / Hard / Good / Easy (shown with their intervals)"] == "1 2 3 4"
    assert rows["back to the decks"] == "q / Escape"
    assert rows["suspend the card"] == "!"
    described = [b for b in ReviewScreen.BINDINGS if isinstance(b, Binding) and b.tooltip]
    assert len(rows) == len(described) == 8


async def test_help_lists_every_screens_keys_from_anywhere(new_app: AppFactory) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        await press(pilot, "question_mark")
        text = screen_text(app)
        for title in ("Decks", "Review", "Summary", "Anywhere"):
            assert title in text
        for screen in (HomeScreen, ReviewScreen, SummaryScreen):
            for keys, what in key_rows(screen.BINDINGS):
                start = " ".join(what.split()[:4])  # a long one wraps
                assert f"{keys}  " in text and start in text, (keys, what)
        await press(pilot, "escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_the_summary_waits_for_the_help_to_close(new_app: AppFactory, db_path: Path) -> None:
    """The last answer lands while the help is open: the summary shows once it closes."""
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        await grade(pilot, 4, 4)
        await press(pilot, "space")
        with write_lock(db_path):
            await pilot.press("4", "question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and len(log_rows(db_path)) == 3
        await press(pilot, "escape")
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)


LIMITED_DECK = """\
---
id: lim
title: Limited
---

# Limited

The {{c1::mitochondria}} is the {{c2::powerhouse}} of the cell.

Q: First question?
A: One.

Q: Second question?
A: Two.

Q: Third question?
A: Three.
"""


async def test_suspend_and_bury_counted_alike_in_session_home_and_due(
    tmp_path: Path, deck_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A suspended or buried card is not counted anywhere, and the next card within the day's
    limit (or of its note) takes its place: the session, the home screen and `quizapp due`
    say the same New count."""
    import json

    from click.testing import CliRunner

    from quizapp.cli import cli
    from quizapp.tui.app import make_app

    (deck_dir / "lim.md").write_text(LIMITED_DECK, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text("new_cards_per_day = 3\nfuzz = false\n", encoding="utf-8")
    monkeypatch.setenv("QUIZAPP_CONFIG", str(config))
    db = tmp_path / "q.sqlite3"

    def due_new() -> int:  # the command line, on the same database, the real clock
        result = CliRunner().invoke(
            cli, ["--db", str(db), "--decks", str(deck_dir), "due", "--deck", "lim", "--json"]
        )
        assert result.exit_code == 0, result.output
        return int(json.loads(result.stdout)["total"]["new"])

    app = make_app(db, [deck_dir], config_path=config, learning_poll=0.05)
    async with running(app) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert str(home.table.get_row("lim")[1]) == "3"
        await press(pilot, "enter")
        screen, first = showing(app)
        bar = screen.query_one(RemainingBar)
        assert first.key.endswith("-c1") and bar.counts[0] == 3

        await press(pilot, "exclamation_mark")  # its sibling c2 now counts within the limit
        assert screen.card is not None and screen.card.key.endswith("-c2")
        assert bar.counts[0] == 3 == due_new()
        assert "New 3" in screen_text(app)

        await press(pilot, "minus")  # buried: the third question takes its place
        assert screen.card is not None and screen.card.prompt == "First question?"
        assert bar.counts[0] == 3 == due_new()

        await press(pilot, "u")  # the bury undone: c2 counts again, the third one does not
        assert screen.card is not None and screen.card.key.endswith("-c2")
        assert bar.counts[0] == 3 == due_new()
        await press(pilot, "minus")
        session_new = bar.counts[0]
        await press(pilot, "q")
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert str(home.table.get_row("lim")[1]) == str(session_new) == str(due_new())
        (lim,) = [c for c in app.service.deck_counts() if c.deck == "lim"]
        assert lim.new == session_new


@pytest.mark.parametrize("review", [False, True], ids=["home", "review"])
async def test_help_shows_every_key_of_the_screen_it_opened_from(
    new_app: AppFactory, review: bool
) -> None:
    """Every binding of the screen (and of the app), the card's scroll keys and the decks' `x`
    too: each with what it does, all on one 80×24 screen, nothing to scroll."""
    from textual.containers import VerticalScroll

    from quizapp.tui.screens.review import SCROLL_KEYS

    app = new_app(review=review)
    async with running(app) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen if review else HomeScreen)
        bindings = [*screen.BINDINGS, *screen.HELP_KEYS, *app.BINDINGS]
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        actions = {b.action.split("(")[0] for b in Binding.make_bindings(bindings)}
        rows = key_rows(bindings)
        assert len(rows) == len(actions)  # no key left out for want of a description
        for keys, what in rows:
            assert f"{keys}  " in text and what in text, (keys, what)
        for binding in Binding.make_bindings([*HomeScreen.BINDINGS, *SCROLL_KEYS]):
            assert f" {binding.key_display or binding.key} " in text, binding
        assert "x      take an exam" in text
        assert "PgDn / ↓ / End" in text and "scroll a long card" in text
        assert app.screen.query_one("#help", VerticalScroll).max_scroll_y == 0
