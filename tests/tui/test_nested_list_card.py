"""A list to learn with nested items shows them indented under their item in the review app."""

from __future__ import annotations

from pathlib import Path

from quizapp.tui.app import make_app
from tests.tui.helpers import Clock, press, review_screen, running, screen_lines

DECK = """\
---
id: apis
---

# Model APIs

## Ways to build a model

<!-- learn -->
- Sequential
  - a stack of layers
- Functional
  - any graph of layers
    - shared layers
"""


async def test_nested_items_are_shown_indented_under_their_item(
    tmp_path: Path, deck_dir: Path, config_path: Path
) -> None:
    (deck_dir / "apis.md").write_text(DECK, encoding="utf-8")
    app = make_app(tmp_path / "q.sqlite3", [deck_dir], config_path, Clock(), review=True)
    async with running(app) as pilot:
        screen = review_screen(app)
        assert screen.card is not None and screen.card.kind == "list"
        await press(pilot, "space")
        lines = screen_lines(app)

        def column(text: str) -> int:
            row = next(line for line in lines if text in line)
            return row.index(text)

        top = column("- Sequential")
        assert column("- Functional") == top
        assert column("- a stack of layers") == top + 2
        assert column("- any graph of layers") == top + 2
        assert column("- shared layers") == top + 4
        # Each item on a line of its own, not glued onto its parent's.
        assert not any("Sequential" in line and "stack" in line for line in lines)
