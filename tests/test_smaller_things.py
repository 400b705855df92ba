"""Small things a daily user trips on: a runaway layer stack, a file that is not a deck, a
settings section for a deck that does not exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.notes.parse import source_name
from tests.store.util import qa_deck, write_deck


def _run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), env=env)


def test_params_caps_the_stack_in_one_line() -> None:
    result = _run("params", *["Dense(2)"] * 1001, "--input-shape", "4")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: a stack of 1001 layers is more than any real model needs (at most 1000)"
    ]
    assert result.stdout == ""
    assert _run("params", *["Dense(2)"] * 1000, "--input-shape", "4").exit_code == 0


def test_decks_check_warns_about_a_file_that_is_not_a_deck(tmp_path: Path) -> None:
    text = tmp_path / "passwd"
    text.write_text("root:x:0:0:root:/root:/bin/bash\n")
    empty = tmp_path / "empty.md"
    empty.write_text("# Nothing yet\n\nJust prose, no cards.\n")
    result = _run("--db", str(tmp_path / "q.sqlite3"), "decks", "check", str(text), str(empty))
    assert result.exit_code == 0
    assert f"{text}:0: warning: not a Markdown deck file (*.md)" in result.stderr
    assert f"{empty}:0: warning: no cards in this file" in result.stderr
    strict = _run("--db", str(tmp_path / "q.sqlite3"), "decks", "check", "--strict", str(text))
    assert strict.exit_code == 1


def test_a_deck_in_a_directory_at_the_root_keeps_its_leading_slash() -> None:
    assert source_name(Path("/etc/passwd"), Path("/etc")) == "/etc/passwd"
    assert source_name(Path("/home/me/decks/a.md"), Path("/home/me/decks")) == "decks/a.md"


def test_settings_for_a_deck_that_does_not_exist_are_a_warning(
    tmp_path: Path, deck_dir: Path
) -> None:
    (deck_dir / "rnn.md").write_text("# RNN\n\nQ: one?\nA: 1\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text("[decks.rnm]\nnew_cards_per_day = 5\n\n[decks.rnn]\nnew_cards_per_day = 7\n")
    result = _run(
        "--db",
        str(tmp_path / "q.sqlite3"),
        "--decks",
        str(deck_dir),
        "due",
        env={"QUIZAPP_CONFIG": str(config)},
    )
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [f"Warning: {config}: [decks.rnm] names no deck (known: keras-basics, rnn)"]


def test_a_reader_that_stops_early_gets_no_error(tmp_path: Path) -> None:
    """`quizapp cards | head -1`: the reader closes the pipe after one line; quizapp stops
    quietly instead of printing `Error: Broken pipe`."""
    decks = tmp_path / "decks"
    decks.mkdir()
    questions = [(f"Question {i}?", f"Answer {i}.") for i in range(3000)]
    write_deck(decks, "big.md", qa_deck("big", questions))  # more than a pipe holds
    db = tmp_path / "q.sqlite3"
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "quizapp", "--db", str(db), "--decks", str(decks), "cards"]
    subprocess.run(command, env=env, capture_output=True, check=True)  # creates and syncs
    for _ in range(3):  # the pipe closes at a different point each time
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout is not None and child.stderr is not None
        first = child.stdout.readline()
        child.stdout.close()  # as `head -1` does
        err = child.stderr.read().decode()
        child.wait(timeout=60)
        assert first.strip()
        assert err == ""
        assert child.returncode == 1  # the write hit the closed pipe: not a success
