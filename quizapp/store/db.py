"""Opening the database: checks, backup, migrations, and the connection pragmas.

The schema is created and changed only by the Alembic migrations in ``migrations/`` (shipped in
the wheel as ``quizapp/_bundled/migrations``). Alembic is configured here in code; no
``alembic.ini`` is needed at runtime.

SQLAlchemy is imported when the engine is first used (:func:`make_engine`, the one place): what
reads and writes with plain SQL (:meth:`Database.plain_read`, :meth:`Database.plain_write`:
``quizapp due``, the review app's queue and answers, printing an exam) on a database at the
newest revision never imports it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp import paths
from quizapp.errors import one_line
from quizapp.store.errors import ReadOnlyDatabase, StoreError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session

    #: What a query reads through: an ORM session, or a Core connection (:meth:`Database.read`).
    Reader = Session | Connection

#: The newest migration this version of quizapp knows. A test keeps it equal to the migration
#: scripts' head, so opening an up-to-date database never needs to import Alembic.
HEAD_REVISION = "0011"

BACKUPS_KEPT = 5
BUSY_TIMEOUT_MS = 10_000
_SQLITE_MAGIC = b"SQLite format 3\x00"


class Database:
    """An open quizapp database: its engine (made when first used) and transactions on it, and
    plain reads on the driver's own connections, which need no engine."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._engine: Engine | None = None
        self._write: Engine | None = None
        self._idle: list[sqlite3.Connection] = []  # plain connections, between reads
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (quizapp's pragmas; read-only if the database was opened so)."""
        if self._engine is None:
            self._engine = make_engine(self.path, read_only=self.read_only)
        return self._engine

    @property
    def _write_engine(self) -> Engine:
        if self._write is None:
            self._write = self.engine.execution_options(quizapp_immediate=True)
        return self._write

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """An ORM session in one transaction: committed on normal exit, rolled back on error.

        ``write=True`` starts the transaction with ``BEGIN IMMEDIATE`` so that a second process
        waits (``busy_timeout``) instead of failing halfway through. The ORM is imported here,
        when a session is first opened: :meth:`read` does without it.
        """
        from sqlalchemy.orm import Session

        bind = self._write_engine if write else self.engine
        with self._store_errors(), Session(bind, expire_on_commit=False) as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A Core connection in one read transaction, for Core statements (the statistics, the
        exam history): the same tables as a session, without the ORM
        (:mod:`quizapp.store.tables`). The review queue and the counts read with
        :meth:`plain_read` instead."""
        with self._store_errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A Core connection in one write transaction (``BEGIN IMMEDIATE``, as a session with
        ``write=True``): committed on normal exit, rolled back on error."""
        with self._store_errors(), self._write_engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def plain_read(self) -> Iterator[sqlite3.Connection]:
        """The driver's own connection in one read transaction, for queries written as SQL text
        (:mod:`quizapp.store.plain`: the review queue, the counts, the cards an exam is built
        from): no engine, so no SQLAlchemy. Connections are kept for the next plain read or
        write (one per thread at once) until :meth:`close`."""
        with self._plain("BEGIN", "ROLLBACK") as con:  # it only read
            yield con

    @contextmanager
    def plain_write(self) -> Iterator[sqlite3.Connection]:
        """The driver's own connection in one write transaction (``BEGIN IMMEDIATE``, as
        :meth:`write`): committed on normal exit, rolled back on error. What the review session
        records (an answer, its undo, a suspend or a bury) needs no engine."""
        with self._plain("BEGIN IMMEDIATE", "COMMIT") as con:
            yield con

    @contextmanager
    def _plain(self, begin: str, end: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            con = self._idle.pop() if self._idle else None
        try:
            if con is None:
                con = _plain_connection(self.path, read_only=self.read_only)
            con.execute(begin)
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute(end)
        except sqlite3.Error as err:
            if con is not None:
                con.close()  # a failed COMMIT's transaction ends with it
                con = None
            raise self._error(err) from err
        finally:
            if con is not None:
                with self._lock:
                    self._idle.append(con)

    @contextmanager
    def _store_errors(self) -> Iterator[None]:
        """The driver's errors, as SQLAlchemy raises them, as one-line store errors."""
        from sqlalchemy.exc import DBAPIError  # loaded with the engine

        try:
            yield
        except DBAPIError as err:
            raise self._error(err) from err

    def _error(self, err: BaseException) -> StoreError:
        msg = one_line(err)
        if "locked" in msg or "busy" in msg:
            return StoreError(f"{self.path} is locked by another program ({msg})")
        return StoreError(f"{self.path}: {msg}")

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for con in idle:
            con.close()
        if self._engine is not None:
            self._engine.dispose()


def connection_of(reader: Reader) -> Connection:
    """The Core connection a query reads through (a session's own, in its transaction)."""
    from sqlalchemy.engine import Connection

    return reader if isinstance(reader, Connection) else reader.connection()


def _plain_connection(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A driver connection for plain reads and writes, with the engine's pragmas; read-only as
    the engine's is when the database was opened so."""
    if read_only:
        con = _read_only_connector(path)()
        _on_any_connect(con, None)
    else:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        _on_connect(con, None)
    return con  # its transactions are begun and ended by Database._plain


def _read_only_connector(path: Path) -> Callable[[], sqlite3.Connection]:
    """What opens ``path`` read-only (:func:`read_only_uri`), for the engine and plain reads."""
    uri = read_only_uri(path, unchanging=read_only_reason(path) is not None)
    return lambda: sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    _on_any_connect(dbapi_conn, _record)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode = WAL")
    # In WAL mode, NORMAL survives a killed process; only a power loss may drop the last commits.
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _on_any_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself, so DDL and PRAGMAs behave predictably.
    dbapi_conn.isolation_level = None
    dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _on_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("quizapp_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def read_only_uri(path: Path, *, unchanging: bool = True) -> str:
    """The URI that opens ``path`` read-only without leaving ``-wal``/``-shm`` files behind.

    A WAL database opened read-only gets side files that a read-only connection never removes
    (and that carry the file's mode: a later writer fails on them). When no ``-wal`` exists, no
    program has the file open for writing, and ``unchanging`` says none will while we read
    (a peek at start-up, a file we cannot write), SQLite is told the file is immutable: it
    reads the file alone and creates nothing. With a ``-wal`` present the side files exist
    already and must be read.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if unchanging and not _side_file(path, "-wal").exists():
        uri += "&immutable=1"
    return uri


def _side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def read_only_reason(path: Path) -> str | None:
    """Why quizapp could not write the database at ``path`` (None when it can, or when the
    file does not exist yet and its directory is writable)."""
    path = Path(path).expanduser()
    try:
        exists = path.exists()
    except OSError:
        return None  # open_database says what is wrong with the path itself
    if exists and not os.access(path, os.W_OK):
        return f"{path} is read-only"
    for suffix in ("-wal", "-shm"):
        side = _side_file(path, suffix)
        if side.exists() and not os.access(side, os.W_OK):
            return f"{side.name} beside {path} is read-only"
    parent = path.parent
    if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
        return f"the directory {parent} is read-only (SQLite writes its journal there)"
    return None


def make_engine(path: Path, *, pooled: bool = True, read_only: bool = False) -> Engine:
    """An engine on ``path`` with quizapp's pragmas (WAL, busy_timeout, foreign keys).

    ``read_only=True`` opens the file with SQLite's ``mode=ro``: nothing can be written, and the
    journal mode is left as it is. The one place the store imports SQLAlchemy's engine.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
    if not pooled:
        kwargs["poolclass"] = NullPool
    if read_only:
        kwargs["creator"] = _read_only_connector(path)
    engine = create_engine(f"sqlite+pysqlite:///{path}", **kwargs)
    event.listen(engine, "connect", _on_any_connect if read_only else _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def open_database(path: Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    With ``migrate=False`` the file is opened read-only, exactly as it is (for readers such as
    the export): nothing is created, migrated or backed up, and a file that is missing, holds no
    quizapp data or is not at this quizapp's schema revision is an error.

    Raises :class:`StoreError` with a one-line message when the file is not SQLite, is corrupt,
    belongs to something else, or was written by a newer quizapp; such files are left untouched.
    """
    path = Path(path).expanduser()
    if not migrate:
        return _open_read_only(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot create {path.parent}: {err.strerror or err}") from None
    _check_is_file(path, missing_ok=True)
    reason = read_only_reason(path)
    if reason is not None:
        raise ReadOnlyDatabase(
            f"{reason}: quizapp cannot record anything in it "
            "(make it writable; `cards`, `due`, `stats`, `export` and "
            "`quiz --print` or `--history` can still read it)"
        )
    current = inspect_revision(path)
    if current != HEAD_REVISION:
        _check_known_revision(path, current)
        if current is not None:
            _quick_check(path)
            backup(path)
        _migrate(path, "head")
    return Database(path)


def _check_is_file(path: Path, *, missing_ok: bool) -> None:
    """A one-line error unless ``path`` is a regular file (or, with ``missing_ok``, nothing)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if missing_ok:
            return
        raise StoreError(f"no quizapp database at {path}") from None
    except OSError as err:
        raise StoreError(f"cannot open {path}: {err.strerror or err}") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{path} is a directory, not a database file")
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(f"{path} is not a regular file")


def _open_read_only(path: Path) -> Database:
    _check_is_file(path, missing_ok=False)
    current = inspect_revision(path)
    if current is None:
        raise StoreError(f"{path} holds no quizapp data yet")
    if current != HEAD_REVISION:
        _check_known_revision(path, current)
        raise StoreError(
            f"{path} was written by an older quizapp (schema revision {current}); "
            "open it with quizapp once (e.g. `quizapp due`) to upgrade it"
        )
    return Database(path, read_only=True)


def inspect_revision(path: Path) -> str | None:
    """The migration revision of an existing file (None for a new or empty one), read-only."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
        with path.open("rb") as fh:
            header = fh.read(len(_SQLITE_MAGIC))
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror or err}") from None
    if header != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not a SQLite database")
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as con:
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise StoreError(f"{path} is a SQLite database, but not a quizapp one")
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as err:
        raise _sqlite_error(path, err) from None
    return row[0] if row else None


def _sqlite_error(path: Path, err: BaseException) -> StoreError:
    msg = one_line(err)
    if "locked" in msg or "busy" in msg:
        return StoreError(f"{path} is locked by another program ({msg})")
    if "unable to open" in msg or "readonly" in msg:
        return StoreError(
            f"cannot open {path} ({msg}); check that it and its directory are writable"
        )
    return StoreError(f"{path} is corrupt ({msg})")


def _quick_check(path: Path) -> None:
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as con:
            result = con.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.DatabaseError as err:
        raise _sqlite_error(path, err) from None
    if not result or result[0] != "ok":
        raise StoreError(f"{path} is corrupt ({result[0] if result else 'integrity check failed'})")


def _check_known_revision(path: Path, current: str | None) -> None:
    if current is None:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    try:
        known = script.get_revision(current) is not None
    except Exception:
        known = False
    if not known:
        raise StoreError(
            f"{path} was written by a newer quizapp (schema revision {current}); "
            "upgrade quizapp to open it"
        )


def backup(path: Path, keep: int = BACKUPS_KEPT) -> Path:
    """Copy the database to a timestamped file beside it; keep only the last ``keep`` copies."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    try:
        with (
            closing(sqlite3.connect(read_only_uri(path), uri=True)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
    except sqlite3.DatabaseError as err:
        target.unlink(missing_ok=True)
        raise _sqlite_error(path, err) from None
    for old in list_backups(path)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def list_backups(path: Path) -> list[Path]:
    """The backups of ``path``, oldest first."""
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configured in code: the bundled migrations, and optionally a connection."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _migrate(path: Path, revision: str, *, down: bool = False) -> None:
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    engine = make_engine(path, pooled=False)
    try:
        conn_cm = engine.connect()
    except DBAPIError as err:
        engine.dispose()
        raise _sqlite_error(path, err) from None
    try:
        with conn_cm as conn:
            # BEGIN IMMEDIATE: a second process opening a new file at the same moment waits,
            # then finds the schema up to date.
            conn.execution_options(quizapp_immediate=True)
            # Outside any transaction: a batch migration (copy table, drop, rename) with foreign
            # keys on would cascade deletes into child rows.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            cfg = alembic_config(conn)
            try:
                if down:
                    command.downgrade(cfg, revision)
                else:
                    command.upgrade(cfg, revision)
            except StoreError:
                raise
            except sqlite3.DatabaseError as err:
                raise _sqlite_error(path, err) from None
            except DBAPIError as err:
                if isinstance(err.orig, sqlite3.DatabaseError):
                    raise _sqlite_error(path, err.orig) from None
                raise StoreError(f"migrating {path} failed: {one_line(err)}") from None
            except Exception as err:
                raise StoreError(f"migrating {path} failed: {one_line(err)}") from None
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
    finally:
        engine.dispose()


def migrate(path: Path, revision: str = "head") -> None:
    """Upgrade ``path`` to ``revision`` (used by tests and tools; open_database does this)."""
    _migrate(Path(path), revision)


def downgrade(path: Path, revision: str) -> None:
    """Downgrade ``path`` to ``revision`` ("base" removes every table)."""
    _migrate(Path(path), revision, down=True)
