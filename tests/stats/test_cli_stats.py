"""`quizapp stats`: one JSON object, or text, without an app; an unknown deck is one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.review import ReviewService
from tests.store.util import qa_deck, write_deck


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def _decks(deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(4)]))
    write_deck(deck_dir, "cnn.md", qa_deck("cnn", [("[bold]Conv?[/", "Kernel.")], "[red]CNN"))


def test_stats_json_after_answers(
    tmp_path: Path, deck_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _decks(deck_dir)
    db = tmp_path / "q.sqlite3"
    # The study day ends half a day from now: a learning step 10 minutes ahead is still today
    # (at 03:55 with the default 4 o'clock it would be tomorrow's).
    config = tmp_path / "config.toml"
    config.write_text(f"day_starts_at = {(datetime.now().hour + 12) % 24}\n", encoding="utf-8")
    monkeypatch.setenv("QUIZAPP_CONFIG", str(config))
    service = ReviewService(db, [deck_dir], config_path=config)
    service.sync()
    session = service.start("rnn")
    for rating in (3, 1):  # Good, then Again on the next new card
        card = session.next_card()
        assert card is not None and card.state == "new"
        session.answer(card, rating, 2500)
    service.close()

    args = ["--db", str(db), "--decks", str(deck_dir), "stats", "--json"]
    result = _run(*args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["deck"] is None
    assert data["today"] == {"reviews": 2, "new": 2, "again": 1, "seconds": 5.0}
    assert data["streak"] == {"current": 1, "longest": 1}
    assert data["cards"]["learning"] == 2  # the bundled Keras deck's cards are all new
    assert data["buttons"]["learning"] == [1, 0, 1, 0]
    assert data["forecast"][0] == 2  # both learning cards are due again today
    assert sum(data["heatmap"].values()) == 2
    assert data["true_retention"]["total"]["today"] == {"passed": 0, "failed": 0, "retention": None}
    assert data["memory"]["cards"] == 2

    rnn = json.loads(_run(*args, "--deck", "rnn").stdout)
    assert rnn["cards"] == {**data["cards"], "new": 2, "total": 4}
    assert rnn["today"] == data["today"]
    cnn = json.loads(_run(*args, "--deck", "cnn").stdout)
    assert cnn["deck"] == "cnn" and cnn["today"]["reviews"] == 0 and cnn["cards"]["new"] == 1


def test_stats_text_without_a_terminal(tmp_path: Path, deck_dir: Path) -> None:
    _decks(deck_dir)
    args = ["--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir), "stats"]
    assert _run(*args).stdout.startswith("Statistics, all decks: study day ")
    result = _run(*args, "--deck", "cnn")
    assert result.exit_code == 0, result.output
    out = result.stdout
    today = datetime.now(UTC).astimezone()
    assert out.startswith("Statistics, deck cnn: study day ")
    for heading in (
        "Today",
        "Calendar, last 365 days",
        "Future due, next 30 days",
        "Reviews, last 30 days",
        "Cards (1)",
        "Memory (FSRS)",
        "True retention (desired 90.0%)",
        "Hours, last 30 days",
        "Answer buttons, last 30 days",
        "Exams, last scores per deck",
    ):
        assert f"\n{heading}" in out, heading
    assert "new 1, learning 0" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert str(today.year) in out


def test_stats_unknown_deck_is_one_line(tmp_path: Path, deck_dir: Path) -> None:
    _decks(deck_dir)
    result = _run(
        "--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir), "stats", "--deck", "x"
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: unknown deck 'x' (known: cnn, keras-basics, rnn)"
