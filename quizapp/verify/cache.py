"""Where Keras oracle results are kept, keyed by (expression, input shape, Keras version).

The database cache (``quizapp.store.oracle_cache.DbOracleCache``) satisfies :class:`OracleCache`;
:class:`MemoryOracleCache` and :class:`JsonOracleCache` serve tests and runs without a database.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol


class OracleCache(Protocol):
    def get(self, expression: str, input_shape: str, keras_version: str) -> dict | None: ...

    def put(self, expression: str, input_shape: str, keras_version: str, result: dict) -> None: ...


class MemoryOracleCache:
    """A cache that lives as long as the process."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str, str], dict] = {}

    def get(self, expression: str, input_shape: str, keras_version: str) -> dict | None:
        hit = self.data.get((expression, input_shape, keras_version))
        return json.loads(json.dumps(hit)) if hit is not None else None

    def put(self, expression: str, input_shape: str, keras_version: str, result: dict) -> None:
        self.data[(expression, input_shape, keras_version)] = json.loads(json.dumps(result))


class JsonOracleCache(MemoryOracleCache):
    """A cache in a JSON file, written atomically after every ``put``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        try:
            rows: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            rows = []
        if isinstance(rows, list):
            for row in rows:
                if isinstance(row, dict) and {
                    "expression",
                    "input_shape",
                    "keras",
                    "result",
                } <= set(row):
                    key = (row["expression"], row["input_shape"], row["keras"])
                    self.data[key] = row["result"]

    def put(self, expression: str, input_shape: str, keras_version: str, result: dict) -> None:
        super().put(expression, input_shape, keras_version, result)
        rows = [
            {"expression": e, "input_shape": s, "keras": v, "result": r}
            for (e, s, v), r in sorted(self.data.items())
        ]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".oracle-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, ensure_ascii=False, indent=0)
        os.replace(tmp, self.path)
