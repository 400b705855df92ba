"""The one base of every error quizapp expects: its message is one line fit for the user.

The CLI turns a ``QuizappError`` into ``Error: ...`` in one place, and the app into its status
line in one place. This module imports nothing, so every room (``notes`` included) may use it.
"""

from __future__ import annotations


class QuizappError(Exception):
    """An expected failure; ``str(err)`` is one line for the user."""
