"""The error base: every expected error is one line, and an unknown deck is named one way."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import OperationalError

from quizapp.errors import QuizappError, UnknownDeck, one_line
from quizapp.export import ExportError
from quizapp.store import StoreError
from quizapp.store.errors import NoSuchDeck


def test_an_unknown_deck_lists_the_known_ones_sorted_or_none() -> None:
    err = UnknownDeck("nope", ["rnn", "cnn"])
    assert str(err) == "unknown deck 'nope' (known: cnn, rnn)"
    assert (err.deck_id, err.known) == ("nope", ("cnn", "rnn"))
    assert str(UnknownDeck("nope", [])) == "unknown deck 'nope' (known: none)"
    assert isinstance(err, QuizappError)


def test_the_store_names_a_missing_deck_in_the_same_words() -> None:
    err = NoSuchDeck("nope", ["rnn"])
    assert isinstance(err, StoreError) and isinstance(err, UnknownDeck)
    assert str(err) == str(UnknownDeck("nope", ["rnn"]))


def test_one_line_takes_the_first_line_and_the_wrapped_driver_error() -> None:
    assert one_line(ExportError("  first\nsecond\n")) == "first"
    assert one_line(ValueError("")) == "ValueError"
    wrapped = OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))
    assert one_line(wrapped) == "database is locked"
    assert one_line("\n\n  text  \nmore") == "text"
