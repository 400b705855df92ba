"""Plain reads and writes (``Database.plain_read``, ``plain_write``): the driver's own
connections, beside the engine's, on a real SQLite file. What the review queue, its answers,
``quizapp due`` and a printed exam go through, so what they must get right: they see what was
committed, two threads read at once, a write is all or nothing, nothing is left open, errors are
one line, and a time written by one side is read back the same by the other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from quizapp.exam_plan import ExamDate
from quizapp.library import load_library
from quizapp.store import StoreError, exam_dates, queries
from quizapp.store.db import Database, _side_file, open_database
from quizapp.store.plain import read_time, stored_time
from quizapp.store.sync import sync_library
from quizapp.store.tables import cards
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


def test_a_plain_write_is_committed_whole_or_not_at_all(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.sqlite3")
    try:
        sync_library(db, [_deck(tmp_path, 2)], load_library)
        day = datetime(2027, 1, 15, tzinfo=UTC).date()
        with db.plain_write() as con:
            exam_dates.set_exam_date(con, ExamDate("rnn", day, 0.9), datetime.now(UTC))
        with db.read() as core:  # the engine's connection sees the commit
            assert exam_dates.exam_dates(core) == [ExamDate("rnn", day, 0.9)]
        with pytest.raises(RuntimeError), db.plain_write() as con:
            con.execute("UPDATE cards SET suspended = 1")
            exam_dates.clear_exam_dates(con)
            raise RuntimeError("stopped halfway")
        with db.plain_read() as con:  # neither change was kept
            assert _count(con) == 2 and queries.suspended_cards(con) == []
            assert exam_dates.exam_dates(con) == [ExamDate("rnn", day, 0.9)]
        with pytest.raises(StoreError) as caught, db.plain_write() as con:
            con.execute("INSERT INTO cards (id) VALUES (1)")  # not null constraints
        assert "\n" not in str(caught.value) and "NOT NULL" in str(caught.value)
        with db.plain_write() as con:  # the next write works
            exam_dates.clear_exam_dates(con)
        with db.plain_read() as con:
            assert exam_dates.exam_dates(con) == []
    finally:
        db.close()


_times = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)


@pytest.fixture(scope="module")
def one_card(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    tmp = tmp_path_factory.mktemp("times")
    db = open_database(tmp / "q.sqlite3")
    sync_library(db, [_deck(tmp, 1)], load_library)
    yield db
    db.close()


@settings(max_examples=60, deadline=None)
@given(when=_times, offset_minutes=st.integers(-14 * 60, 14 * 60), gap_us=st.integers(1, 10**7))
def test_a_time_reads_back_the_same_whichever_side_wrote_it(
    one_card: Database, when: datetime, offset_minutes: int, gap_us: int
) -> None:
    """A due written by the engine (SQLAlchemy's type) is read back by plain SQL at the same
    instant and vice versa, whatever the zone it was given in; and the stored text sorts as the
    times do (the queue's comparisons are on the text)."""
    db = one_card
    local = when.astimezone(timezone(timedelta(minutes=offset_minutes)))
    with db.write() as core:
        core.execute(update(cards).values(due=local))
    with db.plain_read() as con:
        (key, text) = con.execute("SELECT key, due FROM cards").fetchone()
        assert text == stored_time(local)  # the very text the engine stored: it compares alike
        row = queries.card_by_key(con, key)
        assert row is not None and row.due == when and row.due.tzinfo is not None
    later = when + timedelta(microseconds=gap_us)
    with db.plain_write() as con:
        con.execute("UPDATE cards SET due = ?", (stored_time(later),))
    with db.read() as core:
        assert core.execute(select(cards.c.due)).scalar_one() == later
    assert stored_time(when) < stored_time(later)
    assert read_time(stored_time(local)) == when


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        stored_time(datetime(2026, 12, 2, 9, 0))
