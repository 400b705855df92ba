"""`quizapp decks copy DECK`: a bundled deck copied into the user's deck directory keeps its deck
id, so every card keeps its key and review history, and the copy is the deck read from then on."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner, Result

from quizapp import paths
from quizapp.cli import cli
from quizapp.review import ReviewService

BUNDLED = paths.bundled_decks_dir() / "keras-basics.md"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


CARDS = (
    "SELECT id, key, state, due, stability, difficulty, reps, lapses, suspended, retired "
    "FROM cards WHERE deck = 'keras-basics' ORDER BY id"
)
LOG = (
    "SELECT id, card_id, rating, reviewed_at, state_before, state_after FROM review_log ORDER BY id"
)


def _review_some(db: Path) -> None:
    """Answer a few bundled cards and suspend one, as a learner would before copying."""
    clock = lambda: datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # noqa: E731
    service = ReviewService(db, paths.deck_dirs(), clock=clock)
    try:
        assert service.sync().errors == []
        session = service.start("keras-basics")
        for rating in (3, 4, 1, 3, 4):
            card = session.next_card()
            assert card is not None
            session.answer(card, rating, 2000)
        card = session.next_card()
        assert card is not None
        session.suspend(card)
    finally:
        service.close()


def test_a_copied_deck_keeps_every_card_and_its_history(tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    _review_some(db)
    cards_before, log_before = rows(db, CARDS), rows(db, LOG)
    assert len(log_before) == 5 and sum(1 for r in cards_before if r[8]) == 1
    listed_before = run("--db", str(db), "cards", "--json", "--deck", "keras-basics")
    assert listed_before.exit_code == 0, listed_before.output

    copied = run("--db", str(db), "decks", "copy", "keras-basics")
    target = paths.user_decks_dir() / "keras-basics.md"
    assert copied.exit_code == 0, copied.output
    assert copied.stdout.startswith(f"Copied keras-basics at {target}: edit it there")
    assert target.read_bytes() == BUNDLED.read_bytes()

    # The next command reads the copy: no deck id clash, nothing retired, history as it was.
    due = run("--db", str(db), "due", "--json")
    assert due.exit_code == 0, due.output
    assert due.stderr == ""
    assert rows(db, CARDS) == cards_before
    assert rows(db, LOG) == log_before
    assert rows(db, "SELECT path, deck_id FROM deck_files") == [
        (str(target.resolve()), "keras-basics")
    ]
    files = rows(db, "SELECT DISTINCT f.path FROM cards c JOIN deck_files f ON f.id = c.file_id")
    assert files == [(str(target.resolve()),)]
    # Listed once, with the same keys as before.
    listed = run("--db", str(db), "cards", "--json", "--deck", "keras-basics")
    assert listed.exit_code == 0 and listed.stderr == ""
    keys = [json.loads(line)["key"] for line in listed.stdout.splitlines()]
    assert keys == [json.loads(line)["key"] for line in listed_before.stdout.splitlines()]
    assert len(keys) == len(set(keys)) == len(cards_before)
    checked = run("--db", str(db), "decks", "check")
    assert [ln for ln in checked.stdout.splitlines() if "keras-basics" in ln] == [
        f"✓ decks/keras-basics.md  keras-basics  {len(keys)} cards"
    ]

    # An edit to the copy is what the cards show; the card keeps its schedule and log rows.
    first_id, first_key = cards_before[0][0], cards_before[0][1]
    answer = rows(db, f"SELECT answer FROM cards WHERE id = {first_id}")[0][0]
    assert isinstance(answer, str)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace(answer, answer + " (my words)", 1), encoding="utf-8")
    assert run("--db", str(db), "due").exit_code == 0
    assert rows(db, f"SELECT answer FROM cards WHERE id = {first_id}") == [
        (answer + " (my words)",)
    ]
    assert rows(db, CARDS) == cards_before
    assert rows(db, LOG) == log_before
    assert rows(db, f"SELECT key FROM cards WHERE id = {first_id}") == [(first_key,)]


def test_a_copy_already_there_is_refused_unless_forced(tmp_path: Path) -> None:
    db = str(tmp_path / "q.sqlite3")
    assert run("--db", db, "decks", "copy", "keras-basics").exit_code == 0
    target = paths.user_decks_dir() / "keras-basics.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nQ: mine?\nA: yes\n", "utf-8")
    edited = target.read_bytes()
    again = run("--db", db, "decks", "copy", "keras-basics")
    assert again.exit_code == 1
    assert again.stderr == (
        f"Error: {target} already exists: edit it there, or add --force to replace it with the "
        "bundled deck\n"
    )
    assert target.read_bytes() == edited
    forced = run("--db", db, "decks", "copy", "keras-basics", "--force")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.startswith(f"Replaced keras-basics at {target}")
    assert target.read_bytes() == BUNDLED.read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["keras-basics.md"]  # no temporary left


def test_a_copy_under_another_name_is_found_and_kept(tmp_path: Path) -> None:
    """The user renamed their copy: it is still theirs (same id), so copying again refuses."""
    db = str(tmp_path / "q.sqlite3")
    user = paths.user_decks_dir()
    user.mkdir(parents=True)
    renamed = user / "my-keras.md"
    renamed.write_bytes(BUNDLED.read_bytes())
    again = run("--db", db, "decks", "copy", "keras-basics")
    assert again.exit_code == 1
    assert again.stderr.startswith(f"Error: {renamed} already exists")
    assert sorted(p.name for p in user.iterdir()) == ["my-keras.md"]
    assert "keras-basics" in run("--db", db, "due").stdout


def test_unknown_and_not_bundled_decks_are_refused_in_one_line(
    tmp_path: Path, deck_dir: Path
) -> None:
    db = str(tmp_path / "q.sqlite3")
    (deck_dir / "mine.md").write_text("# Mine\n\nQ: one?\nA: 1\n", encoding="utf-8")
    unknown = run("--db", db, "--decks", str(deck_dir), "decks", "copy", "nope")
    assert (unknown.exit_code, unknown.stderr) == (
        1,
        "Error: unknown deck 'nope' (bundled decks: keras-basics)\n",
    )
    own = run("--db", db, "--decks", str(deck_dir), "decks", "copy", "mine")
    assert (own.exit_code, own.stderr) == (
        1,
        "Error: 'mine' is not a bundled deck (bundled: keras-basics)\n",
    )
    assert not paths.user_decks_dir().exists()


def test_a_deck_directory_that_already_holds_the_deck_is_not_copied_over(
    tmp_path: Path, deck_dir: Path
) -> None:
    """A deck of the bundled deck's id in a --decks directory already takes its place."""
    theirs = deck_dir / "keras.md"
    theirs.write_bytes(BUNDLED.read_bytes())
    db = str(tmp_path / "q.sqlite3")
    result = run("--db", db, "--decks", str(deck_dir), "decks", "copy", "keras-basics")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {theirs} already has the deck id 'keras-basics': it is read instead of the "
        "bundled deck (edit that file)\n"
    )
    assert not paths.user_decks_dir().exists()
    due = run("--db", db, "--decks", str(deck_dir), "due")  # no deck id clash either
    assert due.exit_code == 0, due.output
    assert due.stderr == f"Created a new database at {db}\n"
