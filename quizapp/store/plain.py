"""Plain SQL on the SQLite driver's own connection: what a query runs on, and the times and
flags as the store keeps them.

The review queue's reads and writes, the counts of ``quizapp due``, the exam dates, the stored
scheduling choices and the cards an exam is built from are plain SQL: nothing to compile and no
table objects to define, so reviewing, counting and printing an exam never import SQLAlchemy.
The schema itself is the migrations' (described by :mod:`quizapp.store.tables`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeAlias, overload

from quizapp.store.db import connection_of

if TYPE_CHECKING:
    from quizapp.store.db import Reader

    #: What a plain query runs on: a plain connection (:meth:`Database.plain_read`,
    #: :meth:`Database.plain_write`), or a Core connection or ORM session, whose transaction it
    #: then joins.
    PlainReader: TypeAlias = sqlite3.Connection | Reader

#: Keys per ``IN (...)`` list, well below SQLite's limit on a statement's parameters.
CHUNK = 500


def driver_of(reader: PlainReader) -> sqlite3.Connection:
    """The driver connection under ``reader`` (itself, when it is one)."""
    if isinstance(reader, sqlite3.Connection):
        return reader
    raw = connection_of(reader).connection.driver_connection
    assert raw is not None
    return raw


def marks(values: Sequence[object]) -> str:
    """``?, ?, ...``: one parameter per value, for an ``IN (...)`` list."""
    return ", ".join("?" * len(values))


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``values`` without repeats, in runs of at most :data:`CHUNK`."""
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def streamed(cursor: sqlite3.Cursor, batch: int = 10_000) -> Iterator[Any]:
    """A cursor's rows as they are read, ``batch`` at a time, straight from the driver (no
    datetime or other object made for each); the cursor is closed when they end."""
    return chain.from_iterable(_batches(cursor, batch))


def _batches(cursor: sqlite3.Cursor, size: int) -> Iterator[list[Any]]:
    try:
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()


def stored_time(t: datetime) -> str:
    """An aware datetime as the store keeps it (``UTCDateTime``: naive UTC text, microseconds
    always written, so that the text sorts as the time does)."""
    if t.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return t.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def stored_time_or_none(t: datetime | None) -> str | None:
    return None if t is None else stored_time(t)


@overload
def read_time(text: str) -> datetime: ...
@overload
def read_time(text: None) -> None: ...
@overload
def read_time(text: str | None) -> datetime | None: ...
def read_time(text: str | None) -> datetime | None:
    """A stored time (naive UTC text), aware; None stays None."""
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)
