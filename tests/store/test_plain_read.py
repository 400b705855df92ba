"""Plain reads (``Database.plain_read``): the driver's own connections, beside the engine's, on
a real SQLite file. What a printed exam reads through, so what it must get right: it sees what
was committed, two threads read at once, nothing is left open, and errors are one line."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from quizapp.library import load_library
from quizapp.store import StoreError
from quizapp.store.db import _side_file, open_database
from quizapp.store.sync import sync_library
from tests.store.util import qa_deck, write_deck


def _deck(tmp_path: Path, n: int) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir(exist_ok=True)
    write_deck(decks, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(n)]))
    return decks


def _count(con: object) -> int:
    (n,) = con.execute(  # type: ignore[attr-defined]
        "SELECT count(*) FROM cards WHERE deck = 'rnn' AND retired = 0"
    ).fetchone()
    return int(n)


def test_a_plain_read_sees_what_the_engine_committed(tmp_path: Path) -> None:
    decks = _deck(tmp_path, 3)
    db = open_database(tmp_path / "q.sqlite3")
    try:
        sync_library(db, [decks], load_library)
        with db.plain_read() as con:
            assert _count(con) == 3
        _deck(tmp_path, 5)
        sync_library(db, [decks], load_library)  # written through the engine
        with db.plain_read() as con:
            assert _count(con) == 5
    finally:
        db.close()
    # Every connection was closed: the last one checkpointed the WAL and removed its files.
    assert not _side_file(db.path, "-wal").exists()


def test_two_threads_read_at_once(tmp_path: Path) -> None:
    decks = _deck(tmp_path, 4)
    db = open_database(tmp_path / "q.sqlite3")
    sync_library(db, [decks], load_library)
    both_inside = threading.Barrier(2, timeout=10)
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with db.plain_read() as con:
                both_inside.wait()  # each holds its read transaction while the other reads
                seen.append((id(con), _count(con)))
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.close()
    assert errors == []
    assert [n for _, n in seen] == [4, 4]
    assert seen[0][0] != seen[1][0]  # a connection each


def test_a_failed_plain_read_is_a_one_line_store_error(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.sqlite3")
    try:
        with pytest.raises(StoreError) as caught, db.plain_read() as con:
            con.execute("SELECT nope FROM cards")
        assert "no such column: nope" in str(caught.value)
        assert "\n" not in str(caught.value)
        with db.plain_read() as con:  # the next read works
            assert _count(con) == 0
    finally:
        db.close()
