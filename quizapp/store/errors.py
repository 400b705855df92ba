"""The store's error types."""

from __future__ import annotations

from quizapp.errors import QuizappError, UnknownDeck


class StoreError(QuizappError):
    """A database problem, with a one-line message fit for the user."""


class ReadOnlyDatabase(StoreError):
    """The database (or its directory) cannot be written: said before anything is tried."""


class NoSuchDeck(UnknownDeck, StoreError):
    """A deck id the database holds no active deck for (the wording is ``UnknownDeck``'s)."""
