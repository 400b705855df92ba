"""The Keras check cache in the database (table ``keras_cache``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from quizapp.store.db import Database
from quizapp.store.plain import stored_time


class DbOracleCache:
    """Results of real Keras checks, keyed by expression, input shape and Keras version.

    Plain SQL (:mod:`quizapp.store.plain`), reading and writing: a review card's or an exam's
    Keras line never needs SQLAlchemy."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, expression: str, input_shape: str, keras_version: str) -> dict[str, Any] | None:
        sql = (
            "SELECT result FROM keras_cache"
            " WHERE expression = ? AND input_shape = ? AND keras_version = ?"
        )
        with self.db.plain_read() as raw:
            row = raw.execute(sql, (expression, input_shape, keras_version)).fetchone()
        if row is None or row[0] is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def put(
        self, expression: str, input_shape: str, keras_version: str, result: dict[str, Any]
    ) -> None:
        with self.db.plain_write() as con:
            con.execute(
                "INSERT INTO keras_cache"
                " (expression, input_shape, keras_version, result, checked_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (expression, input_shape, keras_version)"
                " DO UPDATE SET result = excluded.result, checked_at = excluded.checked_at",
                (
                    expression,
                    input_shape,
                    keras_version,
                    json.dumps(result, sort_keys=True),
                    stored_time(datetime.now(UTC)),
                ),
            )
