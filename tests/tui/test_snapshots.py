"""Snapshots of the home and review screens at 80×24 (pytest-textual-snapshot).

Update them after an intended change with ``pytest tests/tui --snapshot-update`` and look at
the report before committing.
"""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import AppFactory
from tests.tui.helpers import CALC_DECK, OTHER_DECK, settle

SNAPSHOT_DECK = """\
---
id: keras
title: 케라스 기초 (Keras basics)
---

# 케라스 기초

## LSTM 레이어

Q: How many parameters does this layer have? x[i] and [bold] stay literal.
```python
layer = keras.layers.LSTM(10)
layer.build((None, 5, 1))
print(layer.count_params())
```
A: 480 = 4 × (1 + 1 + 10) × 10
```python
>>> layer.count_params()
480
```

Q: 과적합을 줄이는 방법 하나는?
A: 훈련 데이터를 늘린다 (get more training data)
"""


def _decks(deck_dir: Path) -> None:
    (deck_dir / "demo.md").unlink(missing_ok=True)
    (deck_dir / "keras.md").write_text(SNAPSHOT_DECK, encoding="utf-8")
    (deck_dir / "other.md").write_text(OTHER_DECK, encoding="utf-8")


def test_home_screen(snap_compare, new_app: AppFactory, demo_decks: Path) -> None:
    _decks(demo_decks)
    assert snap_compare(new_app(), terminal_size=(80, 24), run_before=settle)


def test_review_screen_question(snap_compare, new_app: AppFactory, demo_decks: Path) -> None:
    _decks(demo_decks)
    assert snap_compare(
        new_app(review=True, deck="keras"), terminal_size=(80, 24), run_before=settle
    )


def test_review_screen_answer(snap_compare, new_app: AppFactory, demo_decks: Path) -> None:
    _decks(demo_decks)
    app = new_app(review=True, deck="keras")
    assert snap_compare(app, press=["space"], terminal_size=(80, 24), run_before=settle)


def test_review_screen_computed_answer(snap_compare, new_app: AppFactory, demo_decks: Path) -> None:
    """A computed card: the answer, the Keras line under it, the derivation, `v` in the footer."""
    (demo_decks / "demo.md").unlink()
    (demo_decks / "calc.md").write_text(CALC_DECK, encoding="utf-8")
    app = new_app(review=True, deck="calc")
    assert snap_compare(app, press=["space"], terminal_size=(80, 24), run_before=settle)
