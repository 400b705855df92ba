"""Every statistics query reads its answers and cards from an index alone: no pass over the
review log's rows (with their JSON), none over the cards' text. This is what keeps
`quizapp stats` fast on a million answers (tests/bench/bench_stats.py measures it)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from quizapp.store import stats_queries
from tests.stats.test_stats import NOW, _october
from tests.stats.util import berlin_local_time

pytestmark = pytest.mark.usefixtures("berlin_local_time")
__all__ = ["berlin_local_time"]


@pytest.mark.parametrize("deck", [None, "alpha"])
def test_each_query_reads_an_index_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deck: str | None
) -> None:
    st = _october(tmp_path)
    seen: list[tuple[str, dict[str, Any]]] = []
    real = stats_queries._rows

    def spy(s: Any, sql: str, params: Any) -> list[tuple[Any, ...]]:
        seen.append((sql, dict(params)))
        return real(s, sql, params)

    monkeypatch.setattr(stats_queries, "_rows", spy)
    st.stats(NOW, deck)
    assert len(seen) >= 10
    used: set[str] = set()
    with st.db.session() as s:
        conn = s.connection()
        for sql, params in seen:
            plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
            for step in plan:
                for table in ("review_log", "cards", "r"):
                    if (
                        step.startswith((f"SCAN {table} ", f"SEARCH {table} "))
                        or step == f"SCAN {table}"
                    ):
                        assert "COVERING INDEX" in step or "INTEGER PRIMARY KEY" in step, (
                            sql,
                            plan,
                        )
                if "INDEX ix_" in step:
                    used.add(step.split("INDEX ")[1].split()[0])
    assert {
        "ix_review_log_recent",
        "ix_review_log_young",
        "ix_review_log_mature",
        "ix_review_log_same_day",
        "ix_review_log_grades",
        "ix_cards_queue",
    } <= used


def test_todays_counts_read_todays_answers_by_time(tmp_path: Path) -> None:
    """The queue's (and the exam dates') counts of today read today's answers from the time
    index and look up each one's card, never every card's answers card by card."""
    from quizapp.store import queries

    st = _october(tmp_path)
    seen: list[str] = []
    with st.db.plain_read() as raw:
        raw.set_trace_callback(seen.append)  # each statement, its values filled in
        try:
            assert queries.done_today(raw, NOW - timedelta(hours=8))["alpha"].new == 1
            assert queries.notes_seen_today(raw, NOW - timedelta(hours=8))
        finally:
            raw.set_trace_callback(None)
        selects = [sql for sql in seen if sql.startswith("SELECT")]
        assert len(selects) == 2
        for sql in selects:
            plan = [row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + sql)]
            assert any(p.startswith("SEARCH review_log USING COVERING INDEX") for p in plan), plan
            assert not any(p.startswith("SCAN cards") for p in plan), plan
