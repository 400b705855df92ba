"""Reviewing in the app never loads TensorFlow or Keras (a fresh interpreter, the real app)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.tui.helpers import CONFIG, DEMO_DECK

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from quizapp.tui.app import make_app

    tmp = Path(sys.argv[1])

    async def main():
        app = make_app(
            db_path=tmp / "q.sqlite3", deck_dirs=[tmp / "decks"], config_path=tmp / "c.toml"
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("a", "space", "3", "space", "4", "u", "q")
            await pilot.pause()
            assert type(app.screen).__name__ == "HomeScreen", app.screen

    asyncio.run(main())
    print(sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")))
    """
)


def test_review_app_does_not_import_tensorflow(tmp_path: Path) -> None:
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "demo.md").write_text(DEMO_DECK, encoding="utf-8")
    (tmp_path / "c.toml").write_text(CONFIG, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
