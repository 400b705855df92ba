"""Suspend while reviewing, then `quizapp suspended` and `quizapp unsuspend` bring cards back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.review import ReviewService
from tests.store.util import qa_deck, write_deck


def _run(db: Path, deck_dir: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--db", str(db), "--decks", str(deck_dir), *args])


def _new_count(db: Path, deck_dir: Path) -> int:
    out = _run(db, deck_dir, "due", "--deck", "rnn", "--json")
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)["total"]["new"]


def _suspend_two(db: Path, deck_dir: Path, tmp_path: Path) -> list[str]:
    service = ReviewService(db, [deck_dir], config_path=tmp_path / "none.toml")
    service.sync()
    session = service.start("rnn")
    keys = []
    for _ in range(2):
        card = session.next_card()
        assert card is not None
        session.suspend(card)
        keys.append(card.key)
    service.close()
    return keys


def test_suspended_cards_are_listed_and_come_back(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(4)]))
    db = tmp_path / "q.sqlite3"
    assert _run(db, deck_dir, "suspended").stdout.strip() == "No suspended cards."
    keys = _suspend_two(db, deck_dir, tmp_path)
    assert _new_count(db, deck_dir) == 2

    listed = _run(db, deck_dir, "suspended", "--deck", "rnn")
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == keys
    assert "rnn.md:" in listed.stdout and "Q0?" in listed.stdout

    one = _run(db, deck_dir, "unsuspend", keys[0])
    assert one.exit_code == 0
    assert one.stdout.strip() == "Unsuspended 1 card."
    assert _new_count(db, deck_dir) == 3

    rest = _run(db, deck_dir, "unsuspend", "--all", "--deck", "rnn")
    assert rest.stdout.strip() == "Unsuspended 1 card."
    assert _new_count(db, deck_dir) == 4


def test_unknown_key_changes_nothing_and_is_one_line(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(3)]))
    db = tmp_path / "q.sqlite3"
    keys = _suspend_two(db, deck_dir, tmp_path)
    result = _run(db, deck_dir, "unsuspend", keys[0], "rnn:nope")
    assert result.exit_code == 1
    expected = "Error: not a suspended card: rnn:nope (nothing was changed)"
    assert result.output.strip() == expected
    assert _new_count(db, deck_dir) == 1
    neither = _run(db, deck_dir, "unsuspend")
    assert neither.exit_code == 1
    assert "give card keys or --all" in neither.output


def test_a_key_given_twice_is_one_card(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(4)]))
    db = tmp_path / "q.sqlite3"
    first, second = _suspend_two(db, deck_dir, tmp_path)
    result = _run(db, deck_dir, "unsuspend", first, first)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Unsuspended 1 card.\n"
    listed = _run(db, deck_dir, "suspended").stdout
    assert second in listed and first not in listed


def test_unsuspend_on_a_locked_database_is_one_line_and_changes_nothing(
    tmp_path: Path, deck_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.store import db as store_db

    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(4)]))
    db = tmp_path / "q.sqlite3"
    keys = _suspend_two(db, deck_dir, tmp_path)
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        out = _run(db, deck_dir, "unsuspend", *keys)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert out.exit_code == 1
    assert out.exception is None or isinstance(out.exception, SystemExit)
    assert out.stderr.strip().splitlines() == [
        f"Error: {db} is locked by another program (database is locked)"
    ]
    assert _run(db, deck_dir, "suspended").stdout.count("rnn:") == 2
