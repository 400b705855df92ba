"""The Keras check cache in the database (table ``keras_cache``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert

from quizapp.store.db import Database
from quizapp.store.tables import keras_cache


class DbOracleCache:
    """Results of real Keras checks, keyed by expression, input shape and Keras version (Core
    statements over the ``keras_cache`` table: reading one, as an exam's computed question
    does, needs no ORM)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, expression: str, input_shape: str, keras_version: str) -> dict[str, Any] | None:
        c = keras_cache.c
        with self.db.read() as conn:
            result = conn.scalar(
                select(c.result).where(
                    c.expression == expression,
                    c.input_shape == input_shape,
                    c.keras_version == keras_version,
                )
            )
        if result is None:
            return None
        try:
            value = json.loads(result)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def put(
        self, expression: str, input_shape: str, keras_version: str, result: dict[str, Any]
    ) -> None:
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
        with self.db.session(write=True) as s:
            s.execute(stmt)
