"""The one base of every error quizapp expects: its message is one line fit for the user.

The CLI turns a ``QuizappError`` into ``Error: ...`` in one place, and the app into its status
line in one place. This module imports nothing, so every room (``notes`` included) may use it.
"""

from __future__ import annotations

from collections.abc import Iterable


class QuizappError(Exception):
    """An expected failure; ``str(err)`` is one line for the user."""


class OptionError(QuizappError):
    """A bad option or argument value (or combination): the command line exits 2 for it, as for
    click's own usage errors."""


class UnknownDeck(QuizappError):
    """A deck id that names none of the known decks: the one wording of that message."""

    def __init__(self, deck_id: str, known: Iterable[str]) -> None:
        self.deck_id = deck_id
        self.known = tuple(sorted(known))
        super().__init__(f"unknown deck {deck_id!r} (known: {', '.join(self.known) or 'none'})")


def one_line(message: object) -> str:
    """The first non-empty line of a message, stripped: errors are shown as one line.

    An exception that wraps another (SQLAlchemy's ``orig``) speaks with the wrapped one's words;
    an exception with no words gives its type's name.
    """
    orig = getattr(message, "orig", None)
    text = str(orig if orig is not None else message)
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return type(message).__name__ if isinstance(message, BaseException) else ""


def os_error_line(err: OSError) -> str:
    """An ``OSError`` as one line: ``PATH: the system's words`` (``x: File name too long``)."""
    words = err.strerror or one_line(err)
    return f"{err.filename}: {words}" if err.filename is not None else words
