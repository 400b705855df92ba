"""The home screen: decks with today's counts and totals, starting a review, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.tui.app import StartupError
from quizapp.tui.screens.home import ALL_DECKS, HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.status_line import StatusLine
from tests.tui.conftest import AppFactory
from tests.tui.helpers import OTHER_DECK, SIZE, grade, press, running, screen_lines, screen_text


def _cells(home: HomeScreen, key: str) -> list[str]:
    return [str(cell) for cell in home.table.get_row(key)]


async def test_home_lists_decks_with_counts_and_totals(
    new_app: AppFactory, demo_decks: Path
) -> None:
    (demo_decks / "other.md").write_text(OTHER_DECK, encoding="utf-8")
    app = new_app()
    async with running(app):
        home = app.screen
        assert isinstance(home, HomeScreen)
        counts = {c.deck: c for c in app.service.deck_counts()}
        assert sorted(counts) == ["demo", "other"]
        assert _cells(home, "demo") == ["Demo deck  demo", "3", "0", "0"]
        assert _cells(home, "other") == ["Other deck  other", "1", "0", "0"]
        assert _cells(home, ALL_DECKS) == ["All decks", "4", "0", "0"]
        text = screen_text(app)
        for word in ("Deck", "New", "Learning", "Due", "Demo deck", "Other deck", "All decks"):
            assert word in text
        footer = screen_lines(app)[-1]
        for item in ("Enter Review deck", "a Review all", "q Quit", "? Help"):
            assert item in footer


async def test_enter_reviews_the_selected_deck(new_app: AppFactory, demo_decks: Path) -> None:
    (demo_decks / "other.md").write_text(OTHER_DECK, encoding="utf-8")
    app = new_app()
    async with running(app) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("down")  # demo is first, other second
        assert home.selected_deck() == "other"
        await press(pilot, "enter")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.deck == "other"
        assert review.card is not None and review.card.deck == "other"
        assert "Other deck" in screen_lines(app)[0]


async def test_a_reviews_all_decks(new_app: AppFactory, demo_decks: Path) -> None:
    (demo_decks / "other.md").write_text(OTHER_DECK, encoding="utf-8")
    app = new_app()
    async with running(app) as pilot:
        await press(pilot, "a")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.deck is None
        seen: set[str] = set()
        for _ in range(4):
            assert review.card is not None
            seen.add(review.card.deck)
            await grade(pilot, 4)
        assert seen == {"demo", "other"}


async def test_enter_on_totals_row_reviews_all(new_app: AppFactory) -> None:
    app = new_app()
    async with running(app) as pilot:
        await pilot.press("down")
        assert app.screen.selected_deck() == ALL_DECKS
        await press(pilot, "enter")
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck is None


async def test_q_quits(new_app: AppFactory) -> None:
    app = new_app()
    async with running(app) as pilot:
        await press(pilot, "q")
        assert not app.is_running


async def test_r_syncs_new_deck_files(new_app: AppFactory, demo_decks: Path) -> None:
    app = new_app()
    async with running(app) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert "other" not in home.table.rows
        (demo_decks / "other.md").write_text(OTHER_DECK, encoding="utf-8")
        await press(pilot, "r")
        assert _cells(home, "other") == ["Other deck  other", "1", "0", "0"]
        assert _cells(home, ALL_DECKS)[1] == "4"
        assert home.query_one(StatusLine).message == "Decks synced."


async def test_deck_errors_show_as_one_line(new_app: AppFactory, demo_decks: Path) -> None:
    (demo_decks / "broken.md").write_text(
        "---\nid: broken\n---\n\nQ: A question without its answer\n\nNo answer here.\n",
        encoding="utf-8",
    )
    app = new_app()
    async with running(app):
        home = app.screen
        assert isinstance(home, HomeScreen)
        message = home.query_one(StatusLine).message
        assert message == "mydecks/broken.md:5: Q: without an A: right after it"
        assert message in screen_text(app)
        assert "Traceback" not in screen_text(app)
        # The good deck is still there to review.
        assert _cells(home, "demo")[1] == "3"


async def test_no_decks_says_so(
    db_path: Path, deck_dir: Path, config_path: Path, clock: object
) -> None:
    from quizapp.tui.app import make_app

    app = make_app(db_path=db_path, deck_dirs=[deck_dir], config_path=config_path, clock=clock)
    async with running(app) as pilot:
        assert "No decks found" in screen_text(app)
        await press(pilot, "a")
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(StatusLine).message == "no decks to review"


async def test_bad_config_is_one_line_error(
    db_path: Path, demo_decks: Path, tmp_path: Path
) -> None:
    from quizapp.tui.app import make_app

    bad = tmp_path / "bad.toml"
    bad.write_text("desired_retention = 2\n", encoding="utf-8")
    with pytest.raises(StartupError) as info:
        make_app(db_path=db_path, deck_dirs=[demo_decks], config_path=bad)
    assert "desired_retention" in str(info.value)
    assert "\n" not in str(info.value)


async def test_not_a_database_is_one_line_error(
    tmp_path: Path, demo_decks: Path, config_path: Path
) -> None:
    from quizapp.tui.app import make_app

    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("this is not SQLite\n" * 100, encoding="utf-8")
    before = bogus.read_bytes()
    with pytest.raises(StartupError) as info:
        make_app(db_path=bogus, deck_dirs=[demo_decks], config_path=config_path)
    assert "\n" not in str(info.value)
    assert bogus.read_bytes() == before


async def test_unknown_deck_for_review_shows_error_on_home(new_app: AppFactory) -> None:
    app = new_app(review=True, deck="nope")
    async with running(app):
        home = app.screen
        assert isinstance(home, HomeScreen)
        message = home.query_one(StatusLine).message
        assert message == "unknown deck 'nope' (known: demo)"
        assert message in screen_text(app)


async def test_help_from_home_and_back(new_app: AppFactory) -> None:
    app = new_app()
    async with running(app) as pilot:
        await press(pilot, "question_mark")
        text = screen_text(app)
        assert "review the selected deck" in text and "review all decks" in text
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HomeScreen)
        assert "review all decks" not in screen_text(app)


def _long_title_deck(deck_dir: Path) -> None:
    title = "A very long deck title " * 6
    (deck_dir / "long.md").write_text(
        f"---\nid: long\ntitle: {title.strip()}\n---\n\nQ: q\nA: a\n", encoding="utf-8"
    )


async def test_long_deck_title_keeps_counts_on_screen(
    new_app: AppFactory, demo_decks: Path
) -> None:
    _long_title_deck(demo_decks)
    app = new_app()
    async with running(app):
        lines = screen_lines(app)
        header = next(line for line in lines if "Learning" in line)
        row = next(line for line in lines if "A very long" in line)
        assert header.rstrip().endswith("Due")
        assert row.rstrip().endswith("0") and "…" in row
        assert header.rstrip()[-3:] == "Due" and len(row.rstrip()) == len(header.rstrip())


async def test_counts_stay_on_screen_after_the_terminal_shrinks(
    new_app: AppFactory, demo_decks: Path
) -> None:
    _long_title_deck(demo_decks)
    app = new_app()
    async with running(app, (160, 30)) as pilot:
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        lines = screen_lines(app)
        header = next(line for line in lines if "Deck" in line)
        row = next(line for line in lines if "A very long" in line)
        assert header.rstrip().endswith("Due")
        assert row.rstrip().endswith("0") and "…" in row
        assert len(row.rstrip()) == len(header.rstrip()) <= SIZE[0]


async def test_home_under_a_review_opened_at_launch_counts_when_shown(
    new_app: AppFactory,
) -> None:
    # Launched straight into reviewing, the home screen beneath counts only once it is shown
    # (counting first would delay the first card): its counts then include the answers given.
    app = new_app(review=True)
    async with running(app) as pilot:
        assert isinstance(app.screen, ReviewScreen)
        await grade(pilot, 3)
        await press(pilot, "q")
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert _cells(home, "demo") == ["Demo deck  demo", "2", "0", "0"]  # one new card fewer


async def test_review_opened_at_launch_has_its_card_in_its_first_frame(
    new_app: AppFactory,
) -> None:
    """`quizapp review` reads its first card before Textual's first frame: the review screen
    is never drawn empty, and that card comes without a round trip through the answers
    worker (none has run when the screen first shows)."""
    app = new_app(review=True, deck="demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.card is not None
        assert [w for w in app.workers if w.group == "answers"] == []
        await pilot.pause()
        assert screen.card.prompt.split("\n")[0] in screen_text(app)
        await grade(pilot, 3)  # the session taken at launch records the answer
        assert screen.card is not None and screen.session is not None
        assert screen.session.summary().reviewed == 1


async def test_review_opened_at_launch_leaves_to_the_home_screen_made_then(
    new_app: AppFactory, db_path: Path
) -> None:
    """`quizapp review`: the review screen comes first, with no home screen built beneath it
    (that would delay the first card); leaving it shows the home screen with today's counts,
    the answer just given counted."""
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        assert isinstance(app.screen, ReviewScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        await grade(pilot, 3)
        await press(pilot, "q")
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert len(app.screen_stack) == 2  # Textual's blank screen, then home: nothing else
        assert _cells(home, "demo")[1] == "2"  # 3 new cards, one of them answered
        await press(pilot, "a")
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "q")
        assert app.screen is home
