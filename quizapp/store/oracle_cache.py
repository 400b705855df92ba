"""The Keras check cache in the database (table ``keras_cache``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from quizapp.store.db import Database


class DbOracleCache:
    """Results of real Keras checks, keyed by expression, input shape and Keras version.

    Reading one, as an exam's computed question or a review card does, is a plain query (no
    SQLAlchemy); writing one is a Core statement over the ``keras_cache`` table (no ORM)."""

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
        from sqlalchemy.dialects.sqlite import insert

        from quizapp.store.tables import keras_cache

        values = {
            "expression": expression,
            "input_shape": input_shape,
            "keras_version": keras_version,
            "result": json.dumps(result, sort_keys=True),
            "checked_at": datetime.now(UTC),
        }
        stmt = insert(keras_cache).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["expression", "input_shape", "keras_version"],
            set_={"result": stmt.excluded.result, "checked_at": stmt.excluded.checked_at},
        )
        with self.db.write() as conn:
            conn.execute(stmt)
