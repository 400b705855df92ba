"""The small pure helpers of the app: editor command lines, durations, due times, errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.timefmt import duration, until
from quizapp.tui.app import editor_command, short_error
from tests.tui.helpers import START

DECK = Path("/home/me/decks/keras.md")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"EDITOR": "vim"}, ["vim", "+12", str(DECK)]),
        ({"EDITOR": "emacs -nw"}, ["emacs", "-nw", "+12", str(DECK)]),
        ({"VISUAL": "nano"}, ["nano", "+12", str(DECK)]),
        ({}, ["vi", "+12", str(DECK)]),
        ({"EDITOR": "/usr/bin/code"}, ["/usr/bin/code", "--wait", "--goto", f"{DECK}:12"]),
        ({"EDITOR": "subl"}, ["subl", "--wait", f"{DECK}:12"]),
    ],
)
def test_editor_command_opens_the_line(environ: dict[str, str], expected: list[str]) -> None:
    assert editor_command(DECK, 12, environ) == expected


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (42.4, "42s"), (60, "1m 00s"), (185, "3m 05s"), (3720, "1h 02m")],
)
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=-5), "now"),
        (timedelta(minutes=10), "in 10m 00s"),
        (timedelta(hours=5, minutes=3), "in 5h 03m"),
        (timedelta(days=1, hours=2), "in 1 day"),
        (timedelta(days=8), "in 8 days"),
    ],
)
def test_until(delta: timedelta, text: str) -> None:
    assert until(START + delta, START) == text


def test_short_error_keeps_folder_file_and_line() -> None:
    assert (
        short_error("/very/long/path/to/decks/keras.md:12: unknown field 'foo'\nmore detail")
        == "decks/keras.md:12: unknown field 'foo'"
    )
    assert short_error("database is newer than this quizapp") == (
        "database is newer than this quizapp"
    )
