"""The SQLite store: typed models, opening and migrating the database, deck sync, queries."""

from quizapp.store.errors import StoreError

__all__ = ["StoreError"]
