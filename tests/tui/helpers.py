"""Helpers for the review app tests: deck texts, a settable clock, driving the app, reading the
screen (as a user sees it) and the database."""

from __future__ import annotations

import html
import importlib.util
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.style import Style
from textual.app import App
from textual.pilot import Pilot

from quizapp.review import CardView
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.key_bar import KeyBar

SIZE = (80, 24)

requires_keras = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="needs TensorFlow (Keras checks)"
)

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

DEMO_DECK = """\
---
id: demo
title: Demo deck
---

# Demo deck

## Shapes

Q: What is the output shape of Dense(3) on input (5,)?
A: (None, 3)

Q: How many parameters does Dense(3) have on input (5,)?
A: 18

## Code

Q: What does this print?
```python
import keras
print(keras.layers.Dense(3).units)
```
A: 3
"""

OTHER_DECK = """\
---
id: other
title: Other deck
---

# Other deck

Q: What is 2 + 2?
A: 4
"""

# A computed card, a card with a Keras check, and a plain card.
CALC_DECK = """\
---
id: calc
title: Calc deck
---

# Calc deck

## LSTM

```compute {#lstm-10}
layers: LSTM(10)
input: (5, 1)
```

Q: What is the default activation of LSTM?
A: tanh
<!-- check: default LSTM activation = "tanh" -->

Q: What is 2 + 2?
A: 4
"""

# No fuzz (intervals are exact), no learning ahead (a learning card waits for its step).
CONFIG = """\
fuzz = false
learn_ahead_minutes = 0
"""


class Clock:
    """A clock the test moves by hand; returns aware UTC datetimes."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


# Every cell of the screen is in the app's SVG screenshot (Textual's public export): a <text>
# element per run of text, at x = column × cell width, clipped to its line.
_SVG_TEXT = re.compile(
    r'<text [^>]*\bx="(?P<x>[\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(?P<y>\d+)\)"[^>]*>'
    r"(?P<text>.*?)</text>"
)
_SVG_LINE = re.compile(r'<clipPath id="[\w-]+-line-0">\s*<rect [^>]*\bwidth="(?P<w>[\d.]+)"')


def screen_lines(app: App[Any]) -> list[str]:
    """The text of the screen as a user sees it, one string a row, each as wide as the screen."""
    svg = app.export_screenshot()
    width, height = app.size
    match = _SVG_LINE.search(svg)
    assert match is not None, "no lines in the screenshot"
    cell = float(match["w"]) / width
    rows: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for m in _SVG_TEXT.finditer(svg):
        text = html.unescape(m["text"]).replace("\xa0", " ")
        rows[int(m["y"])].append((round(float(m["x"]) / cell), text))
    lines = []
    for parts in rows:
        line, col = "", 0
        for start, text in sorted(parts):
            line += " " * (start - col) + text
            col = start + cell_len(text)
        lines.append(line + " " * (width - col))
    return lines


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


def row_styles(app: App[Any], y: int) -> list[Style]:
    """The style of every cell of row ``y`` that holds a visible character."""
    line = screen_lines(app)[y]
    return [app.screen.get_style_at(x, y) for x, ch in enumerate(line) if ch.strip()]


def review_screen(app: App[Any]) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen), f"expected the review screen, got {screen!r}"
    return screen


def showing(app: App[Any]) -> tuple[ReviewScreen, CardView]:
    """The review screen and the card it shows (there must be one)."""
    screen = review_screen(app)
    assert screen.card is not None, "the review screen shows no card"
    return screen, screen.card


def footer_is_current(app: App[Any]) -> bool:
    """The screen's key bar shows the keys its bindings offer now: drawn since they changed.

    The bar draws its keys on the refresh after the screen's bindings change: on a loaded
    machine that can come after the app otherwise idles."""
    screen = app.screen
    bars = screen.query(KeyBar)
    if not bars:
        return True
    wanted: dict[str, tuple[str, bool]] = {}
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.show:
            wanted.setdefault(binding.action, (binding.key, not enabled))
    bar = bars.first()
    shown = [(key.action, key.key, key.disabled) for key in bar.shown]
    return bar.size.width > 0 and shown == [(action, *state) for action, state in wanted.items()]


async def settle(pilot: Pilot[Any], timeout: float = 30) -> None:
    """Wait until no review step is on its way (the answers worker is done), the footer shows
    the keys of now, and the app idles."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        busy = [w for w in app.workers if w.group == "answers" and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
        elif getattr(app.screen, "asking", None) is not None:
            pass
        elif footer_is_current(app):
            return
        else:
            assert time.monotonic() < deadline, "the footer never showed the screen's keys"
            await pilot.pause(0.02)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press the keys one at a time, each time waiting for what it asked of the session."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def grade(pilot: Pilot[Any], *ratings: int) -> None:
    """For each rating: show the answer, then grade it."""
    for rating in ratings:
        await press(pilot, "space", str(rating))


async def wait_until(pilot: Pilot[Any], done: Callable[[], bool], timeout: float = 10) -> None:
    """Let the app run until ``done()`` (a few seconds at most)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the app did not get there in time"
        await pilot.pause(0.05)


_HOLD_LOCK = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
con.rollback()
"""


@contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Another process holds the database's write lock (``BEGIN IMMEDIATE``) meanwhile."""
    other = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdout is not None and other.stdout.readline() == "locked\n"
    try:
        yield
    finally:
        other.communicate(timeout=30)  # its stdin closes: it rolls back and ends


@asynccontextmanager
async def running(app: App[Any], size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot[Any]]:
    """The app running headless, its first screen (and first card) shown."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


def query_db(db_path: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Read the database the app writes, with the standard library."""
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def log_rows(db_path: Path) -> list[tuple[str, int]]:
    """Review-log rows in order: (card key, rating)."""
    return query_db(
        db_path,
        "SELECT c.key, r.rating FROM review_log r JOIN cards c ON c.id = r.card_id ORDER BY r.id",
    )
