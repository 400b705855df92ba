"""Helpers for store and review tests: deck files on disk, a settable clock."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
JOSH_CSV = DATA_DIR / "review_logs_josh.csv"


class Clock:
    """A clock the test moves by hand; returns aware UTC datetimes."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def qa_deck(deck_id: str, questions: list[tuple[str, str]], title: str | None = None) -> str:
    """Deck Markdown with one Q/A card per (question, answer)."""
    lines = [
        "---",
        f"id: {deck_id}",
        f"title: {title or deck_id.title()}",
        "---",
        "",
        "# Notes",
        "",
    ]
    for q, a in questions:
        lines += [f"Q: {q}", f"A: {a}", ""]
    return "\n".join(lines)


def write_deck(deck_dir: Path, name: str, text: str) -> Path:
    path = deck_dir / name
    old = path.stat().st_mtime_ns if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if old is not None and path.stat().st_mtime_ns == old:  # coarse file system clocks
        os.utime(path, ns=(old + 1_000_000, old + 1_000_000))
    return path


@pytest.fixture
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with the local time zone set to UTC, so study days start at 04:00 UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def require_josh_csv() -> Path:
    if not JOSH_CSV.is_file():
        pytest.skip(f"real review data not found at {JOSH_CSV} (see the shared data README)")
    return JOSH_CSV
