"""Two review apps (two real processes) on one database stay in step: an answer applies to the
card as it is in the database, a card answered elsewhere since it showed is shown afresh (not
answered twice), and undo only undoes this app's own last change while the card is still as
that change left it. After every step the card agrees with its review log."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.util import qa_deck, write_deck

WORKER = Path(__file__).with_name("app_worker.py")


class App:
    def __init__(self, db: Path, deck_dir: Path, config: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(db), str(deck_dir), str(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self._line() == "ready", self.proc.stderr.read() if self.proc.stderr else ""

    def _line(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def send(self, command: str, replies: int = 1) -> list[str]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return [self._line() for _ in range(replies)]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=30)
        assert self.proc.returncode == 0, self.proc.stderr.read() if self.proc.stderr else ""


@pytest.fixture
def two_apps(tmp_path: Path, deck_dir: Path) -> Iterator[tuple[App, App, Path]]:
    write_deck(deck_dir, "one.md", qa_deck("one", [("Q?", "A.")]))
    config = tmp_path / "config.toml"
    # Learning cards come back at once, so both apps can show the card again after an answer.
    config.write_text("learn_ahead_minutes = 1440\n")
    db = tmp_path / "q.sqlite3"
    a = App(db, deck_dir, config)
    b = App(db, deck_dir, config)
    try:
        yield a, b, db
    finally:
        a.close()
        b.close()


def _card_and_log(db: Path) -> tuple[str, int, list[str]]:
    """The card's state and reps, and its review log's state_after column (oldest first)."""
    with sqlite3.connect(db) as con:
        state, reps = con.execute("SELECT state, reps FROM cards").fetchone()
        log = [r[0] for r in con.execute("SELECT state_after FROM review_log ORDER BY id")]
    con.close()
    return state, reps, log


def _in_step(db: Path) -> tuple[str, int, list[str]]:
    state, reps, log = _card_and_log(db)
    assert reps == len(log)  # one log row per answer the card carries, no more, no less
    assert state == (log[-1] if log else "new")
    return state, reps, log


def test_a_card_answered_elsewhere_is_refreshed_and_undo_stays_consistent(
    two_apps: tuple[App, App, Path],
) -> None:
    """The issue's sequence: A answers X, B answers X, A undoes, B undoes."""
    a, b, db = two_apps
    [shown_a] = a.send("show")
    [shown_b] = b.send("show")
    assert shown_a == shown_b and shown_a.endswith(" new")
    key = shown_a.split()[1]
    assert a.send("answer 3", 2)[0] == "recorded"
    assert _in_step(db) == ("learning", 1, ["learning"])
    notice, refreshed = b.send("answer 3", 2)
    assert notice == f"notice Not recorded: {key} was answered elsewhere since it showed."
    assert refreshed == f"card {key} learning"  # shown as it is now
    assert _in_step(db) == ("learning", 1, ["learning"])  # not answered twice
    assert a.send("undo") == ["undone"]  # the card was still as A's answer left it
    assert _in_step(db) == ("new", 0, [])
    assert b.send("undo") == ["nothing"]  # B recorded nothing
    assert _in_step(db) == ("new", 0, [])


def test_undo_refuses_when_another_app_answered_since(two_apps: tuple[App, App, Path]) -> None:
    a, b, db = two_apps
    [shown] = a.send("show")
    key = shown.split()[1]
    assert a.send("answer 1", 2)[0] == "recorded"
    assert b.send("show") == [f"card {key} learning"]  # B shows it as A's answer left it
    assert b.send("answer 3", 2)[0] == "recorded"
    after_b = _in_step(db)
    assert after_b[1] == 2
    assert a.send("undo") == [
        f"error cannot undo: {key} was answered elsewhere since; nothing was undone"
    ]
    assert _in_step(db) == after_b  # nothing changed
    assert b.send("undo") == ["undone"]  # B's own last change, still as B left it
    assert _in_step(db) == ("learning", 1, ["learning"])
    assert a.send("undo") == ["nothing"]  # A's refused undo is not offered again
