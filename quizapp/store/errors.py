"""The store's one error type."""

from __future__ import annotations

from quizapp.errors import QuizappError


class StoreError(QuizappError):
    """A database problem, with a one-line message fit for the user."""
