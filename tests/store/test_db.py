"""Opening the database: pragmas, migrations, backups, and the files it refuses to touch."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from quizapp import paths
from quizapp.store import StoreError
from quizapp.store.db import (
    HEAD_REVISION,
    alembic_config,
    backup,
    downgrade,
    list_backups,
    make_engine,
    migrate,
    open_database,
)
from quizapp.store.models import Base
from quizapp.store.oracle_cache import DbOracleCache

TABLES = {
    "decks",
    "cards",
    "review_log",
    "keras_cache",
    "deck_files",
    "quiz_exams",
    "quiz_answers",
    "quiz_confusions",
    "exam_dates",
    "deck_scheduling",
}


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection, committed and closed when the block ends.

    ``with sqlite3.connect(...)`` only commits: the connection itself (in a reference cycle
    through its statement cache) stays open until the garbage collector runs, and closing it
    then, as the last connection, checkpoints the WAL into the file at some unforeseen moment,
    changing the file a test has just fingerprinted."""
    con = sqlite3.connect(path)
    try:
        with con:
            yield con
    finally:
        con.close()


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _tables(path: Path) -> set[str]:
    with _connect(path) as con:
        rows = con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    return {r[0] for r in rows} - {"alembic_version", "sqlite_sequence"}


def _revision(path: Path) -> str | None:
    with _connect(path) as con:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def test_new_database_is_created_with_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "quiz.sqlite3"
    db = open_database(path)
    try:
        assert path.is_file()
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        assert _tables(path) == TABLES
        assert _revision(path) == HEAD_REVISION
        assert list_backups(path) == []  # nothing to back up in a new file
    finally:
        db.close()


def test_head_constant_matches_the_migration_scripts() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD_REVISION
    assert paths.migrations_dir().joinpath("env.py").is_file()


def test_models_match_the_migrated_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.sqlite3")
    try:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
    finally:
        db.close()


def test_alembic_check_finds_no_drift(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    open_database(path).close()
    engine = make_engine(path, pooled=False)
    with engine.connect() as conn:
        command.check(alembic_config(conn))  # raises if autogenerate would emit anything
    engine.dispose()


def test_round_trip_and_every_step(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    revisions = _revisions()
    assert revisions[0] == "0001" and revisions[-1] == HEAD_REVISION
    for rev in revisions:  # up, one step at a time
        migrate(path, rev)
        assert _revision(path) == rev
    assert _tables(path) == TABLES
    for rev in reversed(revisions[:-1]):  # down, one step at a time
        downgrade(path, rev)
        assert _revision(path) == rev
    assert "deck_files" not in _tables(path)
    assert "keras_cache" in _tables(path)  # the first migration creates it
    downgrade(path, "base")
    assert _tables(path) == set()
    migrate(path, "head")
    assert _tables(path) == TABLES


def _seed_v1(path: Path) -> None:
    migrate(path, "0001")
    now = datetime(2026, 1, 1, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with _connect(path) as con:
        con.execute("INSERT INTO decks VALUES ('d', 'D', 'decks/d.md', '/x/d.md', 0)")
        con.execute(
            "INSERT INTO cards (id, key, note_key, deck, position, section, kind, prompt, answer,"
            " extra, tags, source, line, content_hash, retired, suspended, state, reps, lapses,"
            " created_at, updated_at, due) VALUES (1, 'd:k', 'd:k', 'd', 0, '[]', 'qa', 'Q?', 'A',"
            " '', '[]', 'decks/d.md', 3, 'h', 0, 0, 'review', 3, 0, ?, ?, ?)",
            (now, now, now),
        )
        for _ in range(3):
            con.execute(
                "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before,"
                " state_after, due_before, due_after, card_before) VALUES"
                " (1, 3, ?, 1000, 'review', 'review', ?, ?, '{}')",
                (now, now, now),
            )


def test_upgrade_keeps_history_through_the_batch_copy(tmp_path: Path) -> None:
    """0002 copies the cards table (batch); with foreign keys on, SQLite would delete the
    review log through ON DELETE CASCADE. Opening must keep every row."""
    path = tmp_path / "q.sqlite3"
    _seed_v1(path)
    db = open_database(path)
    try:
        with db.session() as s:
            assert s.execute(text("SELECT count(*) FROM review_log")).scalar() == 3
            assert s.execute(text("SELECT key, reps FROM cards")).all() == [("d:k", 3)]
        cols = {c["name"] for c in inspect(db.engine).get_columns("cards")}
        assert "file_id" in cols
        fks = inspect(db.engine).get_foreign_keys("review_log")
        assert fks and fks[0]["options"].get("ondelete") == "CASCADE"
    finally:
        db.close()


def test_upgrade_makes_a_backup_and_keeps_the_last_five(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    _seed_v1(path)
    for _ in range(6):
        backup(path)
    assert len(list_backups(path)) == 5
    open_database(path).close()
    backups = list_backups(path)
    assert len(backups) == 5
    newest = backups[-1]
    assert _revision(newest) == "0001"  # the state before the upgrade
    with _connect(newest) as con:
        assert con.execute("SELECT count(*) FROM review_log").fetchone()[0] == 3
    # Up to date: opening again makes no new backup.
    open_database(path).close()
    assert list_backups(path) == backups


def test_newer_revision_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    open_database(path).close()
    with _connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.close()
    before = _fingerprint(path)
    with pytest.raises(StoreError) as err:
        open_database(path)
    msg = str(err.value)
    assert "newer quizapp" in msg and "9999" in msg and "\n" not in msg
    assert _fingerprint(path) == before
    assert list_backups(path) == []


def test_not_sqlite_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some text, not a database\n" * 20)
    before = _fingerprint(path)
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_database(path)
    assert _fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_other_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with _connect(path) as con:
        con.execute("CREATE TABLE contacts (name TEXT)")
    con.close()
    before = _fingerprint(path)
    with pytest.raises(StoreError, match="not a quizapp one"):
        open_database(path)
    assert _fingerprint(path) == before


def test_corrupt_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    db = open_database(path)
    db.close()
    # Checkpoint the WAL into the main file, then damage the schema page.
    with _connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    data = bytearray(path.read_bytes())
    data[100:600] = b"\xff" * 500
    path.write_bytes(bytes(data))
    before = _fingerprint(path)
    with pytest.raises(StoreError) as err:
        open_database(path)
    assert "corrupt" in str(err.value) and "\n" not in str(err.value)
    assert _fingerprint(path) == before


def test_oracle_cache_round_trip(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.sqlite3")
    try:
        cache = DbOracleCache(db)
        assert cache.get("LSTM(10)", "(5, 1)", "3.15.1") is None
        cache.put("LSTM(10)", "(5, 1)", "3.15.1", {"params": 480})
        assert cache.get("LSTM(10)", "(5, 1)", "3.15.1") == {"params": 480}
        assert cache.get("LSTM(10)", "(5, 1)", "3.0.0") is None  # another Keras version
        cache.put("LSTM(10)", "(5, 1)", "3.15.1", {"params": 481})  # replaced, not duplicated
        assert cache.get("LSTM(10)", "(5, 1)", "3.15.1") == {"params": 481}
        with db.session() as s:
            stamp = s.execute(text("SELECT checked_at FROM keras_cache")).scalar()
            assert s.execute(text("SELECT count(*) FROM keras_cache")).scalar() == 1
        assert stamp is not None
    finally:
        db.close()


def test_foreign_key_violation_after_migrating_rolls_everything_back(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    migrate(path, "0001")
    with _connect(path) as con:  # foreign keys are off by default in plain sqlite3
        now = "2026-01-01 00:00:00.000000"
        con.execute(
            "INSERT INTO cards (id, key, note_key, deck, position, section, kind, prompt, answer,"
            " extra, tags, source, line, content_hash, retired, suspended, state, reps, lapses,"
            " created_at, updated_at) VALUES (1, 'k', 'k', 'no-such-deck', 0, '[]', 'qa', 'Q',"
            " 'A', '', '[]', 's', 1, 'h', 0, 0, 'new', 0, 0, ?, ?)",
            (now, now),
        )
    con.close()
    with pytest.raises(StoreError, match="foreign key check failed") as err:
        open_database(path)
    assert "\n" not in str(err.value)
    assert _revision(path) == "0001"  # not half-migrated
    assert "deck_files" not in _tables(path)
    assert len(list_backups(path)) == 1  # and the copy from before the attempt is there


def test_two_processes_opening_a_new_file_at_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "q.sqlite3"
    code = (
        "import sys; from pathlib import Path; from quizapp.store.db import open_database;"
        "open_database(Path(sys.argv[1])).close(); print('ok')"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    assert [p.communicate(timeout=60)[0].strip() for p in procs] == ["ok"] * 3
    assert _revision(path) == HEAD_REVISION


def test_read_only_open_reads_and_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    _seed_v1(path)
    open_database(path).close()  # upgraded to the head, with its one backup
    backups = list_backups(path)
    before = _fingerprint(path)
    db = open_database(path, migrate=False)
    try:
        with db.session() as s:
            assert s.execute(text("SELECT count(*) FROM review_log")).scalar() == 3
        with pytest.raises(StoreError, match="readonly"), db.session(write=True) as s:
            s.execute(text("DELETE FROM review_log"))
    finally:
        db.close()
    assert _fingerprint(path) == before
    assert list_backups(path) == backups


def test_read_only_open_refuses_what_it_would_have_to_change(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    _seed_v1(old)
    before = _fingerprint(old)
    with pytest.raises(StoreError) as err:
        open_database(old, migrate=False)
    assert str(err.value) == (
        f"{old} was written by an older quizapp (schema revision 0001); "
        "open it with quizapp once (e.g. `quizapp due`) to upgrade it"
    )
    assert _fingerprint(old) == before and _revision(old) == "0001"
    assert list_backups(old) == []

    newer = tmp_path / "newer.sqlite3"
    open_database(newer).close()
    with _connect(newer) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.close()
    with pytest.raises(StoreError, match="newer quizapp"):
        open_database(newer, migrate=False)

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(StoreError, match="holds no quizapp data"):
        open_database(empty, migrate=False)
    assert empty.stat().st_size == 0

    missing = tmp_path / "sub" / "missing.sqlite3"
    with pytest.raises(StoreError, match="no quizapp database at"):
        open_database(missing, migrate=False)
    assert not (tmp_path / "sub").exists()


@pytest.mark.parametrize("damage", ["newer", "corrupt"])
def test_a_refused_database_gains_no_side_files(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "q.sqlite3"
    open_database(path).close()
    con = sqlite3.connect(path, isolation_level=None)
    if damage == "newer":
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.close()  # the last connection: the WAL is checkpointed and removed
    if damage == "corrupt":
        data = bytearray(path.read_bytes())
        data[4096:4596] = b"\xff" * 500  # a table page; the header still says WAL
        path.write_bytes(bytes(data))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.sqlite3"]
    with pytest.raises(StoreError):
        open_database(path)
    with pytest.raises(StoreError):
        open_database(path, migrate=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.sqlite3"]


STATS_REVISION = "0007"  # the review log's interval and elapsed days, the statistics' indexes


def test_upgrade_fills_each_answers_interval_and_elapsed_days(tmp_path: Path) -> None:
    """The statistics' columns come from the state each answer replaced (card_before)."""
    import json
    from datetime import timedelta

    from quizapp.scheduling import SchedState

    path = tmp_path / "q.sqlite3"
    before = _revisions()[_revisions().index(STATS_REVISION) - 1]
    _seed_v1(path)
    migrate(path, before)
    t0 = datetime(2026, 1, 1, 12, 0, 0, 250_000, tzinfo=UTC)
    states = [
        ("new", SchedState(), t0),
        ("learning", SchedState("learning", 1, 2.0, 5.0, t0 + timedelta(minutes=10), t0), t0),
        ("review", SchedState("review", None, 21.0, 5.0, t0 + timedelta(days=21), t0), t0),
    ]
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    answered = [t0, t0 + timedelta(minutes=15, seconds=30), t0 + timedelta(days=22, hours=1)]
    with _connect(path) as con:
        con.execute("DELETE FROM review_log")
        for (state, sched, _), at in zip(states, answered, strict=True):
            con.execute(
                "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before,"
                " state_after, due_before, due_after, card_before) VALUES"
                " (1, 3, ?, 1000, ?, 'review', NULL, ?, ?)",
                (at.strftime(stamp), state, at.strftime(stamp), json.dumps(sched.to_json())),
            )
        con.execute(  # an answer whose earlier state was not kept
            "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before,"
            " state_after, due_before, due_after, card_before) VALUES"
            " (1, 3, ?, 1000, 'review', 'review', NULL, ?, '{}')",
            (t0.strftime(stamp), t0.strftime(stamp)),
        )
    open_database(path).close()
    with _connect(path) as con:
        rows = con.execute(
            "SELECT state_before, interval_before, elapsed_before FROM review_log ORDER BY id"
        ).fetchall()
    assert rows[0] == ("new", None, None)
    assert rows[1][0] == "learning"
    assert rows[1][1] == pytest.approx(10 / 1440, abs=1e-9)
    assert rows[1][2] == pytest.approx(15.5 / 1440, abs=1e-9)
    assert rows[2] == ("review", 21.0, pytest.approx(22 + 1 / 24, abs=1e-9))
    assert rows[3] == ("review", None, None)
    downgrade(path, before)
    with _connect(path) as con:
        cols = {r[1] for r in con.execute("PRAGMA table_info(review_log)")}
        assert con.execute("SELECT count(*) FROM review_log").fetchone() == (4,)
    assert "interval_before" not in cols and "elapsed_before" not in cols


def _indexes(path: Path, table: str) -> set[str]:
    with _connect(path) as con:
        rows = con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
        )
        return {name for (name,) in rows}


def test_the_exam_indexes_come_with_0011_and_serve_the_exams_reads(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    _seed_v1(path)
    migrate(path, "0010")
    exam_indexes = {"ix_cards_exam_order", "ix_cards_exam_siblings"}
    assert not exam_indexes & _indexes(path, "cards")
    migrate(path, "0011")
    assert exam_indexes <= _indexes(path, "cards")
    with _connect(path) as con:
        assert con.execute("SELECT count(*) FROM cards").fetchone() == (1,)  # rows kept
        plan = " ".join(
            row[3]
            for row in con.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM cards WHERE deck IN ('d') AND retired = 0"
                " AND suspended = 0 ORDER BY deck, position, key"
            )
        )
    assert "COVERING INDEX ix_cards_exam_order" in plan and "TEMP B-TREE" not in plan
    downgrade(path, "0010")
    assert not exam_indexes & _indexes(path, "cards")
