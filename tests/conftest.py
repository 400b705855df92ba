"""Shared fixtures. Every test runs with its own user data and config directories, so nothing
reads or writes the real home directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    for var in ("QUIZAPP_DB", "QUIZAPP_DECKS", "QUIZAPP_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    """An empty deck directory of the test's own."""
    d = tmp_path / "mydecks"
    d.mkdir()
    return d
