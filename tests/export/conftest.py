"""Fixtures for the export tests: real Anki collections in tmp_path, a deck of tricky text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from anki.collection import Collection

from tests.export.helpers import TRICKY_DECK


@pytest.fixture
def tricky_dir(deck_dir: Path) -> Path:
    (deck_dir / "tricky.md").write_text(TRICKY_DECK, encoding="utf-8")
    return deck_dir


@pytest.fixture
def new_collection(tmp_path: Path) -> Iterator[Callable[[str], Collection]]:
    """Make fresh, empty Anki collections in tmp_path (closed after the test)."""
    opened: list[Collection] = []

    def make(name: str = "anki") -> Collection:
        folder = tmp_path / f"{name}-profile"
        folder.mkdir()
        col = Collection(str(folder / "collection.anki2"))
        opened.append(col)
        return col

    yield make
    for col in opened:
        col.close()
