"""Hostile and odd input to the command line: one-line errors, exit 1, nothing lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_db_that_sqlite_cannot_open_is_a_one_line_error(tmp_path: Path) -> None:
    # A link into a directory that does not exist: SQLite cannot create the file.
    db = tmp_path / "q.sqlite3"
    db.symlink_to(tmp_path / "gone" / "q.sqlite3")
    line = _one_line_error(_run("--db", str(db), "due"))
    assert line.startswith(f"Error: cannot open {db}") and "corrupt" not in line
    assert not (tmp_path / "gone").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_db_that_is_not_a_regular_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    line = _one_line_error(_run("--db", str(pipe), "due"))
    assert line == f"Error: {pipe} is not a regular file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no -journal, -wal


@pytest.mark.parametrize("key", ["learning_steps", "relearning_steps"])
def test_config_step_too_long_is_a_one_line_error(tmp_path: Path, key: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'{key} = ["1m", "99999999999d"]\n')
    db = tmp_path / "q.sqlite3"
    result = _run("--db", str(db), "due", env={"QUIZAPP_CONFIG": str(config)})
    line = _one_line_error(result)
    assert key in line and "99999999999d" in line and "longer than 36500d" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("kind", ["anki", "csv"])
def test_export_onto_a_pipe_is_refused_and_leaves_it_a_pipe(tmp_path: Path, kind: str) -> None:
    import stat

    pipe = tmp_path / "out"
    os.mkfifo(pipe)
    result = _run("--db", str(tmp_path / "q.sqlite3"), "export", kind, "-o", str(pipe))
    assert _one_line_error(result) == f"Error: cannot write {pipe}: not a regular file"
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_suspended_and_unsuspend_name_an_unknown_deck(tmp_path: Path, deck_dir: Path) -> None:
    from tests.store.util import qa_deck, write_deck

    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [("Q1?", "A1."), ("Q2?", "A2.")]))
    common = ("--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir))
    for args in (("suspended", "--deck", "rnm"), ("unsuspend", "--all", "--deck", "rnm")):
        line = _one_line_error(_run(*common, *args))
        assert line.startswith("Error: unknown deck 'rnm' (known: ") and "rnn" in line
    result = _run(*common, "suspended", "--deck", "rnn")
    assert result.exit_code == 0 and result.stdout == "No suspended cards.\n"


def test_config_saved_with_a_byte_order_mark_is_read(tmp_path: Path, deck_dir: Path) -> None:
    from tests.store.util import qa_deck, write_deck

    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(5)]))
    config = tmp_path / "config.toml"
    config.write_bytes("\ufeffnew_cards_per_day = 2\n".encode())
    db = tmp_path / "q.sqlite3"
    args = ("--db", str(db), "--decks", str(deck_dir), "due", "--deck", "rnn")
    result = _run(*args, env={"QUIZAPP_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].split() == ["rnn", "2", "0", "0"]


def test_the_app_without_a_terminal_is_a_one_line_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = dict(os.environ, QUIZAPP_DB=str(tmp_path / "q.sqlite3"))
    for args in ([], ["review"]):
        result = subprocess.run(
            [sys.executable, "-m", "quizapp", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 1
        assert result.stderr.startswith("Error: the review app needs a terminal")
        assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_every_command_names_an_unknown_deck_in_the_same_words(
    tmp_path: Path, deck_dir: Path
) -> None:
    from tests.store.util import qa_deck, write_deck

    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [("Q1?", "A1.")]))
    write_deck(deck_dir, "cnn.md", qa_deck("cnn", [("Q2?", "A2.")]))
    common = ("--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir))
    commands = [
        ("cards",),
        ("cards", "--json"),
        ("due",),
        ("suspended",),
        ("unsuspend", "--all"),
        ("export", "csv", "-o", "-"),
        ("export", "anki", "-o", str(tmp_path / "x.apkg")),
    ]
    for command in commands:
        line = _one_line_error(_run(*common, *command, "--deck", "nope"))
        # The bundled deck is always there.
        assert line == "Error: unknown deck 'nope' (known: cnn, keras-basics, rnn)", command
    assert not (tmp_path / "x.apkg").exists()


def test_expected_errors_exit_1_and_usage_errors_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("desired_retention = 2\n", encoding="utf-8")
    db = ("--db", str(tmp_path / "q.sqlite3"))
    line = _one_line_error(_run(*db, "due", env={"QUIZAPP_CONFIG": str(config)}))
    assert line.startswith("Error: ") and "desired_retention" in line
    usage = _run(*db, "due", "--no-such-option")
    assert usage.exit_code == 2 and "No such option" in usage.stderr
    missing = _run(*db, "params", "LSTM(10)")
    assert missing.exit_code == 2 and "--input-shape" in missing.stderr


def test_a_new_database_is_announced_once_on_stderr(tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    first = _run("--db", str(db), "due")
    assert first.exit_code == 0
    assert first.stderr.strip().splitlines() == [f"Created a new database at {db}"]
    assert "Created" not in first.stdout
    again = _run("--db", str(db), "due")
    assert again.exit_code == 0 and "Created" not in again.stderr


def test_an_empty_file_is_made_a_new_database_and_said_so(tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite3"
    db.write_bytes(b"")
    result = _run("--db", str(db), "due")
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [f"Created a new database at {db}"]
    assert db.stat().st_size > 0


@pytest.mark.parametrize("how", ["option", "env"])
def test_db_in_a_missing_directory_is_an_error_not_a_fresh_database(
    tmp_path: Path, how: str
) -> None:
    db = tmp_path / "typo" / "q.sqlite3"
    if how == "option":
        result = _run("--db", str(db), "due")
    else:
        result = _run("due", env={"QUIZAPP_DB": str(db)})
    line = _one_line_error(result)
    assert line == (
        f"Error: no such directory {db.parent} for the database {db} "
        "(create it first, or check the path)"
    )
    assert not (tmp_path / "typo").exists()


def test_the_default_database_location_is_created_with_its_directories(
    isolated_user_dirs: Path,
) -> None:
    from quizapp import paths

    db = paths.default_db_path()
    assert not db.parent.exists()
    result = _run("due")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines() == [f"Created a new database at {db}"]
    assert db.is_file()
