"""Helpers for the review app tests: deck texts, a settable clock, reading screen and database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.app import App

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


def screen_lines(app: App[Any]) -> list[str]:
    """The text of the screen as a user sees it, one string a row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


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
