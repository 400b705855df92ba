"""Each command imports only what it needs: the real CLI in a child process, on a real SQLite file,
asked afterwards which heavy modules it had loaded (``sys.modules``).

A later change that puts an import back on a path that does not need it (SQLAlchemy for
``--help``, ``due`` or the review app's first card and answer, the deck parser for an unchanged
sync, Textual outside the app, Anki outside the export, Alembic with no migration pending, fsrs
where no card is scheduled) fails here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.store.util import qa_deck, write_deck

ROOT = Path(__file__).resolve().parents[1]

# Runs the CLI as `quizapp` runs it, then writes the names of the loaded modules to a file.
PROBE = """
import json, sys
out = sys.argv.pop(1)
try:
    from quizapp.cli import main
    main()
finally:
    with open(out, "w") as fh:
        json.dump(sorted(sys.modules), fh)
"""

# The review app, headless, until its first card is on the review screen; then the same. With
# a last argument, that card is answered Good (and the next card shown) first.
APP_PROBE = """
import asyncio, json, sys
from pathlib import Path
from quizapp import paths
from quizapp.tui.app import make_app
from quizapp.tui.screens.review import ReviewScreen

async def main() -> None:
    decks = paths.deck_dirs([Path(sys.argv[3])])
    app = make_app(db_path=Path(sys.argv[2]), deck_dirs=decks, review=True, deck="rnn")
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, ReviewScreen) and app.screen.card is not None):
            await asyncio.sleep(0.01)
        if sys.argv[4:]:
            first = app.screen.card
            await pilot.press("space", "3")
            while app.screen.card is None or app.screen.card == first:
                await asyncio.sleep(0.01)
        with open(sys.argv[1], "w") as fh:
            json.dump(sorted(sys.modules), fh)
        app.exit()

asyncio.run(main())
"""

HEAVY = {
    "sqlalchemy": "sqlalchemy",
    "orm": "sqlalchemy.orm",
    "textual": "textual",
    "rich": "rich",
    "anki": "anki",
    "fsrs": "fsrs",
    "fsrs_rs": "fsrs_rs_python",
    "alembic": "alembic",
    "tensorflow": "tensorflow",
    "keras": "keras",
    "parser": "quizapp.notes.parse",
    "calc": "quizapp.calc",
    "platformdirs": "platformdirs",  # light, but --help needs no user directory
    "pygments": "pygments",  # code colouring, for a card that shows code
    "hashlib": "_hashlib",  # OpenSSL: a deck file's content hash, once its size or time changed
}


def loaded(tmp_path: Path, *args: str, ok: bool = True, probe: str = PROBE) -> set[str]:
    """The heavy modules (keys of ``HEAVY``) that ``quizapp ARGS`` loaded."""
    out = tmp_path / "modules.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["QUIZAPP_CONFIG"] = str(tmp_path / "config.toml")
    (tmp_path / "config.toml").touch()
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    if ok:
        assert proc.returncode == 0, proc.stderr
    modules = set(json.loads(out.read_text()))
    return {key for key, name in HEAVY.items() if name in modules}


@pytest.fixture
def store(tmp_path: Path, deck_dir: Path) -> list[str]:
    """A deck directory with one deck, and a database synced with it: the global options."""
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(5)]))
    args = ["--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir)]
    first = loaded(tmp_path, *args, "due")
    # A new database is migrated and every deck parsed (the bundled ones have computed cards).
    assert {"sqlalchemy", "alembic", "parser", "calc"} <= first
    return args


def test_help_loads_no_heavy_module(tmp_path: Path) -> None:
    assert loaded(tmp_path, "--help") == set()
    # A command's --help comes after the group's options are read (the default database).
    assert loaded(tmp_path, "due", "--help") <= {"platformdirs"}


def test_due_on_an_unchanged_store(tmp_path: Path, store: list[str]) -> None:
    mods = loaded(tmp_path, *store, "due", "--json")
    assert "sqlalchemy" not in mods  # counted with plain SQL (store/plain)
    assert not mods & {"textual", "rich", "anki", "alembic", "tensorflow", "keras", "fsrs_rs"}
    assert not mods & {"parser", "calc", "hashlib"}  # no deck text read, nor hashed
    assert "fsrs" not in mods  # counting schedules no card


def test_cards_reads_the_decks_alone(tmp_path: Path, store: list[str]) -> None:
    mods = loaded(tmp_path, *store, "cards")
    assert "parser" in mods  # it lists the cards of the deck text
    assert not mods & {"sqlalchemy", "textual", "anki", "alembic", "fsrs", "tensorflow"}


def test_a_changed_deck_loads_the_parser(tmp_path: Path, store: list[str], deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"B{i}.") for i in range(5)]))
    mods = loaded(tmp_path, *store, "due")
    assert {"parser", "hashlib"} <= mods
    assert "calc" not in mods  # the changed deck has no computed card
    assert not mods & {"alembic", "textual", "anki"}


def test_a_pending_migration_loads_alembic(tmp_path: Path, store: list[str]) -> None:
    from quizapp.store.db import HEAD_REVISION, downgrade, inspect_revision

    db = tmp_path / "q.sqlite3"
    downgrade(db, f"{int(HEAD_REVISION) - 1:04d}")
    assert "alembic" in loaded(tmp_path, *store, "due")
    assert inspect_revision(db) == HEAD_REVISION
    assert "alembic" not in loaded(tmp_path, *store, "due")


def test_export_loads_anki_and_only_it(tmp_path: Path, store: list[str]) -> None:
    apkg = tmp_path / "rnn.apkg"
    mods = loaded(tmp_path, *store, "export", "anki", "--deck", "rnn", "-o", str(apkg))
    assert "anki" in mods and apkg.is_file()
    assert not mods & {"textual", "tensorflow", "keras"}
    csv_mods = loaded(tmp_path, *store, "export", "csv", "--deck", "rnn", "-o", "-")
    assert not csv_mods & {"anki", "textual", "tensorflow"}


def test_the_app_loads_textual(tmp_path: Path, store: list[str]) -> None:
    # Without a terminal the app is built and then refuses to run: Textual was needed for it.
    mods = loaded(tmp_path, *store, "review", ok=False)
    assert "textual" in mods
    assert not mods & {"anki", "tensorflow", "keras", "alembic"}


def test_the_first_card_and_its_answer_need_no_sqlalchemy(
    tmp_path: Path, store: list[str], deck_dir: Path
) -> None:
    # The queue is read and the answer recorded with plain SQL on the driver (store/plain).
    db = store[1]
    mods = loaded(tmp_path, db, str(deck_dir), probe=APP_PROBE)
    assert {"textual", "fsrs"} <= mods  # the card's grade buttons are previewed
    assert not mods & {"sqlalchemy", "parser", "calc", "alembic", "anki", "tensorflow", "keras"}
    assert not mods & {"pygments", "hashlib"}  # a card of prose, and no deck file changed
    answered = loaded(tmp_path, db, str(deck_dir), "answer", probe=APP_PROBE)
    assert "sqlalchemy" not in answered
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT rating, state_before FROM review_log").fetchall() == [(3, "new")]


def test_stats_and_suspended_read_without_the_app(tmp_path: Path, store: list[str]) -> None:
    for command in (["stats", "--json"], ["suspended"], ["exam-date"]):
        mods = loaded(tmp_path, *store, *command)
        assert not mods & {"textual", "anki", "alembic", "tensorflow", "parser", "calc"}, command
        assert "orm" not in mods, command  # read with Core
        if command != ["stats", "--json"]:  # the statistics are Core statements; these plain SQL
            assert "sqlalchemy" not in mods, command


def test_a_printed_exam_reads_with_plain_sql(tmp_path: Path, store: list[str]) -> None:
    # The cards an exam is built from are read by plain queries on the driver (store/exam_cards):
    # an unchanged store at the newest revision is printed without SQLAlchemy at all.
    mods = loaded(tmp_path, *store, "quiz", "--print", "--json", "--seed", "3")
    assert not mods & {"sqlalchemy", "textual", "rich", "anki", "alembic", "fsrs", "tensorflow"}
    assert "parser" not in mods  # no deck text read
    # The bundled deck's computed questions are worked out by calc, and their Keras line read
    # from the check cache: a plain query as well.
    assert "calc" in mods
    rnn = loaded(tmp_path, *store, "quiz", "--deck", "rnn", "--print", "--json")
    assert not rnn & {"sqlalchemy", "calc", "parser", "fsrs"}
    # Looking back on exams reads the history with Core: the tables, not the ORM.
    history = loaded(tmp_path, *store, "quiz", "--history", "--json")
    assert "sqlalchemy" in history
    assert not history & {"orm", "textual", "alembic", "tensorflow"}
    # A changed deck is written back through the engine: SQLAlchemy then, and the parser.
    write_deck(Path(store[3]), "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"C{i}.") for i in range(5)]))
    changed = loaded(tmp_path, *store, "quiz", "--print", "--json", "--seed", "3")
    assert {"sqlalchemy", "parser"} <= changed
