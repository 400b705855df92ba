"""The statistics service: the day, the streak, the calendar, the future, true retention,
FSRS memory, hours, answer buttons and exam scores, for one deck or all.

:func:`collect_stats` (or a :class:`StatsReader`, part by part) hands back plain frozen
dataclasses (:mod:`quizapp.stats.model`); :func:`stats_json` is their JSON. The counting is
SQL in the store (``quizapp.store.stats_queries``); this room never imports SQLAlchemy.
"""

from quizapp.stats.model import Stats, stats_json
from quizapp.stats.service import StatsReader, collect_stats, deck_titles

__all__ = ["Stats", "StatsReader", "collect_stats", "deck_titles", "stats_json"]
