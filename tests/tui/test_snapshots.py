"""Snapshots of the home, review and exam screens at 80×24, and of the statistics at 80×24 and
120×40 (pytest-textual-snapshot).

Update them after an intended change with ``pytest tests/tui --snapshot-update`` and look at
the report before committing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizapp.tui.app import make_app
from tests.stats.test_stats import NOW, _october
from tests.stats.util import berlin_local_time
from tests.tui.conftest import AppFactory
from tests.tui.helpers import CALC_DECK, OTHER_DECK, Clock, settle

__all__ = ["berlin_local_time"]

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


def test_help_from_home(snap_compare, new_app: AppFactory, demo_decks: Path) -> None:
    """`?` on the decks: every key of the decks, the review and the summary, at 80×24."""
    _decks(demo_decks)
    app = new_app()
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24), run_before=settle)


def test_help_from_review(snap_compare, new_app: AppFactory, demo_decks: Path) -> None:
    """`?` while reviewing: the same keys, the card's scroll keys among them, at 80×24."""
    _decks(demo_decks)
    app = new_app(review=True, deck="keras")
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24), run_before=settle)


def test_review_screen_computed_answer(snap_compare, new_app: AppFactory, demo_decks: Path) -> None:
    """A computed card: the answer, the Keras line under it, the derivation, `v` in the footer."""
    (demo_decks / "demo.md").unlink()
    (demo_decks / "calc.md").write_text(CALC_DECK, encoding="utf-8")
    app = new_app(review=True, deck="calc")
    assert snap_compare(app, press=["space"], terminal_size=(80, 24), run_before=settle)


def _exam_app(db_path: Path, deck_dir: Path, config_path: Path, clock: Clock, **options: Any):
    from quizapp.tui.app import make_app
    from tests.quiz.test_exams import DECK
    from tests.tui.test_exam import build_exam

    (deck_dir / "demo.md").unlink(missing_ok=True)
    (deck_dir / "ml.md").write_text(DECK, encoding="utf-8")
    exam = build_exam(db_path, deck_dir, clock, **options)
    return make_app(
        db_path=db_path,
        deck_dirs=[deck_dir],
        config_path=config_path,
        clock=clock,
        exam=exam,
        exam_tick=3600,
    )


def test_exam_question_screen(
    snap_compare, db_path: Path, demo_decks: Path, config_path: Path, clock: Clock
) -> None:
    """A multiple-choice question: question k of N and the time left, the lettered options."""
    from tests.tui.test_exam import settle as exam_settle

    app = _exam_app(db_path, demo_decks, config_path, clock, count=5, minutes=10, types=("mcq",))
    assert snap_compare(app, run_before=exam_settle, terminal_size=(80, 24))


def test_exam_end_screen(
    snap_compare, db_path: Path, demo_decks: Path, config_path: Path, clock: Clock
) -> None:
    """The end: the score per type and section, and a wrong answer explained."""
    from tests.tui.test_exam import answer_right, answer_wrong
    from tests.tui.test_exam import settle as exam_settle

    async def take(pilot: Pilot[Any]) -> None:
        await exam_settle(pilot)
        await answer_wrong(pilot)
        while type(pilot.app.screen).__name__ == "ExamScreen":
            await answer_right(pilot)

    app = _exam_app(db_path, demo_decks, config_path, clock, count=5, types=("mcq", "tf"))
    assert snap_compare(app, run_before=take, terminal_size=(80, 24))


async def _counted(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the statistics are counted and their sections drawn."""
    while True:
        screen = pilot.app.screen
        if getattr(screen, "stats", None) is not None and screen.query("#stats-exams"):
            break
        await pilot.pause(0.05)
    await pilot.pause()
    await pilot.pause()


@pytest.mark.usefixtures("berlin_local_time")
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_stats_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """The statistics of a known history (Europe/Berlin, a fixed clock): 80×24 and 120×40."""
    _october(tmp_path)
    app = make_app(
        db_path=tmp_path / "q.sqlite3",
        deck_dirs=[tmp_path / "decks"],
        config_path=tmp_path / "none.toml",
        clock=lambda: NOW,
        stats=True,
    )
    assert snap_compare(app, terminal_size=size, run_before=_counted)
